/**
 * Ed25519 verification that is fast where a native engine is available and gives, on every input,
 * the reference verdict: @noble/ed25519's `verify(sig, msg, pub, { zip215: false })`.
 *
 * Why this is sound (docs/signatures.md has the long form): once the checks below pass, the
 * reference's verdict is exactly "the cofactored equation [8](R + kA - [S]B) = O holds", with
 * k = SHA-512(R || A || msg) over the bytes as received, which are then the canonical encodings
 * of the points R and A. A native verifier that accepts has checked either that same equation or
 * the cofactorless one (R + kA - [S]B = O, which implies it), over the same points and the same k.
 * So native "valid" implies reference "valid". Native "invalid" proves nothing (mixed-order R or A
 * can pass the cofactored equation and fail the cofactorless one), so the reference decides those:
 * honest signatures take the fast path, invalid ones pay one noble verify.
 *
 * Pure: no Node or DOM APIs. The native verifier is injected.
 */
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { referenceVerify, type Verifier } from './keys.ts'

/** The reference verdict every device must reach (core/keys.ts, `zip215: false` at its call site). */
export { referenceVerify }

// noble's synchronous API needs a SHA-512; setting the same function again elsewhere is harmless.
ed.hashes.sha512 = sha512

// ── Sizes and constants ─────────────────────────────────────────────────────────────────────────

export const SIGNATURE_BYTES = 64
export const PUBLIC_KEY_BYTES = 32

/** A verifier: true when `sig` is a valid signature of `msg` by `pub`. Never throws on bad input. */
export type Verify = Verifier
export type VerifyAsync = (sig: Uint8Array, msg: Uint8Array, pub: Uint8Array) => Promise<boolean>

/** Little-endian 2^255 - 19, the field prime: a canonical y is below it. */
const P_LE = leBytes(2n ** 255n - 19n)
/** Little-endian L = 2^252 + 27742317777372353535851937790883648493, the group order: S must be below it. */
const L_LE = leBytes(2n ** 252n + 27742317777372353535851937790883648493n)

/**
 * The eight points of order dividing 8, canonically encoded (list from C2SP/CCTV ed25519/README.md).
 * Their y coordinates are 0, 1, p-1 and ±y8; the other encodings of the same points are either
 * non-canonical (y >= p, or x = 0 with the sign bit set) or differ only in the sign bit, so comparing
 * y with the sign bit cleared, after the canonical check, catches every encoding of every one.
 */
export const SMALL_ORDER_ENCODINGS: readonly string[] = [
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // order 4
  '0100000000000000000000000000000000000000000000000000000000000000', // order 1 (identity)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2
]
const SMALL_ORDER_Y: readonly Uint8Array[] = SMALL_ORDER_ENCODINGS.map((h) => {
  const y = ed.etc.hexToBytes(h)
  y[31] = y[31]! & 0x7f
  return y
})

// ── Pure pre-checks ─────────────────────────────────────────────────────────────────────────────

/**
 * Does the strict reference get past decoding for these bytes? True when the signature is 64 bytes,
 * S < L, R and A are canonical point encodings (RFC 8032 5.1.3: y < p, and not x = 0 with the sign
 * bit set) and A is not one of the small-order points. False means the reference says "invalid"
 * whatever the message. True does not mean the encodings are on the curve: the native verifier
 * (or the reference, on fallback) rejects those.
 */
export function precheck(sig: Uint8Array, pub: Uint8Array): boolean {
  if (sig.length !== SIGNATURE_BYTES || pub.length !== PUBLIC_KEY_BYTES) return false
  return (
    isBelowLE(sig.subarray(32, 64), L_LE, 0xff) &&
    isCanonicalEncoding(sig.subarray(0, 32)) &&
    isCanonicalEncoding(pub) &&
    !isSmallOrderEncoding(pub)
  )
}

/** Is y (sign bit cleared) below p, and not the x = 0 point with its sign bit set? */
export function isCanonicalEncoding(point: Uint8Array): boolean {
  if (point.length !== 32 || !isBelowLE(point, P_LE, 0x7f)) return false
  // x = 0 only for y = 1 and y = p - 1 (y^2 = 1); x = 0 has no negative, so the sign bit must be 0.
  const signBit = (point[31]! & 0x80) !== 0
  return !(signBit && (equalsY(point, SMALL_ORDER_Y[2]!) || equalsY(point, SMALL_ORDER_Y[7]!)))
}

