/**
 * Every limit of Heroes in one place, units last in every name.
 *
 * Why one file: a reviewer can see at a glance what an attacker can make a
 * device or a relay do, and tests probe each value just inside and just outside.
 */

/** Protocol version written into every entry's signed bytes. */
export const PROTOCOL_VERSION = 1

// ---- entries ------------------------------------------------------------

/** The canonical JSON line of one entry, signature included. */
export const ENTRY_BYTES_MAX = 4096
/** A transfer's memo, counted in UTF-16 code units after NFC. */
export const MEMO_CHARS_MAX = 200
/** A pool's display name. */
export const POOL_NAME_CHARS_MAX = 64
/** A pool's symbol, for example "HRO" or "⏱". */
export const POOL_SYMBOL_CHARS_MAX = 8
/** Decimals shown for a pool's minor unit. */
export const POOL_DECIMALS_MAX = 8
/** A freeze's human-readable reason. */
export const FREEZE_REASON_CHARS_MAX = 200
/** A member's display name in a profile entry. */
export const PROFILE_NAME_CHARS_MAX = 40
/** A profile's short bio. */
export const PROFILE_BIO_CHARS_MAX = 160
/** A profile's initials, drawn when there is no picture. */
export const PROFILE_INITIALS_CHARS_MAX = 3
/** A profile's picture as a base64 data URL (about 1.7 KB of image: a 64 × 64 WebP), so the entry stays under ENTRY_BYTES_MAX. */
export const PROFILE_PICTURE_CHARS_MAX = 2_400
/** Ids an entry may list as causal dependencies. */
export const DEPS_COUNT_MAX = 32
/** Largest amount of one transfer or issue, in minor units (10^15 keeps sums exact in doubles). */
export const AMOUNT_MAX = 1_000_000_000_000_000
/** Largest absolute balance or limit, in minor units; sums of two stay below 2^53. */
export const BALANCE_ABS_MAX = 4_000_000_000_000_000
/** Earliest and latest claimed time an entry may carry, milliseconds since 1970. */
export const TIME_MS_MIN = 0
export const TIME_MS_MAX = 8_640_000_000_000_000

// ---- pools --------------------------------------------------------------

/** Seconds between two transfers of one member when the pool does not say otherwise. */
export const RATE_LIMIT_SECONDS_DEFAULT = 60
/** Largest interval a pool may set between two transfers of one member (one day). */
export const RATE_LIMIT_SECONDS_MAX = 86_400
/** Largest levy a pool may set: 20 % of each transfer, in basis points (1/10,000). */
export const FEE_BASIS_POINTS_MAX = 2_000

// ---- witnesses, time and offline risk -------------------------------------

/** Witness keys a pool may name. */
export const WITNESSES_COUNT_MAX = 4
/** Chain heads one checkpoint may name; a witness with more to cover signs several in a row. */
export const CHECKPOINT_HEADS_MAX = 128
/** The canonical line of one checkpoint (128 heads of 67 bytes fit); a full shard of them stays under the relay's document limit. */
export const CHECKPOINT_BYTES_MAX = 12_288
/** How far an entry may claim to be signed after the witness's clock said it held it (phone clocks run a little fast). */
export const CLOCK_SKEW_MS_MAX = 5 * 60_000
/** An entry first covered within this long of its time, naming a checkpoint that covers its prev, was signed online. */
export const ONLINE_COVER_MS_MAX = 2 * 60_000
/** Defaults of a witnessed pool, chosen for friends who meet face to face (docs/validator.md says why). */
export const OFFLINE_COUNT_MAX_DEFAULT = 5
export const OFFLINE_AMOUNT_MAX_DEFAULT = 5_000
export const OFFLINE_ALLOWANCE_SECONDS_DEFAULT = 3 * 86_400
export const INVITE_TTL_SECONDS_DEFAULT = 7 * 86_400
/** Largest values a pool may set. */
export const OFFLINE_COUNT_MAX_MAX = 1_000
export const OFFLINE_ALLOWANCE_SECONDS_MAX = 30 * 86_400
export const INVITE_TTL_SECONDS_MAX = 365 * 86_400

// ---- marketplace (rules/listings.ts, rules/categories.ts) -------------------

