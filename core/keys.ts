/**
 * Ed25519 keys and signatures through @noble/ed25519, the reference
 * implementation every device agrees with. Options are written at every call
 * site on purpose: `zip215: false` selects the strict RFC 8032 branch, which
 * refuses non-canonical point encodings and small-order public keys, so one
 * signature binds one key and one message (see docs/signatures.md).
 */
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { fromHex, toHex } from './bytes.ts'
import type { PublicKeyHex } from './entry.ts'

ed.hashes.sha512 = sha512

export const SECRET_KEY_BYTES = 32
export const PUBLIC_KEY_BYTES = 32
export const SIGNATURE_BYTES = 64

/** A fresh random secret key (32 bytes) from the platform's CSPRNG. */
export function generateSecretKey(): Uint8Array {
  return ed.utils.randomSecretKey()
}

export function publicKeyOf(secretKey: Uint8Array): PublicKeyHex {
  assertSecretKey(secretKey)
  return toHex(ed.getPublicKey(secretKey)) as PublicKeyHex
}

export function signBytes(message: Uint8Array, secretKey: Uint8Array): string {
  assertSecretKey(secretKey)
  return toHex(ed.sign(message, secretKey))
}

/** A verifier takes raw bytes and returns a verdict; it never throws for bad input. */
export type Verifier = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean

/** The reference verdict: @noble/ed25519, strict RFC 8032 branch. */
export const referenceVerify: Verifier = (signature, message, publicKey) => {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false
  try {
    return ed.verify(signature, message, publicKey, { zip215: false })
  } catch {
    return false
  }
}

/** Verifies hex-encoded signature and key; false for anything that is not well-formed hex. */
export function verifyHex(verifier: Verifier, signatureHex: string, message: Uint8Array, publicKeyHex: string): boolean {
  const signature = fromHex(signatureHex, SIGNATURE_BYTES)
  const publicKey = fromHex(publicKeyHex, PUBLIC_KEY_BYTES)
  if (!signature || !publicKey) return false
  return verifier(signature, message, publicKey)
}

function assertSecretKey(secretKey: Uint8Array): void {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== SECRET_KEY_BYTES) {
    throw new TypeError(`expected a secret key of ${SECRET_KEY_BYTES} bytes, got ${describe(secretKey)}`)
  }
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`
  return typeof value
}
