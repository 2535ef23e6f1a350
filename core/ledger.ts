/**
 * The ledger of one pool: every entry it has seen, their verdicts, and the
 * state they add up to.
 *
 * Contract: the result is a pure function of the set of entries added and of
 * `asOf`. Arrival order, duplicates and how the set was split into calls
 * make no difference (property-tested against a full replay).
 *
 * Order. What the primary witness has covered comes first, block by block:
 * the entries a counted checkpoint covers for the first time (coverage.ts),
 * then that checkpoint, then the next block. What no checkpoint covers yet
 * comes last (the tail). Within a block and within the tail the order is
 * topological over `prev`, `deps` and `heads` edges, ties broken by
 * (effective time, id): the smallest available entry goes next. An entry's
 * effective time is its claimed time raised to that of its prev and deps, so
 * it is never before what it depends on. A tail entry whose parents have not
 * all arrived, or that is dated after `asOf`, is pending, and so is
 * everything after it.
 *
 * Finality. A covered entry is judged only against entries covered by the
 * same or earlier checkpoints, so nothing that arrives later changes its
 * verdict: a late fork lands in the tail or in a later block, after the
 * branch the witness saw. A freeze or a lowered limit a checkpoint covered
 * comes before every entry a later checkpoint covers, whatever those entries
 * claim about their time.
 *
 * Forks. Two entries of one author at one seq: the one applied first stands;
 * the other and everything after it on its branch are void (`equivocation`),
 * and from there the author is frozen. A twin that can never be applied (its
 * prev never arrived) still freezes its author for what is not covered yet.
 *
 * Incremental application. The ledger keeps the state at the end of the
 * covered part. New entries that sort after everything applied are appended;
 * a new checkpoint, or an entry that sorts into the tail, replays the tail on
 * that state; anything else (asOf going back, a witness's fork, a change of
 * primary) replays everything. Signature verdicts are cached by (id, sig).
 */
import type { Entry, EntryId, Policy, PublicKeyHex } from './entry.ts'
import type { PendingReason, Reason, RejectionReason } from './reasons.ts'
import { BlockTimeIdHeap } from './heap.ts'
import { inCanonicalOrder } from './canonical.ts'
import { PoolState, isoTime, short, type Movement, type RequestState, type RequestStatus, type Role, type TimeFacts } from './pool-state.ts'
import { demurrageDue, duePeriods, evaluate, openListings, orderSummaries, type ListingSummary, type OrderSummary } from './rules/index.ts'
import { prepareSummaries, trustlineSummaries, type PrepareSummary, type TrustlineSummary } from './rules/index.ts'
import { ParentTable } from './parent-table.ts'
import { NO_PREV, PREV_UNRESOLVED, UNCOVERED, assignBlocks, countedCheckpoints, erasOf, parentIds, type CountedCheckpoint, type CoverageInput, type WitnessFork } from './coverage.ts'
import { SignatureCache, verifyEntrySignature } from './verify.ts'
import { referenceVerify, type Verifier } from './keys.ts'
import { CLOCK_SKEW_MS_MAX, DEPS_COUNT_MAX, ONLINE_COVER_MS_MAX } from './limits.ts'
import { RevocationIndex } from './revocations.ts'
import { deviceSummaries, recoverySummaries, type DeviceSummary, type RecoverySummary } from './rules/index.ts'
import { memberSegment } from './rules/witnesses.ts'

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
  /** The primary witness's checkpoint that first covers this entry: its verdict is final. Null while not covered. */
  readonly witnessed: EntryId | null
}

export interface Equivocation {
  readonly author: PublicKeyHex
  readonly seq: number
  /** Every entry the author signed at this seq, by id ascending. */
  readonly entries: readonly EntryId[]
  /** The one applied first, which stands; absent while none is applied. */
  readonly standing?: EntryId
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
  /** The device keys the member certified (rules/devices.ts), present once it has any. */
  readonly devices?: readonly DeviceSummary[]
}

export interface RequestSummary {
  readonly payee: PublicKeyHex
  readonly amount: number
  readonly from?: PublicKeyHex
  readonly memo?: string
  readonly status: RequestStatus
  readonly settledBy?: EntryId
  /** A recurring request's schedule (rules/recurring.ts): seconds between payments, and the bounds it names. */
  readonly everySeconds?: number
  readonly count?: number
  readonly start?: number
  readonly until?: number
  readonly coordinator?: PublicKeyHex
  /** The standing orders accepting it made (the accepts' ids, which are the orders' ids). */
  readonly orders?: readonly EntryId[]
}

/** One key the pool names as a witness, or that signed checkpoints in it. */
export interface WitnessSummary {
  readonly key: PublicKeyHex
  /** The first witness the policy names now: its checkpoints make entries final. */
  readonly primary: boolean
  /** Named by the policy in force. */
  readonly named: boolean
  /** Checkpoints of this key that count (cover entries). */
  readonly counted: number
  /** Its latest counted checkpoint. */
  readonly latest: { readonly id: EntryId; readonly seq: number; readonly time: number } | null
  /** Two checkpoints at one seq: proof that the witness is faulty (its checkpoints from there on do not count). */
  readonly faulty?: { readonly seq: number; readonly entries: readonly EntryId[] }
  /**
   * A checkpoint of this primary that newly covers an entry dated more than the clock skew after it:
   * proof that its clock or its word is wrong. It and its later checkpoints do not count.
   */
  readonly misdated?: { readonly checkpoint: EntryId; readonly entry: EntryId }
}

