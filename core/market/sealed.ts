/**
 * Private contact about a listing: a message sealed to the listing author's
 * key, carried by the relay as ciphertext it cannot read.
 *
 * - The recipient's X25519 key is its Ed25519 pool key in Montgomery form
 *   (@noble/curves), so nobody publishes a second key.
 * - The sender seals with a fresh X25519 key per thread (not its pool key): the
 *   recipient reads the message but not who wrote it, and answers to that
 *   thread key. A sender may name itself inside the ciphertext when it wants.
 * - Key: HKDF-SHA-256 of the X25519 secret, salted with both public keys and
 *   bound to the pool; cipher: XChaCha20-Poly1305 (@noble/ciphers) with a random
 *   24-byte nonce. Sealed bytes: version (1) | sender's thread key (32) | nonce (24)
 *   | ciphertext and tag.
 * - Mailboxes are named by a hash of (pool, X25519 key): the relay learns neither
 *   the pool nor the member.
 *
 * Pure: randomness comes in as arguments, like time everywhere in core/.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, fromHex, toHex, utf8 } from '../bytes.ts'
import { CONTACT_MESSAGE_BYTES_MAX } from '../limits.ts'

export const SEALED_VERSION = 1
const HEADER_BYTES = 1 + 32 + 24
const TAG_BYTES = 16

/** What a sealed message says, once opened. */
export interface ContactMessage {
  /** The listing it is about (its id). */
  readonly listing: string
  readonly text: string
  /** Where answers go: the X25519 key of the writer's side of the thread, hex. */
  readonly replyTo: string
  /** The writer's pool key, only when it chose to say who it is (a reply does). */
  readonly from?: string
}

/** A member's X25519 public key, from its Ed25519 pool key. */
export function contactKeyOf(poolPublicKeyHex: string): Uint8Array {
  return ed25519.utils.toMontgomery(fromHex(poolPublicKeyHex, 32)!)
}

/** A member's X25519 secret key, from its Ed25519 pool secret. */
export function contactSecretOf(poolSecretKey: Uint8Array): Uint8Array {
  return ed25519.utils.toMontgomerySecret(poolSecretKey)
}

/** A fresh thread key pair from 32 random bytes. */
export function threadKeys(random32: Uint8Array): { secret: Uint8Array; publicKey: Uint8Array } {
  return { secret: random32, publicKey: x25519.getPublicKey(random32) }
}

/** The mailbox (64 hex) where messages to this X25519 key in this pool are left. */
export function mailboxOf(pool: string, contactKey: Uint8Array): string {
  return toHex(sha256(concatBytes(utf8(`heroes/mailbox/v1/${pool}/`), contactKey)))
}

function keyOf(shared: Uint8Array, senderPublic: Uint8Array, recipientPublic: Uint8Array, pool: string): Uint8Array {
  return hkdf(sha256, shared, concatBytes(senderPublic, recipientPublic), utf8(`heroes/contact/v1/${pool}`), 32)
}

/**
 * Seals `message` to `recipient` (an X25519 key) from the thread key `sender`.
 * `nonce` is 24 random bytes. Throws a RangeError when the result would be over
 * CONTACT_MESSAGE_BYTES_MAX (the relay refuses larger ones).
 */
export function seal(message: ContactMessage, recipient: Uint8Array, sender: { secret: Uint8Array; publicKey: Uint8Array }, pool: string, nonce: Uint8Array): Uint8Array {
  if (nonce.length !== 24) throw new RangeError(`expected a 24-byte nonce, got ${nonce.length} bytes`)
  const plaintext = utf8(JSON.stringify(message))
  const size = HEADER_BYTES + plaintext.length + TAG_BYTES
  if (size > CONTACT_MESSAGE_BYTES_MAX) throw new RangeError(`expected a message of at most ${CONTACT_MESSAGE_BYTES_MAX} bytes sealed, got ${size}`)
  const key = keyOf(x25519.getSharedSecret(sender.secret, recipient), sender.publicKey, recipient, pool)
  const ciphertext = xchacha20poly1305(key, nonce).encrypt(plaintext)
  return concatBytes(new Uint8Array([SEALED_VERSION]), sender.publicKey, nonce, ciphertext)
}

/**
 * Opens sealed bytes with the recipient's X25519 secret; undefined for anything
 * that is not a message to this key in this pool (wrong key, altered bytes,
 * another version, junk). Never throws.
 */
export function open(sealed: Uint8Array, recipientSecret: Uint8Array, pool: string): { message: ContactMessage; senderKey: Uint8Array } | undefined {
  if (sealed.length < HEADER_BYTES + TAG_BYTES || sealed.length > CONTACT_MESSAGE_BYTES_MAX || sealed[0] !== SEALED_VERSION) return undefined
  const senderPublic = sealed.subarray(1, 33)
  const nonce = sealed.subarray(33, HEADER_BYTES)
  try {
    const recipientPublic = x25519.getPublicKey(recipientSecret)
    const key = keyOf(x25519.getSharedSecret(recipientSecret, senderPublic), senderPublic, recipientPublic, pool)
    const plaintext = xchacha20poly1305(key, nonce).decrypt(sealed.subarray(HEADER_BYTES))
    const message = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as ContactMessage
    if (typeof message !== 'object' || message === null || typeof message.listing !== 'string' || typeof message.text !== 'string' || typeof message.replyTo !== 'string') return undefined
    if (message.replyTo !== toHex(senderPublic)) return undefined
    return { message, senderKey: senderPublic.slice() }
  } catch {
    return undefined
  }
}
