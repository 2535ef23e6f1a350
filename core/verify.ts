/**
 * Signature verdicts, verified once per entry and cached.
 *
 * The cache key is the entry id plus the signature: two entries with one id
 * are one content (the id hashes the payload, not the signature), but a
 * forged copy with a bad signature must not borrow the verdict of the real
 * one, nor poison it.
 */
import type { Entry } from './entry.ts'
import { fromHex } from './bytes.ts'
import { referenceVerify, type Verifier } from './keys.ts'
import { joinInviteMessage, payloadText, signedMessage } from './payload.ts'

export class SignatureCache {
  /** id → the signature that verified for it (honest entries: one lookup by id, no string building). */
  readonly #valid = new Map<string, string>()
  /** id + sig of signatures that failed. */
  readonly #invalid = new Set<string>()
  get size(): number {
    return this.#valid.size + this.#invalid.size
  }
  get(entry: Entry): boolean | undefined {
    if (this.#valid.get(entry.id) === entry.sig) return true
    // Most misses are entries never seen: no key to build when nothing failed.
    return this.#invalid.size > 0 && this.#invalid.has(entry.id + entry.sig) ? false : undefined
  }
  set(entry: Entry, verdict: boolean): void {
    if (verdict) this.#valid.set(entry.id, entry.sig)
    else this.#invalid.add(entry.id + entry.sig)
  }
}

/** One signature to check: raw bytes, ready for any verifier (sync, async, in a worker). */
export interface SignatureCheck {
  readonly signature: Uint8Array
  readonly message: Uint8Array
  readonly publicKey: Uint8Array
}

/**
 * The signatures an entry carries: its author's, and for a join also the
 * invite key's. The entry is valid only when all of them are. Returns
 * undefined when a field is not even well-formed hex (decoded entries always are).
 */
export function signatureChecksOf(entry: Entry): SignatureCheck[] | undefined {
  const signature = hexBytes(entry.sig, 64)
  const publicKey = hexBytes(entry.author, 32)
  if (!signature || !publicKey) return undefined
  const checks: SignatureCheck[] = [{ signature, message: signedMessage(entry.type, payloadText(entry)), publicKey }]
  if (entry.type === 'join') {
    const inviteSignature = hexBytes(entry.inviteSig, 64)
    const invitee = hexBytes(entry.invitee, 32)
    if (!inviteSignature || !invitee) return undefined
    checks.push({ signature: inviteSignature, message: joinInviteMessage(entry.pool, entry.invite, entry.author), publicKey: invitee })
  }
  return checks
}

/** Value of each lower-case hex digit by char code, -1 for anything else. */
const HEX_VALUES = new Int8Array(128).fill(-1)
for (let i = 0; i < 16; i++) HEX_VALUES['0123456789abcdef'.charCodeAt(i)] = i

/**
 * fromHex (strict lower-case hex of an exact length, else undefined) without a regular
 * expression and a substring per byte: signatures and keys are decoded once per entry on a
 * cold replay, where this was a tenth of the work besides verifying.
 */
function hexBytes(hex: string, lengthBytes: number): Uint8Array | undefined {
  if (typeof hex !== 'string') return fromHex(hex, lengthBytes) // the same verdict for ill-typed input
  if (hex.length !== lengthBytes * 2) return undefined
  const out = new Uint8Array(lengthBytes)
  for (let i = 0; i < lengthBytes; i++) {
    const high = hex.charCodeAt(2 * i)
    const low = hex.charCodeAt(2 * i + 1)
    const value = ((high < 128 ? HEX_VALUES[high]! : -1) << 4) | (low < 128 ? HEX_VALUES[low]! : -1)
    if (value < 0) return undefined
    out[i] = value
  }
  return out
}

/** Does every signature of this entry check out? Cached by (id, sig). */
export function verifyEntrySignature(entry: Entry, cache?: SignatureCache, verifier: Verifier = referenceVerify): boolean {
  const known = cache?.get(entry)
  if (known !== undefined) return known
  const checks = signatureChecksOf(entry)
  const verdict = checks !== undefined && checks.every((check) => verifier(check.signature, check.message, check.publicKey))
  cache?.set(entry, verdict)
  return verdict
}

