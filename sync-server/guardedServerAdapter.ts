/**
 * automerge-repo's WebSocket server adapter with a ConnectionGuard in front:
 * every frame is judged before the Repo sees it, and a connection that breaks
 * a limit is closed with a code and a reason naming the limit.
 */
import { WebSocketServerAdapter, type FromServerMessage } from '@automerge/automerge-repo-network-websocket'
import type { DocumentId } from '@automerge/automerge-repo'
import type { WebSocket, WebSocketServer } from 'ws'
import { CLOSE_CODES, closeReasonText, type CloseReason } from './closeCodes.ts'
import { ConnectionGuard, type StoredBytes } from './connectionGuard.ts'
import type { RelayLimits } from './limits.ts'

export interface GuardEvents {
  /** A frame passed the guard; `documentId` when it concerned a document. */
  accepted(bytes: number, peerId: string | undefined, documentId: string | undefined): void
  /** A frame was dropped without closing (a type the relay does not carry). */
  dropped(why: string): void
  /** A connection was cut off. */
  cut(reason: CloseReason, detail: string): void
  /** A message was sent to a client. */
  sent(bytes: number): void
}

export class GuardedServerAdapter extends WebSocketServerAdapter {
  readonly #guards = new WeakMap<WebSocket, ConnectionGuard>()
  readonly #limits: RelayLimits
  readonly #stored: StoredBytes
  readonly #events: GuardEvents
  /** Bytes of changes accepted per document and not yet saved (reset by the storage on save). */
  readonly pendingBytes = new Map<DocumentId, number>()

  readonly #forward: (documentId: string, send: () => void) => void

  constructor(server: WebSocketServer, options: {
    limits: RelayLimits
    stored: StoredBytes
    events: GuardEvents
    keepAliveIntervalMs: number
    /** Sends a document's sync message now or once the document is durable (DurableForwarding). */
    forward?: (documentId: string, send: () => void) => void
  }) {
    super(server as never, options.keepAliveIntervalMs)
    this.#limits = options.limits
    this.#stored = options.stored
    this.#events = options.events
    this.#forward = options.forward ?? ((_documentId, send) => send())
  }

  #connected: () => void = () => {}
  /**
   * Resolves once the Repo has connected this adapter to the server. The Repo
   * does that only after reading its storage id, and a socket accepted before
   * then is never heard (its join is lost), so the relay listens after this.
   */
  readonly whenConnected = new Promise<void>((resolve) => {
    this.#connected = resolve
  })

  override connect(...args: Parameters<WebSocketServerAdapter['connect']>): void {
    super.connect(...args)
    this.#connected()
  }

  /** The guard of a socket, made on its first frame. */
  guardOf(socket: WebSocket): ConnectionGuard {
    let guard = this.#guards.get(socket)
    if (!guard) this.#guards.set(socket, (guard = new ConnectionGuard(this.#limits, this.#stored)))
    return guard
  }

  override receiveMessage(messageBytes: Uint8Array, socket: never): void {
    const ws = socket as WebSocket
    if (ws.readyState !== 1) return
    const guard = this.guardOf(ws)
    const verdict = guard.admit(messageBytes, performance.now(), (id) => this.pendingBytes.get(id) ?? 0)
    if (!verdict.ok) {
      if (verdict.drop) {
        this.#events.dropped(verdict.why)
        return
      }
      this.#events.cut(verdict.reason, verdict.detail)
      ws.close(CLOSE_CODES[verdict.reason], closeReasonText(verdict.reason, verdict.detail))
      return
    }
    this.#events.accepted(messageBytes.byteLength, guard.peerId, verdict.documentId)
    if (verdict.documentId && verdict.changeBytes > 0) {
      this.pendingBytes.set(verdict.documentId, (this.pendingBytes.get(verdict.documentId) ?? 0) + verdict.changeBytes)
    }
    try {
      super.receiveMessage(messageBytes, socket)
    } catch (error) {
      // The guard should have caught anything the Repo would choke on; if not, this client goes, the relay stays.
      const detail = `the relay could not process a message (${error instanceof Error ? error.message.slice(0, 60) : 'error'})`
      this.#events.cut('malformedMessage', detail)
      ws.close(CLOSE_CODES.malformedMessage, closeReasonText('malformedMessage', detail))
    }
  }

  /** Closes the connection of `peerId`, if it has one, saying why. */
  disconnectPeer(peerId: string, reason: CloseReason, detail: string): void {
    const socket = (this.sockets as Record<string, WebSocket | undefined>)[peerId]
    if (!socket) return
    this.#events.cut(reason, detail)
    socket.close(CLOSE_CODES[reason], closeReasonText(reason, detail))
  }

  override send(message: FromServerMessage): void {
    const send = (): void => {
      this.#events.sent('data' in message && message.data instanceof Uint8Array ? message.data.byteLength : 0)
      super.send(message)
    }
    if (message.type === 'sync' && 'documentId' in message && typeof message.documentId === 'string') this.#forward(message.documentId, send)
    else send()
  }
}
