/**
 * The SyncEngine on automerge-repo: one Repo in the page (IndexedDB storage,
 * one WebSocket to the chosen relay) and a core/sync PoolSync per pool.
 * Loaded lazily (see deferred-sync-engine.ts) so the wallet shows balances
 * from IndexedDB before automerge's wasm has even compiled.
 *
 * "Reached the relay" is read from the relay's own reports: automerge-repo
 * keeps, per document, the heads the relay last said it holds. When they
 * cover this device's heads of an entry's home document, the relay has it.
 */
import { Repo, type DocHandle, type DocumentId, type PeerId } from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb'
import type { Entry, EntryId, PublicKeyHex, SignatureCache } from '../../core/index.ts'
import { breakSyncStorms, homeDocumentsOf, PoolSync, SHARD_ENTRIES, shardDocumentId, type VerifiedStore } from '../../core/sync/index.ts'
import { ownChainFetched, ownSeqs, ownShards, type RelayAnswer, type ShardState } from './own-chain.ts'
import type { FollowOptions, PoolFollow, PoolFollowEvents, SyncEngine, SyncStatus } from './sync-engine.ts'

/** automerge-repo's own database, apart from the wallet's: its contents are untrusted copies. */
const AUTOMERGE_DB_NAME = 'heroes-automerge'
/** How often delivery and catch-up are re-checked while something is outstanding, in ms. */
const PROGRESS_POLL_MS = 700
/** Reconnect interval of the WebSocket adapter, in ms (its default is 5,000: too slow after a phone wakes). */
const RECONNECT_MS = 2000
/** How long "connecting" may last before the relay counts as unreachable, in ms. */
const RELAY_UNREACHABLE_MS = 6000
/** How long the relay has to answer for a document before "it has none" is believed, in ms. */
const RELAY_ANSWER_GRACE_MS = 1500

interface Follower {
  readonly pool: EntryId
  readonly store: VerifiedStore
  readonly events: PoolFollowEvents
  sync: PoolSync | null
  /** Own entries not yet known to be on the relay. */
  readonly undelivered: Map<EntryId, Entry>
  caughtUp: boolean
  settling: boolean
  stopped: boolean
  /** This device's key in the pool, whose own chain onOwnChainFetched is about. */
  readonly author: PublicKeyHex | undefined
  /** Seqs of the author's entries this device holds (from the store, from documents, from publish). */
  readonly ownSeqs: Set<number>
  ownFetched: boolean
  ownChecking: boolean
}

export class AutomergeSyncEngine implements SyncEngine {
  #status: SyncStatus = 'connecting'
  #relayUrl: string
  #repo: Repo
  readonly #cache: SignatureCache
  readonly #followers = new Set<Follower>()
  readonly #listeners = new Set<(status: SyncStatus) => void>()
  #timer: ReturnType<typeof setInterval> | undefined
  /** When the relay peer appeared; documents it has not answered for yet must not count as absent. */
  #peerSince = 0
  /** When the relay was last lost (or first sought): after a grace period, "connecting" becomes "offline". */
  #lostSince = Date.now()
  /**
   * What the relay said about each document in this session (a sync message,
   * or "unavailable"), from its own messages: automerge-repo marks a document
   * unavailable by itself when no peer is connected, which proves nothing.
   */
  #answers = new Map<DocumentId, RelayAnswer>()

