/**
 * The entry types of a pool. Every fact in a pool is one signed entry; this
 * file says what each type carries. Decoding and checking live in decode.ts.
 */

/** 64 lower-case hex characters: a SHA-256 entry id. Pool ids are the ids of genesis entries. */
export type EntryId = string & { readonly __entryId: true }
/** 64 lower-case hex characters: an Ed25519 public key. */
export type PublicKeyHex = string & { readonly __publicKeyHex: true }

export const ENTRY_TYPES = [
  'pool', 'admit', 'freeze', 'issue', 'transfer', 'invite', 'join', 'request', 'accept', 'reject', 'cancel', 'close',
  'policy', 'checkpoint', 'payout',
  'listing', 'unlist', 'categories', 'profile',
  'tick', 'order', 'collect',
  'trust', 'prepare', 'fulfil',
  'device', 'revoke', 'recover', 'approve',
] as const
export type EntryType = (typeof ENTRY_TYPES)[number]

export const POOL_KINDS = ['mutual-credit', 'issued'] as const
export type PoolKind = (typeof POOL_KINDS)[number]

/** A pool's rules, fixed in its genesis entry. Amounts are integers in the minor unit. */
export interface Policy {
  readonly kind: PoolKind
  readonly name: string
  readonly symbol: string
  /** Digits after the decimal point when showing an amount; 2 means 150 shows as 1.50. */
  readonly decimals: number
  /** Lowest balance a member may reach by paying: ≤ 0 (a credit line) in mutual credit, exactly 0 in issued pools. */
  readonly minBalance: number
  /** Highest balance a member may reach by being paid; null means no maximum. */
  readonly maxBalance: number | null
  /** Minimum seconds between two transfers of one member, judged on the member's own chain. */
  readonly rateLimitSeconds: number
  /** Transfers wait for the payee's accept (Swaptacular's prepare/commit); absent means false. */
  readonly twoStep?: boolean
  /** Levy on each transfer, in 1/10,000 of the amount, paid to the pool's commons; absent means 0. */
  readonly feeBasisPoints?: number
  /** Warning thresholds before the hard limits, shown in the app; never a reason to refuse. */
  readonly softMinBalance?: number
  readonly softMaxBalance?: number
  /**
   * Keys that sign checkpoints for this pool; the first is the primary, whose checkpoints make
   * entries final. Absent or empty: no witness, today's rules, payments shown as unconfirmed.
   */
  readonly witnesses?: readonly PublicKeyHex[]
  /** Transfers a member may make between two witnessed states of its chain (witnessed pools only). */
  readonly offlineCountMax?: number
  /** Minor units a member may pay between two witnessed states of its chain (witnessed pools only). */
  readonly offlineAmountMax?: number
  /** How long before the checkpoint that first covers it an entry may claim to be signed. */
  readonly offlineAllowanceSeconds?: number
  /** How long an invite stays usable, counted in witnessed time. */
  readonly inviteTtlSeconds?: number
  /** A charge on holding money, paid to the commons (rules/demurrage.ts); absent or null: none. */
  readonly demurrage?: Demurrage | null
  /** What one whole unit (10^decimals minor units) is worth in HOUR, the unit pools convert through (rules/rates.ts). */
  readonly hourRate?: HourRate
  /** Gatekeepers' approvals a recovery needs (rules/recovery.ts); absent: 2, or 1 while the pool has one gatekeeper. */
  readonly recoveryApprovals?: number
}

/** An exact rate as a fraction of positive integers: one whole unit of the pool is worth num/den HOUR. */
export interface HourRate {
  readonly num: number
  readonly den: number
}

/**
 * Demurrage: at every period boundary (counted from where the policy took
 * effect), each balance above `freeBase` pays `rateNum/rateDen` of what is
 * above it to the commons, rounded down with the remainder carried.
 */
export interface Demurrage {
  readonly rateNum: number
  readonly rateDen: number
  readonly periodSeconds: number
  /** Minor units of each balance never charged; 0 charges every positive balance. */
  readonly freeBase: number
}

/** The policy fields a gatekeeper may change after the genesis (kind, decimals and twoStep are fixed). */
export const POLICY_CHANGEABLE_KEYS = [
  'name', 'symbol', 'minBalance', 'maxBalance', 'rateLimitSeconds', 'feeBasisPoints', 'softMinBalance', 'softMaxBalance',
  'witnesses', 'offlineCountMax', 'offlineAmountMax', 'offlineAllowanceSeconds', 'inviteTtlSeconds',
  'demurrage', 'hourRate', 'recoveryApprovals',
] as const
export type PolicyChange = Partial<Pick<Policy, (typeof POLICY_CHANGEABLE_KEYS)[number]>>

