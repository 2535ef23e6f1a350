/**
 * The relay as a witness: it signs checkpoints for every pool that names its
 * key, and publishes them like any device publishes its own entries.
 *
 * Finding pools. The relay stores documents without knowing pools. Every time
 * one of its documents is loaded from disk or saved after a change, the
 * watcher reads that document's lines (unless its heads are the ones it last
 * read) and decodes only the lines that could name the relay: those holding
 * the witness's public key and `"type":"pool"` or `"type":"policy"`, each
 * (key, line) once. A genesis naming the key, or a policy entry naming it
 * (whose genesis is then looked for in its author's first shard: only the
 * creator changes witnesses), with a valid signature, starts witnessing the pool.
 *
 * Witnessing a pool. A PoolSync on the relay's own Repo follows the pool from
 * its genesis (discovery.ts: members' and witnesses' shards), feeding a Ledger
 * judged at the relay's clock. When entries by others arrive, a checkpoint is
 * due CHECKPOINT_COALESCE_MS later, but never sooner than the interval after
 * the previous one; signCheckpoint returns nothing when nothing new is held,
 * so an idle pool gets no checkpoint. The checkpoint goes out through
 * PoolSync.publish, into the witness's own shard of the pool, which devices
 * follow. Before its first checkpoint after a start the relay reads every
 * derivable document, its own shards included, so it continues its chain
 * rather than forking it. A pool whose policy no longer names the key (and
 * where no entry naming it is still pending) stops being witnessed.
 *
 * The pools witnessed are remembered in a file (their genesis lines) so that a
 * restarted relay resumes them before any device touches their documents.
 * Logs carry no pool content: a short pool id, the reason, counts.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import * as Automerge from '@automerge/automerge'
import type { DocHandle, DocumentId, Repo } from '@automerge/automerge-repo'
import {
  CHECKPOINT_HEADS_MAX, CLOCK_SKEW_MS_MAX, decodeEntry, encodeEntry, Ledger, publicKeyOf, SignatureCache, signCheckpoint,
  verifyEntrySignature, type Entry, type EntryId, type PolicyEntry, type PoolEntry, type PublicKeyHex, type Verifier,
} from '../core/index.ts'
import { MemoryVerifiedStore, PoolSync, readDocumentLines, SHARD_KEYS_SCANNED_MAX, shardDocumentId, type SyncDocument } from '../core/sync/index.ts'
import type { Coordinator } from './coordinator.ts'
import {
  CHECKPOINT_COALESCE_MS, CHECKPOINTS_IN_A_ROW_MAX, COORDINATE_INTERVAL_MS, WITNESS_GENESES_WANTED_MAX, WITNESS_LINES_REMEMBERED_MAX,
  WITNESS_SCAN_DOCUMENTS_PER_TURN_MAX, WITNESSED_POOLS_MAX,
} from './limits.ts'

/** The file in the relay's data directory that lists the pools witnessed (their genesis lines), for restarts. */
export const WITNESSED_POOLS_FILE_NAME = 'witnessed-pools.json'

export interface WitnessOptions {
  readonly repo: Repo
  readonly secretKey: Uint8Array
  /** Least milliseconds between two checkpoints of one pool. */
  readonly checkpointIntervalMs: number
  /** Pools witnessed at once (WITNESSED_POOLS_MAX unless a test says otherwise). */
  readonly poolsMax?: number
  /** Where the pools witnessed are remembered across restarts; none: not remembered. */
  readonly stateFile?: string
  /** The relay's clock, in ms; checkpoints carry it. */
  readonly now?: () => number
  /** Signature checks (the reference unless a proven-equal one is given). */
  readonly verifier?: Verifier
  readonly log?: (event: string, fields?: Record<string, unknown>) => void
  /** Called once per checkpoint signed and published (metrics). */
  readonly onCheckpoint?: () => void
  /** Called when a pool is refused for the cap (metrics). */
  readonly onRefused?: () => void
  /** Collects standing orders that name it, in the pools witnessed (coordinator.ts); none: the relay collects nothing. */
  readonly coordinator?: Coordinator
  /** Called once per collect the coordinator signed and published (metrics). */
  readonly onCollect?: () => void
  /** Called when entries by someone else than the relay arrive in a pool witnessed (Web Push wakes its followers: push.ts). */
  readonly onPoolChanged?: (pool: EntryId) => void
}