  constructor(relayUrl: string, cache: SignatureCache) {
    this.#relayUrl = relayUrl
    this.#cache = cache
    this.#repo = this.#makeRepo()
    this.#timer = setInterval(() => this.#checkProgress(), PROGRESS_POLL_MS)
    globalThis.addEventListener?.('online', () => this.#checkProgress())
    globalThis.addEventListener?.('offline', () => this.#checkProgress())
  }

  get status(): SyncStatus {
    return this.#status
  }

  get relayUrl(): string {
    return this.#relayUrl
  }

  onStatusChange(listener: (status: SyncStatus) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  setRelay(url: string): void {
    if (url === this.#relayUrl) return
    this.#relayUrl = url
    const old = this.#repo
    for (const follower of this.#followers) {
      follower.sync?.close()
      follower.sync = null
      follower.caughtUp = false
      follower.ownFetched = false
    }
    void old.shutdown().catch(() => undefined)
    this.#answers = new Map()
    this.#repo = this.#makeRepo()
    for (const follower of this.#followers) void this.#start(follower)
    this.#peerSince = 0
    this.#lostSince = Date.now()
    this.#setStatus('connecting')
  }

  follow(pool: EntryId, store: VerifiedStore, events: PoolFollowEvents, options: FollowOptions = {}): PoolFollow {
    const follower: Follower = {
      pool, store, events, sync: null, undelivered: new Map(), caughtUp: false, settling: false, stopped: false,
      author: options.author, ownSeqs: new Set(), ownFetched: false, ownChecking: false,
    }
    this.#followers.add(follower)
    void this.#start(follower)
    return {
      publish: (entries) => {
        this.#noteOwn(follower, entries)
        for (const entry of entries) follower.undelivered.set(entry.id, entry)
        void follower.sync?.publish(entries)
        follower.caughtUp = false
      },
      stop: () => {
        follower.stopped = true
        follower.sync?.close()
        this.#followers.delete(follower)
      },
    }
  }

  #makeRepo(): Repo {
    const repo = new Repo({
      network: [new WebSocketClientAdapter(this.#relayUrl, RECONNECT_MS)],
      storage: new IndexedDBStorageAdapter(AUTOMERGE_DB_NAME),
      // Only the relay is ever connected; sharing with it is the point.
      sharePolicy: async () => true,
    })
    const answers = this.#answers
    repo.networkSubsystem.on('message', (message: { type: string; documentId?: DocumentId }) => {
      if (message.documentId === undefined) return
      if (message.type === 'sync') answers.set(message.documentId, 'sync')
      else if (message.type === 'doc-unavailable') answers.set(message.documentId, 'unavailable')
    })
    // A lost frame must not turn into an endless have/need exchange with the relay (stormBreaker.ts).
    breakSyncStorms(repo)
    return repo
  }

  async #start(follower: Follower): Promise<void> {
    const sync = new PoolSync({ repo: this.#repo, pool: follower.pool, store: follower.store, signatureCache: this.#cache })
    follower.sync = sync
    if (follower.author) {
      sync.onEntries((entries) => this.#noteOwn(follower, entries))
      this.#noteOwn(follower, await follower.store.all())
    }
    await sync.start()
    // Entries this device wrote earlier may never have left it: they are checked like new ones.
    this.#checkProgress()
  }

  #relayPeer(): PeerId | undefined {
    return this.#repo.peers[0]
  }

  #checkProgress(): void {
    const online = globalThis.navigator?.onLine !== false
    const peer = this.#relayPeer()
    if (!online || !peer) {
      if (this.#peerSince !== 0 || this.#lostSince === 0) this.#lostSince = Date.now()
      this.#peerSince = 0
      // A relay that does not answer is, for the member, the same as no network: say offline.
      this.#setStatus(online && Date.now() - this.#lostSince < RELAY_UNREACHABLE_MS ? 'connecting' : 'offline')
      return
    }
    this.#lostSince = 0
    if (this.#peerSince === 0) this.#peerSince = Date.now()
    // The client adapter reports ready before the relay has answered (PERF-NOTES pitfall 4): give it a moment.
    const answered = Date.now() - this.#peerSince > RELAY_ANSWER_GRACE_MS
    const storageId = this.#repo.getStorageIdOfPeer(peer)
    let allCaughtUp = true
    for (const follower of this.#followers) {
      const sync = follower.sync
      if (!sync || follower.stopped) {
        allCaughtUp = false
        continue
      }
      const handles = sync.handles()
      const covered = (handle: DocHandle<unknown> | undefined): boolean => {
        if (!handle || storageId === undefined || !handle.isReady()) return false
        const theirs = handle.getSyncInfo(storageId)?.lastHeads
        if (!theirs) return false
        const set = new Set(theirs)
        return handle.heads().every((head) => set.has(head))
      }
      const delivered: EntryId[] = []
      for (const [id, entry] of follower.undelivered) {
        const home = homeDocumentsOf(entry)[0]
        if (home && covered(handles.get(home) as DocHandle<unknown> | undefined)) delivered.push(id)
      }
      for (const id of delivered) follower.undelivered.delete(id)
      if (delivered.length > 0) follower.events.onDelivered(delivered)

      // Caught up: every followed document answered by the relay and nothing of ours outstanding.
      let waiting = !answered || follower.undelivered.size > 0 || handles.size === 0
      for (const handle of handles.values()) {
        if (handle.isUnavailable()) continue
        if (!covered(handle as DocHandle<unknown>)) waiting = true
      }
      if (!waiting && !follower.caughtUp && !follower.settling) {
        follower.settling = true
        void sync.settled().then(() => {
          follower.settling = false
          follower.caughtUp = true
          follower.events.onCaughtUp()
        })
      }
      if (waiting) allCaughtUp = false
      if (follower.author && !follower.ownFetched && !follower.ownChecking) void this.#checkOwnChain(follower, sync, peer)
    }
    this.#setStatus(allCaughtUp ? 'online' : 'syncing')
  }

  #noteOwn(follower: Follower, entries: readonly Entry[]): void {
    if (!follower.author) return
    for (const seq of ownSeqs(entries, follower.author)) follower.ownSeqs.add(seq)
  }

  /**
   * Tells the wallet once the relay has answered for every shard of this
   * device's own chain and all it holds there is here and ingested
   * (own-chain.ts has the rule).
   */
  async #checkOwnChain(follower: Follower, sync: PoolSync, peer: PeerId): Promise<void> {
    const author = follower.author
    if (!author) return
    follower.ownChecking = true
    try {
      const fetched = (): boolean => {
        const storageId = this.#repo.getStorageIdOfPeer(peer)
        const handles = sync.handles()
        const state = (shard: number): ShardState => {
          const id = shardDocumentId(follower.pool, author, shard)
          const handle = handles.get(id) as DocHandle<unknown> | undefined
          const ready = handle?.isReady() === true
          return {
            answer: this.#answers.get(id),
            ours: ready ? handle.heads() : undefined,
            theirs: ready && storageId !== undefined ? handle.getSyncInfo(storageId)?.lastHeads : undefined,
          }
        }
        return ownChainFetched(ownShards(follower.ownSeqs, SHARD_ENTRIES), state)
      }
      if (!fetched()) return
      // What arrived must be verified and stored before the wallet signs on top of it.
      await sync.settled()
      if (follower.stopped || follower.sync !== sync || !fetched()) return
      follower.ownFetched = true
      follower.events.onOwnChainFetched()
    } finally {
      follower.ownChecking = false
    }
  }

  #setStatus(status: SyncStatus): void {
    if (status === this.#status) return
    this.#status = status
    for (const listener of this.#listeners) listener(status)
  }

  dispose(): void {
    clearInterval(this.#timer)
    void this.#repo.shutdown()
  }
}
