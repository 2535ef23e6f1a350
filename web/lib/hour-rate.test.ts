import { describe, expect, it } from 'vitest'
import { HOUR_RATE_PART_MAX } from '../../core/limits.ts'
import { parseHourRate } from './hour-rate.ts'

describe('parseHourRate', () => {
  it('reads a whole number or a fraction of whole numbers, spaces allowed', () => {
    expect(parseHourRate('3')).toEqual({ num: 3, den: 1 })
    expect(parseHourRate(' 1 / 2 ')).toEqual({ num: 1, den: 2 })
    expect(parseHourRate(`${HOUR_RATE_PART_MAX}/${HOUR_RATE_PART_MAX}`)).toEqual({ num: HOUR_RATE_PART_MAX, den: HOUR_RATE_PART_MAX })
  })

  it('refuses zero, signs, decimals, words and parts past the limit', () => {
    for (const text of ['', '0', '1/0', '-1', '1.5', '1,5', 'a third', '1/2/3', `${HOUR_RATE_PART_MAX + 1}`, '99999999999']) expect(parseHourRate(text), text).toBeUndefined()
  })
})
