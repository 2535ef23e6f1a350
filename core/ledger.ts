/**
 * The ledger of one pool: every entry it has seen, their verdicts, and the
 * state they add up to.
 *
 * Contract: the result is a pure function of the set of entries added and of
 * `asOf`. Arrival order, duplicates and how the set was split into calls
 * make no difference (property-tested against a full replay).
 *
 * Order. Entries are applied in a topological order of the causal graph
 * (`prev` and `deps` edges, and the genesis before everything), ties broken
 * by (time, id): the smallest available entry goes next. An entry whose
 * parents have not all arrived, or that is dated after `asOf`, is pending,
 * and so is everything after it.
 *
 * Incremental application. New entries are applied on top of the current
 * state when each of them sorts after every entry already applied: then a
 * full replay would have applied the old entries in the same order first
 * (they never depend on new ones), so appending is exact. Otherwise (an entry
 * from the past, a new fork, `asOf` going back) the ledger replays from
 * scratch. Signature verdicts are cached by (id, sig) either way.
 */
import type { Entry, EntryId, Policy, PublicKeyHex } from './entry.ts'
import type { PendingReason, Reason, RejectionReason } from './reasons.ts'
import { TimeIdHeap } from './heap.ts'
import { PoolState, short, type Movement, type RequestStatus, type Role } from './pool-state.ts'
import { SignatureCache, verifyEntrySignature } from './verify.ts'
import { referenceVerify, type Verifier } from './keys.ts'
import { DEPS_COUNT_MAX } from './limits.ts'

/**
 * `initiated`: a two-step transfer waiting for its payee (its amount on hold);
 * `cancelled`: a two-step transfer its payer withdrew.
 */
export type EntryStatus = 'accepted' | 'pending' | 'rejected' | 'initiated' | 'cancelled'

export interface EntryVerdict {
  readonly id: EntryId
  readonly type: Entry['type']
  readonly author: PublicKeyHex
  readonly seq: number
  readonly status: EntryStatus
  readonly reason?: Reason
  readonly detail?: string
}

export interface Equivocation {
  readonly author: PublicKeyHex
  readonly seq: number
  /** Every entry the author signed at this seq, by id ascending; the first one stands. */
  readonly entries: readonly EntryId[]
}

export interface MemberSummary {
  readonly role: Role
  readonly minBalance: number
  readonly maxBalance: number | null
  readonly frozen: boolean
  /** Present (true) once the member closed its account. */
  readonly closed?: true
  /** Outgoing two-step transfers not yet accepted, when there are any. */
  readonly held?: number
}

export interface RequestSummary {
  readonly payee: PublicKeyHex
  readonly amount: number
  readonly from?: PublicKeyHex
  readonly memo?: string
  readonly status: RequestStatus
  readonly settledBy?: EntryId
}

export interface ReplayResult {
  readonly pool: EntryId | null
  readonly policy: Policy | null
  readonly balances: Readonly<Record<string, number>>
  /** Tokens issued so far, in issued pools only. */
  readonly supply?: number
  readonly members: Readonly<Record<string, MemberSummary>>
  /** Levies collected, in pools with a levy; balances plus commons sum to zero (mutual credit) or to the supply. */
  readonly commons?: number
  /** Payment requests and what became of them, by id; present when the pool has any. */
  readonly requests?: Readonly<Record<string, RequestSummary>>
  readonly entries: readonly EntryVerdict[]
  readonly equivocations: readonly Equivocation[]
}

export interface LedgerOptions {
  /** Signature verdicts to reuse across ledgers and replays. */
  readonly cache?: SignatureCache
  /** Defaults to the reference verifier; a faster one must give the same verdicts. */
  readonly verifier?: Verifier
}

interface Verdict {
  readonly status: 'accepted' | 'rejected' | 'initiated' | 'cancelled'
  readonly reason?: RejectionReason
  readonly detail?: string
}

/** (time, id) ascending: the tie-break of the topological order. */
function keyLess(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.id < b.id)
}

function parentsOf(entry: Entry): EntryId[] {
  return entry.prev === null ? [...entry.deps] : [entry.prev, ...entry.deps]
}

const ACCEPTED: Verdict = Object.freeze({ status: 'accepted' })
const INITIATED: Verdict = Object.freeze({ status: 'initiated' })

/** `#prevAt` for an entry at seq 1. */
const NO_PREV = -1
/** `#prevAt` for an entry whose prev had not arrived when last looked for. */
const PREV_UNRESOLVED = -2

