/**
 * Judges a signed candidate entry with core's own validator before it is
 * stored or sent, so a member learns at once that a payment would be refused
 * and why: the app never has its own copy of the rules to drift from core.
 */
import { Ledger, type Entry, type EntryVerdict, type PublicKeyHex, type Reason, type SignatureCache } from '../../core/index.ts'

export interface Refusal {
  readonly reason: Reason
  readonly detail?: string
  /** For the rate limit: when the next transfer is allowed (ms since 1970). */
  readonly nextAllowedAt?: number
  /** For the payer's minimum: the most this member can pay now (minor units). */
  readonly payableMax?: number
  /** For the payee's maximum: the most the payee can receive now (minor units). */
  readonly receivableMax?: number
  /** For the offline cap: what may still be paid before a witness sees this member's payments again, and the pool's caps. */
  readonly offline?: { readonly countLeft: number; readonly amountLeft: number; readonly countMax: number; readonly amountMax: number }
}

export interface CheckOptions {
  /**
   * Judge the candidate as online: it names a checkpoint covering its chain
   * head and the device is connected, so a checkpoint will cover it promptly.
   * Otherwise it counts against the offline cap, which is the truth if it is
   * not covered promptly.
   */
  readonly online?: boolean
}

export type CandidateCheck = { ok: true; verdict: EntryVerdict } | { ok: false; refusal: Refusal }

export function checkCandidate(ledger: Ledger, candidate: Entry, allEntries: Iterable<Entry>, cache: SignatureCache, options: CheckOptions = {}): CandidateCheck {
  // preview() answers when the candidate simply goes last; otherwise judge it in a copy of the whole set,
  // where it is uncovered and so judged offline: stricter, never looser.
  let verdict = ledger.preview(candidate, { online: options.online === true })
  if (!verdict) {
    const copy = new Ledger(ledger.pool, { cache })
    copy.add([...allEntries, candidate], Math.max(ledger.asOf, candidate.time))
    verdict = copy.verdict(candidate.id)
  }
  if (!verdict) return { ok: false, refusal: { reason: 'malformed', detail: 'the validator did not judge the entry' } }
  // 'initiated': a two-step transfer the validator took, waiting for its payee; as good as accepted here.
  if (verdict.status === 'accepted' || verdict.status === 'initiated') return { ok: true, verdict }
  const reason: Reason = verdict.reason ?? 'malformed'
  return { ok: false, refusal: { reason, ...(verdict.detail ? { detail: verdict.detail } : {}), ...explain(ledger, candidate, reason) } }
}

/** The figures that turn a refusal into advice: when, or how much. */
function explain(ledger: Ledger, candidate: Entry, reason: Reason): Partial<Refusal> {
  if (reason === 'rate-limit') {
    const last = ledger.lastTransferTime(candidate.author)
    const seconds = ledger.policy?.rateLimitSeconds ?? 0
    return last === undefined ? {} : { nextAllowedAt: last + seconds * 1000 }
  }
  if ((reason === 'below-min-balance' || reason === 'above-max-balance') && candidate.type === 'transfer') {
    const payer = ledger.member(candidate.author)
    const payee = ledger.member(candidate.to as PublicKeyHex)
    const out: { payableMax?: number; receivableMax?: number } = {}
    if (payer) out.payableMax = Math.max(0, ledger.balanceOf(candidate.author) - payer.minBalance)
    if (payee && payee.maxBalance !== null) out.receivableMax = Math.max(0, payee.maxBalance - ledger.balanceOf(candidate.to as PublicKeyHex))
    return out
  }
  if (reason === 'offline-cap') {
    const allowance = ledger.offlineAllowance(candidate.author)
    return allowance ? { offline: { ...allowance } } : {}
  }
  return {}
}
