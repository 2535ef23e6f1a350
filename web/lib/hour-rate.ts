/**
 * A pool's rate to HOUR as a person types it: "3" or "1/2" (one whole unit is worth NUM/DEN HOUR).
 * The create screen and the between-pools screen read it the same way; the wallet and the validator
 * refuse it again if it gets past this.
 */
import { HOUR_RATE_PART_MAX } from '../../core/limits.ts'

export interface HourRate {
  readonly num: number
  readonly den: number
}

/** Whole numbers from 1 to HOUR_RATE_PART_MAX, spaces allowed around them; undefined for anything else. */
export function parseHourRate(text: string): HourRate | undefined {
  const match = /^\s*(\d{1,10})\s*(?:\/\s*(\d{1,10})\s*)?$/.exec(text)
  if (!match) return undefined
  const num = Number(match[1])
  const den = match[2] !== undefined ? Number(match[2]) : 1
  return isRatePart(num) && isRatePart(den) ? { num, den } : undefined
}

/** One side of a rate: a whole number from 1 to HOUR_RATE_PART_MAX. */
export function isRatePart(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= HOUR_RATE_PART_MAX
}
