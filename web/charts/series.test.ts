import { describe, expect, it } from 'vitest'
import type { EntryId, Movement, PublicKeyHex } from '../../core/index.ts'
import type { StatementRow } from '../wallet/pool-view.ts'
import { balanceSeries, balanceSpread, weekStart, weeklyActivity, WEEK_MS } from './series.ts'

const MONDAY = Date.UTC(2026, 10, 30) // a Monday
const key = (c: string) => c.repeat(64) as PublicKeyHex
const move = (time: number, from: string | null, to: string, amount: number, demurrage = false): Movement =>
  ({ entry: 'e' as EntryId, at: 'e' as EntryId, time, from: from === null ? null : key(from), to: key(to), amount, fee: 0, memo: undefined, ...(demurrage ? { demurrage: true as const } : {}) })
const row = (time: number, change: number, balanceAfter: number, status: StatementRow['status'] = 'accepted'): StatementRow =>
  ({ id: String(time), time, type: 'transfer', change, nominal: change, counterparty: null, memo: '', status, balanceAfter, outgoing: change < 0 })

describe('balanceSeries', () => {
  it('starts at zero and follows the balance after each payment that moved money, oldest first', () => {
    const statement = [row(300, -50, 150), row(250, 0, 200, 'pending'), row(200, 200, 200)] // newest first, as the view gives it
    expect(balanceSeries(statement)).toEqual([{ time: 200, balance: 0 }, { time: 200, balance: 200 }, { time: 300, balance: 150 }])
    expect(balanceSeries([])).toEqual([])
  })
})

describe('weeklyActivity', () => {
  it('sums each UTC week from Monday, counts who paid or was paid, keeps empty weeks and leaves demurrage out', () => {
    expect(weekStart(MONDAY + 3 * 86_400_000)).toBe(MONDAY)
    expect(weekStart(MONDAY - 1)).toBe(MONDAY - WEEK_MS)
    const weeks = weeklyActivity([
      move(MONDAY - WEEK_MS + 1000, 'a', 'b', 100),
      move(MONDAY + 1000, 'a', 'c', 30),
      move(MONDAY + 2000, null, 'a', 5),
      move(MONDAY + 3000, 'b', 'b', 999, true),
      move(MONDAY - 10 * WEEK_MS, 'a', 'b', 7),
    ], MONDAY + 86_400_000, 3)
    expect(weeks).toEqual([
      { start: MONDAY - 2 * WEEK_MS, volume: 0, active: 0 },
      { start: MONDAY - WEEK_MS, volume: 100, active: 2 },
      { start: MONDAY, volume: 35, active: 2 },
    ])
  })
})

describe('balanceSpread', () => {
  it('puts every balance in one of equal ranges, the highest in the last', () => {
    const buckets = balanceSpread([-100, -50, 0, 0, 50, 100], 4)
    expect(buckets.map((b) => b.count)).toEqual([1, 1, 2, 2])
    expect(buckets[0]).toMatchObject({ low: -100, high: -50 })
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(6)
    expect(balanceSpread([7, 7], 4)).toEqual([{ low: 7, high: 7, count: 2 }])
    expect(balanceSpread([], 4)).toEqual([])
  })
})