/** Fields every entry has. `id` and `sig` are not signed; everything else is. */
interface EnvelopeFields<T extends EntryType> {
  readonly v: 1
  /** SHA-256 of the canonical payload (everything but `id` and `sig`). */
  readonly id: EntryId
  /** The pool's id; in a genesis entry it equals the entry's own id and is left out of the payload. */
  readonly pool: EntryId
  readonly type: T
  readonly author: PublicKeyHex
  /** Position in the author's own chain in this pool: 1, 2, 3… */
  readonly seq: number
  /** The author's entry at seq − 1, or null at seq 1. */
  readonly prev: EntryId | null
  /** Entries the author had seen and relies on (for example payments it is spending); sorted, unique. */
  readonly deps: readonly EntryId[]
  /** The author's clock in milliseconds: claimed, never trusted alone. */
  readonly time: number
  /** Ed25519 signature, 128 hex characters, over the domain tag and the canonical payload. */
  readonly sig: string
}

export interface PoolEntry extends EnvelopeFields<'pool'> {
  readonly policy: Policy
  /** Random hex so that two pools with identical settings still get different ids. */
  readonly nonce: string
}

/** Member limits a gatekeeper may set for one member; absent means the pool's default. */
export interface MemberLimits {
  readonly minBalance?: number
  readonly maxBalance?: number | null
}

export interface AdmitEntry extends EnvelopeFields<'admit'>, MemberLimits {
  readonly member: PublicKeyHex
  /** 'gatekeeper' lets the member admit, invite, freeze and issue too. */
  readonly role?: 'member' | 'gatekeeper'
}

export interface FreezeEntry extends EnvelopeFields<'freeze'> {
  readonly member: PublicKeyHex
  readonly reason?: string
}

export interface IssueEntry extends EnvelopeFields<'issue'> {
  readonly to: PublicKeyHex
  readonly amount: number
  readonly memo?: string
  /** A member's request for tokens that this issue grants (also in `deps`); amount and payee must match it. */
  readonly request?: EntryId
}

export interface TransferEntry extends EnvelopeFields<'transfer'> {
  readonly to: PublicKeyHex
  readonly amount: number
  readonly memo?: string
  /** The payment request this transfer pays (also in `deps`): amount and payee must match it. */
  readonly request?: EntryId
}

/**
 * A payee asks for a payment: shown as a QR or link, paid by a transfer naming it. With
 * `everySeconds` it is a recurring request (rent, dues; rules/recurring.ts): the payer accepts it
 * once with an `accept`, which becomes a standing order on the request's terms, collected like one.
 */
export interface RequestEntry extends EnvelopeFields<'request'> {
  readonly amount: number
  readonly memo?: string
  /** The payer asked; absent means whoever pays it first (a shop's QR), or, recurring, every member who accepts it. */
  readonly from?: PublicKeyHex
  /** Recurring: seconds between payments (the other fields below need it). */
  readonly everySeconds?: number
  /** Recurring: payments at most, counted from `start`. */
  readonly count?: number
  /** Recurring: no payment falls due after this time, ms. */
  readonly until?: number
  /** Recurring: when the first payment falls due, ms (default: when the payer accepts); periods due before the accept are not owed. */
  readonly start?: number
  /** Recurring: a key (a relay's, say) that may collect the payments for the requester. */
  readonly coordinator?: PublicKeyHex
}

/**
 * Settles a two-step transfer or answers a request, naming it in `entry` (and in `deps`):
 * `accept` by the payee completes an initiated transfer; `reject` by the payee refuses it, or by
 * the payer asked refuses a request; `cancel` by the payer withdraws an initiated transfer, or by
 * the requester withdraws a request.
 */
export interface AcceptEntry extends EnvelopeFields<'accept'> {
  readonly entry: EntryId
}
export interface RejectEntry extends EnvelopeFields<'reject'> {
  readonly entry: EntryId
  readonly memo?: string
}
export interface CancelEntry extends EnvelopeFields<'cancel'> {
  readonly entry: EntryId
}

/** A member leaves: allowed only at balance zero with nothing in flight; afterwards the account neither pays nor receives. */
export type CloseEntry = EnvelopeFields<'close'>

/**
 * A gatekeeper's one-time invitation: `invitee` is a fresh public key whose
 * secret travels to the new member (QR or link). Whoever holds that secret can
 * join once, even while the gatekeeper is offline.
 */
