import { describe, expect, it } from 'vitest'
import type { StatementRow } from './pool-view.ts'
import { counterpartiesOf, dayBound, filterRows, isFiltering, NO_FILTER, toCoreFilter } from './statement-filter.ts'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)
const at = (y: number, m: number, d: number, h = 12): number => new Date(y, m - 1, d, h).getTime()
const row = (id: string, time: number, counterparty: string | null, type: StatementRow['type'] = 'transfer'): StatementRow => ({
  id, time, type, change: 0, nominal: 0, counterparty, memo: '', status: 'accepted', balanceAfter: 0, outgoing: false,
})

describe('statement filter', () => {
  it('reads whole local days from date inputs and refuses what is not a date', () => {
    expect(dayBound('2026-11-22', false)).toBe(new Date(2026, 10, 22).getTime())
    expect(dayBound('2026-11-22', true)).toBe(new Date(2026, 10, 23).getTime() - 1)
    expect(dayBound('2026-02-31', false)).toBeUndefined()
    expect(dayBound('', false)).toBeUndefined()
    expect(dayBound('22/11/2026', false)).toBeUndefined()
  })

  it('keeps rows inside the days and with the counterparty', () => {
    const rows = [row('1', at(2026, 11, 21), A), row('2', at(2026, 11, 22, 0), B), row('3', at(2026, 11, 22, 23), A), row('4', at(2026, 11, 23), B)]
    expect(filterRows(rows, NO_FILTER).map((r) => r.id)).toEqual(['1', '2', '3', '4'])
    expect(filterRows(rows, { from: '2026-11-22', to: '2026-11-22', counterparty: '' }).map((r) => r.id)).toEqual(['2', '3'])
    expect(filterRows(rows, { from: '', to: '', counterparty: A }).map((r) => r.id)).toEqual(['1', '3'])
    expect(filterRows(rows, { from: '2026-11-22', to: '', counterparty: B }).map((r) => r.id)).toEqual(['2', '4'])
  })

  it('gives core the same filter, and knows when nothing filters', () => {
    expect(toCoreFilter({ from: '2026-11-22', to: '', counterparty: A })).toEqual({ from: new Date(2026, 10, 22).getTime(), counterparty: A })
    expect(isFiltering(NO_FILTER)).toBe(false)
    expect(isFiltering({ from: 'nonsense', to: '', counterparty: '' })).toBe(false)
  })

  it('lists each payment counterparty once', () => {
    expect(counterpartiesOf([row('1', 1, A), row('2', 2, A), row('3', 3, B), row('4', 4, B, 'admit'), row('5', 5, null)])).toEqual([A, B])
  })
})
