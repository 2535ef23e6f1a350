import { describe, expect, it } from 'vitest'
import { AMOUNT_MAX } from '../../core/limits.ts'
import { formatAmount, formatAmountIn, parseAmount } from './amount.ts'

describe('formatAmount', () => {
  it('shows minor units with the pool decimals, grouping thousands', () => {
    expect(formatAmount(150, 2)).toBe('1.50')
    expect(formatAmount(5, 2)).toBe('0.05')
    expect(formatAmount(-1250, 2)).toBe('−12.50')
    expect(formatAmount(1234567, 0)).toBe('1\u202f234\u202f567')
    expect(formatAmount(0, 3)).toBe('0.000')
  })
})

describe('formatAmountIn', () => {
  it('uses each language’s grouping and decimal mark, exactly', () => {
    expect(formatAmountIn(123456, 2, 'en')).toBe('1,234.56')
    expect(formatAmountIn(123456, 2, 'it')).toBe('1234,56')
    expect(formatAmountIn(12345678, 2, 'it')).toBe('123.456,78')
    expect(formatAmountIn(123456, 2, 'es')).toBe('1234,56')
    expect(formatAmountIn(123456, 2, 'fr')).toBe('1\u202f234,56')
    expect(formatAmountIn(123456, 2, 'ca')).toBe('1.234,56')
    expect(formatAmountIn(-1250, 2, 'ca')).toBe('−12,50')
    expect(formatAmountIn(-5, 2, 'fr')).toBe('−0,05')
    expect(formatAmountIn(AMOUNT_MAX, 2, 'en').replace(/\D/g, '')).toBe(String(AMOUNT_MAX))
  })
  it('reads back with parseAmount when no grouping is shown', () => {
    for (const locale of ['en', 'it', 'fr', 'es', 'ca']) expect(parseAmount(formatAmountIn(150, 2, locale), 2)).toEqual({ ok: true, minorUnits: 150 })
  })
})

describe('parseAmount', () => {
  it('reads what people type', () => {
    expect(parseAmount('12.5', 2)).toEqual({ ok: true, minorUnits: 1250 })
    expect(parseAmount('12,50', 2)).toEqual({ ok: true, minorUnits: 1250 })
    expect(parseAmount(' 7 ', 0)).toEqual({ ok: true, minorUnits: 7 })
    expect(parseAmount('.5', 1)).toEqual({ ok: true, minorUnits: 5 })
    expect(parseAmount('1.500', 2)).toEqual({ ok: true, minorUnits: 150 })
  })
  it('refuses instead of rounding or guessing', () => {
    expect(parseAmount('1.005', 2)).toEqual({ ok: false, problem: 'too-many-decimals' })
    expect(parseAmount('', 2)).toEqual({ ok: false, problem: 'empty' })
    expect(parseAmount('-3', 2)).toEqual({ ok: false, problem: 'not-a-number' })
    expect(parseAmount('1e3', 2)).toEqual({ ok: false, problem: 'not-a-number' })
    expect(parseAmount('0.00', 2)).toEqual({ ok: false, problem: 'not-positive' })
  })
  it('accepts AMOUNT_MAX and refuses one more', () => {
    expect(parseAmount(String(AMOUNT_MAX), 0)).toEqual({ ok: true, minorUnits: AMOUNT_MAX })
    expect(parseAmount(String(AMOUNT_MAX + 1), 0)).toEqual({ ok: false, problem: 'too-large' })
  })
})
