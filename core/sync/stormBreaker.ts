/**
 * Ends sync storms: two peers sending each other the same sync message for a
 * document, forever.
 *
 * Why: automerge never re-sends a change whose hash is in its per-peer
 * `sentHashes`, even when the peer names it in `need`. When a message carrying
 * a change is lost (a socket dies with a frame in flight, a proxy drops one),
 * the receiver asks for the change, the sender answers without it, the
 * receiver asks again: thousands of identical messages a second on both ends
 * (the simulation's seed 298: 6,000 a second between a relay and a phone until
 * the phone reconnected). automerge-repo's `beginSync` round-trips the peer's
 * sync state through its encoding, which forgets `sentHashes`; the next message
 * then carries what was asked for. A reset costs one extra have/need round.
 *
 * The breaker watches incoming sync messages and resets the sync with a peer
 * for a document after it receives the same bytes from that peer
 * STORM_REPEATS_BEFORE_RESET times in a row. Normal sync never repeats a
 * message that often: each message carries new heads, a new `have`, or ends
 * the exchange. Duplicates from the network are at most a few.
 */
import type { DocumentId, PeerId, Repo } from '@automerge/automerge-repo'
import { STORM_PAIRS_TRACKED_MAX, STORM_REPEATS_BEFORE_RESET, STORM_RESETS_BEFORE_DISCONNECT } from './limits.ts'

interface Streak {
  fingerprint: number
  length: number
}

/** Counts identical consecutive messages per (peer, document); pure apart from its bounded memory. */
export class StormDetector {
  readonly #streaks = new Map<string, Streak>()
  readonly #repeatsBeforeReset: number
  readonly #pairsMax: number

  constructor(repeatsBeforeReset = STORM_REPEATS_BEFORE_RESET, pairsMax = STORM_PAIRS_TRACKED_MAX) {
    this.#repeatsBeforeReset = repeatsBeforeReset
    this.#pairsMax = pairsMax
  }

  /** True when this message completes a storm streak: the caller resets that sync (the streak starts over). */
  observe(peerId: string, documentId: string, data: Uint8Array): boolean {
    const key = `${peerId}\u0000${documentId}`
    const fingerprint = fingerprintOf(data)
    const streak = this.#streaks.get(key)
    if (!streak || streak.fingerprint !== fingerprint) {
      if (!streak && this.#streaks.size >= this.#pairsMax) this.#streaks.delete(this.#streaks.keys().next().value as string)
      this.#streaks.set(key, { fingerprint, length: 1 })
      return false
    }
    streak.length++
    if (streak.length < this.#repeatsBeforeReset) return false
    streak.length = 0
    return true
  }
}

/** FNV-1a over the bytes and their length: a cheap equality test, not a security boundary. */
function fingerprintOf(data: Uint8Array): number {
  let hash = 0x811c9dc5 ^ data.length
  for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ data[i]!, 0x01000193)
  return hash >>> 0
}

export interface StormBreakerStats {
  /** Syncs reset because a peer repeated itself. */
  resets: number
  /** Peers handed to onStubbornStorm because resets on this side did not end their storm. */
  disconnects: number
}

export interface StormBreakerOptions {
  readonly detector?: StormDetector
  /**
   * Called when a (peer, document) keeps storming after STORM_RESETS_BEFORE_DISCONNECT
   * resets: the stale state is on the peer's side (it believes it sent what this
   * side needs), which only the peer can forget. A relay closes that peer's
   * connection; automerge-repo re-begins every sync on reconnect, which resets it.
   */
  readonly onStubbornStorm?: (peerId: PeerId, documentId: DocumentId) => void
}

/**
 * Installs a StormDetector on `repo`'s incoming messages and resets the sync
 * of a storming (peer, document). Returns its stats and an uninstall.
 */
export function breakSyncStorms(repo: Repo, options: StormBreakerOptions = {}): { stats: StormBreakerStats; uninstall(): void } {
  const detector = options.detector ?? new StormDetector()
  const stats: StormBreakerStats = { resets: 0, disconnects: 0 }
  const resetsByPair = new Map<string, number>()
  const onMessage = (message: { type: string; senderId: PeerId; documentId?: DocumentId; data?: Uint8Array }): void => {
    if (message.type !== 'sync' || message.documentId === undefined || !(message.data instanceof Uint8Array)) return
    if (!detector.observe(message.senderId, message.documentId, message.data)) return
    const synchronizer = repo.synchronizer.docSynchronizers[message.documentId]
    if (!synchronizer?.hasPeer(message.senderId)) return
    const pair = `${message.senderId}\u0000${message.documentId}`
    const resets = (resetsByPair.get(pair) ?? 0) + 1
    if (resets > STORM_RESETS_BEFORE_DISCONNECT && options.onStubbornStorm) {
      resetsByPair.delete(pair)
      stats.disconnects++
      options.onStubbornStorm(message.senderId, message.documentId)
      return
    }
    // Bounded like the detector: forgetting a pair only delays its disconnect.
    if (!resetsByPair.has(pair) && resetsByPair.size >= STORM_PAIRS_TRACKED_MAX) resetsByPair.clear()
    resetsByPair.set(pair, resets)
    stats.resets++
    // beginSync re-primes the peer's sync state (forgetting sentHashes) and sends a fresh message.
    synchronizer.beginSync([message.senderId]).catch(() => {
      // A document that cannot be loaded now is retried by the peer's next message.
    })
  }
  repo.networkSubsystem.on('message', onMessage)
  return { stats, uninstall: () => repo.networkSubsystem.off('message', onMessage) }
}
