/**
 * Private contact about a listing, end to end encrypted (core/market/sealed.ts):
 * the writer seals to the author's pool key with a fresh thread key, so the
 * author reads the message, not who wrote it; the author's answer names the
 * author and goes to the thread key's mailbox, and the writer names itself in
 * what it writes after that answer. The relay keeps only
 * ciphertext (sync-server/mailbox.ts). Both sides keep the thread on the
 * device (the settings store, key `marketThreads`); a message the relay could
 * not take waits, marked as queued, and is sent again on the next fetch.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { CONTACT_TEXT_CHARS_MAX } from '../../core/index.ts'
import { contactKeyOf, contactSecretOf, mailboxOf, open, seal, threadKeys, type ContactMessage } from '../../core/market/sealed.ts'
import { relayHttpUrl } from '../sync/default-relay.ts'
import type { WalletParts } from './wallet-parts.ts'

const THREADS = 'marketThreads'

export interface ThreadMessage {
  readonly mine: boolean
  readonly text: string
  readonly time: number
  /** Sealed, not yet taken by the relay: sent again on the next fetch. */
  readonly queued?: boolean
  /** The sealed bytes (base64) while queued. */
  readonly sealed?: string
}

export interface ThreadRecord {
  /** The writer's thread key (hex): the same on both sides. */
  readonly id: string
  readonly pool: string
  readonly listing: string
  /** 'writer': this device wrote first (it holds the thread secret); 'author': it answers as the listing's author. */
  readonly role: 'writer' | 'author'
  /** The writer's thread secret (hex), on the writer's device only. */
  readonly secret?: string
  /** The X25519 key (hex) this side seals to. */
  readonly peer: string
  /** The other side's pool key, once it said who it is (the author always does when answering). */
  readonly peerKey?: string
  readonly messages: readonly ThreadMessage[]
  /** The last message taken from this thread's mailbox (writer side). */
  readonly cursor?: string
}

export type ContactParts = Pick<WalletParts, 'db' | 'pools' | 'now' | 'sync' | 'changed'>

export class Contact {
  readonly #parts: ContactParts
  readonly #random: (n: number) => Uint8Array

