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
 * exited after SIGTERM. Here that reconnect belongs to the connection it was
 * scheduled for: disconnect() (or reconnect()) makes it a no-op. An explicit
 * connect() after disconnect() still dials (a device coming back online).
 */
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'

export class ResilientWebSocketClientAdapter extends WebSocketClientAdapter {
  /** Bumped when a connection is dropped on purpose: a reconnect scheduled before then is stale. */
  #session = 0
  /** Upstream's retry interval is running (from connect until the socket opens): its ticks dial, so a close schedules nothing more. */
  #retrying = false

  constructor(url: string, retryIntervalMs: number) {
    super(url, retryIntervalMs)
    this.onError = () => {}
    const upstreamOnOpen = this.onOpen
    this.onOpen = () => {
      this.#retrying = false
      upstreamOnOpen()
    }
    // Upstream's close handler, with its reconnect tied to this session.
    this.onClose = () => {
      if (this.remotePeerId) this.emit('peer-disconnected', { peerId: this.remotePeerId })
      if (this.retryInterval <= 0 || this.#retrying) return
      const session = this.#session
      setTimeout(() => {
        if (session === this.#session && this.peerId) this.connect(this.peerId, this.peerMetadata)
      }, this.retryInterval)
    }
  }

  override connect(peerId: Parameters<WebSocketClientAdapter['connect']>[0], peerMetadata?: Parameters<WebSocketClientAdapter['connect']>[1]): void {
    super.connect(peerId, peerMetadata)
    this.#retrying = true
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
    this.#drop()
    if (peerId) this.connect(peerId, peerMetadata)
  }

  /** Upstream asserts a socket exists; a second disconnect (shutdown after close) must be harmless. */
  override disconnect(): void {
    this.#drop()
  }

  #drop(): void {
    this.#session++
    this.#retrying = false
    if (!this.socket || !this.peerId) return
    // Upstream removes its listeners, then closes: a socket still connecting then emits 'error'
    // with nobody listening, which in Node is an uncaught exception.
    this.socket.addEventListener('error', () => {})
    super.disconnect()
  }
}
