/**
 * Linking a new device (docs/devices.md, "Linking in the app"): what the new
 * device's QR code says, and the one sealed message the existing device sends
 * back through the relay's mailbox. Pure: randomness and time come in as
 * arguments.
 *
 * - The QR code (`<origin>/#/d/<base64url JSON>`) carries a one-time X25519
 *   public key, a 16-byte random rendezvous id, the Ed25519 public key the new
 *   device made for this link (its device key; never its secret), an expiry,
 *   a suggested name and the relay whose mailbox the new device watches.
 * - The existing device signs the `device` certificate for that key and seals
 *   to the one-time key: X25519 with a fresh key of its own, HKDF-SHA-256
 *   salted with both public keys and bound to the rendezvous id,
 *   XChaCha20-Poly1305 with a random 24-byte nonce (@noble/curves,
 *   @noble/ciphers, as core/market/sealed.ts). Sealed bytes: version (1) |
 *   sender's key (32) | nonce (24) | ciphertext and tag.
 * - The mailbox is named by a hash of the rendezvous id: the relay learns
 *   neither key, and reads nothing. No secret key is in either message.
 */
import { x25519 } from '@noble/curves/ed25519.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { CONTACT_MESSAGE_BYTES_MAX, DEVICE_NAME_CHARS_MAX } from '../../core/index.ts'
import { fromBase64url, toBase64url } from '../lib/base64url.ts'

export const DEVICE_LINK_VERSION = 1
/** How long a link QR code may be used: long enough to walk to the other device, short enough not to linger. */
export const DEVICE_LINK_TTL_MS = 10 * 60_000
/** The route prefix of a device link (`#/d/…`). */
export const DEVICE_LINK_PREFIX = 'd'
const HEADER_BYTES = 1 + 32 + 24
const TAG_BYTES = 16
const HEX64 = /^[0-9a-f]{64}$/
const CHECK_BYTES = 4

/** What the new device's QR code says. */
export interface DeviceLinkCode {
  /** The one-time X25519 public key (hex) the answer is sealed to. */
  readonly box: string
  /** The rendezvous id (32 hex): names the mailbox, binds the seal. */
  readonly rendezvous: string
  /** The device key the new device made for this link (Ed25519 public, hex): the key to certify. */
  readonly device: string
  /** Until when (ms since 1970) the code may be used. */
  readonly expires: number
  /** The name the new device suggests for itself ("Laptop"); may be empty. */
  readonly name: string
  /** The relay whose mailbox the new device watches. */
  readonly relay: string
}

/** What the existing device sends back, sealed. */
export interface DeviceLinkAnswer {
  readonly pool: string
  /** The pool's genesis entry line: the new device opens the pool from it. */
  readonly genesis: string
  /** The member key the device signs for. */
  readonly member: string
  /** The `device` certificate's line (signed by the member key, naming `device`). */
  readonly certificate: string
  /** More lines the new device may take at once (the member's admission, say); verified like any. */
  readonly lines: readonly string[]
  /** The relay the pool syncs through ('' for the app's default). */
  readonly relay: string
}

export type DeviceLinkProblem = 'link-garbled' | 'link-expired'

export function encodeDeviceLink(code: DeviceLinkCode, origin: string): string {
  const json = new TextEncoder().encode(JSON.stringify({ v: DEVICE_LINK_VERSION, k: code.box, r: code.rendezvous, d: code.device, x: code.expires, n: code.name, u: code.relay }))
  // A check of 4 bytes of SHA-256: a character misread or changed by a messenger is caught, not taken for another key.
  const bytes = new Uint8Array(json.length + CHECK_BYTES)
  bytes.set(json, 0)
  bytes.set(sha256(json).subarray(0, CHECK_BYTES), json.length)
  return `${origin.replace(/\/$/, '')}/#/${DEVICE_LINK_PREFIX}/${toBase64url(bytes)}`
}

/**
 * Reads a device link as scanned or pasted (a full link, `#/d/…` or `d/…`,
 * with spaces a messenger added). Never throws: a garbled or expired code is
 * a problem the screen says in words.
 */
