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
import { Repo, type DocHandle, type PeerId } from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb'
import type { Entry, EntryId, SignatureCache } from '../../core/index.ts'
import { breakSyncStorms, homeDocumentsOf, PoolSync, type VerifiedStore } from '../../core/sync/index.ts'
import type { PoolFollow, PoolFollowEvents, SyncEngine, SyncStatus } from './sync-engine.ts'

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
    }
    void old.shutdown().catch(() => undefined)
    this.#repo = this.#makeRepo()
    for (const follower of this.#followers) void this.#start(follower)
    this.#peerSince = 0
    this.#lostSince = Date.now()
    this.#setStatus('connecting')
  }

  follow(pool: EntryId, store: VerifiedStore, events: PoolFollowEvents): PoolFollow {
    const follower: Follower = { pool, store, events, sync: null, undelivered: new Map(), caughtUp: false, settling: false, stopped: false }
    this.#followers.add(follower)
    void this.#start(follower)
    return {
      publish: (entries) => {
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
    // A lost frame must not turn into an endless have/need exchange with the relay (stormBreaker.ts).
    breakSyncStorms(repo)
    return repo
  }

  async #start(follower: Follower): Promise<void> {
    const sync = new PoolSync({ repo: this.#repo, pool: follower.pool, store: follower.store, signatureCache: this.#cache })
    follower.sync = sync
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
    }
    this.#setStatus(allCaughtUp ? 'online' : 'syncing')
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