/** A listing's title, in UTF-16 code units after NFC. */
export const LISTING_TITLE_CHARS_MAX = 80
/** A listing's description. */
export const LISTING_DESCRIPTION_CHARS_MAX = 1_000
/** Tags one listing may carry, and the length of each. */
export const LISTING_TAGS_COUNT_MAX = 8
export const LISTING_TAG_CHARS_MAX = 32
/** A category's name. */
export const CATEGORY_CHARS_MAX = 40
/** Categories on a pool's list. */
export const CATEGORIES_COUNT_MAX = 64
/** A listing without `expires` lives this long from when it was witnessed (or its effective time, unwitnessed). */
export const LISTING_TTL_SECONDS_DEFAULT = 90 * 86_400
/** The longest a listing may live from when it was witnessed. */
export const LISTING_TTL_SECONDS_MAX = 365 * 86_400
/** Open (unexpired, not withdrawn) listings one member may have at once. */
export const LISTINGS_OPEN_MAX = 100
/** Listing entries (posts, edits, withdrawals) one member may sign per UTC day of effective time. */
export const LISTING_ENTRIES_PER_DAY_MAX = 50
/** One sealed contact message as the relay stores it (core/market/sealed.ts). */
export const CONTACT_MESSAGE_BYTES_MAX = 4_096
/** Text of one contact message, in UTF-16 code units. */
export const CONTACT_TEXT_CHARS_MAX = 1_000

// ---- demurrage (rules/demurrage.ts) -------------------------------------------

/**
 * Largest denominator of a demurrage rate. With the rate below 1 and balances
 * below BALANCE_ABS_MAX, every product in a charge stays below 2^53 (docs/validator.md).
 */
export const DEMURRAGE_RATE_DEN_MAX = 1_000_000
/** Shortest demurrage period: a day bounds the work of bringing a dormant account up to date (one step a period). */
export const DEMURRAGE_PERIOD_SECONDS_MIN = 86_400
/** Longest demurrage period (ten years). */
export const DEMURRAGE_PERIOD_SECONDS_MAX = 3_650 * 86_400
/** Shortest time between two accepted ticks, on the demurrage clock: a tick visits every account. */
export const TICK_INTERVAL_SECONDS_MIN = 3_600

// ---- standing orders and scheduled payments (rules/orders.ts) ----------------

/** Shortest interval of a standing order. */
export const ORDER_EVERY_SECONDS_MIN = 60
/** Longest interval of a standing order (ten years). */
export const ORDER_EVERY_SECONDS_MAX = 3_650 * 86_400
/** Most payments one order may promise, and the highest period a payment may name. */
export const ORDER_COUNT_MAX = 100_000
/** Orders one member may have open (neither revoked nor fully paid) at once. */
export const ORDERS_OPEN_MAX = 50
/**
 * How long a payee's app waits before it asks again for a period whose payment was refused
 * (the payer could not pay then): once a day, not on every tick of the clock.
 */
export const ORDER_COLLECT_RETRY_SECONDS = 86_400
/** Payments one app collects per order in one go: a long-dormant order is caught up over several. */
export const ORDER_COLLECT_PER_RUN_MAX = 20

// ---- between pools: rates, trustlines, path payments (rules/rates.ts, trustlines.ts, hashlocks.ts) ----

/** Largest numerator or denominator of a pool's rate to HOUR ({num, den}: one whole unit is worth num/den HOUR). */
export const HOUR_RATE_PART_MAX = 1_000_000_000
/** Largest trust one pool may sign for another, in whole HOUR. */
export const TRUST_HOURS_MAX = 1_000_000_000_000
/** Pool-to-pool links a path payment may cross: 4 links, so at most 5 pools and 5 prepares. */
export const PATH_HOPS_MAX = 4
/** Longest a prepare may wait for its fulfil, from its effective time (a path's first hop expires last). */
export const PREPARE_EXPIRY_SECONDS_MAX = 86_400
/** Least time a gateway keeps between its downstream prepare's expiry and its upstream one's, to fulfil upstream after learning the preimage. */
export const HOP_EXPIRY_MARGIN_SECONDS_MIN = 60
/** Open (neither fulfilled nor cancelled) prepares one author may have in a pool: bounds what a flood of them holds. */
export const PREPARES_OPEN_MAX = 1_000
// ---- devices (rules/devices.ts, revocations.ts) -------------------------------

/** A device's name in its certificate ("Phone", "Laptop at home"). */
export const DEVICE_NAME_CHARS_MAX = 40
/** Devices one member may have certified and not revoked at once. */
export const DEVICES_PER_MEMBER_MAX = 16

// ---- recovery (rules/recovery.ts) ----------------------------------------------

/** Gatekeepers' approvals a recovery needs when the policy does not say (1 while the pool has one gatekeeper). */
export const RECOVERY_APPROVALS_DEFAULT = 2
/** Most approvals a policy may require. */
export const RECOVERY_APPROVALS_MAX = 16
/**
 * An account whose key (or one of its devices) signed anything this long before a recovery would
 * complete is not recovered: its owner is active. A week: an owner on holiday answers within it.
 */
export const RECOVERY_WAIT_SECONDS = 7 * 86_400
