/**
 * What every wallet operation returns. Operating errors are values, never
 * exceptions: the screen turns them into words (ui/refusal-text.ts), and a
 * forgotten case is a type error rather than an uncaught throw mid-payment.
 * The wallet's own modules share these so a refusal looks the same whichever
 * of them found it.
 */
import type { Refusal } from './check-payment.ts'

export type Outcome<T = void> = { ok: true; value: T } | { ok: false; refusal: Refusal | WalletProblem }

/** Problems the wallet finds before the validator is even asked. */
export interface WalletProblem {
  readonly reason:
    | 'unknown-pool' | 'no-key' | 'needs-chain-head' | 'own-fork' | 'stale-chain-head' | 'pay-yourself' | 'invite-invalid' | 'invite-wrong-pool' | 'already-joined' | 'pool-invalid' | 'not-gatekeeper'
    | 'request-invalid' | 'request-unknown' | 'request-waiting' | 'request-not-for-you' | 'no-relay-witness' | 'profile-name-empty' | 'order-invalid'
    | 'demurrage-invalid'
  readonly detail?: string
}

/** A wallet problem as an outcome; a fresh object each time, since screens keep refusals in their state. */
export function refused(reason: WalletProblem['reason'], detail?: string): { ok: false; refusal: WalletProblem } {
  return { ok: false, refusal: { reason, ...(detail !== undefined ? { detail } : {}) } }
}

/** Success with nothing to return. */
export function done(): { ok: true; value: undefined } {
  return { ok: true, value: undefined }
}

/** A signed entry's outcome as its id: what screens keep to show or answer the entry later. */
export function idOf(signed: Outcome<{ readonly id: string }>): Outcome<string> {
  return signed.ok ? { ok: true, value: signed.value.id } : signed
}

/** A signed entry's outcome when the caller needs only to know it was kept. */
export function kept(signed: Outcome<unknown>): Outcome {
  return signed.ok ? done() : signed
}
