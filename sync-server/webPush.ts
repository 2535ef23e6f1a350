/**
 * Web Push's two pieces of cryptography, with node:crypto only (no library):
 *
 * - the message body, encrypted for one browser subscription as RFC 8291 says
 *   (ECDH P-256 with the subscription's `p256dh` key, HKDF-SHA-256 with its
 *   `auth` secret, one aes128gcm record of RFC 8188), so the push service that
 *   carries it cannot read it;
 * - the relay's VAPID authorization (RFC 8292): a JWT signed ES256 with the
 *   relay's own P-256 key, naming the push service's origin, valid for hours,
 *   which lets the push service tell this relay's messages from anyone's.
 *
 * `sync-server/test/push.test.ts` checks the encryption against RFC 8291's
 * Appendix A byte for byte.
 */
import { createECDH, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes, sign, createCipheriv, type JsonWebKey, type KeyObject } from 'node:crypto'

/** RFC 8188 record size named in the header; one record holds the whole (small) message. */
export const PUSH_RECORD_SIZE = 4096
/** P-256 public keys travel uncompressed: 0x04, x, y. */
const POINT_BYTES = 65
const AUTH_SECRET_BYTES = 16
/** How long a VAPID token stays valid (RFC 8292 allows at most 24 hours). */
export const VAPID_TOKEN_TTL_SECONDS = 12 * 3600

export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

export function fromBase64url(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'))
}

export interface EncryptOptions {
  /** For test vectors only: a fixed salt (else 16 random bytes). */
  readonly salt?: Uint8Array
  /** For test vectors only: the application server's ephemeral private key (else a fresh one per message). */
  readonly senderPrivateKey?: Uint8Array
}

/**
 * `plaintext` encrypted for the browser whose subscription has `p256dh` (65 bytes) and `auth`
 * (16 bytes): the aes128gcm body of RFC 8291 (header: salt, record size, the sender's key).
 */
export function encryptPushMessage(plaintext: Uint8Array, p256dh: Uint8Array, auth: Uint8Array, options: EncryptOptions = {}): Uint8Array {
  if (p256dh.length !== POINT_BYTES || p256dh[0] !== 4) throw new RangeError(`expected a 65-byte uncompressed P-256 key, got ${p256dh.length} bytes`)
  if (auth.length !== AUTH_SECRET_BYTES) throw new RangeError(`expected a 16-byte auth secret, got ${auth.length} bytes`)
  if (plaintext.length + 1 + 16 > PUSH_RECORD_SIZE) throw new RangeError(`expected at most ${PUSH_RECORD_SIZE - 17} bytes to encrypt, got ${plaintext.length}`)
  const sender = createECDH('prime256v1')
  if (options.senderPrivateKey) sender.setPrivateKey(Buffer.from(options.senderPrivateKey))
  else sender.generateKeys()
  const senderPublic = sender.getPublicKey()
  const salt = options.salt ?? randomBytes(16)
  const shared = sender.computeSecret(Buffer.from(p256dh))
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), p256dh, senderPublic])
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32))
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16))
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12))
  const cipher = createCipheriv('aes-128-gcm', cek, nonce)
  // The last (and only) record ends with the delimiter 0x02 and no further padding.
  const sealed = Buffer.concat([cipher.update(Buffer.concat([plaintext, Buffer.from([2])])), cipher.final(), cipher.getAuthTag()])
  const header = Buffer.alloc(16 + 4 + 1)
  Buffer.from(salt).copy(header, 0)
  header.writeUInt32BE(PUSH_RECORD_SIZE, 16)
  header.writeUInt8(senderPublic.length, 20)
  return new Uint8Array(Buffer.concat([header, senderPublic, sealed]))
}

/** The relay's VAPID key pair: the private key as a KeyObject, the public one as the browser wants it (65 bytes). */
export interface VapidKeys {
  readonly privateKey: KeyObject
  readonly publicKey: Uint8Array
}

/** A fresh P-256 key pair, and its JWK form for the relay's data directory. */
export function generateVapidKeys(): { keys: VapidKeys; jwk: JsonWebKey } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = privateKey.export({ format: 'jwk' })
  return { keys: vapidKeysFromJwk(jwk), jwk }
}

export function vapidKeysFromJwk(jwk: JsonWebKey): VapidKeys {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new TypeError('expected a P-256 private key as JWK (kty EC, crv P-256, d, x, y)')
  }
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' })
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' })
  const publicKey = new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(publicJwk.x!, 'base64url'), Buffer.from(publicJwk.y!, 'base64url')]))
  return { privateKey, publicKey }
}

/**
 * The `Authorization` header for a push to `endpoint` (RFC 8292): `vapid t=<JWT>, k=<public key>`,
 * the JWT naming the endpoint's origin as audience, expiring VAPID_TOKEN_TTL_SECONDS after `nowMs`.
 */
export function vapidAuthorization(endpoint: string, keys: VapidKeys, subject: string, nowMs: number): string {
  const header = base64url(Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'ES256' })))
  const claims = base64url(Buffer.from(JSON.stringify({ aud: new URL(endpoint).origin, exp: Math.floor(nowMs / 1000) + VAPID_TOKEN_TTL_SECONDS, sub: subject })))
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key: keys.privateKey, dsaEncoding: 'ieee-p1363' })
  return `vapid t=${header}.${claims}.${base64url(signature)}, k=${base64url(keys.publicKey)}`
}
