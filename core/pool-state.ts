/**
 * The state a pool's log adds up to: members, balances, holds, requests,
 * invites, the policy in force and each member's offline segment. The rules
 * that move it live in core/rules/, one file per concern; this file only
 * holds the state, answers questions about it and makes the moves every rule
 * shares (money changing hands), so each move is checked in one place.
 */
import type { Entry, EntryId, ListingKind, MemberLimits, Policy, PublicKeyHex, TransferEntry } from './entry.ts'
import type { RejectionReason } from './reasons.ts'
import { LinksState } from './links-state.ts'
import {
  INVITE_TTL_SECONDS_DEFAULT, OFFLINE_ALLOWANCE_SECONDS_DEFAULT, OFFLINE_AMOUNT_MAX_DEFAULT, OFFLINE_COUNT_MAX_DEFAULT,
} from './limits.ts'
import { DeviceBook } from './device-book.ts'
import type { RecoveryState } from './rules/recovery.ts'

export type Role = 'member' | 'gatekeeper'

export interface MemberState {
  readonly role: Role
  /** Limits set for this member alone; undefined means the pool's default. */
  readonly minBalance: number | undefined
  readonly maxBalance: number | null | undefined
  readonly frozen: boolean
  /** The admit or join that first made this key a member. */
  readonly since: EntryId
}

export interface InviteState {
  readonly author: PublicKeyHex
  readonly invitee: PublicKeyHex
  readonly limits: MemberLimits
  /** When the invite was witnessed (or its effective time, unwitnessed): its time to live counts from here. */
  readonly since: number
  usedBy: PublicKeyHex | undefined
}

/** `accepted`: a recurring request to one payer, who accepted it (its payments are a standing order's). */
export type RequestStatus = 'open' | 'paid' | 'rejected' | 'cancelled' | 'accepted'

/** A recurring request's schedule (rules/recurring.ts), as an order's. */
export interface RecurringTerms {
  readonly everyMs: number
  readonly count: number | null
  /** Undefined: from when the payer accepts. */
  readonly start: number | undefined
  readonly until: number | null
  readonly coordinator: PublicKeyHex | undefined
}

export interface RequestState {
  readonly payee: PublicKeyHex
  readonly amount: number
  readonly from: PublicKeyHex | undefined
  readonly memo: string | undefined
  status: RequestStatus
  /** The transfer that paid it, or the reject/cancel that closed it, or the accept of a recurring request to one payer. */
  settledBy: EntryId | undefined
  /** Present on a recurring request. */
  readonly recurring?: RecurringTerms
  /** The standing orders accepting it made (ids of the accepts); replaced, never changed in place. */
  orders?: readonly EntryId[]
}

/** A change of balances, recorded where it happens in the order; statements are made from these. */
export interface Movement {
  /** The transfer, issue or payout whose money moved. */
  readonly entry: EntryId
  /** The entry whose application moved it: the transfer itself, or the payee's accept in a two-step pool. */
  readonly at: EntryId
  readonly time: number
  /** null for an issue (new tokens) or a payout (from the commons). */
  readonly from: PublicKeyHex | null
  readonly to: PublicKeyHex
  /** What the payer paid; the payee got `amount − fee`, the commons `fee`. */
  readonly amount: number
  readonly fee: number
  readonly memo: string | undefined
  /**
   * Present (true) on a demurrage charge: `from` and `to` are both the holder, `amount` and
   * `fee` the charge, so the holder loses it and the commons gets it, as a levy would.
   */
  readonly demurrage?: true
}

/** A standing order as the log made it (rules/orders.ts). */
export interface OrderState {
  readonly payer: PublicKeyHex
  readonly payee: PublicKeyHex
  readonly amount: number
  /** Null for a one-time scheduled payment. */
  readonly everyMs: number | null
  /** Payments it promises at most; null for no limit. */
  readonly count: number | null
  readonly start: number
  readonly until: number | null
  readonly coordinator: PublicKeyHex | undefined
  readonly memo: string | undefined
  revoked: boolean
  /** Periods paid, each once. */
  readonly paid: Set<number>
  /** The recurring request whose accept made this order (rules/recurring.ts); absent for an order the payer wrote. */
  readonly request?: EntryId
  /** The first period it promises: periods of a recurring request due before the payer accepted are not owed. Absent: 0. */
  readonly firstPeriod?: number
}