export class Ledger {
  readonly pool: EntryId
  readonly #cache: SignatureCache
  readonly #verifier: Verifier
  #asOf = -Infinity

  // Entries of this pool with a valid signature live in arrays, at the position they arrived at
  // (an internal handle only: nothing observable depends on it). Ordering and applying then work
  // on small integers and typed arrays rather than on maps keyed by 64-hex ids.
  /** Position of each valid entry, by id. */
  readonly #index = new Map<EntryId, number>()
  readonly #entries: Entry[] = []
  /** Position of each entry's prev: NO_PREV, PREV_UNRESOLVED, or a position. */
  readonly #prevAt: number[] = []
  /** Position of the genesis entry, -1 until it arrives. */
  #genesisAt = -1
  /** Verdict of each applied entry, by position; undefined while not applied. */
  #verdicts: (Verdict | undefined)[] = []
  /** Positions in the order applied. */
  #applied: number[] = []
  /** Positions of valid entries not applied yet: pending ones, and fresh ones until the next ordering. */
  #unapplied: number[] = []
  /** Scratch for ordering: 1 + an entry's place in the list being ordered, else 0 (kept all zero between uses). */
  #places = new Int32Array(0)

  /** Entries refused before ordering: bad signature or another pool. */
  readonly #refused = new Map<EntryId, { entry: Entry; reason: 'bad-signature' | 'wrong-pool' }>()
  /** Position of the first entry seen per author and seq. */
  readonly #slots = new Map<PublicKeyHex, Map<number, number>>()
  /** The (author, seq) places holding more than one entry: ids ascending. */
  readonly #forkedSlots = new Map<PublicKeyHex, Map<number, EntryId[]>>()
  /** For authors who forked: the lowest forked seq and the id that stands there. */
  #forks = new Map<PublicKeyHex, { seq: number; standing: EntryId }>()

  #state = new PoolState()
  #last: Entry | undefined

  constructor(pool: EntryId, options: LedgerOptions = {}) {
    this.pool = pool
    this.#cache = options.cache ?? new SignatureCache()
    this.#verifier = options.verifier ?? referenceVerify
  }

  get asOf(): number {
    return this.#asOf
  }

  get policy(): Policy | undefined {
    return this.#state.policy
  }

  get size(): number {
    return this.#index.size + this.#refused.size
  }

