/**
 * The relay's limits, units last. Each is a `heroes relay` flag (see
 * sync-server/command.ts); these are the defaults a volunteer gets without
 * thinking. A client that goes past one is cut off (closeCodes.ts); every
 * other client carries on.
 *
 * Sizing: a shard holds SHARD_ENTRIES (256) entries of at most
 * ENTRY_BYTES_MAX (4 KiB), so a whole shard, sent in one sync message on a
 * first sync, is at most ~1.1 MiB; typical shards are ~120 KB.
 */
export interface RelayLimits {
  /** Largest WebSocket frame accepted (`ws` maxPayload); a larger one closes the connection with 1009. */
  readonly frameBytesMax: number
  /** Messages one connection may send in any one-second window. */
  readonly messagesPerSecondMax: number
  /** Distinct documents one connection may touch. */
  readonly documentsPerConnectionMax: number
  /** Stored size one document may reach through changes sent to this relay. */
  readonly documentBytesMax: number
  /** Stored size of all documents; past it, messages carrying changes are refused. */
  readonly diskBytesMax: number
  /** Open WebSocket connections at once; the next one is refused at the upgrade. */
  readonly connectionsMax: number
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  frameBytesMax: 2 * 1024 * 1024,
  messagesPerSecondMax: 1_000,
  documentsPerConnectionMax: 5_000,
  documentBytesMax: 4 * 1024 * 1024,
  diskBytesMax: 1024 * 1024 * 1024,
  connectionsMax: 2_000,
}

/** Bytes of a peer id or other string field accepted in a message. */
export const PEER_ID_CHARS_MAX = 128

/** Milliseconds a relay waits for a WebSocket upgrade to send its first message before dropping it. */
export const JOIN_TIMEOUT_MS = 10_000

/**
 * Milliseconds between keep-alive pings; a socket that has not answered the
 * previous ping is terminated. Upstream's 5 s cut off a client busy writing a
 * 100k pool (its event loop did not answer in time) and lost its messages in
 * flight; 30 s is the usual WebSocket keep-alive and still frees dead sockets.
 */
export const KEEP_ALIVE_INTERVAL_MS = 30_000

/** Milliseconds to reconnect to a peer relay after it went away. */
export const PEER_RETRY_INTERVAL_MS = 1_000

/** Milliseconds SIGTERM waits for documents to be written before closing anyway. */
export const SHUTDOWN_FLUSH_TIMEOUT_MS = 10_000

/** Milliseconds automerge-repo waits after a change before saving it (its default is 100). */
export const SAVE_DEBOUNCE_MS = 10

/** Milliseconds a sync message may wait for its document to reach the disk before it goes anyway (a failing disk must not wedge sync). */
export const DURABLE_HOLD_MS_MAX = 5_000

/** Milliseconds between checks of held messages. */
export const DURABLE_SWEEP_INTERVAL_MS = 50

/** Peers whose documents the relay remembers across reconnections (PeerDocuments); the oldest is forgotten first. */
export const PEERS_REMEMBERED_MAX = 10_000

// ---- the relay as a witness (witness.ts) ----------------------------------

/**
 * Pools one relay witnesses at once. Each witnessed pool costs a PoolSync and a
 * Ledger holding every entry of the pool in memory (about as much again as the
 * Repo holds for its documents); a pool past this cap is refused (logged,
 * counted as `limit="witnessedPools"`) until another stops naming the relay.
 */
export const WITNESSED_POOLS_MAX = 100

/** Default for `--checkpoint-interval-seconds`: the least time between two checkpoints of one pool. */
export const CHECKPOINT_INTERVAL_SECONDS_DEFAULT = 5

/** Largest `--checkpoint-interval-seconds` accepted (one day). */
export const CHECKPOINT_INTERVAL_SECONDS_MAX = 86_400

/** Milliseconds a witness waits after a change before signing, so that a burst (a sync of many entries) is one checkpoint. */
export const CHECKPOINT_COALESCE_MS = 100

/**
 * Checkpoints signed back to back when one could not name every head
 * (CHECKPOINT_HEADS_MAX each); the rest waits for the next interval.
 */
export const CHECKPOINTS_IN_A_ROW_MAX = 16
/**
 * How often the relay's coordinator looks for standing-order payments that fell due in the pools it
 * witnesses (coordinator.ts), beside after every change: orders repeat every minute at the most often.
 */
export const COORDINATE_INTERVAL_MS = 15_000

