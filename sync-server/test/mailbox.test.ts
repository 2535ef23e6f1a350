/**
 * The relay's mailboxes (issue 16): sealed messages in, the same bytes out,
 * limits on size, count and time, and never a readable word on its disk.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '@noble/hashes/sha2.js'
import { CONTACT_MESSAGE_BYTES_MAX, toHex, utf8 } from '../../core/index.ts'
import { contactKeyOf, contactSecretOf, mailboxOf, open, seal, threadKeys } from '../../core/market/sealed.ts'
import { startRelay, type Relay } from '../index.ts'
import { MAILBOX_MESSAGES_MAX, MAILBOX_TTL_MS, Mailboxes } from '../mailbox.ts'
import { generateSecretKey, publicKeyOf } from '../../core/index.ts'

const POOL = 'ab'.repeat(32)
const MARKER = 'Meet me at the allotment, gate 7'

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
}

describe('the relay keeps sealed messages it cannot read', () => {
  let relay: Relay
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-mailbox-'))
    relay = await startRelay({ port: 0, dataDir: join(dir, 'data') })
  })
  afterAll(async () => {
    await relay.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('takes a sealed message and gives the same bytes back; only the recipient opens them; its disk holds no plaintext', async () => {
    const aliceSecret = generateSecretKey()
    const alice = publicKeyOf(aliceSecret)
    const thread = threadKeys(sha256(utf8('bob thread')))
    const sealed = seal({ listing: 'cd'.repeat(32), text: MARKER, replyTo: toHex(thread.publicKey) }, contactKeyOf(alice), thread, POOL, sha256(utf8('nonce')).slice(0, 24))
    const box = mailboxOf(POOL, contactKeyOf(alice))
    const put = await fetch(`${relay.httpUrl}/mailbox/${box}`, { method: 'POST', body: sealed, headers: { 'Content-Type': 'application/octet-stream' } })
    expect(put.status).toBe(201)
    const { id, expires } = await put.json() as { id: string; expires: number }
    expect(expires).toBeGreaterThan(Date.now() + MAILBOX_TTL_MS - 60_000)
    const got = await (await fetch(`${relay.httpUrl}/mailbox/${box}`)).json() as { messages: { id: string; data: string }[] }
    expect(got.messages.map((m) => m.id)).toEqual([id])
    const bytes = Buffer.from(got.messages[0]!.data, 'base64')
    expect(open(bytes, contactSecretOf(aliceSecret), POOL)?.message.text).toBe(MARKER)
    // What the relay stored, every byte of its data folder: no word of the message, no key of the member.
    const stored = filesUnder(join(dir, 'data')).map((file) => readFileSync(file))
    expect(stored.length).toBeGreaterThan(0)
    for (const file of stored) {
      expect(file.includes(Buffer.from(MARKER))).toBe(false)
      expect(file.includes(Buffer.from(alice))).toBe(false)
      expect(file.includes(Buffer.from(alice, 'hex'))).toBe(false)
    }
    // after=ID gives only later ones; the same bytes again are kept once.
    expect((await (await fetch(`${relay.httpUrl}/mailbox/${box}?after=${id}`)).json() as { messages: unknown[] }).messages).toEqual([])
    expect((await fetch(`${relay.httpUrl}/mailbox/${box}`, { method: 'POST', body: sealed })).status).toBe(201)
    expect((await (await fetch(`${relay.httpUrl}/mailbox/${box}`)).json() as { messages: unknown[] }).messages).toHaveLength(1)
  })

  it('refuses an oversize message, a box name that is not 64 hex, and other methods', async () => {
    const box = 'ef'.repeat(32)
    const big = await fetch(`${relay.httpUrl}/mailbox/${box}`, { method: 'POST', body: new Uint8Array(CONTACT_MESSAGE_BYTES_MAX + 1) })
    expect(big.status).toBe(413)
    expect((await fetch(`${relay.httpUrl}/mailbox/${box}`, { method: 'POST', body: new Uint8Array(CONTACT_MESSAGE_BYTES_MAX) })).status).toBe(201)
    expect((await fetch(`${relay.httpUrl}/mailbox/${box}`, { method: 'POST', body: new Uint8Array(0) })).status).toBe(413)
    expect((await fetch(`${relay.httpUrl}/mailbox/nope`, { method: 'POST', body: new Uint8Array(10) })).status).toBe(404)
    expect((await fetch(`${relay.httpUrl}/mailbox/../../etc`, { method: 'POST', body: new Uint8Array(10) })).status).not.toBe(201)
    expect((await fetch(`${relay.httpUrl}/mailbox/${box}`, { method: 'DELETE' })).status).toBe(405)
  })
})

describe('mailbox limits (a clock of its own)', () => {
  it('keeps at most MAILBOX_MESSAGES_MAX a box, forgets each after MAILBOX_TTL_MS, and keeps them across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heroes-mailbox-limits-'))
    try {
      let now = Date.UTC(2026, 11, 7)
      const boxes = new Mailboxes(dir, () => now)
      const box = '12'.repeat(32)
      for (let i = 0; i < MAILBOX_MESSAGES_MAX; i++) expect(boxes.put(box, utf8(`m${i}`)).ok).toBe(true)
      expect(boxes.put(box, utf8('one more'))).toMatchObject({ ok: false, status: 429 })
      expect(new Mailboxes(dir, () => now).get(box)).toHaveLength(MAILBOX_MESSAGES_MAX)
      now += MAILBOX_TTL_MS - 1
      expect(boxes.get(box)).toHaveLength(MAILBOX_MESSAGES_MAX)
      now += 1_000
      expect(boxes.get(box)).toHaveLength(0)
      expect(boxes.storedBytes).toBe(0)
      expect(boxes.put(box, utf8('room again')).ok).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
