/**
 * The WebSocket client adapter every Heroes peer uses (devices, the CLI, a
 * relay dialing its peers).
 *
 * Upstream's adapter rethrows, from inside a socket event handler, every Node
 * socket error except ECONNREFUSED: when a relay dies mid-connection its
 * clients get ECONNRESET and the process dies with an uncaught exception (a
 * relay peered with the dead one included). Here errors are swallowed: the
 * socket closes and the adapter reconnects, as it does after ECONNREFUSED.
 */
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'

export class ResilientWebSocketClientAdapter extends WebSocketClientAdapter {
  constructor(url: string, retryIntervalMs: number) {
    super(url, retryIntervalMs)
    this.onError = () => {}
  }

  /**
   * Drops the connection and dials again. automerge-repo then restarts every
   * document's sync with its in-flight state forgotten, which un-sticks a sync
   * whose message was lost (upstream advances its sync state before the send,
   * and a send on a closing socket throws). Callers use it when progress stalls.
   */
  reconnect(): void {
    const peerId = this.peerId
    const peerMetadata = this.peerMetadata
    this.disconnect()
    if (peerId) this.connect(peerId, peerMetadata)
  }

  /** Upstream asserts a socket exists; a second disconnect (shutdown after close) must be harmless. */
  override disconnect(): void {
    if (!this.socket || !this.peerId) return
    // Upstream removes its listeners, then closes: a socket still connecting then emits 'error'
    // with nobody listening, which in Node is an uncaught exception.
    this.socket.addEventListener('error', () => {})
    super.disconnect()
  }
}
