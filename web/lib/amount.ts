/**
 * Amounts are integers in a pool's minor unit (core rule); people read and
 * type them with the pool's decimals. Parsing is strict so that "1.005" in a
 * 2-decimal pool is an error the member sees, never a silent rounding.
 */
import { AMOUNT_MAX } from '../../core/limits.ts'

/** 150 with 2 decimals → "1.50"; negatives keep their sign. */
export function formatAmount(minorUnits: number, decimals: number): string {
  const negative = minorUnits < 0
  const digits = String(Math.abs(minorUnits)).padStart(decimals + 1, '0')
  const whole = decimals === 0 ? digits : digits.slice(0, digits.length - decimals)
  const fraction = decimals === 0 ? '' : '.' + digits.slice(digits.length - decimals)
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')
  return (negative ? '−' : '') + grouped + fraction
}

const groupers = new Map<string, { whole: Intl.NumberFormat; decimal: string }>()

/**
 * The same amount for people reading `locale` (Intl): its grouping and decimal mark, "1,234.50" in
 * English, "1.234,50" in Italian and Spanish, "1 234,50" in French. Exact for every amount: the
 * whole part is formatted as a BigInt and the decimals are the minor units' own digits, never a float.
 */
export function formatAmountIn(minorUnits: number, decimals: number, locale: string): string {
  let format = groupers.get(locale)
  if (!format) {
    const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.'
    format = { whole: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }), decimal }
    groupers.set(locale, format)
  }
  const negative = minorUnits < 0
  const digits = String(Math.abs(minorUnits)).padStart(decimals + 1, '0')
  const whole = decimals === 0 ? digits : digits.slice(0, digits.length - decimals)
  const fraction = decimals === 0 ? '' : format.decimal + digits.slice(digits.length - decimals)
  return (negative ? '−' : '') + format.whole.format(BigInt(whole)) + fraction
}

export type AmountParse =
  | { ok: true; minorUnits: number }
  | { ok: false; problem: 'empty' | 'not-a-number' | 'too-many-decimals' | 'not-positive' | 'too-large' }

/** "1.5" with 2 decimals → 150. Accepts a comma as decimal mark (many locales type one). */
export function parseAmount(text: string, decimals: number): AmountParse {
  const trimmed = text.trim().replace(/[\s\u202f]/g, '').replace(',', '.')
  if (trimmed === '') return { ok: false, problem: 'empty' }
  const match = /^(\d+)(?:\.(\d*))?$/.exec(trimmed) ?? /^()\.(\d+)$/.exec(trimmed)
  if (!match) return { ok: false, problem: 'not-a-number' }
  const whole = match[1] ?? ''
  const fraction = (match[2] ?? '').replace(/0+$/, '')
  if (fraction.length > decimals) return { ok: false, problem: 'too-many-decimals' }
  const digits = (whole + fraction.padEnd(decimals, '0')).replace(/^0+/, '')
  if (digits === '') return { ok: false, problem: 'not-positive' }
  if (digits.length > 16) return { ok: false, problem: 'too-large' }
  const minorUnits = Number(digits)
  if (!Number.isSafeInteger(minorUnits) || minorUnits > AMOUNT_MAX) return { ok: false, problem: 'too-large' }
  return { ok: true, minorUnits }
}