export function decodeDeviceLink(text: string, now: number): { ok: true; code: DeviceLinkCode } | { ok: false; problem: DeviceLinkProblem } {
  const compact = text.replace(/\s+/g, '')
  const at = compact.indexOf('#/')
  const route = at === -1 ? compact.replace(/^\//, '') : compact.slice(at + 2)
  const match = /^d\/([A-Za-z0-9_-]{1,2000})$/.exec(route)
  const bytes = match ? fromBase64url(match[1]!) : undefined
  if (!bytes || bytes.length <= CHECK_BYTES) return { ok: false, problem: 'link-garbled' }
  const json = bytes.subarray(0, bytes.length - CHECK_BYTES)
  const check = sha256(json)
  if (check.subarray(0, CHECK_BYTES).some((byte, i) => byte !== bytes[json.length + i])) return { ok: false, problem: 'link-garbled' }
  let fields: Record<string, unknown>
  try {
    fields = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json)) as Record<string, unknown>
  } catch {
    return { ok: false, problem: 'link-garbled' }
  }
  const { v, k, r, d, x, n, u } = fields ?? {}
  const valid = v === DEVICE_LINK_VERSION && typeof k === 'string' && HEX64.test(k) && typeof r === 'string' && /^[0-9a-f]{32}$/.test(r)
    && typeof d === 'string' && HEX64.test(d) && typeof x === 'number' && Number.isSafeInteger(x) && typeof n === 'string' && n.length <= DEVICE_NAME_CHARS_MAX
    && typeof u === 'string' && u.length <= 500
  if (!valid) return { ok: false, problem: 'link-garbled' }
  if (x < now) return { ok: false, problem: 'link-expired' }
  return { ok: true, code: { box: k, rendezvous: r, device: d, expires: x, name: n, relay: u } }
}

/** The mailbox (64 hex) where the answer to a link waits. */
export function linkMailbox(rendezvous: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(`heroes/link/v1/${rendezvous}`)))
}

function keyOf(shared: Uint8Array, senderPublic: Uint8Array, recipientPublic: Uint8Array, rendezvous: string): Uint8Array {
  const salt = new Uint8Array(64)
  salt.set(senderPublic, 0)
  salt.set(recipientPublic, 32)
  return hkdf(sha256, shared, salt, new TextEncoder().encode(`heroes/link/v1/${rendezvous}`), 32)
}

/**
 * Seals the answer to the link's one-time key. `random32` makes the sender's
 * own one-time key, `nonce` is 24 random bytes. Throws a RangeError when the
 * result would be larger than the relay's mailbox takes.
 */
export function sealAnswer(answer: DeviceLinkAnswer, code: DeviceLinkCode, random32: Uint8Array, nonce: Uint8Array): Uint8Array {
  if (nonce.length !== 24 || random32.length !== 32) throw new RangeError(`expected 32 random bytes and a 24-byte nonce, got ${random32.length} and ${nonce.length}`)
  const plaintext = new TextEncoder().encode(JSON.stringify(answer))
  const size = HEADER_BYTES + plaintext.length + TAG_BYTES
  if (size > CONTACT_MESSAGE_BYTES_MAX) throw new RangeError(`expected an answer of at most ${CONTACT_MESSAGE_BYTES_MAX} bytes sealed, got ${size}`)
  const recipient = hexToBytes(code.box)
  const senderPublic = x25519.getPublicKey(random32)
  const key = keyOf(x25519.getSharedSecret(random32, recipient), senderPublic, recipient, code.rendezvous)
  const sealed = new Uint8Array(size)
  sealed[0] = DEVICE_LINK_VERSION
  sealed.set(senderPublic, 1)
  sealed.set(nonce, 33)
  sealed.set(xchacha20poly1305(key, nonce).encrypt(plaintext), HEADER_BYTES)
  return sealed
}

/** Opens an answer with the link's one-time secret; undefined for anything else (junk, another link's, altered bytes). Never throws. */
export function openAnswer(sealed: Uint8Array, boxSecret: Uint8Array, rendezvous: string): DeviceLinkAnswer | undefined {
  if (sealed.length < HEADER_BYTES + TAG_BYTES || sealed.length > CONTACT_MESSAGE_BYTES_MAX || sealed[0] !== DEVICE_LINK_VERSION) return undefined
  try {
    const senderPublic = sealed.subarray(1, 33)
    const key = keyOf(x25519.getSharedSecret(boxSecret, senderPublic), senderPublic, x25519.getPublicKey(boxSecret), rendezvous)
    const plaintext = xchacha20poly1305(key, sealed.subarray(33, HEADER_BYTES)).decrypt(sealed.subarray(HEADER_BYTES))
    const a = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as Record<string, unknown>
    const text = (value: unknown): value is string => typeof value === 'string'
    if (!text(a.pool) || !HEX64.test(a.pool) || !text(a.genesis) || !text(a.member) || !HEX64.test(a.member) || !text(a.certificate) || !text(a.relay)) return undefined
    if (!Array.isArray(a.lines) || !a.lines.every(text)) return undefined
    return { pool: a.pool, genesis: a.genesis, member: a.member, certificate: a.certificate, lines: a.lines, relay: a.relay }
  } catch {
    return undefined
  }
}

/** A fresh one-time X25519 key pair from 32 random bytes. */
export function oneTimeBox(random32: Uint8Array): { secret: Uint8Array; publicKey: string } {
  return { secret: random32, publicKey: bytesToHex(x25519.getPublicKey(random32)) }
}
