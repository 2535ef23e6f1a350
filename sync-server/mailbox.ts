/**
 * Mailboxes for private contact (issue 16): the relay keeps sealed messages
 * (core/market/sealed.ts) it cannot read, each at most
 * CONTACT_MESSAGE_BYTES_MAX, for MAILBOX_TTL_MS, at most
 * MAILBOX_MESSAGES_MAX per box and MAILBOX_BYTES_MAX in all. A box is named by
 * 64 hex (a hash of pool and key: the relay learns neither). Anyone may leave
 * a message and anyone who knows the box may fetch it: only the box's owner
 * can open what is in it.
 *
 *   POST /mailbox/BOX   body: the sealed bytes      → 201 {"id","expires"}
 *   GET  /mailbox/BOX[?after=ID]                    → 200 {"messages":[{"id","time","data"}]} (data: base64), oldest first
 *
 * Stored on disk as one file per message (DIR/mailbox/BOX/TIME-ID), so a
 * restart keeps them; expired ones are deleted as they are met.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { CONTACT_MESSAGE_BYTES_MAX } from '../core/limits.ts'

/** How long the relay keeps a message nobody deleted: two weeks. */
export const MAILBOX_TTL_MS = 14 * 86_400_000
/** Messages one box holds at once; the next is refused until some expire. */
export const MAILBOX_MESSAGES_MAX = 100
/** Bytes of every box together. */
export const MAILBOX_BYTES_MAX = 64 * 1024 * 1024

const BOX = /^[0-9a-f]{64}$/
const NAME = /^(\d{13,16})-([0-9a-f]{64})$/

interface Stored {
  readonly id: string
  readonly time: number
  readonly bytes: number
}

export class Mailboxes {
  readonly #dir: string
  readonly #now: () => number
  readonly #boxes = new Map<string, Stored[]>()
  #bytes = 0

  constructor(dataDir: string, now: () => number = Date.now) {
    this.#dir = join(dataDir, 'mailbox')
    this.#now = now
    mkdirSync(this.#dir, { recursive: true })
    for (const box of readdirSync(this.#dir)) {
      if (!BOX.test(box)) continue
      const stored: Stored[] = []
      for (const name of readdirSync(join(this.#dir, box))) {
        const match = NAME.exec(name)
        if (!match) continue
        const bytes = readFileSync(join(this.#dir, box, name)).length
        stored.push({ id: match[2]!, time: Number(match[1]), bytes })
        this.#bytes += bytes
      }
      stored.sort(byTime)
      this.#boxes.set(box, stored)
    }
  }

  get storedBytes(): number {
    return this.#bytes
  }

  /** Leaves a message; the same bytes twice are kept once. */
  put(box: string, data: Uint8Array): { ok: true; id: string; expires: number } | { ok: false; status: number; message: string } {
    if (!BOX.test(box)) return { ok: false, status: 404, message: 'expected /mailbox/ and 64 hex characters' }
    if (data.length === 0 || data.length > CONTACT_MESSAGE_BYTES_MAX) return { ok: false, status: 413, message: `expected 1 to ${CONTACT_MESSAGE_BYTES_MAX} bytes, got ${data.length}` }
    const stored = this.#fresh(box)
    const id = createHash('sha256').update(data).digest('hex')
    const existing = stored.find((m) => m.id === id)
    if (existing) return { ok: true, id, expires: existing.time + MAILBOX_TTL_MS }
    if (stored.length >= MAILBOX_MESSAGES_MAX) return { ok: false, status: 429, message: `the box holds ${MAILBOX_MESSAGES_MAX} messages already; the oldest expire ${MAILBOX_TTL_MS / 86_400_000} days after they came` }
    if (this.#bytes + data.length > MAILBOX_BYTES_MAX) return { ok: false, status: 507, message: 'the relay keeps no more messages until some expire' }
    // Strictly increasing times within a box, so that `after` never skips one.
    const time = Math.max(this.#now(), (stored[stored.length - 1]?.time ?? 0) + 1)
    mkdirSync(join(this.#dir, box), { recursive: true })
    writeFileSync(join(this.#dir, box, `${time}-${id}`), data)
    stored.push({ id, time, bytes: data.length })
    this.#boxes.set(box, stored)
    this.#bytes += data.length
    return { ok: true, id, expires: time + MAILBOX_TTL_MS }
  }

  /** The box's messages, oldest first; after `after` (an id in the box) only the later ones. */
  get(box: string, after?: string): { id: string; time: number; data: Uint8Array }[] {
    if (!BOX.test(box)) return []
    const stored = this.#fresh(box)
    const from = after === undefined ? 0 : stored.findIndex((m) => m.id === after) + 1
    return stored.slice(from).map((m) => ({ id: m.id, time: m.time, data: readFileSync(join(this.#dir, box, `${m.time}-${m.id}`)) }))
  }

  /** The box's messages that have not expired, after deleting those that have. */
  #fresh(box: string): Stored[] {
    const stored = this.#boxes.get(box) ?? []
    const cutoff = this.#now() - MAILBOX_TTL_MS
    let expired = 0
    while (expired < stored.length && stored[expired]!.time <= cutoff) {
      const m = stored[expired]!
      rmSync(join(this.#dir, box, `${m.time}-${m.id}`), { force: true })
      this.#bytes -= m.bytes
      expired++
    }
    const kept = expired > 0 ? stored.slice(expired) : stored
    if (kept.length === 0 && existsSync(join(this.#dir, box))) {
      rmSync(join(this.#dir, box), { recursive: true, force: true })
      this.#boxes.delete(box)
    } else if (expired > 0) this.#boxes.set(box, kept)
    return kept
  }

  /** Answers /mailbox/… requests; false for any other path. */
  async handle(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (!pathname.startsWith('/mailbox/')) return false
    const box = pathname.slice('/mailbox/'.length)
    const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' }
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, headers)
      response.end(JSON.stringify(body) + '\n')
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...headers, 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Content-Type' })
      response.end()
      return true
    }
    if (request.method === 'GET') {
      const after = new URL(request.url ?? '/', 'http://relay').searchParams.get('after') ?? undefined
      reply(200, { messages: this.get(box, after).map((m) => ({ id: m.id, time: m.time, data: Buffer.from(m.data).toString('base64') })) })
      return true
    }
    if (request.method !== 'POST') {
      reply(405, { error: `expected GET or POST, got ${request.method}` })
      return true
    }
    const declared = Number(request.headers['content-length'] ?? 0)
    const body = declared > CONTACT_MESSAGE_BYTES_MAX ? undefined : await readBody(request, CONTACT_MESSAGE_BYTES_MAX)
    if (!body) {
      // Nothing more of it is read: answer, then close the connection.
      response.writeHead(413, { ...headers, Connection: 'close' })
      response.end(JSON.stringify({ error: `expected at most ${CONTACT_MESSAGE_BYTES_MAX} bytes` }) + '\n', () => request.destroy())
      return true
    }
    const result = this.put(box, body)
    if (result.ok) reply(201, { id: result.id, expires: result.expires })
    else reply(result.status, { error: result.message })
    return true
  }
}

function byTime(a: Stored, b: Stored): number {
  return a.time - b.time || (a.id < b.id ? -1 : 1)
}

/** The request body, or undefined as soon as it passes `max` bytes (the rest is not read). */
async function readBody(request: IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > max) {
      request.pause()
      return undefined
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
