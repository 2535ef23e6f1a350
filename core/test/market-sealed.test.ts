/** Sealed contact messages (core/market/sealed.ts): round trips, and every way an attacker might try to read or forge one. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { sha256 } from '@noble/hashes/sha2.js'
import { CONTACT_MESSAGE_BYTES_MAX, toHex, utf8 } from '../index.ts'
import { contactKeyOf, contactSecretOf, mailboxOf, open, seal, threadKeys, type ContactMessage } from '../market/sealed.ts'
import { actor } from './fixtures.ts'

const POOL = 'ab'.repeat(32)
const alice = actor('alice')
const bob = actor('bob')
const mallory = actor('mallory')
const bytes = (label: string, n: number) => sha256(utf8(label)).slice(0, n)

function bobWrites(text: string, label = 'thread-1') {
  const thread = threadKeys(bytes(label, 32))
  const message: ContactMessage = { listing: 'cd'.repeat(32), text, replyTo: toHex(thread.publicKey) }
  return { thread, message, sealed: seal(message, contactKeyOf(alice.key), thread, POOL, bytes(`${label}-nonce`, 24)) }
}

describe('sealed contact messages', () => {
  it('opens with the recipient pool key and gives the thread key to answer to, not the writer\'s pool key', () => {
    const { thread, message, sealed } = bobWrites('Are the vegetables still there?')
    const opened = open(sealed, contactSecretOf(alice.secretKey), POOL)
    expect(opened?.message).toEqual(message)
    expect(toHex(opened!.senderKey)).toBe(toHex(thread.publicKey))
    expect(opened!.message.from).toBeUndefined()
    expect(toHex(thread.publicKey)).not.toBe(toHex(contactKeyOf(bob.key)))
    // Alice answers to the thread; only Bob's thread key opens it, and she may say who she is.
    const aliceSide = { secret: contactSecretOf(alice.secretKey), publicKey: contactKeyOf(alice.key) }
    const reply = seal({ listing: message.listing, text: 'Yes, come Friday', replyTo: toHex(aliceSide.publicKey), from: alice.key }, thread.publicKey, aliceSide, POOL, bytes('reply-nonce', 24))
    expect(open(reply, thread.secret, POOL)?.message).toMatchObject({ text: 'Yes, come Friday', from: alice.key })
    expect(open(reply, contactSecretOf(alice.secretKey), POOL)).toBeUndefined()
  })
  it('never carries the text in the clear', () => {
    const { sealed } = bobWrites('SECRET-PLAINTEXT-MARKER')
    expect(Buffer.from(sealed).includes(Buffer.from('SECRET-PLAINTEXT-MARKER'))).toBe(false)
    expect(Buffer.from(sealed).includes(Buffer.from(alice.key, 'hex'))).toBe(false)
  })
  it('refuses another key, another pool, and any bit flipped', () => {
    const { sealed } = bobWrites('hello')
    expect(open(sealed, contactSecretOf(mallory.secretKey), POOL)).toBeUndefined()
    expect(open(sealed, contactSecretOf(alice.secretKey), 'ef'.repeat(32))).toBeUndefined()
    fc.assert(fc.property(fc.nat(sealed.length * 8 - 1), (bit) => {
      const flipped = sealed.slice()
      flipped[bit >> 3]! ^= 1 << (bit & 7)
      expect(open(flipped, contactSecretOf(alice.secretKey), POOL)).toBeUndefined()
    }), { numRuns: 200 })
  })
  it('refuses junk without throwing, and a thread key that does not match the reply address', () => {
    const secret = contactSecretOf(alice.secretKey)
    for (const junk of [new Uint8Array(0), new Uint8Array(72), new Uint8Array(CONTACT_MESSAGE_BYTES_MAX + 1), Uint8Array.from([2, ...new Uint8Array(100)])]) {
      expect(open(junk, secret, POOL)).toBeUndefined()
    }
    const thread = threadKeys(bytes('t', 32))
    const lying = seal({ listing: 'x', text: 'y', replyTo: toHex(contactKeyOf(mallory.key)) }, contactKeyOf(alice.key), thread, POOL, bytes('n', 24))
    expect(open(lying, secret, POOL)).toBeUndefined()
  })
  it('refuses to seal past the size the relay keeps', () => {
    expect(() => bobWrites('x'.repeat(CONTACT_MESSAGE_BYTES_MAX))).toThrow(RangeError)
    expect(bobWrites('x'.repeat(3_800)).sealed.length).toBeLessThanOrEqual(CONTACT_MESSAGE_BYTES_MAX)
  })
  it('names mailboxes by pool and key, without showing either', () => {
    const box = mailboxOf(POOL, contactKeyOf(alice.key))
    expect(box).toMatch(/^[0-9a-f]{64}$/)
    expect(box).not.toContain(alice.key.slice(0, 16))
    expect(mailboxOf('ef'.repeat(32), contactKeyOf(alice.key))).not.toBe(box)
    expect(mailboxOf(POOL, contactKeyOf(bob.key))).not.toBe(box)
  })
})