/** Is this a (canonical or not) encoding of a point of order 1, 2, 4 or 8? */
export function isSmallOrderEncoding(point: Uint8Array): boolean {
  return point.length === 32 && SMALL_ORDER_Y.some((y) => equalsY(point, y))
}

// ── The reference and the hybrid ────────────────────────────────────────────────────────────────

/** Async twin of referenceVerify (noble's async path hashes with WebCrypto where it can). */
export async function referenceVerifyAsync(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): Promise<boolean> {
  if (sig.length !== SIGNATURE_BYTES || pub.length !== PUBLIC_KEY_BYTES) return false
  try {
    return await ed.verifyAsync(sig, msg, pub, { zip215: false })
  } catch {
    return false
  }
}

export interface HybridOptions {
  /** Public keys whose decoding verdict is remembered (decoding costs about one verify). */
  keyCacheEntriesMax?: number
}

/**
 * Wrap a native verifier (OpenSSL through node:crypto, WebCrypto, …) so that it returns the
 * reference's verdict on every input. `nativeVerify` must check the RFC 8032 equation, cofactored or
 * cofactorless, on points it decodes itself; it must not throw (return false instead). Each engine
 * is held to this by the vector tests before it is used.
 */
export function createHybridVerifier(nativeVerify: Verify, options: HybridOptions = {}): Verify {
  const keyIsUsable = createKeyCheck(options.keyCacheEntriesMax ?? KEY_CACHE_ENTRIES_DEFAULT)
  return (sig, msg, pub) => {
    if (!precheck(sig, pub) || !keyIsUsable(pub)) return false // the reference rejects these too
    if (nativeVerify(sig, msg, pub)) return true // native valid ⇒ reference valid (see top of file)
    return referenceVerify(sig, msg, pub) // native invalid: only the reference can tell
  }
}

/** The same contract for asynchronous engines such as the browser's `crypto.subtle.verify`. */
export function createHybridVerifierAsync(nativeVerify: VerifyAsync, options: HybridOptions = {}): VerifyAsync {
  const keyIsUsable = createKeyCheck(options.keyCacheEntriesMax ?? KEY_CACHE_ENTRIES_DEFAULT)
  return async (sig, msg, pub) => {
    if (!precheck(sig, pub) || !keyIsUsable(pub)) return false
    if (await nativeVerify(sig, msg, pub)) return true
    return referenceVerifyAsync(sig, msg, pub)
  }
}

// ── Internals ───────────────────────────────────────────────────────────────────────────────────

const KEY_CACHE_ENTRIES_DEFAULT = 4096

/**
 * Does the reference's own decoder accept this public key (on the curve, canonical, not small
 * order)? Byte checks cannot tell whether y has a matching x; rather than trust every engine to
 * reject off-curve keys, ask noble once per key and remember. Bounded: the oldest entry goes first.
 */
function createKeyCheck(entriesMax: number): (pub: Uint8Array) => boolean {
  if (!Number.isInteger(entriesMax) || entriesMax < 1) {
    throw new RangeError(`expected keyCacheEntriesMax to be a positive integer, got ${String(entriesMax)}`)
  }
  const verdicts = new Map<string, boolean>()
  return (pub) => {
    const key = ed.etc.bytesToHex(pub)
    let usable = verdicts.get(key)
    if (usable === undefined) {
      usable = decodesToLargeOrderPoint(pub)
      if (verdicts.size >= entriesMax) verdicts.delete(verdicts.keys().next().value!)
      verdicts.set(key, usable)
    }
    return usable
  }
}

function decodesToLargeOrderPoint(pub: Uint8Array): boolean {
  try {
    return !ed.Point.fromBytes(pub, false).isSmallOrder() // false: strict RFC 8032 decoding, as the reference
  } catch {
    return false // not a point
  }
}

/** bytes < bound, both little-endian 32 bytes; the top byte of `bytes` is masked first. */
function isBelowLE(bytes: Uint8Array, bound: Uint8Array, topByteMask: number): boolean {
  for (let i = 31; i >= 0; i--) {
    const b = i === 31 ? bytes[i]! & topByteMask : bytes[i]!
    if (b !== bound[i]!) return b < bound[i]!
  }
  return false // equal
}

/** Same y coordinate (sign bit of `point` ignored)? `y` has its sign bit cleared already. */
function equalsY(point: Uint8Array, y: Uint8Array): boolean {
  for (let i = 0; i < 31; i++) if (point[i] !== y[i]) return false
  return (point[31]! & 0x7f) === y[31]
}

function leBytes(n: bigint): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn)
  return out
}
