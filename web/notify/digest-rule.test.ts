/** The daily digest's rule: at most once a local day, only matches not told before, whatever the clock does. */
import { describe, expect, it } from 'vitest'
import { digestDue, DIGEST_TOLD_MAX, localDay, NO_DIGEST_YET, readDigestMark } from './digest-rule.ts'

const ROME = -60 // UTC+1 in December: Date#getTimezoneOffset says -60
const morning = Date.UTC(2026, 11, 7, 8) // 09:00 in Rome

describe('the daily digest', () => {
  it('tells new matches once, then nothing more that day, however many arrive', () => {
    const first = digestDue(NO_DIGEST_YET, ['a/x', 'b/y'], morning, ROME)
    expect(first?.count).toBe(2)
    expect(digestDue(first!.mark, ['a/x', 'b/y', 'c/z'], morning + 60_000, ROME)).toBeUndefined()
    // 23:59 in Rome is still the same day.
    expect(digestDue(first!.mark, ['c/z'], Date.UTC(2026, 11, 7, 22, 59), ROME)).toBeUndefined()
    // 00:00 in Rome the next day: only the match not told yet is counted.
    const next = digestDue(first!.mark, ['a/x', 'b/y', 'c/z'], Date.UTC(2026, 11, 7, 23, 0), ROME)
    expect(next?.count).toBe(1)
    expect(next?.mark.told).toEqual(['a/x', 'b/y', 'c/z'])
  })

  it('says nothing with no new match, and does not spend the day on it', () => {
    expect(digestDue(NO_DIGEST_YET, [], morning, ROME)).toBeUndefined()
    const first = digestDue(NO_DIGEST_YET, ['a/x'], morning, ROME)!
    const tomorrow = morning + 86_400_000
    expect(digestDue(first.mark, ['a/x', 'a/x'], tomorrow, ROME)).toBeUndefined()
    // A match later that same day is still told: the day was not used up by the empty check.
    expect(digestDue(first.mark, ['a/x', 'd/w'], tomorrow + 3_600_000, ROME)?.count).toBe(1)
  })

  it('counts a duplicate once, and a clock set back tells nothing until that day has passed again', () => {
    const first = digestDue(NO_DIGEST_YET, ['a/x', 'a/x'], morning, ROME)!
    expect(first.count).toBe(1)
    expect(digestDue(first.mark, ['e/v'], morning - 3 * 86_400_000, ROME)).toBeUndefined()
  })

  it('keeps the day in the device’s zone, not UTC', () => {
    // 23:30 UTC on the 7th is the 8th in Rome and still the 7th in New York (offset +300).
    const late = Date.UTC(2026, 11, 7, 23, 30)
    expect(localDay(late, ROME)).toBe(localDay(late, 0) + 1)
    expect(localDay(late, 300)).toBe(localDay(late, 0))
  })

  it('remembers at most DIGEST_TOLD_MAX matches, the latest', () => {
    const many = Array.from({ length: DIGEST_TOLD_MAX + 5 }, (_, i) => `m/${i}`)
    const result = digestDue(NO_DIGEST_YET, many, morning, ROME)!
    expect(result.count).toBe(DIGEST_TOLD_MAX + 5)
    expect(result.mark.told).toHaveLength(DIGEST_TOLD_MAX)
    expect(result.mark.told.at(-1)).toBe(`m/${DIGEST_TOLD_MAX + 4}`)
  })

  it('reads back only what has its shape', () => {
    expect(readDigestMark(undefined)).toEqual(NO_DIGEST_YET)
    expect(readDigestMark({ day: 'today', told: [] })).toEqual(NO_DIGEST_YET)
    expect(readDigestMark({ day: Number.NaN, told: [] })).toEqual(NO_DIGEST_YET)
    expect(readDigestMark({ day: 20_000, told: ['a/x', 3, null] })).toEqual({ day: 20_000, told: ['a/x'] })
  })
})
