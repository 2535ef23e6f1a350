/** A refusal from the wallet or the validator, in words, with the figures that tell the member what is possible. */
import type { Policy, Reason } from '../../core/index.ts'
import type { Refusal } from '../wallet/check-payment.ts'
import type { WalletProblem } from '../wallet/wallet.ts'
import type { Strings } from '../strings/en.ts'
import { inserted, type Text } from '../strings/phrase.ts'
import { clockTime, money, waitFor } from './format.ts'

export function refusalText(t: Strings, refusal: Refusal | WalletProblem, policy: Policy | null, now: number): Text {
  const r = refusal as Refusal
  switch (refusal.reason) {
    case 'rate-limit':
      return r.nextAllowedAt !== undefined ? t.pay.rateLimit(clockTime(r.nextAllowedAt), waitFor(r.nextAllowedAt - now)) : t.reasons['rate-limit']
    case 'below-min-balance':
      return r.payableMax !== undefined ? t.pay.belowMin(inserted(money(r.payableMax, policy))) : t.reasons['below-min-balance']
    case 'above-max-balance':
      return r.receivableMax !== undefined ? t.pay.aboveMax(inserted(money(r.receivableMax, policy))) : t.reasons['above-max-balance']
    case 'pay-yourself':
      return t.pay.payYourself
    case 'offline-cap':
      if (!r.offline) return t.reasons['offline-cap']
      return r.offline.countLeft === 0 || r.offline.amountLeft === 0
        ? t.pay.offlineCapUsed(r.offline.countMax, inserted(money(r.offline.amountMax, policy)))
        : t.pay.offlineCapAmount(inserted(money(r.offline.amountLeft, policy)), inserted(money(r.offline.amountMax, policy)))
  }
  if (refusal.reason in t.wallet.problems) return t.wallet.problems[refusal.reason as WalletProblem['reason']]
  return t.reasons[refusal.reason as Reason] ?? t.common.error
}
