/**
 * Rates to HOUR and conversion between pools. A pool's gatekeeper sets its
 * rate in a policy entry (`hourRate: {num, den}`: one whole unit, 10^decimals
 * minor units, is worth num/den HOUR); like every policy field it applies
 * from its place in the order on, so a change affects only what comes after it.
 *
 * The rounding rule, the one conversion every device runs: an amount of pool
 * X in minor units converts to pool Y as
 *
 *     ⌊ amount × numX × denY × 10^decimalsY / (denX × numY × 10^decimalsX) ⌋
 *
 * one rational, one floor at the end (never rounded per step through HOUR),
 * computed exactly with BigInt. A result above AMOUNT_MAX is an overflow, not
 * a wrapped number. What a path asks of its payer is the least amount whose
 * conversion reaches what the next hop pays (`amountToSend`, the ceiling of
 * the inverse), so a gateway never pays out more than it was paid, converted
 * with the floor; the rounding remainder (under one minor unit) stays with it.
 */
import type { HourRate } from '../entry.ts'
import { AMOUNT_MAX, BALANCE_ABS_MAX } from '../limits.ts'

/** A pool's money as conversion needs it: its rate to HOUR and its decimals. */
export interface Unit {
  readonly hourRate: HourRate
  readonly decimals: number
}

const TEN = 10n

function scale(decimals: number): bigint {
  return TEN ** BigInt(decimals)
}

/** The conversion factor from X's minor unit to Y's, as numerator and denominator. */
function factor(from: Unit, to: Unit): { num: bigint; den: bigint } {
  return {
    num: BigInt(from.hourRate.num) * BigInt(to.hourRate.den) * scale(to.decimals),
    den: BigInt(from.hourRate.den) * BigInt(to.hourRate.num) * scale(from.decimals),
  }
}

/** `amount` minor units of `from` in minor units of `to`, rounded down; undefined when past AMOUNT_MAX (overflow). */
export function convert(amount: number, from: Unit, to: Unit): number | undefined {
  const { num, den } = factor(from, to)
  const result = (BigInt(amount) * num) / den
  return result > BigInt(AMOUNT_MAX) ? undefined : Number(result)
}

/**
 * The least amount of `from` whose conversion to `to` is at least `target`:
 * what a hop must be paid for the next hop to pay `target`. Undefined past AMOUNT_MAX.
 */
export function amountToSend(target: number, from: Unit, to: Unit): number | undefined {
  const { num, den } = factor(from, to)
  const least = (BigInt(target) * den + num - 1n) / num
  return least > BigInt(AMOUNT_MAX) ? undefined : Number(least)
}

/** `hours` whole HOUR in minor units of `unit`, rounded down, at most BALANCE_ABS_MAX (a credit limit never goes past it). */
export function hoursToMinor(hours: number, unit: Unit): number {
  const minor = (BigInt(hours) * BigInt(unit.hourRate.den) * scale(unit.decimals)) / BigInt(unit.hourRate.num)
  return minor > BigInt(BALANCE_ABS_MAX) ? BALANCE_ABS_MAX : Number(minor)
}

/** Does `hours` HOUR fit in a balance of `unit` without being cut at BALANCE_ABS_MAX? */
export function hoursFit(hours: number, unit: Unit): boolean {
  return (BigInt(hours) * BigInt(unit.hourRate.den) * scale(unit.decimals)) / BigInt(unit.hourRate.num) <= BigInt(BALANCE_ABS_MAX)
}