/** The demurrage in force (rules/demurrage.ts), with the time its period boundaries count from. */
export interface DemurrageState {
  readonly rateNum: number
  readonly rateDen: number
  readonly periodMs: number
  readonly freeBase: number
  /** Boundaries fall at anchor + k × period, k ≥ 1: the demurrage clock when the policy took effect. */
  readonly anchor: number
}

/** How far one account's demurrage has been charged: boundaries applied, and the remainder rounded off (in 1/rateDen of a minor unit). */
export interface DemurrageAccount {
  readonly boundaries: number
  readonly carry: number
}

/** A listing as its latest accepted version says (rules/listings.ts); replaced whole on an edit. */
export interface ListingState {
  readonly author: PublicKeyHex
  readonly kind: ListingKind
  readonly title: string
  readonly description: string | undefined
  readonly tags: readonly string[]
  readonly category: string | undefined
  readonly price: number | undefined
  /** When it drops out, ms since 1970: as signed, or the default counted from when it was witnessed. */
  readonly expires: number
  /** The latest version: the listing entry itself, or its latest edit. */
  readonly version: EntryId
  /** Witnessed (or effective) time of the first version, and of the latest. */
  readonly since: number
  readonly updated: number
}

/** Listing entries one member signed on one UTC day (rules/listings.ts). */
export interface ListingDay {
  readonly day: number
  readonly count: number
}

/** How a member shows itself in the pool: its latest accepted profile entry. */
export interface ProfileState {
  readonly name: string
  readonly bio: string | undefined
  readonly initials: string | undefined
  readonly picture: string | undefined
  /** The profile entry this comes from. */
  readonly entry: EntryId
}

/** Transfers a member made since its chain was last witnessed (see rules/witnesses.ts). */
export interface OfflineSegment {
  readonly count: number
  readonly amount: number
}

/** How an accepted entry changes the verdict of an earlier one (a two-step transfer's outcome). */
export interface Settlement {
  readonly id: EntryId
  readonly status: 'accepted' | 'rejected' | 'cancelled'
  readonly reason?: RejectionReason
  readonly detail?: string
}

export type Evaluation =
  | { readonly status: 'accepted'; readonly initiated?: true; readonly settles?: Settlement }
  | { readonly status: 'rejected'; readonly reason: RejectionReason; readonly detail: string }

/**
 * What the ledger knows about an entry's time when it is judged; the rules
 * never read a clock.
 */
export interface TimeFacts {
  /** The claimed time, raised to the effective time of its prev and deps: never before what it depends on. */
  readonly effectiveTime: number
  /** Time of the primary witness's checkpoint that first covers the entry; undefined while it is not covered. */
  readonly witnessedAt: number | undefined
  /** Signed after a checkpoint that covers its prev, and covered promptly: not held to the offline cap. */
  readonly online: boolean
}

export const ACCEPTED: Evaluation = Object.freeze({ status: 'accepted' })
export const INITIATED: Evaluation = Object.freeze({ status: 'accepted', initiated: true })

export function reject(reason: RejectionReason, detail: string): Evaluation {
  return { status: 'rejected', reason, detail }
}

/** A key or id shortened for messages; full values are in the entry itself. */
export function short(hex: string): string {
  return hex.slice(0, 12) + '…'
}

/** An ISO date for messages that never throws, even for times past the year 275760. */
export function isoTime(ms: number): string {
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString()
}



/** A time per key that changes in place (PoolState.lastTransferTime, lastActive). */
export interface TimeBox {
  time: number
}

