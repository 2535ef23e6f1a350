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
    return this.#invalid.has(entry.id + entry.sig) ? false : undefined
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
  const signature = fromHex(entry.sig, 64)
  const publicKey = fromHex(entry.author, 32)
  if (!signature || !publicKey) return undefined
  const checks: SignatureCheck[] = [{ signature, message: signedMessage(entry.type, payloadText(entry)), publicKey }]
  if (entry.type === 'join') {
    const inviteSignature = fromHex(entry.inviteSig, 64)
    const invitee = fromHex(entry.invitee, 32)
    if (!inviteSignature || !invitee) return undefined
    checks.push({ signature: inviteSignature, message: joinInviteMessage(entry.pool, entry.invite, entry.author), publicKey: invitee })
  }
  return checks
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

