/**
 * Limits of the sync layer, units last. Protocol constants (those that decide
 * where an entry lives) are marked: changing one moves every entry, so they are
 * fixed for the life of protocol v1.
 */

/**
 * PROTOCOL: entries of one author per shard document; entry `seq` s lives in
 * shard floor((s - 1) / SHARD_ENTRIES). Chosen by measurement, see
 * docs/sync-layout.md: small enough that growing a shard stays cheap and a
 * full shard fits one WebSocket frame, large enough that a 100k pool is a few
 * hundred documents.
 */
export const SHARD_ENTRIES = 256

/**
 * Keys read from one shard before the rest is ignored and counted. A shard
 * holds at most SHARD_ENTRIES entries of its author (more only under
 * equivocation); anything beyond is vandalism and must not cost unbounded time.
 */
export const SHARD_KEYS_SCANNED_MAX = 16 * SHARD_ENTRIES

/** Documents one PoolSync follows at most (shards of all members plus invite slots). */
export const POOL_DOCUMENTS_FOLLOWED_MAX = 20_000

/** Documents a PoolSync asks the Repo for at once; more wait their turn so a relay's per-connection rate is respected. */
export const DOCUMENT_OPENS_IN_FLIGHT_MAX = 32

/** Entries republished in one change (a vandal's mass deletion is repaired in batches). */
export const REPUBLISH_BATCH_ENTRIES_MAX = SHARD_ENTRIES

/**
 * Lines read at once (from every document that changed since the last read)
 * below which PoolSync judges them itself rather than through its judgeBatch
 * option: handing a few entries to another thread costs more than it saves.
 */
export const JUDGE_BATCH_LINES_MIN = 16

/**
 * About how many lines PoolSync reads in one batch (counting SHARD_ENTRIES per
 * ready document): enough that a join judges in large batches, few enough that
 * entries arrive in steady steps rather than all at the end of a long batch.
 */
export const READ_BATCH_LINES_MAX = 4 * SHARD_ENTRIES

/** Distinct (key, line) pairs remembered as already judged; past this the memory is cleared (re-judging is only time). */
export const JUDGED_LINES_REMEMBERED_MAX = 100_000

/**
 * Identical sync messages in a row from one peer for one document after which
 * the sync with that peer is reset (see stormBreaker.ts). Network duplicates
 * give two or three; a storm gives thousands a second.
 */
export const STORM_REPEATS_BEFORE_RESET = 8

/** (peer, document) pairs the storm detector remembers; the oldest is forgotten first. */
export const STORM_PAIRS_TRACKED_MAX = 100_000

/** Resets of one (peer, document) after which the storm is the peer's to end (a relay then closes its connection). */
export const STORM_RESETS_BEFORE_DISCONNECT = 3

/** Milliseconds between two looks for complete shards that peers confirmed and can be parked (PoolSync parkCompleteShards). */
export const PARK_CHECK_INTERVAL_MS = 1_000