function copyBoxes(boxes: ReadonlyMap<PublicKeyHex, TimeBox>): Map<PublicKeyHex, TimeBox> {
  const copy = new Map<PublicKeyHex, TimeBox>()
  for (const [key, box] of boxes) copy.set(key, { time: box.time })
  return copy
}
/** Shared by every pool without witnesses: the getter is read for each transfer. */
const NO_WITNESSES: readonly PublicKeyHex[] = Object.freeze([])
export class PoolState {
  /** The policy in force: the genesis with every accepted policy change applied. */
  policy: Policy | undefined
  creator: PublicKeyHex | undefined
  members = new Map<PublicKeyHex, MemberState>()
  balances = new Map<PublicKeyHex, number>()
  /**
   * Effective time of each member's last accepted transfer, for the rate limit. In a box changed
   * in place: one lookup per transfer instead of a get and a set (clone copies the boxes).
   */
  lastTransferTime = new Map<PublicKeyHex, TimeBox>()
  invites = new Map<EntryId, InviteState>()
  inviteKeys = new Set<PublicKeyHex>()
  /** Authors who signed two entries at one place in their chain, frozen from where that became visible. */
  equivocators = new Set<PublicKeyHex>()
  /**
   * Authors whose fork a witness covered: they are paid nothing more and sign
   * nothing online, but the standing branch's offline payments of the same
   * segment still count (the offline cap bounds them, and their payees could
   * not have known). Their next online entry freezes them fully.
   */
  forkGrace = new Set<PublicKeyHex>()
  closed = new Set<PublicKeyHex>()
  /** Two-step transfers waiting for the payee, and what each payer has on hold for them. */
  initiated = new Map<EntryId, TransferEntry>()
  held = new Map<PublicKeyHex, number>()
  requests = new Map<EntryId, RequestState>()
  movements: Movement[] = []
  /** Offline transfers since each member's chain was last witnessed. */
  segments = new Map<PublicKeyHex, OfflineSegment>()
  /** Each payer's levy remainder, in 1/10,000 of a minor unit, carried to its next payment. */
  feeCarry = new Map<PublicKeyHex, number>()
  /** Each member's latest accepted profile (rules/profiles.ts). */
  profiles = new Map<PublicKeyHex, ProfileState>()
  supply = 0
  /** Levies collected, less payouts: the pool's common account. */
  commons = 0
  /** Listings not withdrawn, by the id of their first version (expired ones too: expiry depends on when one asks). */
  listings = new Map<EntryId, ListingState>()
  /** Listing ids by author, for the open-listings cap. */
  listingsBy = new Map<PublicKeyHex, readonly EntryId[]>()
  listingDays = new Map<PublicKeyHex, ListingDay>()
  /** The gatekeepers' category list in force; undefined until one is signed. */
  categories: readonly string[] | undefined
  /** Demurrage in force, undefined when none (rules/demurrage.ts). */
  demurrage: DemurrageState | undefined
  /** Per account, how far its demurrage is charged; absent: nothing since the anchor. */
  demurrageAccounts = new Map<PublicKeyHex, DemurrageAccount>()
  /** The demurrage clock: the latest charge time of any entry applied, never going back. */
  demurrageClock = -Infinity
  /** Demurrage the commons has collected in all (payouts do not lower it). */
  demurrageCollected = 0
  /** Standing orders and scheduled payments, by id. */
  orders = new Map<EntryId, OrderState>()
  /** Demurrage clock of the last accepted tick. */
  demurrageLastTick = -Infinity
  /** Trustlines, gateway accounts and hashlocked prepares (rules/trustlines.ts, rules/hashlocks.ts). */
  links = new LinksState()
  /** Members' device keys (rules/devices.ts). */
  devices = new DeviceBook()
  /** Recovery requests by id (rules/recovery.ts); replaced, never changed in place. */
  recoveries = new Map<EntryId, RecoveryState>()
  /** When each key last signed anything (witnessed time where covered): an active owner blocks a recovery. Boxed like lastTransferTime. */
  lastActive = new Map<PublicKeyHex, TimeBox>()

  /**
   * A copy for the ledger to keep at the last witnessed point and replay the rest on: independent
   * but for `movements`, which is shared (see Ledger#rebuildFromFinal).
   */
  clone(): PoolState {
    const copy = new PoolState()
    copy.policy = this.policy
    copy.creator = this.creator
    copy.members = new Map(this.members)
    copy.balances = new Map(this.balances)
    copy.lastTransferTime = copyBoxes(this.lastTransferTime)
    copy.invites = new Map([...this.invites].map(([id, invite]) => [id, { ...invite }]))
    copy.inviteKeys = new Set(this.inviteKeys)
    copy.equivocators = new Set(this.equivocators)
    copy.forkGrace = new Set(this.forkGrace)
    copy.closed = new Set(this.closed)
    copy.initiated = new Map(this.initiated)
    copy.held = new Map(this.held)
    copy.requests = new Map([...this.requests].map(([id, request]) => [id, { ...request }]))
    // Shared, not copied: movements only ever grow, and the ledger truncates them back to the
    // snapshot's length when it restores one (copying them would make every tail replay O(history)).
    copy.movements = this.movements
    copy.segments = new Map(this.segments)
    copy.feeCarry = new Map(this.feeCarry)
    copy.profiles = new Map(this.profiles)
    copy.supply = this.supply
    copy.commons = this.commons
    // Listing states are replaced, never changed in place, so shallow copies are independent.
    copy.listings = new Map(this.listings)
    copy.listingsBy = new Map(this.listingsBy)
    copy.listingDays = new Map(this.listingDays)
    copy.categories = this.categories
    copy.demurrage = this.demurrage
    copy.demurrageAccounts = new Map(this.demurrageAccounts)
    copy.demurrageClock = this.demurrageClock
    copy.demurrageCollected = this.demurrageCollected
    copy.demurrageLastTick = this.demurrageLastTick
    copy.orders = new Map([...this.orders].map(([id, order]) => [id, { ...order, paid: new Set(order.paid) }]))
    copy.links = this.links.clone()
    copy.devices = this.devices.size === 0 ? new DeviceBook() : this.devices.clone()
    copy.recoveries = new Map(this.recoveries)
    copy.lastActive = copyBoxes(this.lastActive)
    return copy
  }

