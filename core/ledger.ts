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
import { MinHeap } from './heap.ts'
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

export class Ledger {
  readonly pool: EntryId
  readonly #cache: SignatureCache
  readonly #verifier: Verifier
  #asOf = -Infinity

  /** Entries of this pool with a valid signature, by id. */
  readonly #valid = new Map<EntryId, Entry>()
  /** Valid entries not applied yet: pending ones, and fresh ones until the next ordering. */
  #unapplied = new Set<EntryId>()
  /** Entries refused before ordering: bad signature or another pool. */
  readonly #refused = new Map<EntryId, { entry: Entry; reason: 'bad-signature' | 'wrong-pool' }>()
  /** Ids per author and seq; more than one at a seq is a fork. */
  readonly #slots = new Map<PublicKeyHex, Map<number, EntryId[]>>()
  /** For authors who forked: the lowest forked seq and the id that stands there. */
  #forks = new Map<PublicKeyHex, { seq: number; standing: EntryId }>()

  #state = new PoolState()
  #applied: EntryId[] = []
  #verdicts = new Map<EntryId, Verdict>()
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
    return this.#valid.size + this.#refused.size
  }

  /** Adds entries (any order, duplicates welcome) and judges them as of `asOf` (ms). */
  add(entries: Iterable<Entry>, asOf: number): void {
    let replayAll = asOf < this.#asOf
    this.#asOf = asOf
    const fresh: Entry[] = []
    for (const entry of entries) {
      if (this.#valid.has(entry.id)) continue
      if (entry.pool !== this.pool) {
        if (!this.#refused.has(entry.id)) this.#refused.set(entry.id, { entry, reason: 'wrong-pool' })
        continue
      }
      if (!verifyEntrySignature(entry, this.#cache, this.#verifier)) {
        if (!this.#refused.has(entry.id)) this.#refused.set(entry.id, { entry, reason: 'bad-signature' })
        continue
      }
      // A valid copy wins over a forged one with the same content.
      this.#refused.delete(entry.id)
      this.#valid.set(entry.id, entry)
      this.#unapplied.add(entry.id)
      fresh.push(entry)
      let chain = this.#slots.get(entry.author)
      if (!chain) this.#slots.set(entry.author, (chain = new Map()))
      const ids = chain.get(entry.seq)
      if (ids) {
        ids.push(entry.id)
        ids.sort()
        replayAll = true
      } else {
        chain.set(entry.seq, [entry.id])
      }
    }
    if (replayAll) return this.#replayAll()
    if (fresh.length === 0 && !this.#hasPending()) return
    const order = this.#orderUnapplied()
    // Kahn's order is not sorted by key, so every entry is checked, not only the first.
    for (const entry of order) if (this.#last && !keyLess(this.#last, entry)) return this.#replayAll()
    for (const entry of order) this.#apply(entry)
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
    for (const parent of parentsOf(entry)) if (!this.#verdicts.has(parent)) return undefined
    const chain = this.#chainProblem(entry)
    const verdict: Verdict = chain ?? toVerdict(this.#state.evaluate(entry))
    return this.#describe(entry, verdict)
  }

  /** The verdict of one entry, or undefined if the ledger has not seen it. */
  verdict(id: EntryId): EntryVerdict | undefined {
    const entry = this.#valid.get(id)
    if (entry) {
      const verdict = this.#verdicts.get(id)
      return verdict ? this.#describe(entry, verdict) : this.#describePending(entry)
    }
    const refused = this.#refused.get(id)
    return refused && this.#describe(refused.entry, { status: 'rejected', reason: refused.reason, detail: refusedDetail(refused.reason) })
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
    return this.#valid.get(id)
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
      const entry = this.#valid.get(this.#applied[i]!)!
      if (entry.author === author) break
      if (this.#verdicts.get(entry.id)?.status !== 'accepted') continue
      const credits = (entry.type === 'transfer' || entry.type === 'issue') && entry.to === author
      const admits = (entry.type === 'admit' || entry.type === 'invite') && (entry.type === 'admit' ? entry.member : entry.invitee) === author
      if (credits || admits) deps.push(entry.id)
    }
    return deps.sort()
  }

  /** Every entry this ledger holds with a valid signature. */
  entries(): IterableIterator<Entry> {
    return this.#valid.values()
  }

  /** The whole result; O(entries), so callers that need one figure use the accessors above. */
  result(): ReplayResult {
    const state = this.#state
    const balances: Record<string, number> = {}
    const memberKeys = new Set<string>([...state.members.keys(), ...state.balances.keys()])
    for (const key of [...memberKeys].sort()) balances[key] = state.balanceOf(key as PublicKeyHex)
    const members: Record<string, MemberSummary> = {}
    for (const key of [...state.members.keys()].sort()) members[key] = this.member(key)!

    const verdicts: EntryVerdict[] = this.#applied.map((id) => this.#describe(this.#valid.get(id)!, this.#verdicts.get(id)!))
    const pending = [...this.#unapplied].map((id) => this.#valid.get(id)!)
    pending.sort((a, b) => (keyLess(a, b) ? -1 : 1))
    for (const entry of pending) verdicts.push(this.#describePending(entry))
    for (const id of [...this.#refused.keys()].sort()) verdicts.push(this.verdict(id)!)

    const equivocations: Equivocation[] = []
    for (const ids of this.#forkedSlots()) {
      const first = this.#valid.get(ids[0]!)!
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

  #hasPending(): boolean {
    return this.#unapplied.size > 0
  }

  /**
   * Kahn's algorithm over the entries not yet applied, smallest (time, id)
   * first. Entries that cannot be applied yet (see the file comment) are
   * left out, and so is everything that depends on them.
   */
  #orderUnapplied(): Entry[] {
    if (!this.#valid.has(this.pool)) return []
    const genesisApplied = this.#verdicts.has(this.pool)
    const unapplied: Entry[] = []
    const index = new Map<EntryId, number>()
    for (const id of this.#unapplied) {
      index.set(id, unapplied.length)
      unapplied.push(this.#valid.get(id)!)
    }
    // Indices and typed arrays rather than maps keyed by id: this runs over every entry on a full replay.
    const n = unapplied.length
    const waiting = new Int32Array(n)
    const blocked = new Uint8Array(n)
    const children: (number[] | undefined)[] = new Array(n)
    const link = (child: number, parent: EntryId) => {
      if (this.#verdicts.has(parent)) return
      const at = index.get(parent)
      if (at === undefined) {
        blocked[child] = 1 // a parent that has not arrived
        return
      }
      waiting[child]!++
      const list = children[at]
      if (list) list.push(child)
      else children[at] = [child]
    }
    for (let i = 0; i < n; i++) {
      const entry = unapplied[i]!
      if (entry.prev !== null) link(i, entry.prev)
      for (const dep of entry.deps) link(i, dep)
      if (!genesisApplied && entry.id !== this.pool) link(i, this.pool)
      if (entry.time > this.#asOf) blocked[i] = 1
    }
    // What depends on a blocked entry is blocked too.
    const stack: number[] = []
    for (let i = 0; i < n; i++) if (blocked[i]) stack.push(i)
    while (stack.length > 0) {
      for (const child of children[stack.pop()!] ?? []) {
        if (!blocked[child]) {
          blocked[child] = 1
          stack.push(child)
        }
      }
    }
    const heap = new MinHeap<number>((a, b) => keyLess(unapplied[a]!, unapplied[b]!))
    for (let i = 0; i < n; i++) if (waiting[i] === 0 && !blocked[i]) heap.push(i)
    const order: Entry[] = []
    for (let i = heap.pop(); i !== undefined; i = heap.pop()) {
      order.push(unapplied[i]!)
      for (const child of children[i] ?? []) {
        if (--waiting[child]! === 0 && !blocked[child]) heap.push(child)
      }
    }
    return order
  }

  /** The (author, seq) places holding more than one entry. */
  *#forkedSlots(): Generator<EntryId[]> {
    for (const chain of this.#slots.values()) {
      if (chain.size === 0) continue
      for (const ids of chain.values()) if (ids.length > 1) yield ids
    }
  }

  #replayAll(): void {
    this.#state = new PoolState()
    this.#applied = []
    this.#verdicts = new Map()
    this.#last = undefined
    this.#unapplied = new Set(this.#valid.keys())
    this.#forks = new Map()
    for (const ids of this.#forkedSlots()) {
      const standing = this.#valid.get(ids[0]!)!
      const known = this.#forks.get(standing.author)
      if (!known || standing.seq < known.seq) this.#forks.set(standing.author, { seq: standing.seq, standing: standing.id })
    }
    for (const entry of this.#orderUnapplied()) this.#apply(entry)
  }

  // ---- rules --------------------------------------------------------------

  #apply(entry: Entry): void {
    let verdict = this.#forkProblem(entry) ?? this.#chainProblem(entry)
    if (!verdict) {
      const evaluation = this.#state.evaluate(entry)
      verdict = toVerdict(evaluation, true)
      if (evaluation.status === 'accepted' && evaluation.settles) {
        const { id, status, reason, detail } = evaluation.settles
        this.#verdicts.set(id, { status, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}) })
      }
    }
    const fork = this.#forks.get(entry.author)
    // "Frozen from there": once the standing entry of the fork (or anything after it) is applied,
    // the author can neither pay nor be paid. A void twin applied earlier does not freeze yet,
    // or the standing entry itself would be refused.
    if (fork && (entry.id === fork.standing || entry.seq > fork.seq)) this.#state.equivocators.add(entry.author)
    this.#verdicts.set(entry.id, verdict)
    this.#applied.push(entry.id)
    this.#unapplied.delete(entry.id)
    if (!this.#last || keyLess(this.#last, entry)) this.#last = entry
  }

  /** Is this entry void because its author forked its chain at or before it? */
  #forkProblem(entry: Entry): Verdict | undefined {
    const fork = this.#forks.get(entry.author)
    if (!fork || entry.seq < fork.seq || entry.id === fork.standing) return undefined
    const detail = entry.seq === fork.seq
      ? `another entry at seq ${fork.seq} (${short(fork.standing)}) has the lower id and stands`
      : `its author forked the chain at seq ${fork.seq}; everything after is void`
    return { status: 'rejected', reason: 'equivocation', detail }
  }

  /** Does this entry continue its author's chain: seq + 1, same author, time not going back? */
  #chainProblem(entry: Entry): Verdict | undefined {
    if (entry.prev === null) return undefined
    const prev = this.#valid.get(entry.prev)!
    const prevVerdict = this.#verdicts.get(entry.prev)
    let detail: string | undefined
    if (prev.author !== entry.author) detail = `prev ${short(prev.id)} is by another author`
    else if (prev.seq !== entry.seq - 1) detail = `expected prev at seq ${entry.seq - 1}, got seq ${prev.seq}`
    else if (prev.time > entry.time) detail = `time goes back: ${entry.time} after ${prev.time}`
    else if (prevVerdict?.reason === 'bad-chain') detail = `prev ${short(prev.id)} does not continue the chain either`
    return detail === undefined ? undefined : { status: 'rejected', reason: 'bad-chain', detail }
  }

  #describe(entry: Entry, verdict: Verdict): EntryVerdict {
    return {
      id: entry.id,
      type: entry.type,
      author: entry.author,
      seq: entry.seq,
      status: verdict.status,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      ...(verdict.detail ? { detail: verdict.detail } : {}),
    }
  }

  #describePending(entry: Entry): EntryVerdict {
    const [reason, detail] = this.#pendingReason(entry)
    return { id: entry.id, type: entry.type, author: entry.author, seq: entry.seq, status: 'pending', reason, detail }
  }

  #pendingReason(entry: Entry): [PendingReason, string] {
    if (!this.#valid.has(this.pool)) return ['no-genesis', `waiting for the pool's first entry ${short(this.pool)}`]
    if (entry.time > this.#asOf) return ['future', `dated ${new Date(entry.time).toISOString()}, later than the time the log is judged at`]
    if (entry.prev !== null && !this.#valid.has(entry.prev)) return ['missing-prev', `waiting for ${entry.prev}`]
    const missing = entry.deps.find((dep) => !this.#valid.has(dep))
    if (missing) return ['missing-dep', `waiting for ${missing}`]
    return ['after-pending', 'an entry before it is pending']
  }
}

function toVerdict(evaluation: ReturnType<PoolState['evaluate']>, commit = false): Verdict {
  if (evaluation.status === 'accepted') {
    if (commit) evaluation.apply()
    return evaluation.initiated ? INITIATED : ACCEPTED
  }
  return { status: 'rejected', reason: evaluation.reason, detail: evaluation.detail }
}

function refusedDetail(reason: 'bad-signature' | 'wrong-pool'): string {
  return reason === 'bad-signature' ? 'a signature does not verify' : 'the entry names another pool'
}