export interface InviteEntry extends EnvelopeFields<'invite'>, MemberLimits {
  readonly invitee: PublicKeyHex
}

/**
 * A new member's first entry, signed by the member's own key, proving with
 * `inviteSig` (by the invite's one-time key) that it holds the invitation.
 */
export interface JoinEntry extends EnvelopeFields<'join'> {
  /** The invite entry's id; also listed in `deps`. */
  readonly invite: EntryId
  /** The invite's one-time public key, repeated here so the join verifies on its own. */
  readonly invitee: PublicKeyHex
  /** Signature by the invite's one-time key over joinInviteMessage(pool, invite, author). */
  readonly inviteSig: string
}

/** A gatekeeper changes the pool's rules from here on; only the fields named change. */
export interface PolicyEntry extends EnvelopeFields<'policy'> {
  readonly policy: PolicyChange
}

/**
 * A witness's signed statement "at my clock `time` I held these entries": `heads` are the tips
 * of the chains that changed since its previous checkpoint, and everything they depend on is
 * covered too. Heads are causal parents, like deps, so a checkpoint comes after all it covers.
 */
export interface CheckpointEntry extends EnvelopeFields<'checkpoint'> {
  readonly heads: readonly EntryId[]
}

/** A gatekeeper pays out of the pool's commons (the levies collected), visible to all. */
export interface PayoutEntry extends EnvelopeFields<'payout'> {
  readonly to: PublicKeyHex
  readonly amount: number
  readonly memo?: string
}

export const LISTING_KINDS = ['offer', 'want'] as const
export type ListingKind = (typeof LISTING_KINDS)[number]

/**
 * A member's offer or want in the pool's marketplace (rules/listings.ts). With `edits` it
 * restates an open listing of the same author (named in `deps` too), which keeps its id.
 * The text is signed as written; search normalises a copy (core/market/normalize.ts).
 */
export interface ListingEntry extends EnvelopeFields<'listing'> {
  readonly kind: ListingKind
  readonly title: string
  readonly description?: string
  /** Distinct, in the author's order. */
  readonly tags?: readonly string[]
  /** One of the names on the gatekeepers' `categories` list in force. */
  readonly category?: string
  /** An asking price in the pool's minor unit. */
  readonly price?: number
  /** When it drops out (ms since 1970); absent: LISTING_TTL_SECONDS_DEFAULT after it was witnessed. */
  readonly expires?: number
  /** The listing this entry edits (its first entry's id). */
  readonly edits?: EntryId
}

/** Its author withdraws a listing (named in `deps` too): it drops out everywhere. */
export interface UnlistEntry extends EnvelopeFields<'unlist'> {
  readonly listing: EntryId
}

/** A gatekeeper signs the marketplace's category list; the latest accepted one is in force. */
export interface CategoriesEntry extends EnvelopeFields<'categories'> {
  /** Distinct names, in the order the app shows them. */
  readonly categories: readonly string[]
}

/**
 * How a member shows itself in this pool only (so its pools stay unlinkable): a display name, and
 * optionally a short bio and a picture (initials, or a small image as a data URL). It is always
 * about its author; the latest accepted one stands.
 */
export interface ProfileEntry extends EnvelopeFields<'profile'> {
  readonly name: string
  readonly bio?: string
  /** One to three letters drawn in a circle when there is no image. */
  readonly initials?: string
  /** `data:image/png|jpeg|webp;base64,…`, at most PROFILE_PICTURE_CHARS_MAX characters. */
  readonly picture?: string
}

/**
 * A gatekeeper or a witness brings every account's demurrage up to this
 * entry's time (rules/demurrage.ts): dormant accounts pay what touching them
 * would have made them pay, and the commons shows it.
 */
export type TickEntry = EnvelopeFields<'tick'>

/**
 * A standing order (rules/orders.ts): its author, the payer, promises `amount` to `to` every
 * `everySeconds` from `start` (default: the order's own time), at most `count` times and not after
 * `until`. Without `everySeconds` it is one scheduled payment at `start`. The payee, or the
 * `coordinator` named, collects each payment when due; the payer revokes it with a `cancel`.
 */
export interface OrderEntry extends EnvelopeFields<'order'> {
  readonly to: PublicKeyHex
  readonly amount: number
  readonly everySeconds?: number
  readonly count?: number
  readonly until?: number
  readonly start?: number
  readonly memo?: string
  /** A key (a relay's, say) that may collect the payments for the payee; it need not be a member. */
  readonly coordinator?: PublicKeyHex
}