  constructor(parts: ContactParts, random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))) {
    this.#parts = parts
    this.#random = random
  }

  async #all(): Promise<ThreadRecord[]> {
    return ((await this.#parts.db.get('settings', THREADS)) as ThreadRecord[] | undefined) ?? []
  }

  async #save(threads: ThreadRecord[]): Promise<void> {
    await this.#parts.db.put('settings', threads, THREADS)
    this.#parts.changed()
  }

  async threads(pool: string): Promise<ThreadRecord[]> {
    return (await this.#all()).filter((t) => t.pool === pool)
  }

  #url(box: string): string | undefined {
    return relayHttpUrl(this.#parts.sync.relayUrl, `/mailbox/${box}`)
  }

  /** Writes to a listing's author; the author learns the text, not the writer. */
  async write(pool: string, listing: string, author: string, text: string): Promise<ThreadRecord | undefined> {
    const body = text.trim().slice(0, CONTACT_TEXT_CHARS_MAX)
    if (!body || !this.#parts.pools.get(pool)) return undefined
    const thread = threadKeys(this.#random(32))
    const id = bytesToHex(thread.publicKey)
    const peer = contactKeyOf(author)
    const sealed = seal({ listing, text: body, replyTo: id }, peer, thread, pool, this.#random(24))
    const sent = await this.#send(mailboxOf(pool, peer), sealed)
    const record: ThreadRecord = {
      id, pool, listing, role: 'writer', secret: bytesToHex(thread.secret), peer: bytesToHex(peer), peerKey: author,
      messages: [message(true, body, this.#parts.now(), sent, sealed)],
    }
    await this.#save([...(await this.#all()), record])
    return record
  }

  /** Answers in a thread: the author names itself; a writer stays unnamed. */
  async reply(pool: string, id: string, text: string): Promise<boolean> {
    const book = this.#parts.pools.get(pool)
    const body = text.trim().slice(0, CONTACT_TEXT_CHARS_MAX)
    const threads = await this.#all()
    const at = threads.findIndex((t) => t.pool === pool && t.id === id)
    if (!book || !body || at < 0) return false
    const thread = threads[at]!
    const own = thread.role === 'writer'
      ? { secret: hexToBytes(thread.secret!), publicKey: hexToBytes(thread.id) }
      : { secret: contactSecretOf(book.secretKey), publicKey: contactKeyOf(book.me) }
    // The author names itself when it answers; the writer, once the author has answered (before that it stays unnamed).
    const named = thread.role === 'author' || thread.messages.some((m) => !m.mine)
    const content: ContactMessage = { listing: thread.listing, text: body, replyTo: bytesToHex(own.publicKey), ...(named ? { from: book.me } : {}) }
    const sealed = seal(content, hexToBytes(thread.peer), own, pool, this.#random(24))
    const sent = await this.#send(mailboxOf(pool, hexToBytes(thread.peer)), sealed)
    threads[at] = { ...thread, messages: [...thread.messages, message(true, body, this.#parts.now(), sent, sealed)] }
    await this.#save(threads)
    return true
  }

  /**
   * Sends what waits, then fetches this member's mailbox (new threads from
   * writers) and each thread it started (answers). Returns how many messages
   * came in. Offline, nothing changes and nothing is lost.
   */
  async fetch(pool: string): Promise<number> {
    const book = this.#parts.pools.get(pool)
    if (!book) return 0
    let threads = await this.#all()
    let changed = false
    // 1. What waits.
    threads = await Promise.all(threads.map(async (t) => {
      if (t.pool !== pool || !t.messages.some((m) => m.queued)) return t
      const messages = await Promise.all(t.messages.map(async (m) => {
        if (!m.queued || !m.sealed) return m
        const sent = await this.#send(mailboxOf(pool, hexToBytes(t.peer)), base64ToBytes(m.sealed))
        changed ||= sent
        return sent ? { mine: m.mine, text: m.text, time: m.time } : m
      }))
      return { ...t, messages }
    }))
    // 2. New threads and answers to the author, in the member's own mailbox.
    let received = 0
    const mySecret = contactSecretOf(book.secretKey)
    const myBox = mailboxOf(pool, contactKeyOf(book.me))
    const seenInbox = new Set(threads.filter((t) => t.pool === pool).flatMap((t) => t.messages.map((m) => `${t.id}/${m.time}/${m.text}`)))
    const inboxCursorKey = `inbox:${pool}`
    const cursors = ((await this.#parts.db.get('settings', 'marketCursors')) as Record<string, string> | undefined) ?? {}
    const inbox = await this.#get(myBox, cursors[inboxCursorKey])
    if (inbox.length > 0) {
      cursors[inboxCursorKey] = inbox[inbox.length - 1]!.id
      await this.#parts.db.put('settings', cursors, 'marketCursors')
    }
    for (const item of inbox) {
      const opened = open(item.data, mySecret, pool)
      if (!opened) continue
      const id = bytesToHex(opened.senderKey)
      const incoming = message(false, opened.message.text.slice(0, CONTACT_TEXT_CHARS_MAX), item.time, true)
      if (seenInbox.has(`${id}/${incoming.time}/${incoming.text}`)) continue
      const at = threads.findIndex((t) => t.pool === pool && t.id === id)
      const from = opened.message.from !== undefined && /^[0-9a-f]{64}$/.test(opened.message.from) ? { peerKey: opened.message.from } : {}
      if (at >= 0) threads[at] = { ...threads[at]!, ...from, messages: [...threads[at]!.messages, incoming] }
      else threads.push({ id, pool, listing: opened.message.listing, role: 'author', peer: id, ...from, messages: [incoming] })
      received++
    }
    // 3. Answers in the threads this device started.
    for (let i = 0; i < threads.length; i++) {
      const t = threads[i]!
      if (t.pool !== pool || t.role !== 'writer' || !t.secret) continue
      const answers = await this.#get(mailboxOf(pool, hexToBytes(t.id)), t.cursor)
      if (answers.length === 0) continue
      const messages = [...t.messages]
      let peerKey = t.peerKey
      for (const item of answers) {
        const opened = open(item.data, hexToBytes(t.secret), pool)
        if (!opened) continue
        if (opened.message.from) peerKey = opened.message.from
        messages.push(message(false, opened.message.text.slice(0, CONTACT_TEXT_CHARS_MAX), item.time, true))
        received++
      }
      threads[i] = { ...t, messages, cursor: answers[answers.length - 1]!.id, ...(peerKey ? { peerKey } : {}) }
    }
    if (received > 0 || changed) await this.#save(threads)
    return received
  }

  async #send(box: string, sealed: Uint8Array): Promise<boolean> {
    const url = this.#url(box)
    if (!url) return false
    try {
      const response = await fetch(url, { method: 'POST', body: sealed as BodyInit, headers: { 'Content-Type': 'application/octet-stream' }, credentials: 'omit', cache: 'no-store' })
      return response.ok
    } catch {
      return false
    }
  }

  async #get(box: string, after: string | undefined): Promise<{ id: string; time: number; data: Uint8Array }[]> {
    const url = this.#url(box)
    if (!url) return []
    try {
      const response = await fetch(after ? `${url}?after=${after}` : url, { credentials: 'omit', cache: 'no-store' })
      if (!response.ok) return []
      const body = (await response.json()) as { messages?: { id: unknown; time: unknown; data: unknown }[] }
      return (body.messages ?? []).flatMap((m) => (typeof m.id === 'string' && typeof m.time === 'number' && typeof m.data === 'string' ? [{ id: m.id, time: m.time, data: base64ToBytes(m.data) }] : []))
    } catch {
      return []
    }
  }
}

function message(mine: boolean, text: string, time: number, sent: boolean, sealed?: Uint8Array): ThreadMessage {
  return sent || !sealed ? { mine, text, time } : { mine, text, time, queued: true, sealed: bytesToBase64(sealed) }
}

function bytesToBase64(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return btoa(text)
}

function base64ToBytes(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
  } catch {
    return new Uint8Array(0)
  }
}