/** Lines (by key) the document watcher remembers having decoded; past this it forgets them all (re-decoding is only time). */
export const WITNESS_LINES_REMEMBERED_MAX = 100_000

/** Pools whose genesis the watcher is still looking for (a policy named the relay before the genesis arrived). */
export const WITNESS_GENESES_WANTED_MAX = 1_000

/** Documents the watcher reads in one turn of the event loop before letting other work run. */
export const WITNESS_SCAN_DOCUMENTS_PER_TURN_MAX = 64

// ---- bounded memory (eviction.ts) -------------------------------------------

/** Default for `--memory-budget-mb`: the memory the relay aims to stay under, in MiB. */
export const MEMORY_BUDGET_MB_DEFAULT = 512

/** Smallest `--memory-budget-mb` accepted: Node, automerge and the relay's own tables take ~120 MiB before any document. */
export const MEMORY_BUDGET_MB_MIN = 128

/**
 * Share of the budget the loaded documents may take (estimated below); the
 * rest is Node itself, automerge's WebAssembly (which never returns memory to
 * the system, so freed documents leave holes the next ones reuse), sockets,
 * buffers in flight and the witnessed pools' ledgers.
 */
export const DOCUMENTS_SHARE_OF_MEMORY_BUDGET = 0.5

/** Estimated memory of a loaded document per byte it takes on disk (automerge's compressed form); docs/relay.md has the measurement. */
export const DOCUMENT_MEMORY_BYTES_PER_STORED_BYTE = 12

/** Estimated memory of a loaded document besides its content: its handle, synchronizer and sync states. */
export const DOCUMENT_MEMORY_BYTES_BASE = 16 * 1024

/** A document that saw a message more recently than this stays in memory: its sync exchange may still be running. */
export const EVICTION_IDLE_MS_MIN = 5_000

/** A document idle this long leaves memory even when the budget is not reached. */
export const EVICTION_IDLE_MS_MAX = 10 * 60_000

/** Milliseconds between two eviction passes. */
export const EVICTION_SWEEP_INTERVAL_MS = 1_000

// ---- catch-up (POST /heads) -------------------------------------------------

/** Documents one POST /heads may ask about (a PoolSync follows at most POOL_DOCUMENTS_FOLLOWED_MAX). */
export const HEADS_QUERY_DOCUMENTS_MAX = 20_000

/** Bytes of one POST /heads body: the documents above at ~70 bytes each, with room. */
export const HEADS_QUERY_BYTES_MAX = 2 * 1024 * 1024

/** Documents whose heads digest the relay remembers after they left memory (oldest forgotten first: then they count as changed). */
export const HEADS_REMEMBERED_MAX = 200_000

// ---- PostgreSQL storage (--storage postgres://…) ----------------------------

/** Connections one relay keeps to the database: automerge-repo saves a document at a time per save debounce, loads in parallel. */
export const POSTGRES_CONNECTIONS_MAX = 8

/** How long a query waits for a connection before it fails (the database is down): the relay holds the change back meanwhile. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000

// ---- Web Push (push.ts) -------------------------------------------------------

/** Browser subscriptions the relay keeps (one per installed app, naming its pools). */
export const PUSH_SUBSCRIPTIONS_MAX = 10_000

/** Pools one subscription names. */
export const PUSH_POOLS_PER_SUBSCRIPTION_MAX = 64

/** Characters of a push endpoint URL (the big push services' are under 500). */
export const PUSH_ENDPOINT_CHARS_MAX = 1_024

/** Bytes of one POST /push/subscribe or /push/unsubscribe body. */
export const PUSH_REQUEST_BYTES_MAX = 8 * 1024

/** Least milliseconds between two pushes of one pool to one subscription; changes in between make one push at the end. */
export const PUSH_INTERVAL_MS_MIN = 30_000

/** How long a push service keeps a wake-up for an unreachable phone: a day (older news is found by syncing anyway). */
export const PUSH_TTL_SECONDS = 86_400

/** Milliseconds the relay waits for a push service's answer. */
export const PUSH_SEND_TIMEOUT_MS = 10_000

/**
 * Hosts of the browsers' push services, the only places a subscription may make the relay post to:
 * Chrome and Edge's FCM, Firefox's autopush, Safari's Apple push, Windows' WNS.
 */
export const PUSH_HOSTS_DEFAULT: readonly string[] = ['fcm.googleapis.com', 'updates.push.services.mozilla.com', '*.push.apple.com', '*.notify.windows.com']
