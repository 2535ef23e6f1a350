/**
 * The WebSocket client adapter every Heroes peer uses (devices, the CLI, a
 * relay dialing its peers).
 *
 * Upstream's adapter rethrows, from inside a socket event handler, every Node
 * socket error except ECONNREFUSED: when a relay dies mid-connection its
 * clients get ECONNRESET and the process dies with an uncaught exception (a
 * relay peered with the dead one included). Here errors are swallowed: the
 * socket closes and the adapter reconnects, as it does after ECONNREFUSED.
 *
 * Upstream's close handler also schedules a reconnect that disconnect() does
 * not cancel: a Repo shut down soon after its peer died dialled again a
 * moment later, and kept dialling, so a relay whose peer had died never
 * exited after SIGTERM. Here a disconnected adapter stays disconnected.
 */
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'

export class ResilientWebSocketClientAdapter extends WebSocketClientAdapter {
  /** Set by disconnect(): no reconnect, scheduled or not, dials again. */
  #stopped = false

  constructor(url: string, retryIntervalMs: number) {
    super(url, retryIntervalMs)
    this.onError = () => {}
  }

  override connect(peerId: Parameters<WebSocketClientAdapter['connect']>[0], peerMetadata?: Parameters<WebSocketClientAdapter['connect']>[1]): void {
    if (this.#stopped) return
    super.connect(peerId, peerMetadata)
  }

  /**
   * Drops the connection and dials again. automerge-repo then restarts every
   * document's sync with its in-flight state forgotten, which un-sticks a sync
   * whose message was lost (upstream advances its sync state before the send,
   * and a send on a closing socket throws). Callers use it when progress stalls.
   */
  reconnect(): void {
    if (this.#stopped) return
    const peerId = this.peerId
    const peerMetadata = this.peerMetadata
    this.#drop()
    if (peerId) this.connect(peerId, peerMetadata)
  }

  /** For good: upstream asserts a socket exists, so a second disconnect (shutdown after close) must be harmless. */
  override disconnect(): void {
    this.#stopped = true
    this.#drop()
  }

  #drop(): void {
    if (!this.socket || !this.peerId) return
    // Upstream removes its listeners, then closes: a socket still connecting then emits 'error'
    // with nobody listening, which in Node is an uncaught exception.
    this.socket.addEventListener('error', () => {})
    super.disconnect()
  }
}
