/**
 * A relay inside the simulation: an automerge-repo Repo with no network of its
 * own (its one adapter is the fault network) and the sharing policy of
 * sync-server/relay.ts: it gives clients what they ask for and announces
 * everything to peer relays. It can crash and come back with its storage, or
 * come back empty (a lost disk). A relay may also run witnesses (witness.ts):
 * they follow their pools in its Repo and are told when it restarts.
 */
import { PeerDocuments } from '../sync-server/peerDocuments.ts'
import { breakSyncStorms, guardEmptySaves, guardLoadLeak } from '../core/sync/index.ts'
import { DocumentEviction } from '../sync-server/eviction.ts'
import { Repo, type DocumentId, type PeerId } from '@automerge/automerge-repo'
import type { FaultNetwork } from './faultNetwork.ts'
import { MemoryDisk, MemoryStorageAdapter } from './memoryStorage.ts'
import type { Trace } from './trace.ts'

/** sync-server/limits.ts SAVE_DEBOUNCE_MS: relays save soon after a change. */
const RELAY_SAVE_DEBOUNCE_MS = 100

/**
 * sync-server's eviction (eviction.ts) with a small budget, drawn per relay by the seed: idle documents
 * leave the relay's memory and load again from its disk when a message names them.
 */
export interface RelayEviction {
  /** Estimated bytes the loaded documents may take (each counted as EVICTION_DOCUMENT_BYTES). */
  readonly budgetBytes: number
  /** A document that saw a message more recently than this stays. */
  readonly idleMsMin: number
}

/** What the simulated relay counts per loaded document (its real size does not matter: the budget is in documents). */
const EVICTION_DOCUMENT_BYTES = 64 * 1024

export class RelayNode {
  #disk: MemoryDisk
  #storage: MemoryStorageAdapter
  #repo: Repo
  #incarnation = 0
  readonly #restartListeners: Array<() => void> = []
  /** Documents that must stay loaded (a witness's PoolSync listens to them). */
  readonly #pins: Array<(documentId: DocumentId) => boolean> = []
  #eviction: DocumentEviction | undefined
  #evictionTimer: ReturnType<typeof setInterval> | undefined
  /** Documents evicted over every incarnation. */
  evictions = 0

  constructor(
    readonly name: string,
    private readonly network: FaultNetwork,
    private readonly isRelayNode: (nodeName: string) => boolean,
    private readonly trace: Trace,
    /** Apply the suggested relay fix (see resyncReconnectingClients); false runs the relay exactly as sync-server does. */
    private readonly patched: boolean,
    /** Evict idle documents (sync-server's bounded memory); none: keep every document, as before. */
    private readonly eviction?: RelayEviction,
  ) {
    this.#disk = new MemoryDisk(`${name}-disk-0`)
    this.#storage = new MemoryStorageAdapter(this.#disk)
    this.#repo = this.#boot()
  }

  get repo(): Repo {
    return this.#repo
  }

  /** Keeps the documents `pinned` names loaded (a witness's pools). */
  pin(pinned: (documentId: DocumentId) => boolean): void {
    this.#pins.push(pinned)
  }

  /** Calls `listener` after every restart, once the new Repo is up (a witness then follows its pools in it). */
  onRestart(listener: () => void): void {
    this.#restartListeners.push(listener)
  }

