/**
 * Filtering a member's statement by date and counterparty, the same filter
 * for the rows on screen and for the CSV export (core's `statement`). Dates
 * come from `<input type="date">` (YYYY-MM-DD) and mean whole local days.
 */
import type { StatementFilter } from '../../core/index.ts'
import type { StatementRow } from './pool-view.ts'

export interface StatementFilterText {
  /** YYYY-MM-DD or empty: from the start of that day. */
  readonly from: string
  /** YYYY-MM-DD or empty: to the end of that day. */
  readonly to: string
  /** A member's key or empty for everyone. */
  readonly counterparty: string
}

export const NO_FILTER: StatementFilterText = { from: '', to: '', counterparty: '' }

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** Milliseconds of a local day's first (or, with `end`, last) millisecond; undefined when the text is not a date. */
export function dayBound(text: string, end: boolean): number | undefined {
  const match = DAY.exec(text.trim())
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])]
  const start = new Date(year, month, day)
  // new Date rolls 2026-02-31 over to March: such a text is not a date.
  if (start.getFullYear() !== year || start.getMonth() !== month || start.getDate() !== day) return undefined
  return end ? new Date(year, month, day + 1).getTime() - 1 : start.getTime()
}

/** The filter core's `statement` takes. */
export function toCoreFilter(text: StatementFilterText): StatementFilter {
  const from = dayBound(text.from, false)
  const to = dayBound(text.to, true)
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(text.counterparty ? { counterparty: text.counterparty as NonNullable<StatementFilter['counterparty']> } : {}),
  }
}

export function isFiltering(text: StatementFilterText): boolean {
  const filter = toCoreFilter(text)
  return filter.from !== undefined || filter.to !== undefined || filter.counterparty !== undefined
}

/** The rows the filter keeps; each keeps its running balance (the balance after it, unfiltered). */
export function filterRows(rows: readonly StatementRow[], text: StatementFilterText): StatementRow[] {
  const filter = toCoreFilter(text)
  return rows.filter(
    (row) =>
      (filter.from === undefined || row.time >= filter.from) &&
      (filter.to === undefined || row.time <= filter.to) &&
      (filter.counterparty === undefined || row.counterparty === filter.counterparty),
  )
}

/** Everyone this member dealt with in the statement, once each, for the counterparty choice. */
export function counterpartiesOf(rows: readonly StatementRow[]): string[] {
  return [...new Set(rows.flatMap((row) => (row.counterparty && (row.type === 'transfer' || row.type === 'issue') ? [row.counterparty] : [])))]
}
