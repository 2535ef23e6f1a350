/**
 * A hand-made automerge-repo client speaking the WebSocket protocol frame by
 * frame, to send the relay exactly what a test needs (sizes, floods, garbage).
 */
import * as Automerge from '@automerge/automerge'
import { cbor } from '@automerge/automerge-repo'
import { WebSocket } from 'ws'

export interface RawClient {
  readonly socket: WebSocket
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>
  /** Messages received, decoded. */
  readonly received: Array<Record<string, unknown>>
  isOpen(): boolean
  send(message: Record<string, unknown>): void
  sendBytes(bytes: Uint8Array): void
  /** Sends a join and waits for the relay's peer message; returns the relay's peer id. */
  join(peerMetadata?: Record<string, unknown>): Promise<string>
  /** Waits for the relay's peer message (after a join sent by hand); returns the relay's peer id. */
  peer(): Promise<string>
}

let counter = 0

export async function openRawClient(url: string, senderId = `raw-${process.pid}-${counter++}`): Promise<RawClient & { senderId: string }> {
  const socket = new WebSocket(url)
  socket.binaryType = 'arraybuffer'
  socket.on('error', () => {})
  const received: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  socket.on('message', (data: ArrayBuffer) => {
    received.push(cbor.decode(new Uint8Array(data)) as Record<string, unknown>)
    for (const wake of waiters.splice(0)) wake()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)))
    socket.once('error', reject)
  })
  const client = {
    socket, closed, received, senderId,
    isOpen: () => socket.readyState === WebSocket.OPEN,
    send: (message: Record<string, unknown>) => socket.send(cbor.encode(message)),
    sendBytes: (bytes: Uint8Array) => socket.send(bytes),
    async join(peerMetadata: Record<string, unknown> = {}) {
      client.send(joinMessage(senderId, peerMetadata))
      return client.peer()
    },
    async peer() {
      for (;;) {
        const peer = received.find((message) => message.type === 'peer')
        if (peer) return peer.senderId as string
        if (!client.isOpen()) throw new Error('expected a peer message, got the connection closed')
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    },
  }
  return client
}

export function joinMessage(senderId: string, peerMetadata: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'join', senderId, peerMetadata, supportedProtocolVersions: ['1'] }
}

/** A join message whose CBOR encoding is exactly `bytes` long (padding in its metadata). */
export function joinOfExactly(senderId: string, bytes: number): Uint8Array {
  for (let pad = Math.max(0, bytes - 120); pad <= bytes; pad++) {
    const encoded = cbor.encode(joinMessage(senderId, { pad: 'x'.repeat(pad) }))
    if (encoded.byteLength === bytes) return encoded
    if (encoded.byteLength > bytes) break
  }
  throw new Error(`expected to build a ${bytes}-byte join, got no padding that fits`)
}

/** An automerge sync message carrying one change that puts `valueChars` random characters in a document. */
export function syncMessageWithChange(valueChars: number): Uint8Array {
  let value = ''
  while (value.length < valueChars) value += Math.random().toString(36).slice(2)
  const doc = Automerge.change(Automerge.init<Record<string, unknown>>(), (d) => {
    d.value = new Automerge.ImmutableString(value.slice(0, valueChars))
  })
  return Automerge.encodeSyncMessage({ heads: Automerge.getHeads(doc), need: [], have: [], changes: Automerge.getAllChanges(doc) })
}

/** A fresh random document id (as automerge-repo makes them). */
export async function randomDocumentId(): Promise<string> {
  const { generateAutomergeUrl, parseAutomergeUrl } = await import('@automerge/automerge-repo')
  return parseAutomergeUrl(generateAutomergeUrl()).documentId
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
