/**
 * Ed25519 verification for Node: OpenSSL (about ten times faster than noble) behind the pre-checks
 * of core/ed25519-precheck.ts, so the verdict is always the reference's (noble, zip215: false).
 * OpenSSL checks the cofactorless equation; where it says "invalid" the reference decides.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import { createHybridVerifier, type Verify } from '../core/ed25519-precheck.ts'

/** DER SubjectPublicKeyInfo header for an Ed25519 key (RFC 8410): the 32 key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export interface NativeVerifierOptions {
  /** KeyObjects kept, one per public key; the oldest goes first when full. */
  keyCacheEntriesMax?: number
}

/**
 * OpenSSL's own verdict, no pre-checks: it accepts small-order and some non-canonical public keys
 * and rejects mixed-order signatures the reference accepts. Only for tests and benchmarks; use
 * `createNodeVerifier` (or `verifyEd25519`) for verdicts.
 */
export function createNodeNativeVerify(options: NativeVerifierOptions = {}): Verify {
  const entriesMax = options.keyCacheEntriesMax ?? 10_000
  if (!Number.isInteger(entriesMax) || entriesMax < 1) {
    throw new RangeError(`expected keyCacheEntriesMax to be a positive integer, got ${String(entriesMax)}`)
  }
  // Building a KeyObject costs about as much as a verify; members sign many entries each.
  const keys = new Map<string, KeyObject>()
  const keyObject = (pub: Uint8Array): KeyObject => {
    const id = Buffer.from(pub.buffer, pub.byteOffset, pub.byteLength).toString('hex')
    let key = keys.get(id)
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, pub]), format: 'der', type: 'spki' })
      if (keys.size >= entriesMax) keys.delete(keys.keys().next().value!)
      keys.set(id, key)
    }
    return key
  }
  return (sig, msg, pub) => {
    if (sig.length !== 64 || pub.length !== 32) return false
    try {
      return verify(null, msg, keyObject(pub), sig)
    } catch {
      return false // a key OpenSSL will not load: the reference decides (it rejects such keys)
    }
  }
}

/** OpenSSL behind the pre-checks: the reference verdict, fast for valid signatures. */
export function createNodeVerifier(options: NativeVerifierOptions = {}): Verify {
  return createHybridVerifier(createNodeNativeVerify(options), options)
}

/** A shared verifier for the relay: same verdict as `referenceVerify`, on every input. */
export const verifyEd25519: Verify = createNodeVerifier()