interface WitnessedPool {
  readonly pool: EntryId
  readonly genesis: PoolEntry
  readonly sync: PoolSync
  readonly ledger: Ledger
  /** Entries seen naming the relay; while the creator's one is pending, the pool is kept though its policy does not name us yet. */
  readonly triggers: Set<EntryId>
  lastSignedAt: number
  /** Something by someone else arrived since the last checkpoint. */
  changed: boolean
  /** Every derivable document has been read once (the relay's own shards among them). */
  settled: boolean
  ticking: boolean
  closed: boolean
  timer: NodeJS.Timeout | undefined
  /** When a future-dated entry becomes due at the relay's clock; a timer re-checks then. */
  wake: NodeJS.Timeout | undefined
}

export class RelayWitness {
  readonly publicKey: PublicKeyHex
  readonly #repo: Repo
  readonly #secretKey: Uint8Array
  readonly #intervalMs: number
  readonly #poolsMax: number
  readonly #stateFile: string | undefined
  readonly #now: () => number
  readonly #verifier: Verifier | undefined
  readonly #log: (event: string, fields?: Record<string, unknown>) => void
  readonly #onCheckpoint: () => void
  readonly #onRefused: () => void
  readonly #coordinator: Coordinator | undefined
  readonly #onCollect: () => void
  readonly #onPoolChanged: (pool: EntryId) => void
  #coordinateTimer: NodeJS.Timeout | undefined
  readonly #pools = new Map<EntryId, WitnessedPool>()
  /** Pools that stopped naming the relay, with the entries that had named it (a new one starts the pool again). */
  readonly #stopped = new Map<EntryId, Set<EntryId>>()
  /** Pools refused for the cap, oldest first (logged once each; the oldest gets the next free place). */
  readonly #refused = new Map<EntryId, { genesis: PoolEntry; seeds: readonly PolicyEntry[]; via: 'genesis' | 'policy' | 'restart' }>()
  /** Pools whose genesis is missing, by pool id, with the policy entry that named the relay. */
  readonly #wantedGeneses = new Map<EntryId, PolicyEntry>()
  /** Documents the watcher has read, and the heads it last read in each. */
  readonly #watched = new Map<DocumentId, string>()
  /** Handles the watcher listens to (a document evicted and loaded again comes back in a new handle). */
  readonly #listening = new WeakSet<DocHandle<SyncDocument>>()
  readonly #dirty = new Set<DocumentId>()
  /** Keys of lines already decoded (with their line), so each candidate is decoded once. */
  readonly #decoded = new Map<string, string>()
  #scanCache = new SignatureCache()
  #scanTimer: NodeJS.Timeout | undefined
  #persisting: Promise<void> = Promise.resolve()
  #persistAgain = false
  #closed = false
  #checkpoints = 0

  constructor(options: WitnessOptions) {
    this.#repo = options.repo
    this.#secretKey = options.secretKey
    this.publicKey = publicKeyOf(options.secretKey)
    this.#intervalMs = options.checkpointIntervalMs
    this.#poolsMax = options.poolsMax ?? WITNESSED_POOLS_MAX
    this.#stateFile = options.stateFile
    this.#now = options.now ?? Date.now
    this.#verifier = options.verifier
    this.#log = options.log ?? (() => {})
    this.#onCheckpoint = options.onCheckpoint ?? (() => {})
    this.#onRefused = options.onRefused ?? (() => {})
    this.#coordinator = options.coordinator
    this.#onCollect = options.onCollect ?? (() => {})
    this.#onPoolChanged = options.onPoolChanged ?? (() => {})
    if (this.#coordinator) {
      // Payments fall due with nothing arriving: look every so often, not only after a change.
      this.#coordinateTimer = setInterval(() => void this.#coordinateAll(), COORDINATE_INTERVAL_MS)
      this.#coordinateTimer.unref()
    }
  }