/** One payment of a standing order, for its period (0 is the first): valid because of the order, once per period. */
export interface CollectEntry extends EnvelopeFields<'collect'> {
  /** The order (also in `deps`). */
  readonly order: EntryId
  readonly period: number
}

/**
 * A gatekeeper's trustline (rules/trustlines.ts): this pool trusts pool `peer` up to `limitHours`
 * HOUR. `gateway` is the key that holds this pool's side: its account here may go below zero by
 * the trust (converted at this pool's rate), paying this pool's members for what comes from `peer`.
 * A later trust entry for the same peer replaces it (limit 0 ends the trust).
 */
export interface TrustEntry extends EnvelopeFields<'trust'> {
  readonly peer: EntryId
  readonly limitHours: number
  readonly gateway: PublicKeyHex
}

/** Where a path payment is going, carried unchanged from hop to hop so each gateway can forward it. */
export interface PaymentPath {
  /** The pools crossed, payer's first, payee's last (2 to PATH_HOPS_MAX + 1). */
  readonly pools: readonly EntryId[]
  /** The final payee, in the last pool. */
  readonly payee: PublicKeyHex
  /** What the payee receives, in the last pool's minor unit. */
  readonly amount: number
}

/**
 * A hashlocked hold (rules/hashlocks.ts): `amount` from the author to `to`, paid when `to` reveals
 * a preimage whose SHA-256 is `condition` in a `fulfil` witnessed by `expires`, otherwise released
 * by a `cancel`. One hop of a path payment (Interledger's prepare).
 */
export interface PrepareEntry extends EnvelopeFields<'prepare'> {
  readonly to: PublicKeyHex
  readonly amount: number
  /** SHA-256 of the preimage, 64 hex characters. */
  readonly condition: string
  /** Witnessed time (ms since 1970) by which the fulfil must be covered. */
  readonly expires: number
  readonly path?: PaymentPath
  readonly memo?: string
}

/** The prepare's payee reveals the preimage (32 bytes, hex) and takes the amount. */
export interface FulfilEntry extends EnvelopeFields<'fulfil'> {
  /** The prepare (also in `deps`). */
  readonly entry: EntryId
  readonly preimage: string
}

/**
 * The member key certifies a device key (rules/devices.ts): the device signs with its own key on
 * its own chain, and what it does counts for the member (one balance, one set of limits). A new
 * certificate of the same device replaces its name and cap.
 */
export interface DeviceEntry extends EnvelopeFields<'device'> {
  readonly device: PublicKeyHex
  readonly name?: string
  /** The most the device may pay in all under this certificate, in minor units; absent: only the member's limits. */
  readonly spendCap?: number
}

/**
 * Removes a device (rules/devices.ts, core/revocations.ts), signed by its member key or by another
 * device of the member. The device's chain up to `afterSeq` (the chain that ends at `afterEntry`,
 * also in `deps`) stands; every other entry of the device is void, whatever order it arrives in.
 */
export interface RevokeEntry extends EnvelopeFields<'revoke'> {
  readonly device: PublicKeyHex
  /** The cutoff: the device's last entry that stands, 0 for none. */
  readonly afterSeq: number
  /** The device's entry at `afterSeq` (absent when it is 0). */
  readonly afterEntry?: EntryId
}

/**
 * A new key asks to take over a member's account (rules/recovery.ts): the member lost every device
 * and its backup phrase. It is the new key's first entry; gatekeepers approve it.
 */
export interface RecoverEntry extends EnvelopeFields<'recover'> {
  /** The member key to recover. */
  readonly member: PublicKeyHex
}

/** A gatekeeper approves a recovery request (named in `entry` and in `deps`). */
export interface ApproveEntry extends EnvelopeFields<'approve'> {
  readonly entry: EntryId
  /** The request's new key, so that every device follows its shards (core/sync/discovery.ts). */
  readonly key: PublicKeyHex
}

export type Entry =
  | PoolEntry | AdmitEntry | FreezeEntry | IssueEntry | TransferEntry | InviteEntry | JoinEntry
  | RequestEntry | AcceptEntry | RejectEntry | CancelEntry | CloseEntry | PolicyEntry | CheckpointEntry | PayoutEntry
  | ListingEntry | UnlistEntry | CategoriesEntry | ProfileEntry | TickEntry | OrderEntry | CollectEntry
  | TrustEntry | PrepareEntry | FulfilEntry
  | DeviceEntry | RevokeEntry | RecoverEntry | ApproveEntry

/** An entry's content as its author writes it, before id and signature exist. */
export type UnsignedEntry<E extends Entry = Entry> = E extends Entry ? Omit<E, 'id' | 'sig' | 'v'> : never