  balanceOf(key: PublicKeyHex): number {
    return this.balances.get(key) ?? 0
  }

  heldBy(key: PublicKeyHex): number {
    // Most pools never hold anything (two-step payments are opt-in): no lookup then.
    return this.held.size === 0 ? 0 : (this.held.get(key) ?? 0)
  }

  /** The lowest balance `key` may reach by paying. */
  minBalanceOf(key: PublicKeyHex): number {
    return this.members.get(key)?.minBalance ?? this.policy?.minBalance ?? 0
  }

  /** The highest balance `key` may reach by being paid; null for no maximum. */
  maxBalanceOf(key: PublicKeyHex): number | null {
    const own = this.members.get(key)?.maxBalance
    return own !== undefined ? own : (this.policy?.maxBalance ?? null)
  }

  isFrozen(key: PublicKeyHex): boolean {
    return (this.members.get(key)?.frozen ?? false) || this.isEquivocator(key)
  }

  isEquivocator(key: PublicKeyHex): boolean {
    return (this.equivocators.size > 0 && this.equivocators.has(key)) || (this.forkGrace.size > 0 && this.forkGrace.has(key))
  }

  isClosed(key: PublicKeyHex): boolean {
    return this.closed.size > 0 && this.closed.has(key)
  }

  /** The pool's witnesses in force, primary first; empty when it has none. */
  get witnesses(): readonly PublicKeyHex[] {
    return this.policy?.witnesses ?? NO_WITNESSES
  }

  get witnessed(): boolean {
    return this.witnesses.length > 0
  }

  get offlineCountMax(): number {
    return this.policy?.offlineCountMax ?? OFFLINE_COUNT_MAX_DEFAULT
  }

  get offlineAmountMax(): number {
    return this.policy?.offlineAmountMax ?? OFFLINE_AMOUNT_MAX_DEFAULT
  }

  get offlineAllowanceMs(): number {
    return (this.policy?.offlineAllowanceSeconds ?? OFFLINE_ALLOWANCE_SECONDS_DEFAULT) * 1000
  }

  get inviteTtlMs(): number {
    return (this.policy?.inviteTtlSeconds ?? INVITE_TTL_SECONDS_DEFAULT) * 1000
  }

  segmentOf(key: PublicKeyHex): OfflineSegment {
    return this.segments.get(key) ?? { count: 0, amount: 0 }
  }

  /** Money from `from` (or from nowhere: an issue, or the commons: a payout) to `to`; the caller has checked the limits. */
  move(transfer: Pick<TransferEntry, 'id' | 'to' | 'amount' | 'memo'>, from: PublicKeyHex | null, at: EntryId, time: number, fee: number): void {
    if (from !== null) this.balances.set(from, this.balanceOf(from) - transfer.amount)
    this.balances.set(transfer.to, this.balanceOf(transfer.to) + transfer.amount - fee)
    this.commons += fee
    this.movements.push({ entry: transfer.id, at, time, from, to: transfer.to, amount: transfer.amount, fee, memo: transfer.memo })
  }

  /** The entry that made a key a member, for deps. */
  membershipOf(key: PublicKeyHex): EntryId | undefined {
    return this.members.get(key)?.since
  }
}

/** For the dispatch's exhaustive switch. */
export function unknownType(entry: never): Evaluation {
  return reject('malformed', `unknown entry type ${(entry as Entry).type}`)
}