  /** Resumes the pools remembered in the state file. */
  async start(): Promise<void> {
    if (!this.#stateFile) return
    let lines: unknown
    try {
      lines = (JSON.parse(await readFile(this.#stateFile, 'utf8')) as { pools?: unknown }).pools
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#log('witness-state-unreadable', { message: messageOf(error) })
      return
    }
    if (!Array.isArray(lines)) return
    for (const line of lines) {
      if (typeof line !== 'string') continue
      const decoded = decodeEntry(line)
      if (!decoded.ok || decoded.entry.type !== 'pool' || !this.#verify(decoded.entry)) continue
      await this.#witness(decoded.entry, [], 'restart')
    }
  }

  /** Pools witnessed now. */
  poolCount(): number {
    return this.#pools.size
  }

  /** Ids of the pools witnessed now. */
  pools(): EntryId[] {
    return [...this.#pools.keys()]
  }

  /**
   * Whether a witnessed pool follows this document. Such documents stay in
   * memory: the pool's PoolSync listens to their handles (eviction.ts pins them).
   */
  holds(documentId: DocumentId): boolean {
    for (const pool of this.#pools.values()) if (pool.sync.handles().has(documentId)) return true
    return false
  }

  /** Checkpoints signed and published since start. */
  checkpointCount(): number {
    return this.#checkpoints
  }

  /** A document was loaded or saved: read it (soon) unless its heads are the ones read last. */
  noteDocument(documentId: DocumentId): void {
    if (this.#closed) return
    const handle = this.#repo.handles[documentId] as DocHandle<SyncDocument> | undefined
    if (!handle) return
    if (!this.#watched.has(documentId)) this.#watched.set(documentId, '')
    if (!this.#listening.has(handle)) {
      this.#listening.add(handle)
      // Loads finish after the storage hook ran, and later changes may not be saved at once: listen to the handle too.
      handle.on('heads-changed', () => this.#markDirty(documentId))
    }
    this.#markDirty(documentId)
  }

  /** Stops every pool, writes the state file, and lets go of timers. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#scanTimer)
    clearInterval(this.#coordinateTimer)
    for (const pool of this.#pools.values()) this.#closePool(pool)
    await this.#persisting
  }

  // ---- watching documents ---------------------------------------------------

  #markDirty(documentId: DocumentId): void {
    if (this.#closed) return
    this.#dirty.add(documentId)
    this.#scanTimer ??= setTimeout(() => this.#scan(), 0)
  }

  #scan(): void {
    this.#scanTimer = undefined
    let read = 0
    for (const documentId of this.#dirty) {
      if (read >= WITNESS_SCAN_DOCUMENTS_PER_TURN_MAX) break
      this.#dirty.delete(documentId)
      read++
      try {
        this.#scanDocument(documentId)
      } catch (error) {
        this.#log('witness-error', { message: messageOf(error) })
      }
    }
    if (this.#dirty.size > 0 && !this.#closed) this.#scanTimer = setTimeout(() => this.#scan(), 0)
  }

  #scanDocument(documentId: DocumentId): void {
    const handle = this.#repo.handles[documentId] as DocHandle<SyncDocument> | undefined
    if (!handle?.isReady()) return
    const doc = handle.doc()
    const heads = Automerge.getHeads(doc as Automerge.Doc<unknown>).join(',')
    if (this.#watched.get(documentId) === heads) return
    this.#watched.set(documentId, heads)
    for (const [key, line] of readDocumentLines(doc, SHARD_KEYS_SCANNED_MAX).lines) {
      const wanted = this.#wantedGeneses.size > 0 ? this.#wantedGeneses.get(key as EntryId) : undefined
      if (wanted) this.#considerGenesisFor(wanted, line)
      if (!line.includes(this.publicKey) || !(line.includes('"type":"pool"') || line.includes('"type":"policy"'))) continue
      if (this.#decoded.get(key) === line) continue
      if (this.#decoded.size >= WITNESS_LINES_REMEMBERED_MAX) this.#decoded.clear()
      this.#decoded.set(key, line)
      const decoded = decodeEntry(line)
      if (!decoded.ok) continue
      const entry = decoded.entry
      if (entry.type === 'pool' && entry.id === entry.pool && this.#names(entry.policy.witnesses) && this.#verify(entry)) {
        void this.#witness(entry, [], 'genesis')
      } else if (entry.type === 'policy' && this.#names(entry.policy.witnesses) && this.#verify(entry)) {
        void this.#namedByPolicy(entry)
      }
    }
  }

  #names(witnesses: readonly PublicKeyHex[] | undefined): boolean {
    return witnesses !== undefined && witnesses.includes(this.publicKey)
  }

  #verify(entry: Entry): boolean {
    if (this.#scanCache.size >= WITNESS_LINES_REMEMBERED_MAX) this.#scanCache = new SignatureCache()
    return verifyEntrySignature(entry, this.#scanCache, this.#verifier)
  }

  /** A policy entry names the relay: witness its pool, whose genesis is in the author's first shard (only the creator names witnesses). */
  async #namedByPolicy(entry: PolicyEntry): Promise<void> {
    const witnessed = this.#pools.get(entry.pool)
    if (witnessed) {
      this.#noteTrigger(witnessed, entry)
      return
    }
    if (this.#stopped.get(entry.pool)?.has(entry.id)) return
    const genesisDocument = shardDocumentId(entry.pool, entry.author, 0)
    let handle: DocHandle<SyncDocument> | undefined
    try {
      handle = await this.#repo.find<SyncDocument>(genesisDocument, { allowableStates: ['ready', 'unavailable'] })
    } catch {
      handle = undefined
    }
    if (this.#closed) return
    const line = handle?.isReady() ? readDocumentLines(handle.doc(), SHARD_KEYS_SCANNED_MAX).lines.find(([key]) => key === entry.pool)?.[1] : undefined
    if (line !== undefined && this.#considerGenesisFor(entry, line)) return
    // Not here yet: whichever document brings it is read by the watcher.
    if (this.#wantedGeneses.size >= WITNESS_GENESES_WANTED_MAX) this.#wantedGeneses.clear()
    this.#wantedGeneses.set(entry.pool, entry)
  }

  /** `line` is stored under the pool id of `policy`: if it is that pool's genesis, witness the pool. */
  #considerGenesisFor(policy: PolicyEntry, line: string): boolean {
    const decoded = decodeEntry(line)
    if (!decoded.ok || decoded.entry.type !== 'pool' || decoded.entry.id !== policy.pool || !this.#verify(decoded.entry)) return false
    this.#wantedGeneses.delete(policy.pool)
    void this.#witness(decoded.entry, [policy], 'policy')
    return true
  }

  // ---- witnessing pools ------------------------------------------------------

  async #witness(genesis: PoolEntry, seeds: readonly PolicyEntry[], via: 'genesis' | 'policy' | 'restart'): Promise<void> {
    if (this.#closed) return
    const triggers = via === 'genesis' ? [genesis.id] : seeds.map((entry) => entry.id)
    const existing = this.#pools.get(genesis.id)
    if (existing) {
      for (const entry of seeds) this.#noteTrigger(existing, entry)
      return
    }
    const stopped = this.#stopped.get(genesis.id)
    if (stopped && via !== 'restart' && triggers.every((id) => stopped.has(id))) return
    if (this.#pools.size >= this.#poolsMax) {
      if (!this.#refused.has(genesis.id)) {
        if (this.#refused.size >= WITNESS_GENESES_WANTED_MAX) this.#refused.delete(this.#refused.keys().next().value!)
        this.#refused.set(genesis.id, { genesis, seeds, via })
        this.#onRefused()
        this.#log('witness-refused', { pool: shortId(genesis.id), reason: 'witnessedPoolsMax', detail: `at most ${this.#poolsMax} pools witnessed` })
      }
      return
    }
    this.#stopped.delete(genesis.id)
    this.#refused.delete(genesis.id)
    const cache = new SignatureCache()
    const seeded: Entry[] = [genesis, ...seeds]
    const sync = new PoolSync({ repo: this.#repo, pool: genesis.id, store: new MemoryVerifiedStore(seeded), verifier: this.#verifier, signatureCache: cache })
    const ledger = new Ledger(genesis.id, { cache, verifier: this.#verifier })
    ledger.add(seeded, this.#now())
    const pool: WitnessedPool = {
      pool: genesis.id, genesis, sync, ledger, triggers: new Set(triggers),
      lastSignedAt: -Infinity, changed: true, settled: false, ticking: false, closed: false, timer: undefined, wake: undefined,
    }
    this.#pools.set(genesis.id, pool)
    sync.onEntries((entries) => this.#onEntries(pool, entries))
    this.#log('witness-started', { pool: shortId(genesis.id), via, pools: this.#pools.size })
    this.#persist()
    try {
      await sync.start()
    } catch (error) {
      this.#log('witness-error', { pool: shortId(genesis.id), message: messageOf(error) })
    }
    this.#schedule(pool)
  }

  /**
   * A policy entry naming the relay, seen in a document: published like the
   * relay's own entries (so it is written home, where devices find it, before
   * a checkpoint can name it), then judged by the ledger (it may wait for its prev).
   */
  #noteTrigger(pool: WitnessedPool, entry: PolicyEntry): void {
    if (pool.triggers.has(entry.id) || pool.closed) return
    pool.triggers.add(entry.id)
    pool.changed = true
    pool.sync.publish([entry]).then(() => this.#schedule(pool), (error: unknown) => {
      this.#log('witness-error', { pool: shortId(pool.pool), message: messageOf(error) })
    })
  }

  #onEntries(pool: WitnessedPool, entries: Entry[]): void {
    if (pool.closed) return
    const now = this.#now()
    pool.ledger.add(entries, now)
    let others = false
    let dueAt = Infinity
    for (const entry of entries) {
      if (entry.author !== this.publicKey) others = true
      // Dated ahead of the relay's clock (phones run a little fast): pending here until then.
      if (entry.time > now && entry.time <= now + CLOCK_SKEW_MS_MAX) dueAt = Math.min(dueAt, entry.time)
    }
    if (dueAt !== Infinity && pool.wake === undefined) {
      pool.wake = setTimeout(() => {
        pool.wake = undefined
        pool.changed = true
        this.#schedule(pool)
      }, dueAt - now + 1)
      pool.wake.unref()
    }
    if (others) {
      pool.changed = true
      this.#schedule(pool)
      this.#onPoolChanged(pool.pool)
    }
  }

  /** Arms the pool's timer: a checkpoint CHECKPOINT_COALESCE_MS after a change, and at least the interval after the last one. */
  #schedule(pool: WitnessedPool): void {
    if (pool.closed || pool.timer !== undefined || pool.ticking || !pool.changed) return
    const now = this.#now()
    const due = Math.max(pool.lastSignedAt + this.#intervalMs, now + CHECKPOINT_COALESCE_MS)
    pool.timer = setTimeout(() => {
      pool.timer = undefined
      void this.#tick(pool)
    }, due - now)
    pool.timer.unref()
  }

  async #tick(pool: WitnessedPool): Promise<void> {
    if (pool.closed || pool.ticking) return
    pool.ticking = true
    try {
      if (!pool.settled) {
        // Read every derivable document first, the relay's own shards among them: the next checkpoint continues its chain.
        await pool.sync.settled()
        pool.settled = true
        if (pool.closed) return
      }
      const time = this.#now()
      pool.changed = false
      pool.ledger.add([], time)
      if (!this.#names(pool.ledger.policy?.witnesses)) {
        // Only the creator names witnesses: its entry naming the relay that still waits for its past keeps the pool.
        const waiting = [...pool.triggers].some((id) => pool.ledger.entry(id)?.author === pool.genesis.author && pool.ledger.verdict(id)?.status === 'pending')
        if (!waiting) this.#stop(pool, 'not-named')
        return
      }
      for (let row = 0; row < CHECKPOINTS_IN_A_ROW_MAX && !pool.closed; row++) {
        const checkpoint = signCheckpoint(pool.ledger, this.#secretKey, time)
        if (!checkpoint) break
        const refused = await pool.sync.publish([checkpoint])
        if (refused.length > 0) throw new Error(`expected the relay's own checkpoint to be accepted for publishing, got ${refused[0]!.reason}`)
        pool.ledger.add([checkpoint], time)
        pool.lastSignedAt = time
        this.#checkpoints++
        this.#onCheckpoint()
        if (checkpoint.heads.length < CHECKPOINT_HEADS_MAX) break
        // A full checkpoint may have left heads out: the next one in a row names them, or the next interval's.
        if (row === CHECKPOINTS_IN_A_ROW_MAX - 1) pool.changed = true
      }
      await this.#coordinate(pool, time)
    } catch (error) {
      this.#log('witness-error', { pool: shortId(pool.pool), message: messageOf(error) })
    } finally {
      pool.ticking = false
      this.#schedule(pool)
    }
  }

  /** Collects what fell due in every pool witnessed and settled, between their ticks. */
  async #coordinateAll(): Promise<void> {
    for (const pool of this.#pools.values()) {
      if (pool.closed || pool.ticking || !pool.settled) continue
      pool.ticking = true
      try {
        await this.#coordinate(pool, this.#now())
      } catch (error) {
        this.#log('coordinator-error', { pool: shortId(pool.pool), message: messageOf(error) })
      } finally {
        pool.ticking = false
        this.#schedule(pool)
      }
    }
  }

  /** The coordinator's collects due by `time` in this pool (its chain read first: `settled`); a checkpoint follows them. */
  async #coordinate(pool: WitnessedPool, time: number): Promise<void> {
    if (!this.#coordinator || !pool.settled || pool.closed) return
    pool.ledger.add([], time)
    const sent = await this.#coordinator.collect(pool.pool, pool.ledger, pool.sync, time)
    if (sent === 0) return
    for (let i = 0; i < sent; i++) this.#onCollect()
    this.#log('coordinator-collected', { pool: shortId(pool.pool), collects: sent })
    pool.changed = true
  }

  #stop(pool: WitnessedPool, reason: 'not-named'): void {
    this.#closePool(pool)
    this.#pools.delete(pool.pool)
    if (this.#stopped.size >= WITNESS_GENESES_WANTED_MAX) this.#stopped.clear()
    this.#stopped.set(pool.pool, pool.triggers)
    this.#log('witness-stopped', { pool: shortId(pool.pool), reason, pools: this.#pools.size })
    this.#persist()
    // A place is free: the pool refused longest ago takes it.
    const [waiting] = this.#refused.values()
    if (waiting) {
      this.#refused.delete(waiting.genesis.id)
      void this.#witness(waiting.genesis, waiting.seeds, waiting.via)
    }
  }

  #closePool(pool: WitnessedPool): void {
    pool.closed = true
    clearTimeout(pool.timer)
    clearTimeout(pool.wake)
    pool.sync.close()
  }

  /** Writes the genesis lines of the pools witnessed (temporary file, then rename); one write at a time, the last state wins. */
  #persist(): void {
    const file = this.#stateFile
    if (!file) return
    if (this.#persistAgain) return
    this.#persistAgain = true
    this.#persisting = this.#persisting.then(async () => {
      this.#persistAgain = false
      const text = JSON.stringify({ pools: [...this.#pools.values()].map((pool) => encodeEntry(pool.genesis)) }) + '\n'
      const temporary = `${file}.${process.pid}.tmp`
      try {
        await writeFile(temporary, text)
        await rename(temporary, file)
      } catch (error) {
        this.#log('witness-state-unwritable', { message: messageOf(error) })
      }
    })
  }
}

/** Enough of an id for an operator to tell pools apart in logs. */
function shortId(id: string): string {
  return id.slice(0, 12)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