export interface ReplayResult {
  readonly pool: EntryId | null
  readonly policy: Policy | null
  readonly balances: Readonly<Record<string, number>>
  /** Tokens issued so far, in issued pools only. */
  readonly supply?: number
  readonly members: Readonly<Record<string, MemberSummary>>
  /** Levies collected less payouts, in pools with a levy; balances plus commons sum to zero (mutual credit) or to the supply. */
  readonly commons?: number
  /** Payment requests and what became of them, by id; present when the pool has any. */
  readonly requests?: Readonly<Record<string, RequestSummary>>
  readonly entries: readonly EntryVerdict[]
  readonly equivocations: readonly Equivocation[]
  readonly witnesses: readonly WitnessSummary[]
  /** The marketplace's listings open at `asOf`, by id (rules/listings.ts). */
  readonly listings: Readonly<Record<string, ListingSummary>>
  /** The gatekeepers' category list in force; empty until one is signed. */
  readonly categories: readonly string[]
  /** Demurrage the commons has collected in all (rules/demurrage.ts); present once the pool has charged it. */
  readonly demurrageCollected?: number
  /** Standing orders and scheduled payments, by id ascending (rules/orders.ts); present when the pool has any. */
  readonly orders?: readonly OrderSummary[]
  /** This pool's trust in other pools, by peer pool id (rules/trustlines.ts); present when it has any. */
  readonly trustlines?: Readonly<Record<string, TrustlineSummary>>
  /** Hashlocked holds of path payments and their state, by id (rules/hashlocks.ts); present when it has any. */
  readonly prepares?: Readonly<Record<string, PrepareSummary>>
  /** Recovery requests and their outcome, by id ascending (rules/recovery.ts); present when the pool has any. */
  readonly recoveries?: readonly RecoverySummary[]
}

export interface LedgerOptions {
  /** Signature verdicts to reuse across ledgers and replays. */
  readonly cache?: SignatureCache
  /** Defaults to the reference verifier; a faster one must give the same verdicts. */
  readonly verifier?: Verifier
}

/** What a member may still pay offline before a witness sees its chain again. */
export interface OfflineAllowance {
  readonly countLeft: number
  readonly amountLeft: number
  readonly countMax: number
  readonly amountMax: number
}

interface Verdict {
  readonly status: 'accepted' | 'rejected' | 'initiated' | 'cancelled'
  readonly reason?: RejectionReason
  readonly detail?: string
}

const ACCEPTED: Verdict = Object.freeze({ status: 'accepted' })

