/**
 * The demurrage check (checks.ts, issue 18) fails when it should: an account
 * charged twice for one boundary, a charge above what the rate allows, and
 * charges that do not add up to what the commons says it collected. The
 * ledger is a stand-in here (its movements written by hand), since the real
 * one never does any of this.
 */
import { describe, expect, it } from 'vitest'
import type { Movement, ReplayResult } from '../../core/index.ts'
import { demurrageProblems } from '../checks.ts'

const DAY = 86_400_000
const ANCHOR = Date.UTC(2026, 0, 1)
const ALICE = 'a'.repeat(64)
const BOB = 'b'.repeat(64)

function stand(movements: Movement[], collected: number) {
  const result = { policy: { demurrage: { rateNum: 1, rateDen: 10, periodSeconds: 86_400, freeBase: 100 } }, demurrageCollected: collected } as unknown as ReplayResult
  return { result: () => result, movements: () => movements }
}

const pay = (amount: number, time: number): Movement => ({ entry: 'p' as never, at: 'p' as never, time, from: BOB as never, to: ALICE as never, amount, fee: 0, memo: undefined })
const charge = (amount: number, time: number): Movement => ({ entry: 'c' as never, at: 'c' as never, time, from: ALICE as never, to: ALICE as never, amount, fee: amount, memo: undefined, demurrage: true })

describe('the demurrage check', () => {
  it('passes an honest history: 10 % of 900 above the base at day 1, then of 810 at day 2', () => {
    expect(demurrageProblems(stand([pay(1000, ANCHOR + 1), charge(90, ANCHOR + DAY + 5), charge(81, ANCHOR + 2 * DAY + 5)], 171), ANCHOR)).toEqual([])
  })

  it('catches a second charge for one boundary, a charge above the rate, and sums that differ', () => {
    const twice = demurrageProblems(stand([pay(1000, ANCHOR + 1), charge(90, ANCHOR + DAY + 5), charge(81, ANCHOR + DAY + 9)], 171), ANCHOR)
    expect(twice.some((p) => p.includes('already charged up to 1'))).toBe(true)
    const greedy = demurrageProblems(stand([pay(1000, ANCHOR + 1), charge(200, ANCHOR + DAY + 5)], 200), ANCHOR)
    expect(greedy.some((p) => p.includes('more than 91 (1 boundaries'))).toBe(true)
    const sums = demurrageProblems(stand([pay(1000, ANCHOR + 1), charge(90, ANCHOR + DAY + 5)], 95), ANCHOR)
    expect(sums.some((p) => p.includes('the commons says 95'))).toBe(true)
  })
})