  /** The process dies without flushing; it comes back at once, with its disk or with a new empty one. */
  restart(keepStorage: boolean): void {
    this.#storage.cutOff()
    // Detach without Repo.shutdown(): a crash flushes nothing.
    for (const adapter of this.#repo.networkSubsystem.adapters) adapter.disconnect()
    if (!keepStorage) this.#disk = new MemoryDisk(`${this.name}-disk-${this.#incarnation + 1}`)
    this.#storage = new MemoryStorageAdapter(this.#disk)
    this.#repo = this.#boot()
    this.trace.note(`${this.name}: restarted ${keepStorage ? 'with its storage' : 'with EMPTY storage'}`)
    for (const listener of this.#restartListeners) listener()
  }

  #boot(): Repo {
    this.#incarnation++
    const peerId = `${this.name}#${this.#incarnation}` as PeerId
    const network = this.network
    const isRelayNode = this.isRelayNode
    const repo = new Repo({
      storage: this.#storage,
      network: [network.adapterFor(this.name, peerId)],
      peerId,
      saveDebounceRate: RELAY_SAVE_DEBOUNCE_MS,
      shareConfig: {
        // The same policy as sync-server/relay.ts: peer relays get everything; a returning
        // client is re-announced the documents it had touched (PeerDocuments), which resets
        // automerge-repo's stale per-peer sync state.
        announce: async (peer, documentId) => isRelayNode(peerNodeName(peer)) || (documentId !== undefined && touched.touched(peer, documentId)),
        access: async () => true,
      },
    })
    const touched = new PeerDocuments(RELAY_PEERS_REMEMBERED_MAX, RELAY_DOCUMENTS_PER_PEER_MAX)
    repo.networkSubsystem.on('message', (message) => {
      const documentId = (message as { documentId?: string }).documentId
      if (documentId !== undefined) touched.note(message.senderId, documentId)
    })
    if (this.patched) resyncReconnectingClients(repo)
    clearInterval(this.#evictionTimer)
    if (this.eviction) {
      guardEmptySaves(repo)
      guardLoadLeak(repo)
      const eviction = new DocumentEviction({
        repo, documentBudgetBytes: this.eviction.budgetBytes, idleMsMin: this.eviction.idleMsMin, idleMsMax: 10 * 60_000,
        estimateBytes: () => EVICTION_DOCUMENT_BYTES,
        // No held messages here (sync-server's DurableForwarding is not simulated): evict() writes the document first.
        settled: () => true,
        pinned: (documentId) => this.#pins.some((pinned) => pinned(documentId)),
        now: () => Date.now(),
        onEvicted: () => this.evictions++,
      })
      this.#eviction = eviction
      repo.on('doc-metrics', (event) => {
        if (event.type === 'receive-sync-message' || event.type === 'doc-loaded') eviction.touch(event.documentId)
      })
      // The virtual clock runs this timer: deterministic like everything else.
      this.#evictionTimer = setInterval(() => {
        if (this.#repo === repo) void eviction.sweep()
      }, 1_000)
    }
    // As sync-server/relay.ts does: a storming (peer, document) gets its sync reset.
    breakSyncStorms(repo, { onStubbornStorm: (peer) => network.cutOnNextMessage(this.name, peerNodeName(peer)) })
    return repo
  }
}

const RELAY_PEERS_REMEMBERED_MAX = 10_000
const RELAY_DOCUMENTS_PER_PEER_MAX = 5_000

/** Peer ids in the simulation are `<node name>#<incarnation>`. */
export function peerNodeName(peerId: string): string {
  const hash = peerId.lastIndexOf('#')
  return hash < 0 ? peerId : peerId.slice(0, hash)
}

/**
 * The workaround this simulation suggests for sync-server/relay.ts (see
 * docs/simulation.md, "stale sync state"). automerge-repo 2.5.6 keeps a
 * DocSynchronizer's per-peer sync state across a disconnect (`endSync` does
 * not drop it), and re-primes it (`beginSync` round-trips it through
 * encodeSyncState, which forgets `sentHashes`) only for peers the share
 * policy *announces* to. A relay announces to peer relays only, so when a
 * client reconnects under the same peer id, the relay still believes every
 * change it sent into the dead connection was received, never sends those
 * again even when the client names them in `need`, and the two ping-pong
 * sync messages forever. Re-beginning sync with a returning client, for the
 * documents it had open, resets that state.
 */
export function resyncReconnectingClients(repo: Repo): void {
  const opened = new Map<string, Set<string>>()
  repo.synchronizer.on('open-doc', ({ peerId, documentId }) => {
    let documents = opened.get(peerId)
    if (!documents) opened.set(peerId, (documents = new Set()))
    documents.add(documentId)
  })
  repo.networkSubsystem.on('peer', ({ peerId }) => {
    for (const documentId of opened.get(peerId) ?? []) {
      const synchronizer = repo.synchronizer.docSynchronizers[documentId as DocumentId]
      if (synchronizer && !synchronizer.hasPeer(peerId)) {
        synchronizer.beginSync([peerId]).catch((error: unknown) => {
          if (process.env.SIM_DEBUG) console.log('workaround beginSync rejected', error)
        })
      }
    }
  })
}