/** Positions of one author's entries: the first seen at each seq, and its chain head. */
interface AuthorChain {
  readonly bySeq: Map<number, number>
  /** Highest seq, lower id among twins: where the author's next entry goes. */
  head: number
}


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
  /** Positions of each entry's deps and heads, looked up once. */
  readonly #parents = new ParentTable(this.#entries, this.#index)
  /** Position of each entry's prev: NO_PREV, PREV_UNRESOLVED, or a position. */
  readonly #prevAt: number[] = []
  /** Position of the genesis entry, -1 until it arrives. */
  #genesisAt = -1
  /** Verdict of each applied entry, by position; undefined while not applied. */
  #verdicts: (Verdict | undefined)[] = []
  /** Positions in the order applied; the first #finalCount are covered (final). */
  #applied: number[] = []
  /** Positions of valid entries not applied yet: pending ones, and fresh ones until the next ordering. */
  #unapplied: number[] = []
  /** Scratch for ordering: 1 + an entry's place in the list being ordered, else 0 (kept all zero between uses). */
  #places = new Int32Array(0)
  /** Block of each position (rank of the counted checkpoint that first covers it), UNCOVERED if none. */
  #blockOf = new Int32Array(0)
  /** Effective time of each position, set when it is ordered. */
  #effTime = new Float64Array(0)
  /** Claimed time of each position (`entry.time`), for passes that should not touch the entry objects. */
  #claimedTime = new Float64Array(0)

  /** Entries refused before ordering: bad signature or another pool. */
  readonly #refused = new Map<EntryId, { entry: Entry; reason: 'bad-signature' | 'wrong-pool' }>()
  /** Position of the first entry seen per author and seq. */
  readonly #slots = new Map<PublicKeyHex, AuthorChain>()
  /** The (author, seq) places holding more than one entry: ids ascending. */
  readonly #forkedSlots = new Map<PublicKeyHex, Map<number, EntryId[]>>()

  /** Checkpoint positions by author and seq (twins included), and policy entries that name witnesses. */
  readonly #checkpointChains = new Map<PublicKeyHex, Map<number, number[]>>()
  readonly #witnessPolicies: number[] = []
  /** Counted checkpoints in rank order; the first #assigned have their blocks assigned. */
  #counted: CountedCheckpoint[] = []
  #assigned = 0
  /** Checkpoints of a primary that newly cover an entry dated after them (beyond the skew), with that entry: they never count. */
  readonly #misdated = new Map<number, number>()

  /** The state after the covered part, and how many applied entries that part holds. */
  #finalState = new PoolState()
  #finalCount = 0
  /** How many movements the covered part made: the movements array is shared with the final state. */
  #finalMovements = 0
  /** Verdicts of covered entries that tail entries changed (two-step settlements), to undo on a tail replay. */
  #tailUndo: [number, Verdict | undefined][] = []

  /** Positions of revocations and device certificates, and which revocations count (revocations.ts). */
  readonly #revokes: number[] = []
  readonly #certificates: number[] = []
  readonly #revocationWalks: Parameters<typeof RevocationIndex.build>[1] = new Map()
  #revocations = RevocationIndex.EMPTY

  #state = new PoolState()
  /** Position of the last applied entry by order key, -1 when none. */
  #last = -1

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
    const asOfBack = asOf < this.#asOf
    const asOfChanged = asOf !== this.#asOf
    this.#asOf = asOf
    let fresh = 0
    let witnessInput = false
    // A new fork freezes its author from the start of the tail: the tail is replayed, never appended to.
    let newFork = false
    // So does a new revocation or certificate: what it voids may sort before it (revocations.ts).
    let deviceInput = false
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
      this.#parents.append(entry)
      this.#verdicts.push(undefined)
      this.#unapplied.push(at)
      this.#grow(at + 1)
      this.#blockOf[at] = UNCOVERED
      this.#claimedTime[at] = entry.time
      if (id === this.pool) {
        this.#genesisAt = at
        witnessInput = true
      }
      if (entry.type === 'checkpoint') {
        let chain = this.#checkpointChains.get(entry.author)
        if (!chain) this.#checkpointChains.set(entry.author, (chain = new Map()))
        const slot = chain.get(entry.seq)
        if (slot) slot.push(at)
        else chain.set(entry.seq, [at])
        witnessInput = true
      } else if (entry.type === 'policy' && entry.policy.witnesses !== undefined) {
        this.#witnessPolicies.push(at)
        witnessInput = true
      }
      if (entry.type === 'revoke' || entry.type === 'device') {
        ;(entry.type === 'revoke' ? this.#revokes : this.#certificates).push(at)
        deviceInput = true
      }
      fresh++
      let author = this.#slots.get(entry.author)
      if (!author) this.#slots.set(entry.author, (author = { bySeq: new Map(), head: at }))
      const chain = author.bySeq
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
        newFork = true
      }
      const headEntry = this.#entries[author.head]!
      if (entry.seq > headEntry.seq || (entry.seq === headEntry.seq && id < headEntry.id)) author.head = at
    }
    if (asOfBack) return this.#replayAll()
    if (fresh === 0 && !asOfChanged) return
    if (this.#genesisAt < 0) return

    if (witnessInput || asOfChanged || (fresh > 0 && this.#assigned < this.#counted.length)) {
      const { counted } = this.#countCheckpoints()
      for (let r = 0; r < this.#assigned; r++) {
        if (counted[r]?.at !== this.#counted[r]!.at) return this.#replayAll()
      }
      this.#counted = counted
    }
    if (this.#assigned < this.#counted.length) {
      const assigned = this.#assignNewBlocks()
      if (assigned > 0) {
        // A first add has nothing to undo: order everything once.
        if (this.#applied.length === 0) return this.#applyInOrder(this.#orderUnapplied())
        return this.#rebuildFromFinal()
      }
    }
    if (this.#unapplied.length === 0) return
    if (newFork || deviceInput) return this.#rebuildFromFinal()
    const order = this.#orderUnapplied()
    // A revocation whose parents just arrived may void entries applied before it: the tail again.
    if (this.#revokes.length > 0 && order.some((at) => this.#entries[at]!.type === 'revoke' || this.#entries[at]!.type === 'device')) return this.#rebuildFromFinal()
    // Kahn's order is not sorted by key, so every entry is checked, not only the first.
    const last = this.#last
    if (last >= 0) for (const at of order) if (!this.#keyLess(last, at)) return this.#rebuildFromFinal()
    this.#applyInOrder(order)
  }

  /**
   * Would this entry be accepted if it were added now, after everything
   * applied? For checking a payment before signing it. Undefined when the
   * entry would not simply go last (a parent missing, or dated earlier than
   * the newest applied entry), in which case add it to a copy instead.
   * `online` says to judge it as a payment that a checkpoint will cover
   * promptly (the device is online and names the latest checkpoint).
   */
  preview(entry: Entry, options: { online?: boolean } = {}): EntryVerdict | undefined {
    if (entry.time > this.#asOf) return undefined
    let effectiveTime = entry.time
    for (const parent of parentIds(entry)) {
      const at = this.#index.get(parent)
      if (at === undefined || this.#verdicts[at] === undefined) return undefined
      if (this.#effTime[at]! > effectiveTime) effectiveTime = this.#effTime[at]!
    }
    const last = this.#last
    if (last >= 0) {
      const lastEntry = this.#entries[last]!
      if (this.#blockOf[last] === UNCOVERED && !(this.#effTime[last]! < effectiveTime || (this.#effTime[last] === effectiveTime && lastEntry.id < entry.id))) return undefined
    }
    let verdict: Verdict | undefined
    if (entry.prev !== null) {
      const prevAt = this.#index.get(entry.prev)!
      const prevVerdict = this.#verdicts[prevAt]
      verdict = this.#twinApplied(entry) ?? voidBranch(prevVerdict) ?? chainProblem(entry, this.#entries[prevAt]!, prevVerdict)
    }
    verdict ??= this.#deviceProblem(entry, UNCOVERED)
    const facts: TimeFacts = { effectiveTime, witnessedAt: undefined, online: options.online === true }
    verdict ??= toVerdict(evaluate(this.#state, entry, facts))
    return describe(entry, verdict, null)
  }

  /** The verdict of one entry, or undefined if the ledger has not seen it. */
  verdict(id: EntryId): EntryVerdict | undefined {
    const at = this.#index.get(id)
    if (at !== undefined) {
      const entry = this.#entries[at]!
      const verdict = this.#verdicts[at]
      return verdict ? describe(entry, verdict, this.#witnessedId(at)) : this.#describePending(entry)
    }
    const refused = this.#refused.get(id)
    return refused && describe(refused.entry, { status: 'rejected', reason: refused.reason, detail: refusedDetail(refused.reason) }, null)
  }

  /** The checkpoint that first covers this entry (its verdict is final), or undefined. */
  witnessedBy(id: EntryId): EntryId | undefined {
    const at = this.#index.get(id)
    if (at === undefined || this.#verdicts[at] === undefined) return undefined
    return this.#witnessedId(at) ?? undefined
  }

  /** The latest checkpoint of the primary witness that counts, with its time. */
  latestCheckpoint(): { id: EntryId; time: number; seq: number } | undefined {
    if (this.#assigned === 0) return undefined
    const checkpoint = this.#counted[this.#assigned - 1]!
    const entry = this.#entries[checkpoint.at]!
    return { id: entry.id, time: checkpoint.time, seq: entry.seq }
  }

  /** Does the pool name a witness now? Without one nothing is ever confirmed. */
  get witnessed(): boolean {
    return this.#state.witnessed
  }

  /** What `key` may still pay offline before a witness sees its chain again; undefined in a pool without witnesses. */
  offlineAllowance(key: PublicKeyHex): OfflineAllowance | undefined {
    const state = this.#state
    if (!state.witnessed) return undefined
    const segment = memberSegment(state, state.devices.memberOf(key) ?? key)
    const countMax = state.offlineCountMax
    const amountMax = state.offlineAmountMax
    return { countLeft: Math.max(0, countMax - segment.count), amountLeft: Math.max(0, amountMax - segment.amount), countMax, amountMax }
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
      ...(this.#state.devices.byMember.has(key) ? { devices: deviceSummaries(this.#state, key) } : {}),
    }
  }

  /** The member a device key acts for (rules/devices.ts), or undefined when the key is no certified device. */
  memberOfDevice(key: PublicKeyHex): PublicKeyHex | undefined {
    return this.#state.devices.memberOf(key)
  }

  /** The entry that made `key` a member (an admit, a join, or the genesis for the creator). */
  membershipEntry(key: PublicKeyHex): EntryId | undefined {
    return this.#state.members.get(key)?.since
  }

  /** Money movements in replay order (transfers, completed two-step transfers, issues, payouts): the stuff of statements. */
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

  /** Effective time of `key`'s last accepted transfer, for telling a member when the next one may go. */
  lastTransferTime(key: PublicKeyHex): number | undefined {
    return this.#state.lastTransferTime.get(key)?.time
  }

  /** Where `author`'s next entry goes: among verified entries only, following the lower id at a fork. */
  chainHead(author: PublicKeyHex): { seq: number; prev: EntryId | null; time: number } {
    const at = this.#slots.get(author)?.head
    if (at === undefined) return { seq: 1, prev: null, time: 0 }
    const head = this.#entries[at]!
    return { seq: head.seq + 1, prev: head.id, time: Math.max(head.time, this.#effTime[at] || 0) }
  }

  /**
   * Entries `author` should name in `deps` of its next entry: the accepted
   * entries that credit or admit it since its own last entry, newest last,
   * and the latest checkpoint when it covers the author's chain head (which
   * makes the entry online), at most DEPS_COUNT_MAX. Naming them orders what
   * the author spends after what it received, whatever the clocks say.
   */
  depsFor(author: PublicKeyHex, member: PublicKeyHex = author): EntryId[] {
    const deps: EntryId[] = []
    const witness = this.#witnessDepFor(author)
    if (witness) deps.push(witness)
    for (let i = this.#applied.length - 1; i >= 0 && deps.length < DEPS_COUNT_MAX; i--) {
      const at = this.#applied[i]!
      const entry = this.#entries[at]!
      if (entry.author === author) break
      if (this.#verdicts[at]?.status !== 'accepted') continue
      const credits = (entry.type === 'transfer' || entry.type === 'issue' || entry.type === 'payout') && entry.to === member
      const admits = (entry.type === 'admit' || entry.type === 'invite') && (entry.type === 'admit' ? entry.member : entry.invitee) === member
      if (credits || admits) deps.push(entry.id)
    }
    return deps.sort()
  }

  /**
   * The tip of every branch of `author`'s chain that this ledger has judged
   * (not pending), highest seq first, at most `max`, as ids ascending. A
   * gatekeeper names them in a freeze's `deps`: a checkpoint that covers the
   * freeze then covers what the gatekeeper saw in the same block, before the
   * freeze, so a freeze never voids payments already seen on any branch
   * (only what the member signs, or keeps back, beyond them).
   */
  branchTips(author: PublicKeyHex, max = DEPS_COUNT_MAX - 1): EntryId[] {
    const all = new Set<number>(this.#slots.get(author)?.bySeq.values() ?? [])
    for (const ids of this.#forkedSlots.get(author)?.values() ?? []) {
      for (const id of ids) all.add(this.#index.get(id)!)
    }
    const positions = [...all]
    const named = new Set<EntryId>()
    for (const at of positions) {
      const prev = this.#entries[at]!.prev
      if (prev !== null) named.add(prev)
    }
    const tips = positions
      .filter((at) => this.#verdicts[at] !== undefined && !named.has(this.#entries[at]!.id))
      .sort((a, b) => this.#entries[b]!.seq - this.#entries[a]!.seq || (this.#entries[a]!.id < this.#entries[b]!.id ? -1 : 1))
    return tips.slice(0, Math.max(0, max)).map((at) => this.#entries[at]!.id).sort()
  }

  /** The latest counted checkpoint, if it covers `author`'s chain head (or the author has none yet). */
  #witnessDepFor(author: PublicKeyHex): EntryId | undefined {
    if (this.#assigned === 0) return undefined
    const latest = this.#counted[this.#assigned - 1]!
    const head = this.#slots.get(author)?.head
    if (head !== undefined && !(this.#blockOf[head]! <= latest.rank)) return undefined
    return this.#entries[latest.at]!.id
  }

  /**
   * What `witness`'s next checkpoint should name: the tip of every branch of
   * every chain among applied entries (not the witness's own), leaving out
   * what the witness's latest checkpoint already covers, oldest first, at
   * most `max`. Pending entries are left out: a checkpoint must be
   * applicable everywhere, or it would wait with them.
   */
  checkpointHeads(witness: PublicKeyHex, max: number): EntryId[] {
    const covered = this.#coveredBy(witness)
    const named = new Uint8Array(this.#entries.length)
    for (const at of this.#applied) {
      const prev = this.#prevAt[at]!
      if (prev >= 0) named[prev] = 1
    }
    const tips: number[] = []
    for (const at of this.#applied) {
      if (named[at] || covered(at) || this.#entries[at]!.author === witness) continue
      tips.push(at)
    }
    tips.sort((a, b) => (this.#keyLess(a, b) ? -1 : 1))
    return tips.slice(0, max).map((at) => this.#entries[at]!.id).sort()
  }

  /** Is a position in the past of `witness`'s latest checkpoint? By blocks for the primary, by a walk otherwise. */
  #coveredBy(witness: PublicKeyHex): (at: number) => boolean {
    const head = this.#slots.get(witness)?.head
    if (head === undefined) return () => false
    const latest = this.#assigned > 0 ? this.#counted[this.#assigned - 1]! : undefined
    if (latest && latest.at === head) return (at) => this.#blockOf[at]! <= latest.rank
    const past = new Uint8Array(this.#entries.length)
    const stack = [head]
    past[head] = 1
    while (stack.length > 0) {
      const at = stack.pop()!
      for (const id of parentIds(this.#entries[at]!)) {
        const parent = this.#index.get(id)
        if (parent === undefined || past[parent]) continue
        past[parent] = 1
        stack.push(parent)
      }
    }
    return (at) => past[at] === 1
  }

  /** The marketplace's listings open at `asOf`, by id ascending (rules/listings.ts). */
  listings(): Record<string, ListingSummary> {
    return openListings(this.#state, this.#asOf)
  }

  /** Standing orders and scheduled payments, by id ascending. */
  orders(): OrderSummary[] {
    return orderSummaries(this.#state, this.#asOf)
  }

  /** Periods of an order due by `time` and not paid yet (at most `max`), for its payee or coordinator to collect. */
  duePeriods(order: EntryId, time: number, max: number): number[] {
    const state = this.#state.orders.get(order)
    return state ? duePeriods(state, time, max) : []
  }

  /** Where the demurrage in force counts its period boundaries from (ms), or undefined without demurrage. */
  get demurrageAnchor(): number | undefined {
    return this.#state.demurrage?.anchor
  }

  /** Demurrage the commons has collected in all. */
  get demurrageCollected(): number {
    return this.#state.demurrageCollected
  }

  /** Demurrage `key` would pay if touched at `time` (ms), not charged yet: for showing what is due. */
  demurrageDue(key: PublicKeyHex, time: number): number {
    return demurrageDue(this.#state, key, Math.max(time, this.#state.demurrageClock)).charge
  }

  /** The gatekeepers' category list in force, or undefined while none is signed. */
  categories(): readonly string[] | undefined {
    return this.#state.categories
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
      verdicts[i] = describe(this.#entries[at]!, this.#verdicts[at]!, this.#witnessedId(at))
    }
    const pending = this.#unapplied.map((at) => this.#entries[at]!)
    pending.sort((a, b) => (a.time < b.time || (a.time === b.time && a.id < b.id) ? -1 : 1))
    for (const entry of pending) verdicts.push(this.#describePending(entry))
    for (const id of [...this.#refused.keys()].sort()) verdicts.push(this.verdict(id)!)

    const equivocations: Equivocation[] = []
    for (const ids of this.#eachForkedSlot()) {
      const first = this.#entries[this.#index.get(ids[0]!)!]!
      const standing = ids.find((id) => {
        const reason = this.#verdicts[this.#index.get(id)!]?.reason
        return this.#verdicts[this.#index.get(id)!] !== undefined && reason !== 'equivocation' && reason !== 'device-revoked'
      })
      equivocations.push({ author: first.author, seq: first.seq, entries: [...ids], ...(standing ? { standing } : {}) })
    }
    equivocations.sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : a.seq - b.seq))

    const requests: Record<string, RequestSummary> = {}
    for (const id of [...state.requests.keys()].sort()) {
      const r = state.requests.get(id)!
      requests[id] = {
        payee: r.payee, amount: r.amount, ...(r.from ? { from: r.from } : {}), ...(r.memo !== undefined ? { memo: r.memo } : {}),
        status: r.status, ...(r.settledBy ? { settledBy: r.settledBy } : {}), ...recurringSummary(r),
      }
    }

    return {
      pool: this.pool,
      policy: state.policy ? canonicalPolicy(state.policy) : null,
      balances,
      ...(state.policy?.kind === 'issued' ? { supply: state.supply } : {}),
      members,
      ...(state.policy?.feeBasisPoints || state.demurrage || state.commons !== 0 ? { commons: state.commons } : {}),
      ...(state.requests.size > 0 ? { requests } : {}),
      entries: verdicts,
      equivocations,
      witnesses: this.#witnessSummaries(),
      listings: this.listings(),
      categories: state.categories ?? [],
      ...(state.demurrage || state.demurrageCollected !== 0 ? { demurrageCollected: state.demurrageCollected } : {}),
      ...(state.orders.size > 0 ? { orders: orderSummaries(state, this.#asOf) } : {}),
      ...(state.links.trustlines.size > 0 ? { trustlines: trustlineSummaries(state) } : {}),
      ...(state.links.prepares.size > 0 ? { prepares: prepareSummaries(state, this.#asOf) } : {}),
      ...(state.recoveries.size > 0 ? { recoveries: recoverySummaries(state) } : {}),
    }
  }

  #witnessSummaries(): WitnessSummary[] {
    const named = this.#state.witnesses
    const keys = new Set<PublicKeyHex>([...named, ...this.#checkpointChains.keys()])
    const summaries: WitnessSummary[] = []
    for (const key of [...keys].sort()) {
      let counted = 0
      let latest: WitnessSummary['latest'] = null
      for (let r = 0; r < this.#assigned; r++) {
        const entry = this.#entries[this.#counted[r]!.at]!
        if (entry.author !== key) continue
        counted++
        latest = { id: entry.id, seq: entry.seq, time: entry.time }
      }
      const forked = this.#forkedSlots.get(key)
      let faulty: WitnessSummary['faulty']
      if (forked && this.#checkpointChains.has(key)) {
        const seq = Math.min(...forked.keys())
        faulty = { seq, entries: [...forked.get(seq)!] }
      }
      let misdated: WitnessSummary['misdated']
      for (const [checkpoint, entry] of this.#misdated) {
        if (this.#entries[checkpoint]!.author === key) misdated = { checkpoint: this.#entries[checkpoint]!.id, entry: this.#entries[entry]!.id }
      }
      summaries.push({ key, primary: named[0] === key, named: named.includes(key), counted, latest, ...(faulty ? { faulty } : {}), ...(misdated ? { misdated } : {}) })
    }
    return summaries
  }

  // ---- coverage -----------------------------------------------------------

  #coverageInput(): CoverageInput {
    return { entries: this.#entries, index: this.#index, parents: this.#parents, genesisAt: this.#genesisAt, asOf: this.#asOf }
  }

  #countCheckpoints(): { counted: CountedCheckpoint[]; forks: WitnessFork[] } {
    const input = this.#coverageInput()
    const creator = this.#entries[this.#genesisAt]!.author
    const creatorPolicies = this.#witnessPolicies.filter((at) => this.#entries[at]!.author === creator)
    return countedCheckpoints(input, erasOf(input, creatorPolicies), this.#checkpointChains, (at) => this.#resolvePrev(at), this.#misdated)
  }

  /**
   * Assigns the blocks of counted checkpoints not assigned yet; returns how
   * many. A misdated checkpoint (coverage.ts, `Assignment`) is remembered and
   * the counted list cut there; the ranks before it stay as they were.
   */
  #assignNewBlocks(): number {
    let total = 0
    for (;;) {
      const step = assignBlocks(this.#coverageInput(), this.#counted, this.#assigned, this.#blockOf, this.#prevAt, this.#claimedTime, CLOCK_SKEW_MS_MAX)
      this.#assigned += step.assigned
      total += step.assigned
      if (step.misdated === undefined) return total
      this.#misdated.set(step.misdated.checkpoint, step.misdated.entry)
      this.#counted = this.#countCheckpoints().counted
    }
  }

  /** Position of an entry's prev, resolving one that arrived after it; NO_PREV or PREV_UNRESOLVED otherwise. */
  #resolvePrev(at: number): number {
    let prev = this.#prevAt[at]!
    if (prev === PREV_UNRESOLVED) {
      const found = this.#index.get(this.#entries[at]!.prev!)
      if (found !== undefined) this.#prevAt[at] = prev = found
    }
    return prev
  }

  #witnessedId(at: number): EntryId | null {
    const block = this.#blockOf[at]!
    return block === UNCOVERED || block >= this.#assigned ? null : this.#entries[this.#counted[block]!.at]!.id
  }

  // ---- ordering -----------------------------------------------------------

  #grow(size: number): void {
    if (this.#blockOf.length >= size) return
    const capacity = Math.max(size, 2 * this.#blockOf.length, 64)
    const blocks = new Int32Array(capacity).fill(UNCOVERED)
    blocks.set(this.#blockOf)
    this.#blockOf = blocks
    const times = new Float64Array(capacity)
    times.set(this.#effTime)
    this.#effTime = times
    const claimed = new Float64Array(capacity)
    claimed.set(this.#claimedTime)
    this.#claimedTime = claimed
  }

  /** (block, effective time, id) ascending: the order key. */
  #keyLess(a: number, b: number): boolean {
    const ba = this.#blockOf[a]!
    const bb = this.#blockOf[b]!
    if (ba !== bb) return ba < bb
    const ta = this.#effTime[a]!
    const tb = this.#effTime[b]!
    return ta < tb || (ta === tb && this.#entries[a]!.id < this.#entries[b]!.id)
  }

  /**
   * Kahn's algorithm over the entries not yet applied, smallest (block,
   * effective time, id) first; returns their positions. Entries that cannot be
   * applied yet (see the file comment) are left out, and so is everything
   * that depends on them. Effective times are set here, parents first.
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
    const parents = this.#parents
    const asOf = this.#asOf
    const blockOf = this.#blockOf
    const effTime = this.#effTime
    if (this.#places.length < entries.length) this.#places = new Int32Array(Math.max(entries.length, 2 * this.#places.length))
    const places = this.#places
    for (let k = 0; k < n; k++) places[todo[k]!] = k + 1

    // Every entry waits for the genesis until it is applied: counted here, released when it goes,
    // rather than as an edge from the genesis to each entry.
    const genesisPlace = verdicts[genesis] === undefined ? places[genesis]! - 1 : -1
    const waiting = new Int32Array(n)
    const blocked = new Uint8Array(n)
    const blocks = new Int32Array(n)
    const times = new Float64Array(n)
    const ids: string[] = new Array<string>(n)
    // Read from the entry once here, so that the edge loop below never touches a child's object.
    const checkpoints = new Uint8Array(n)
    // Edges parent → child between unapplied entries, as two parallel lists: at most a prev and the
    // deps and heads of each, counted first so that the lists never grow.
    let degrees = n
    for (let k = 0; k < n; k++) degrees += parents.end(todo[k]!) - parents.first(todo[k]!)
    const edgeParent = new Int32Array(degrees)
    const edgeChild = new Int32Array(degrees)
    let edges = 0
    for (let k = 0; k < n; k++) {
      const at = todo[k]!
      const entry = entries[at]!
      const block = blockOf[at]!
      blocks[k] = block
      // Effective time from parents already applied; raised below by parents applied in this round.
      times[k] = entry.time
      ids[k] = entry.id
      if (entry.type === 'checkpoint') checkpoints[k] = 1
      if (block === UNCOVERED && entry.time > asOf) blocked[k] = 1
      if (k !== genesisPlace && genesisPlace >= 0) waiting[k]!++
      let prev = prevAt[at]!
      if (prev === PREV_UNRESOLVED) {
        const found = index.get(entry.prev!)
        if (found !== undefined) prevAt[at] = prev = found
      }
      const firstParent = parents.first(at)
      const depsEnd = parents.depsEnd(at)
      const endParent = parents.end(at)
      if (prev === PREV_UNRESOLVED) blocked[k] = 1 // a parent that has not arrived
      else if (prev !== NO_PREV) {
        if (verdicts[prev] === undefined) {
          edgeParent[edges] = places[prev]! - 1
          edgeChild[edges++] = k
          waiting[k]!++
        } else if (effTime[prev]! > times[k]!) times[k] = effTime[prev]!
      }
      for (let slot = firstParent; slot < endParent; slot++) {
        const parent = parents.parent(at, slot)
        if (parent < 0) blocked[k] = 1
        else if (verdicts[parent] === undefined) {
          edgeParent[edges] = places[parent]! - 1
          edgeChild[edges++] = k
          waiting[k]!++
          // Heads order a checkpoint after what it covers; they do not raise its time.
        } else if (slot < depsEnd && effTime[parent]! > times[k]!) times[k] = effTime[parent]!
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
    const heap = new BlockTimeIdHeap(n, blocks, times, ids)
    for (let k = 0; k < n; k++) if (waiting[k] === 0 && !blocked[k]) heap.push(k)
    const order: number[] = []
    for (let k = heap.pop(); k >= 0; k = heap.pop()) {
      const at = todo[k]!
      effTime[at] = times[k]!
      order.push(at)
      const parentTime = times[k]!
      const isCheckpoint = checkpoints[k] === 1
      for (let e = first[k]!, end = first[k + 1]!; e < end; e++) {
        const child = children[e]!
        // A child's effective time is raised by its prev and deps, not by a checkpoint it names as a head
        // (a checkpoint is only ever a child through heads; its own prev is another checkpoint).
        if (parentTime > times[child]! && (isCheckpoint || checkpoints[child] === 0)) times[child] = parentTime
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

  /** Everything again, from the genesis. */
  #replayAll(): void {
    const n = this.#entries.length
    this.#verdicts = new Array<Verdict | undefined>(n).fill(undefined)
    this.#applied = []
    this.#unapplied = Array.from({ length: n }, (_, at) => at)
    this.#blockOf.fill(UNCOVERED)
    this.#finalState = new PoolState()
    this.#finalCount = 0
    this.#finalMovements = 0
    this.#tailUndo = []
    this.#counted = []
    this.#assigned = 0
    this.#state = new PoolState()
    this.#last = -1
    if (this.#genesisAt < 0) return
    // Which checkpoints are misdated can depend on what else counted (asOf moved back): found again.
    this.#misdated.clear()
    const { counted } = this.#countCheckpoints()
    this.#counted = counted
    this.#assignNewBlocks()
    this.#applyInOrder(this.#orderUnapplied())
  }

  /** The covered part stays; the rest (newly covered blocks and the tail) is ordered and applied again on its state. */
  #rebuildFromFinal(): void {
    const applied = this.#applied
    for (let i = this.#finalCount; i < applied.length; i++) this.#verdicts[applied[i]!] = undefined
    for (let i = this.#tailUndo.length - 1; i >= 0; i--) {
      const [at, verdict] = this.#tailUndo[i]!
      this.#verdicts[at] = verdict
    }
    this.#tailUndo = []
    // What must be ordered again: the tail as applied, and what was never applied (pending or fresh).
    this.#unapplied = applied.slice(this.#finalCount).concat(this.#unapplied)
    applied.length = this.#finalCount
    if (this.#finalCount === 0) this.#state = new PoolState()
    else {
      this.#state = this.#finalState.clone()
      this.#state.movements.length = this.#finalMovements
    }
    this.#last = applied.length > 0 ? applied[applied.length - 1]! : -1
    this.#applyInOrder(this.#orderUnapplied())
  }

  /**
   * Applies positions in order. Covered entries (a block) only ever come
   * before uncovered ones; where the tail starts, the state is kept as the
   * new final state.
   */
  #applyInOrder(order: number[]): void {
    if (this.#revokes.length > 0) this.#indexRevocations(order)
    const blockOf = this.#blockOf
    let inTail = this.#last >= 0 && blockOf[this.#last] === UNCOVERED
    for (const at of order) {
      if (!inTail && blockOf[at] === UNCOVERED) {
        inTail = true
        this.#enterTail()
      }
      this.#apply(at, inTail)
    }
    if (!inTail) this.#enterTail()
    const verdicts = this.#verdicts
    this.#unapplied = this.#unapplied.filter((at) => verdicts[at] === undefined)
  }

  /** The covered part ends here: keep its state, and freeze the authors of forks a witness has not settled. */
  #enterTail(): void {
    if (this.#finalCount !== this.#applied.length) {
      this.#finalCount = this.#applied.length
      this.#finalState = this.#state.clone()
      this.#finalMovements = this.#state.movements.length
    }
    for (const ids of this.#eachForkedSlot()) {
      if (!this.#forkCounts(ids)) continue
      const standing = ids.find((id) => this.#verdicts[this.#index.get(id)!] !== undefined)
      if (standing) this.#state.equivocators.add(this.#entries[this.#index.get(standing)!]!.author)
    }
  }

  // ---- rules --------------------------------------------------------------

  /** Is another entry at this entry's (author, seq) applied already? Then this one is the void twin. */
  #twinApplied(entry: Entry): Verdict | undefined {
    if (this.#forkedSlots.size === 0) return undefined
    const ids = this.#forkedSlots.get(entry.author)?.get(entry.seq)
    if (!ids) return undefined
    for (const id of ids) {
      if (id === entry.id) continue
      const at = this.#index.get(id)!
      const verdict = this.#verdicts[at]
      // A twin on a void branch stands for nothing: the standing branch's entry at this seq is judged as usual.
      // Nor does a device's branch that a revocation leaves out (revocations.ts).
      if (verdict !== undefined && verdict.reason !== 'equivocation' && verdict.reason !== 'device-revoked') {
        return { status: 'rejected', reason: 'equivocation', detail: `another entry at seq ${entry.seq} (${short(id)}) was applied first and stands; the author is frozen` }
      }
    }
    return undefined
  }

  /** Reused for every uncovered entry (most of a pool without a witness): rules read it, never keep it. */
  readonly #uncoveredFacts: { effectiveTime: number; witnessedAt: undefined; online: false } = { effectiveTime: 0, witnessedAt: undefined, online: false }
  readonly #coveredFacts: { effectiveTime: number; witnessedAt: number | undefined; online: boolean } = { effectiveTime: 0, witnessedAt: 0, online: false }

  #facts(at: number, entry: Entry): TimeFacts {
    const effectiveTime = this.#effTime[at]!
    const block = this.#blockOf[at]!
    if (block === UNCOVERED) {
      this.#uncoveredFacts.effectiveTime = effectiveTime
      return this.#uncoveredFacts
    }
    const witnessedAt = this.#counted[block]!.time
    let online = false
    if (witnessedAt - effectiveTime <= ONLINE_COVER_MS_MAX) {
      if (entry.prev === null) online = true
      else {
        const prevBlock = this.#blockOf[this.#prevAt[at]!]!
        const parents = this.#parents
        for (let slot = parents.first(at), end = parents.depsEnd(at); slot < end; slot++) {
          const depAt = parents.parent(at, slot)
          const depBlock = this.#blockOf[depAt]!
          // A dep that is a counted checkpoint of rank r covers the prev when the prev's block is ≤ r.
          if (depBlock !== UNCOVERED && this.#counted[depBlock]!.at === depAt && prevBlock <= depBlock) {
            online = true
            break
          }
        }
      }
    }
    const facts = this.#coveredFacts
    facts.effectiveTime = effectiveTime
    facts.witnessedAt = witnessedAt
    facts.online = online
    return facts
  }

  #apply(at: number, inTail: boolean): void {
    const entry = this.#entries[at]!
    const state = this.#state
    // A device's entry that a revocation leaves out is void before anything else: it is no fork either.
    let verdict = entry.type !== 'revoke' && state.devices.size > 0 ? this.#deviceProblem(entry, this.#blockOf[at]!) : undefined
    if (!verdict) {
      verdict = this.#twinApplied(entry)
      // A fork in the tail freezes at once (nothing is final there); one a witness covered leaves the
      // standing branch its current offline segment, which the offline cap bounds (rules/membership.ts).
      if (verdict) (inTail ? state.equivocators : state.forkGrace).add(entry.author)
      else if (entry.prev !== null) {
        const prevAt = this.#prevAt[at]!
        const prevVerdict = this.#verdicts[prevAt]
        verdict = voidBranch(prevVerdict) ?? chainProblem(entry, this.#entries[prevAt]!, prevVerdict)
      }
    }
    // A revocation counts or not by revocations.ts alone, which checks its chain the same way and
    // does not depend on the order: the same answer wherever it sorts.
    if (entry.type === 'revoke') {
      const problem = this.#revocations.verdict(entry.id)
      verdict = problem === undefined ? undefined : problem === 'unknown' ? verdict : { status: 'rejected', ...problem }
    }
    if (!verdict) {
      const evaluation = evaluate(state, entry, this.#facts(at, entry), true)
      verdict = toVerdict(evaluation)
      if (evaluation.status === 'accepted' && evaluation.settles) {
        const { id, status, reason, detail } = evaluation.settles
        const settled = this.#index.get(id)!
        // A tail entry settling a covered transfer: undone if the tail is replayed.
        if (inTail && this.#blockOf[settled] !== UNCOVERED) this.#tailUndo.push([settled, this.#verdicts[settled]])
        this.#verdicts[settled] = { status, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}) }
      }
    }
    // Not yet witnessed: a fork proven by signatures alone freezes its author from its standing entry on.
    if (inTail && this.#forkedSlots.size > 0 && this.#forkCounts(this.#forkedSlots.get(entry.author)?.get(entry.seq))) state.equivocators.add(entry.author)
    this.#verdicts[at] = verdict
    this.#applied.push(at)
    if (this.#last < 0 || this.#keyLess(this.#last, at)) this.#last = at
  }

  /** Is this a device's entry that a revocation leaves out (revocations.ts)? */
  #deviceProblem(entry: Entry, block: number): Verdict | undefined {
    const index = this.#revocations
    if (index.empty) return undefined
    const devices = this.#state.devices
    const member = devices.memberOf(entry.author)
    if (member === undefined || this.#state.members.has(entry.author)) return undefined
    const problem = index.deviceProblem(member, entry, block)
    return problem && { status: 'rejected', ...problem }
  }

  /**
   * Do these entries at one (author, seq) prove a fork? Not when a revocation
   * leaves all but one of them out (a stolen device's branch is void, not a
   * second history of its owner's).
   */
  #forkCounts(ids: readonly EntryId[] | undefined): boolean {
    if (!ids) return false
    if (this.#revocations.empty) return true
    let standing = 0
    for (const id of ids) {
      const at = this.#index.get(id)!
      if (this.#deviceProblem(this.#entries[at]!, this.#blockOf[at]!) === undefined && ++standing > 1) return true
    }
    return false
  }

  /** Which revocations count, from what is applied and what `order` is about to apply. */
  #indexRevocations(order: readonly number[]): void {
    const ordered = new Uint8Array(this.#entries.length)
    for (const at of order) ordered[at] = 1
    const verdicts = this.#verdicts
    this.#revocations = RevocationIndex.build({
      entries: this.#entries,
      index: this.#index,
      blockOf: this.#blockOf,
      applicable: (at) => verdicts[at] !== undefined || ordered[at] === 1,
      twins: (author, seq) => this.#forkedSlots.get(author)?.get(seq),
      revokes: this.#revokes,
      certificates: this.#certificates,
    }, this.#revocationWalks)
  }

  #describePending(entry: Entry): EntryVerdict {
    const [reason, detail] = this.#pendingReason(entry)
    return { id: entry.id, type: entry.type, author: entry.author, seq: entry.seq, status: 'pending', reason, detail, witnessed: null }
  }

  #pendingReason(entry: Entry): [PendingReason, string] {
    if (this.#genesisAt < 0) return ['no-genesis', `waiting for the pool's first entry ${short(this.pool)}`]
    if (entry.time > this.#asOf) return ['future', `dated ${isoTime(entry.time)}, later than the time the log is judged at`]
    if (entry.prev !== null && !this.#index.has(entry.prev)) return ['missing-prev', `waiting for ${entry.prev}`]
    const missing = parentIds(entry).find((dep) => !this.#index.has(dep))
    if (missing) return ['missing-dep', `waiting for ${missing}`]
    return ['after-pending', 'an entry before it is pending']
  }
}

/** Is this entry on the void branch of a fork (its prev was void)? */
function voidBranch(prevVerdict: Verdict | undefined): Verdict | undefined {
  if (prevVerdict?.reason !== 'equivocation') return undefined
  return { status: 'rejected', reason: 'equivocation', detail: 'it follows the void branch of a fork in its author\'s chain' }
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
function describe(entry: Entry, verdict: Verdict, witnessed: EntryId | null): EntryVerdict {
  const described: { -readonly [K in keyof EntryVerdict]: EntryVerdict[K] } = { id: entry.id, type: entry.type, author: entry.author, seq: entry.seq, status: verdict.status, witnessed }
  if (verdict.reason || verdict.detail) {
    delete (described as { witnessed?: unknown }).witnessed
    if (verdict.reason) described.reason = verdict.reason
    if (verdict.detail) described.detail = verdict.detail
    described.witnessed = witnessed
  }
  return described
}

function toVerdict(evaluation: ReturnType<typeof evaluate>): Verdict {
  if (evaluation.status === 'accepted') return evaluation.initiated ? INITIATED_VERDICT : ACCEPTED
  return evaluation
}

const INITIATED_VERDICT: Verdict = Object.freeze({ status: 'initiated' })

function refusedDetail(reason: 'bad-signature' | 'wrong-pool'): string {
  return reason === 'bad-signature' ? 'a signature does not verify' : 'the entry names another pool'
}

/** What `replay` adds to a recurring request's summary. */
function recurringSummary(r: RequestState): Partial<RequestSummary> {
  const terms = r.recurring
  if (!terms) return {}
  return {
    everySeconds: terms.everyMs / 1000, ...(terms.count !== null ? { count: terms.count } : {}), ...(terms.start !== undefined ? { start: terms.start } : {}),
    ...(terms.until !== null ? { until: terms.until } : {}), ...(terms.coordinator ? { coordinator: terms.coordinator } : {}), orders: r.orders ?? [],
  }
}

/**
 * The policy as `result()` prints it, in canonical key order: a gatekeeper's phone holds its genesis as it
 * built it, every other device as decoded, and their replays must still be byte-identical (docs/simulation.md,
 * finding 10). One copy per policy object.
 */
const canonicalPolicies = new WeakMap<Policy, Policy>()
function canonicalPolicy(policy: Policy): Policy {
  let ordered = canonicalPolicies.get(policy)
  if (!ordered) canonicalPolicies.set(policy, (ordered = inCanonicalOrder(policy)))
  return ordered
}
