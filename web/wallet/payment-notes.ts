/**
 * What a payment will cost and what it will do to both balances, before it is
 * signed: the levy the pool takes, and the warning levels (soft limits) it
 * crosses. Warnings only: the validator's hard limits are what refuse. Pure,
 * so the screens (pay form, paying a request, making one) share one reading.
 */
import { feeOf, type Policy } from '../../core/index.ts'
import type { PoolView } from './pool-view.ts'

export interface PaymentNotes {
  /** Levy on this payment, for the pool's commons (0 when the pool has none). */
  readonly levy: number
  /** What the payee receives: the amount less the levy. */
  readonly received: number
  /** The payer's spendable balance after paying (balance − on hold − amount). */
  readonly payerAfter: number
  /** Set when the payer ends below the pool's `softMinBalance`. */
  readonly belowSoftMin?: { readonly after: number; readonly level: number }
  /** Set when the payee ends above the pool's `softMaxBalance` (only when this device knows the payee's balance). */
  readonly aboveSoftMax?: { readonly after: number; readonly level: number }
}

export interface PaymentNotesInput {
  readonly policy: Policy | null
  readonly amount: number
  readonly payerBalance: number
  readonly payerHeld: number
  /** The payee's balance as this device knows it; undefined when the payee is unknown here. */
  readonly payeeBalance: number | undefined
}

export function paymentNotes(input: PaymentNotesInput): PaymentNotes {
  const { policy, amount } = input
  const levy = feeOf(amount, policy?.feeBasisPoints ?? 0)
  const received = amount - levy
  const payerAfter = input.payerBalance - input.payerHeld - amount
  const softMin = policy?.softMinBalance
  const softMax = policy?.softMaxBalance
  const payeeAfter = input.payeeBalance === undefined ? undefined : input.payeeBalance + received
  return {
    levy,
    received,
    payerAfter,
    ...(softMin !== undefined && payerAfter < softMin ? { belowSoftMin: { after: payerAfter, level: softMin } } : {}),
    ...(softMax !== undefined && payeeAfter !== undefined && payeeAfter > softMax ? { aboveSoftMax: { after: payeeAfter, level: softMax } } : {}),
  }
}

/** The same, read from a pool view for a payment from this member to `payee`. */
export function paymentNotesIn(view: PoolView, payee: string, amount: number): PaymentNotes {
  return paymentNotes({
    policy: view.policy,
    amount,
    payerBalance: view.balance,
    payerHeld: view.held,
    payeeBalance: view.members.find((member) => member.key === payee)?.balance,
  })
}
