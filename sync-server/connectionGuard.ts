/**
 * What a relay lets one connection do, judged message by message before
 * automerge-repo sees it. Returns a verdict; the caller closes the socket.
 *
 * It checks shape (so garbage never reaches the Repo, whose handlers may throw
 * where nobody catches), rate, the number of documents touched, and the bytes
 * a change may add to one document and to the disk.
 */
import * as Automerge from '@automerge/automerge'
import { cbor, isValidDocumentId, type DocumentId } from '@automerge/automerge-repo'
import type { CloseReason } from './closeCodes.ts'
import { PEER_ID_CHARS_MAX, type RelayLimits } from './limits.ts'

export type GuardVerdict =
  /** changeBytes: bytes of a sync message that carries changes (what it may add to the document), else 0. */
  | { ok: true; documentId?: DocumentId; changeBytes: number }
  /** Not passed on, connection kept (a message type the relay does not carry). */
  | { ok: false; drop: true; why: string }
  | { ok: false; drop: false; reason: CloseReason; detail: string }

/** What the guard needs to know about storage: bytes per document and in total. */
export interface StoredBytes {
  documentBytes(documentId: DocumentId): number
  totalBytes(): number
}

/** Message types a client may send; ephemeral and remote-heads gossip are not carried (they fan out to every peer of a document). */
const CARRIED_TYPES = new Set(['join', 'sync', 'request', 'doc-unavailable'])
const DROPPED_TYPES = new Set(['ephemeral', 'remote-subscription-change', 'remote-heads-changed'])

export class ConnectionGuard {
  readonly #limits: RelayLimits
  readonly #stored: StoredBytes
  /** Arrival times of the last messagesPerSecondMax messages, a ring. */
  readonly #arrivals: Float64Array
  #arrivalNext = 0
  #arrivalCount = 0
  readonly #documents = new Set<DocumentId>()
  #peerId: string | undefined

  constructor(limits: RelayLimits, stored: StoredBytes) {
    this.#limits = limits
    this.#stored = stored
    this.#arrivals = new Float64Array(Math.max(1, limits.messagesPerSecondMax))
  }

  /** The peer id this connection joined with, once it has. */
  get peerId(): string | undefined {
    return this.#peerId
  }

  get documentCount(): number {
    return this.#documents.size
  }

  /**
   * Judges one frame. `nowMs` comes in (tests pass their own clock); `pending`
   * is what changes already accepted but not yet saved add to a document.
   */
  admit(bytes: Uint8Array, nowMs: number, pending: (documentId: DocumentId) => number = () => 0): GuardVerdict {
    const rate = this.#countArrival(nowMs)
    if (rate) return rate
    let message: unknown
    try {
      message = cbor.decode(bytes)
    } catch {
      return cut('malformedMessage', `expected a CBOR message, got ${bytes.byteLength} undecodable bytes`)
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) return cut('malformedMessage', 'expected a CBOR map')
    const record = message as Record<string, unknown>
    const type = record.type
    if (typeof type !== 'string') return cut('malformedMessage', 'expected a string type')
    if (DROPPED_TYPES.has(type)) return { ok: false, drop: true, why: `type ${type} is not carried` }
    if (!CARRIED_TYPES.has(type)) return cut('malformedMessage', `expected type join|sync|request|doc-unavailable, got ${type.slice(0, 32)}`)
    if (!isPeerId(record.senderId)) return cut('malformedMessage', 'expected a senderId string')
    if (type === 'join') {
      if (this.#peerId !== undefined && this.#peerId !== record.senderId) return cut('malformedMessage', 'expected one peer id per connection, got a second join')
      this.#peerId = record.senderId
      return { ok: true, changeBytes: 0 }
    }
    if (this.#peerId === undefined) return cut('malformedMessage', `expected join first, got ${type}`)
    if (record.senderId !== this.#peerId) return cut('malformedMessage', 'expected the senderId this connection joined with')
    if (!isPeerId(record.targetId)) return cut('malformedMessage', 'expected a targetId string')
    const documentId = record.documentId
    if (typeof documentId !== 'string' || !isValidDocumentId(documentId)) return cut('malformedMessage', 'expected a valid documentId')
    if (!this.#documents.has(documentId)) {
      if (this.#documents.size >= this.#limits.documentsPerConnectionMax) {
        return cut('documentsPerConnection', `at most ${this.#limits.documentsPerConnectionMax} documents per connection`)
      }
      this.#documents.add(documentId)
    }
    if (type === 'doc-unavailable') return { ok: true, documentId, changeBytes: 0 }
    const data = record.data
    if (!(data instanceof Uint8Array)) return cut('malformedMessage', `expected ${type} data as bytes`)
    let changes: number
    try {
      changes = Automerge.decodeSyncMessage(data).changes.length
    } catch {
      return cut('malformedMessage', `expected an automerge sync message in ${type}, got undecodable bytes`)
    }
    if (changes > 0) {
      const documentBytes = this.#stored.documentBytes(documentId) + pending(documentId) + data.byteLength
      if (documentBytes > this.#limits.documentBytesMax) {
        return cut('documentBytes', `at most ${this.#limits.documentBytesMax} bytes per document`)
      }
      if (this.#stored.totalBytes() + data.byteLength > this.#limits.diskBytesMax) {
        return cut('diskFull', `the relay holds at most ${this.#limits.diskBytesMax} bytes`)
      }
    }
    return { ok: true, documentId, changeBytes: changes > 0 ? data.byteLength : 0 }
  }

  /** Sliding one-second window: the (max+1)-th message within 1000 ms of the oldest kept one is over. */
  #countArrival(nowMs: number): GuardVerdict | undefined {
    const max = this.#limits.messagesPerSecondMax
    if (this.#arrivalCount >= max) {
      const oldest = this.#arrivals[this.#arrivalNext]!
      if (nowMs - oldest < 1000) return cut('messagesPerSecond', `at most ${max} messages per second`)
    } else {
      this.#arrivalCount++
    }
    this.#arrivals[this.#arrivalNext] = nowMs
    this.#arrivalNext = (this.#arrivalNext + 1) % this.#arrivals.length
    return undefined
  }
}

function cut(reason: CloseReason, detail: string): GuardVerdict {
  return { ok: false, drop: false, reason, detail }
}

function isPeerId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= PEER_ID_CHARS_MAX
}