  /** Adds entries (any order, duplicates welcome) and judges them as of `asOf` (ms). */
  add(entries: Iterable<Entry>, asOf: number): void {
    let replayAll = asOf < this.#asOf
    this.#asOf = asOf
    let fresh = 0
    const index = this.#index
    for (const entry of entries) {
      const id = entry.id
      if (index.has(id)) continue
      if (entry.pool !== this.pool) {
        if (!this.#refused.has(id)) this.#refused.set(id, { entry, reason: 'wrong-pool' })
        continue
      }
      if (!verifyEntrySignature(entry, this.#cache, this.#verifier)) {
        if (!this.#refused.has(id)) this.#refused.set(id, { entry, reason: 'bad-signature' })
        continue
      }
      // A valid copy wins over a forged one with the same content.
      if (this.#refused.size > 0) this.#refused.delete(id)
      const at = this.#entries.length
      index.set(id, at)
      this.#entries.push(entry)
      this.#verdicts.push(undefined)
      this.#unapplied.push(at)
      if (id === this.pool) this.#genesisAt = at
      fresh++
      let chain = this.#slots.get(entry.author)
      if (!chain) this.#slots.set(entry.author, (chain = new Map()))
      // The prev is most often the author's entry one seq below, found without a lookup by id.
      let prevAt = entry.prev === null ? NO_PREV : PREV_UNRESOLVED
      if (entry.prev !== null) {
        const below = chain.get(entry.seq - 1)
        if (below !== undefined && this.#entries[below]!.id === entry.prev) prevAt = below
      }
      this.#prevAt.push(prevAt)
      const first = chain.get(entry.seq)
      if (first === undefined) chain.set(entry.seq, at)
      else {
        this.#addToFork(entry, this.#entries[first]!.id)
        replayAll = true
      }
    }
    if (replayAll) return this.#replayAll()
    if (fresh === 0 && this.#unapplied.length === 0) return
    const order = this.#orderUnapplied()
    // Kahn's order is not sorted by key, so every entry is checked, not only the first.
    const last = this.#last
    if (last) for (const at of order) if (!keyLess(last, this.#entries[at]!)) return this.#replayAll()
    for (const at of order) this.#apply(at)
    this.#dropApplied()
  }

  /**
   * Would this entry be accepted if it were added now, after everything
   * applied? For checking a payment before signing it. Undefined when the
   * entry would not simply go last (a parent missing, or dated earlier than
   * the newest applied entry), in which case add it to a copy instead.
   */
  preview(entry: Entry): EntryVerdict | undefined {
    if (this.#last && !keyLess(this.#last, entry)) return undefined
    if (entry.time > this.#asOf) return undefined
    for (const parent of parentsOf(entry)) if (this.#verdictOf(parent) === undefined) return undefined
    let chain: Verdict | undefined
    if (entry.prev !== null) {
      const prevAt = this.#index.get(entry.prev)!
      chain = chainProblem(entry, this.#entries[prevAt]!, this.#verdicts[prevAt])
    }
    const verdict: Verdict = chain ?? toVerdict(this.#state.evaluate(entry))
    return describe(entry, verdict)
  }

  /** The verdict of one entry, or undefined if the ledger has not seen it. */
  verdict(id: EntryId): EntryVerdict | undefined {
    const at = this.#index.get(id)
    if (at !== undefined) {
      const entry = this.#entries[at]!
      const verdict = this.#verdicts[at]
      return verdict ? describe(entry, verdict) : this.#describePending(entry)
    }
    const refused = this.#refused.get(id)
    return refused && describe(refused.entry, { status: 'rejected', reason: refused.reason, detail: refusedDetail(refused.reason) })
  }

  balanceOf(key: PublicKeyHex): number {
    return this.#state.balanceOf(key)
  }

  member(key: PublicKeyHex): MemberSummary | undefined {
    const member = this.#state.members.get(key)
    if (!member) return undefined
    const held = this.#state.heldBy(key)
    return {
      role: member.role,
      minBalance: this.#state.minBalanceOf(key),
      maxBalance: this.#state.maxBalanceOf(key),
      frozen: this.#state.isFrozen(key),
      ...(this.#state.closed.has(key) ? { closed: true as const } : {}),
      ...(held !== 0 ? { held } : {}),
    }
  }

  /** The entry that made `key` a member (an admit, a join, or the genesis for the creator). */
  membershipEntry(key: PublicKeyHex): EntryId | undefined {
    return this.#state.members.get(key)?.since
  }

  /** Money movements in replay order (transfers, completed two-step transfers, issues): the stuff of statements. */
  movements(): readonly Movement[] {
    return this.#state.movements
  }

  /** The entry with this id, if the ledger holds it with a valid signature. */
  entry(id: EntryId): Entry | undefined {
    const at = this.#index.get(id)
    return at === undefined ? undefined : this.#entries[at]
  }

  /** What `key` has on hold for outgoing two-step transfers. */
  heldBy(key: PublicKeyHex): number {
    return this.#state.heldBy(key)
  }

  /** Time of `key`'s last accepted transfer, for telling a member when the next one may go. */
  lastTransferTime(key: PublicKeyHex): number | undefined {
    return this.#state.lastTransferTime.get(key)
  }

  /**
   * Entries `author` should name in `deps` of its next entry: the accepted
   * entries that credit or admit it since its own last entry, newest last,
   * at most DEPS_COUNT_MAX. Naming them orders what the author spends after
   * what it received, whatever the clocks say.
   */
  depsFor(author: PublicKeyHex): EntryId[] {
    const deps: EntryId[] = []
    for (let i = this.#applied.length - 1; i >= 0 && deps.length < DEPS_COUNT_MAX; i--) {
      const at = this.#applied[i]!
      const entry = this.#entries[at]!
      if (entry.author === author) break
      if (this.#verdicts[at]?.status !== 'accepted') continue
      const credits = (entry.type === 'transfer' || entry.type === 'issue') && entry.to === author
      const admits = (entry.type === 'admit' || entry.type === 'invite') && (entry.type === 'admit' ? entry.member : entry.invitee) === author
      if (credits || admits) deps.push(entry.id)
    }
    return deps.sort()
  }

  /** Every entry this ledger holds with a valid signature. */
  entries(): IterableIterator<Entry> {
    return this.#entries.values()
  }

  /** The whole result; O(entries), so callers that need one figure use the accessors above. */
  result(): ReplayResult {
    const state = this.#state
    const balances: Record<string, number> = {}
    const memberKeys = new Set<string>([...state.members.keys(), ...state.balances.keys()])
    for (const key of [...memberKeys].sort()) balances[key] = state.balanceOf(key as PublicKeyHex)
    const members: Record<string, MemberSummary> = {}
    for (const key of [...state.members.keys()].sort()) members[key] = this.member(key)!

    const applied = this.#applied
    const verdicts: EntryVerdict[] = new Array<EntryVerdict>(applied.length)
    for (let i = 0; i < applied.length; i++) {
      const at = applied[i]!
      verdicts[i] = describe(this.#entries[at]!, this.#verdicts[at]!)
    }
    const pending = this.#unapplied.map((at) => this.#entries[at]!)
    pending.sort((a, b) => (keyLess(a, b) ? -1 : 1))
    for (const entry of pending) verdicts.push(this.#describePending(entry))
    for (const id of [...this.#refused.keys()].sort()) verdicts.push(this.verdict(id)!)

    const equivocations: Equivocation[] = []
    for (const ids of this.#eachForkedSlot()) {
      const first = this.#entries[this.#index.get(ids[0]!)!]!
      equivocations.push({ author: first.author, seq: first.seq, entries: [...ids] })
    }
    equivocations.sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : a.seq - b.seq))

    const requests: Record<string, RequestSummary> = {}
    for (const id of [...state.requests.keys()].sort()) {
      const r = state.requests.get(id)!
      requests[id] = {
        payee: r.payee, amount: r.amount, ...(r.from ? { from: r.from } : {}), ...(r.memo !== undefined ? { memo: r.memo } : {}),
        status: r.status, ...(r.settledBy ? { settledBy: r.settledBy } : {}),
      }
    }

    return {
      pool: this.pool,
      policy: state.policy ?? null,
      balances,
      ...(state.policy?.kind === 'issued' ? { supply: state.supply } : {}),
      members,
      ...(state.policy?.feeBasisPoints ? { commons: state.commons } : {}),
      ...(state.requests.size > 0 ? { requests } : {}),
      entries: verdicts,
      equivocations,
    }
  }

  // ---- ordering -----------------------------------------------------------

  /** The verdict of an applied entry by id; undefined when it is not applied (or not held). */
  #verdictOf(id: EntryId): Verdict | undefined {
    const at = this.#index.get(id)
    return at === undefined ? undefined : this.#verdicts[at]
  }

  /**
   * Kahn's algorithm over the entries not yet applied, smallest (time, id)
   * first; returns their positions. Entries that cannot be applied yet (see
   * the file comment) are left out, and so is everything that depends on them.
   */
  #orderUnapplied(): number[] {
    const genesis = this.#genesisAt
    const todo = this.#unapplied
    const n = todo.length
    if (genesis < 0 || n === 0) return []
    const entries = this.#entries
    const verdicts = this.#verdicts
    const prevAt = this.#prevAt
    const index = this.#index
    const asOf = this.#asOf
    if (this.#places.length < entries.length) this.#places = new Int32Array(Math.max(entries.length, 2 * this.#places.length))
    const places = this.#places
    for (let k = 0; k < n; k++) places[todo[k]!] = k + 1

    // Every entry waits for the genesis until it is applied: counted here, released when it goes,
    // rather than as an edge from the genesis to each entry.
    const genesisPlace = verdicts[genesis] === undefined ? places[genesis]! - 1 : -1
    const waiting = new Int32Array(n)
    const blocked = new Uint8Array(n)
    const times = new Float64Array(n)
    const ids: string[] = new Array<string>(n)
    // Edges parent → child between unapplied entries, as two parallel lists.
    let edgeParent = new Int32Array(n + 16)
    let edgeChild = new Int32Array(n + 16)
    let edges = 0
    for (let k = 0; k < n; k++) {
      const at = todo[k]!
      const entry = entries[at]!
      times[k] = entry.time
      ids[k] = entry.id
      if (entry.time > asOf) blocked[k] = 1
      if (k !== genesisPlace && genesisPlace >= 0) waiting[k]!++
      let prev = prevAt[at]!
      if (prev === PREV_UNRESOLVED) {
        const found = index.get(entry.prev!)
        if (found !== undefined) prevAt[at] = prev = found
      }
      const deps = entry.deps
      if (edges + 1 + deps.length > edgeParent.length) {
        const grown = Math.max(2 * edgeParent.length, edges + 1 + deps.length)
        const parents = new Int32Array(grown)
        parents.set(edgeParent)
        edgeParent = parents
        const children = new Int32Array(grown)
        children.set(edgeChild)
        edgeChild = children
      }
      if (prev === PREV_UNRESOLVED) blocked[k] = 1 // a parent that has not arrived
      else if (prev !== NO_PREV && verdicts[prev] === undefined) {
        edgeParent[edges] = places[prev]! - 1
        edgeChild[edges++] = k
        waiting[k]!++
      }
      for (let d = 0; d < deps.length; d++) {
        const dep = index.get(deps[d]!)
        if (dep === undefined) blocked[k] = 1
        else if (verdicts[dep] === undefined) {
          edgeParent[edges] = places[dep]! - 1
          edgeChild[edges++] = k
          waiting[k]!++
        }
      }
    }
    for (let k = 0; k < n; k++) places[todo[k]!] = 0

    // Children of each entry, contiguous (compressed sparse rows).
    const first = new Int32Array(n + 1)
    for (let e = 0; e < edges; e++) first[edgeParent[e]! + 1]!++
    for (let k = 0; k < n; k++) first[k + 1]! += first[k]!
    const fill = first.slice(0, n)
    const children = new Int32Array(edges)
    for (let e = 0; e < edges; e++) children[fill[edgeParent[e]!]!++] = edgeChild[e]!

    // What depends on a blocked entry is blocked too; everything depends on the genesis.
    if (genesisPlace >= 0 && blocked[genesisPlace]) return []
    const stack: number[] = []
    for (let k = 0; k < n; k++) if (blocked[k]) stack.push(k)
    while (stack.length > 0) {
      const k = stack.pop()!
      for (let e = first[k]!, end = first[k + 1]!; e < end; e++) {
        const child = children[e]!
        if (!blocked[child]) {
          blocked[child] = 1
          stack.push(child)
        }
      }
    }
    const heap = new TimeIdHeap(n, times, ids)
    for (let k = 0; k < n; k++) if (waiting[k] === 0 && !blocked[k]) heap.push(k)
    const order: number[] = []
    for (let k = heap.pop(); k >= 0; k = heap.pop()) {
      order.push(todo[k]!)
      for (let e = first[k]!, end = first[k + 1]!; e < end; e++) {
        const child = children[e]!
        if (--waiting[child]! === 0 && !blocked[child]) heap.push(child)
      }
      if (k === genesisPlace) {
        for (let child = 0; child < n; child++) {
          if (child !== k && --waiting[child]! === 0 && !blocked[child]) heap.push(child)
        }
      }
    }
    return order
  }

  /** Forgets the positions applied since the last ordering from the unapplied list. */
  #dropApplied(): void {
    const verdicts = this.#verdicts
    this.#unapplied = this.#unapplied.filter((at) => verdicts[at] === undefined)
  }

  /** Records a second (third…) entry at its author's seq. */
  #addToFork(entry: Entry, firstId: EntryId): void {
    let chain = this.#forkedSlots.get(entry.author)
    if (!chain) this.#forkedSlots.set(entry.author, (chain = new Map()))
    const ids = chain.get(entry.seq)
    if (ids) ids.push(entry.id)
    else chain.set(entry.seq, [firstId, entry.id])
    chain.get(entry.seq)!.sort()
  }

  /** The (author, seq) places holding more than one entry. */
  *#eachForkedSlot(): Generator<EntryId[]> {
    for (const chain of this.#forkedSlots.values()) yield* chain.values()
  }

  #replayAll(): void {
    const n = this.#entries.length
    this.#state = new PoolState()
    this.#applied = []
    this.#verdicts = new Array<Verdict | undefined>(n).fill(undefined)
    this.#last = undefined
    this.#unapplied = Array.from({ length: n }, (_, at) => at)
    this.#forks = new Map()
    for (const ids of this.#eachForkedSlot()) {
      const standing = this.#entries[this.#index.get(ids[0]!)!]!
      const known = this.#forks.get(standing.author)
      if (!known || standing.seq < known.seq) this.#forks.set(standing.author, { seq: standing.seq, standing: standing.id })
    }
    for (const at of this.#orderUnapplied()) this.#apply(at)
    this.#dropApplied()
  }

  // ---- rules --------------------------------------------------------------

  #apply(at: number): void {
    const entry = this.#entries[at]!
    const fork = this.#forks.size > 0 ? this.#forks.get(entry.author) : undefined
    let verdict = fork && forkProblem(entry, fork)
    if (!verdict && entry.prev !== null) {
      const prevAt = this.#prevAt[at]!
      verdict = chainProblem(entry, this.#entries[prevAt]!, this.#verdicts[prevAt])
    }
    if (!verdict) {
      const evaluation = this.#state.evaluate(entry, true)
      verdict = toVerdict(evaluation)
      if (evaluation.status === 'accepted' && evaluation.settles) {
        const { id, status, reason, detail } = evaluation.settles
        this.#verdicts[this.#index.get(id)!] = { status, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}) }
      }
    }
    // "Frozen from there": once the standing entry of the fork (or anything after it) is applied,
    // the author can neither pay nor be paid. A void twin applied earlier does not freeze yet,
    // or the standing entry itself would be refused.
    if (fork && (entry.id === fork.standing || entry.seq > fork.seq)) this.#state.equivocators.add(entry.author)
    this.#verdicts[at] = verdict
    this.#applied.push(at)
    if (!this.#last || keyLess(this.#last, entry)) this.#last = entry
  }

  #describePending(entry: Entry): EntryVerdict {
    const [reason, detail] = this.#pendingReason(entry)
    return { id: entry.id, type: entry.type, author: entry.author, seq: entry.seq, status: 'pending', reason, detail }
  }

  #pendingReason(entry: Entry): [PendingReason, string] {
    if (this.#genesisAt < 0) return ['no-genesis', `waiting for the pool's first entry ${short(this.pool)}`]
    if (entry.time > this.#asOf) return ['future', `dated ${new Date(entry.time).toISOString()}, later than the time the log is judged at`]
    if (entry.prev !== null && !this.#index.has(entry.prev)) return ['missing-prev', `waiting for ${entry.prev}`]
    const missing = entry.deps.find((dep) => !this.#index.has(dep))
    if (missing) return ['missing-dep', `waiting for ${missing}`]
    return ['after-pending', 'an entry before it is pending']
  }
}

/** Is this entry void because its author forked its chain at or before it? */
function forkProblem(entry: Entry, fork: { seq: number; standing: EntryId }): Verdict | undefined {
  if (entry.seq < fork.seq || entry.id === fork.standing) return undefined
  const detail = entry.seq === fork.seq
    ? `another entry at seq ${fork.seq} (${short(fork.standing)}) has the lower id and stands`
    : `its author forked the chain at seq ${fork.seq}; everything after is void`
  return { status: 'rejected', reason: 'equivocation', detail }
}

/** Does this entry continue its author's chain (`prev` applied): seq + 1, same author, time not going back? */
function chainProblem(entry: Entry, prev: Entry, prevVerdict: Verdict | undefined): Verdict | undefined {
  let detail: string | undefined
  if (prev.author !== entry.author) detail = `prev ${short(prev.id)} is by another author`
  else if (prev.seq !== entry.seq - 1) detail = `expected prev at seq ${entry.seq - 1}, got seq ${prev.seq}`
  else if (prev.time > entry.time) detail = `time goes back: ${entry.time} after ${prev.time}`
  else if (prevVerdict?.reason === 'bad-chain') detail = `prev ${short(prev.id)} does not continue the chain either`
  return detail === undefined ? undefined : { status: 'rejected', reason: 'bad-chain', detail }
}

/** An entry's verdict as the result lists it; the keys in this order (the JSON of a replay is compared byte for byte). */
function describe(entry: Entry, verdict: Verdict): EntryVerdict {
  const { reason, detail } = verdict
  if (!reason && !detail) return { id: entry.id, type: entry.type, author: entry.author, seq: entry.seq, status: verdict.status }
  const described: { -readonly [K in keyof EntryVerdict]: EntryVerdict[K] } = { id: entry.id, type: entry.type, author: entry.author, seq: entry.seq, status: verdict.status }
  if (reason) described.reason = reason
  if (detail) described.detail = detail
  return described
}

function toVerdict(evaluation: ReturnType<PoolState['evaluate']>): Verdict {
  if (evaluation.status === 'accepted') return evaluation.initiated ? INITIATED : ACCEPTED
  return evaluation
}

function refusedDetail(reason: 'bad-signature' | 'wrong-pool'): string {
  return reason === 'bad-signature' ? 'a signature does not verify' : 'the entry names another pool'
}
