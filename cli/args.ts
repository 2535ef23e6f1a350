/** Flag parsing and checking for the CLI, on node:util's parseArgs. */
import { AMOUNT_MAX, BALANCE_ABS_MAX, TIME_MS_MAX, TIME_MS_MIN, isHex, type PublicKeyHex } from '../core/index.ts'
import { UsageError } from './errors.ts'
import { integerFlag } from '../node/flags.ts'

export { integerFlag, parseFlags } from '../node/flags.ts'

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`expected --${flag}, got nothing`)
  return value
}

/** A whole number from min to max, written in decimal digits. */

export function amountFlag(value: string | undefined): number {
  const amount = integerFlag(required(value, 'amount'), 'amount', 1, AMOUNT_MAX)
  return amount!
}

export function minBalanceFlag(value: string | undefined): number | undefined {
  return integerFlag(value, 'min-balance', -BALANCE_ABS_MAX, 0)
}

/** `none` means no maximum. */
export function maxBalanceFlag(value: string | undefined): number | null | undefined {
  if (value === 'none') return null
  return integerFlag(value, 'max-balance', 1, BALANCE_ABS_MAX)
}

export function publicKeyFlag(value: string | undefined, flag: string): PublicKeyHex {
  const key = required(value, flag)
  if (!isHex(key, 32)) throw new UsageError(`expected --${flag} a public key (64 lower-case hex characters), got ${JSON.stringify(key)}`)
  return key as PublicKeyHex
}

/**
 * T is milliseconds since 1970 (digits, TIME_MS_MIN to TIME_MS_MAX) or an
 * ISO-8601 date-time with `Z` or a numeric offset; absent means `now`. A
 * date-time without an offset is refused rather than read as local time:
 * the same command must mean the same instant on every machine.
 */
export function timeFlag(value: string | undefined, flag: string, now: number): number {
  if (value === undefined) return now
  const ms = parseTime(value)
  if (typeof ms === 'number') return ms
  const shown = value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value)
  throw new UsageError(`expected --${flag} as ISO-8601 with Z or an offset (2026-11-22T10:00:00Z, 2026-11-22T11:00:00+01:00) `
    + `or milliseconds since 1970 (${TIME_MS_MIN} to ${TIME_MS_MAX}), got ${shown}${ms.problem ? ` (${ms.problem})` : ''}`)
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/i

/** Milliseconds since 1970, or why not. */
function parseTime(value: string): number | { problem?: string } {
  if (/^\d+$/.test(value)) {
    const ms = Number(value)
    return Number.isSafeInteger(ms) && ms >= TIME_MS_MIN && ms <= TIME_MS_MAX ? ms : { problem: 'out of range' }
  }
  if (/^-\d+$/.test(value)) return { problem: 'out of range' }
  const match = ISO_DATE_TIME.exec(value)
  if (!match) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { problem: 'a date without a time' }
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(value)) return { problem: 'no Z or offset' }
    return {}
  }
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(match[i]))
  const second = Number(match[6] ?? 0)
  const millisecond = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3))
  const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)]
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!) || hour! > 23 || minute! > 59 || second > 59
    || offsetHours > 23 || offsetMinutes > 59) return { problem: 'no such date or time' }
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes)
  const date = new Date(0)
  date.setUTCFullYear(year!, month! - 1, day!)
  date.setUTCHours(hour!, minute!, second, millisecond)
  const ms = date.getTime() - offset * 60_000
  return ms >= TIME_MS_MIN && ms <= TIME_MS_MAX ? ms : { problem: 'out of range' }
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
}
