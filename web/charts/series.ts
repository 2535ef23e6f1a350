/**
 * What the charts draw, as plain numbers (pure, tested without a browser): a member's balance over
 * time from the statement, a pool's weekly volume and active members from its movements, and the
 * spread of members' balances. The drawing is plain SVG (Charts.tsx): a chart library would cost
 * more bytes than these three pictures.
 */
import type { Movement } from '../../core/index.ts'
import type { StatementRow } from '../wallet/pool-view.ts'

export interface Point {
  readonly time: number
  readonly balance: number
}

/** The member's balance after each payment that moved money, oldest first, from 0 before the first. */
export function balanceSeries(statement: readonly StatementRow[]): Point[] {
  const moved = statement.filter((row) => row.status === 'accepted' && row.change !== 0).slice().reverse()
  if (moved.length === 0) return []
  return [{ time: moved[0]!.time, balance: 0 }, ...moved.map((row) => ({ time: row.time, balance: row.balanceAfter }))]
}

export const WEEK_MS = 7 * 24 * 60 * 60 * 1000
/** 1970-01-05 was a Monday: weeks run Monday 00:00 UTC to Monday, the same on every phone. */
const MONDAY_MS = 4 * 24 * 60 * 60 * 1000

export function weekStart(time: number): number {
  return Math.floor((time - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS
}

export interface Week {
  /** Monday 00:00 UTC (ms). */
  readonly start: number
  /** What was paid between members, issued and paid out that week (minor units; demurrage left out). */
  readonly volume: number
  /** Members who paid or were paid that week. */
  readonly active: number
}

/** The last `weeks` weeks up to `now`, oldest first, empty weeks included. */
export function weeklyActivity(movements: readonly Movement[], now: number, weeks: number): Week[] {
  const last = weekStart(now)
  const first = last - (weeks - 1) * WEEK_MS
  const volume = new Map<number, number>()
  const people = new Map<number, Set<string>>()
  for (const movement of movements) {
    if (movement.demurrage) continue
    const week = weekStart(movement.time)
    if (week < first || week > last) continue
    volume.set(week, (volume.get(week) ?? 0) + movement.amount)
    const set = people.get(week) ?? new Set<string>()
    if (movement.from) set.add(movement.from)
    set.add(movement.to)
    people.set(week, set)
  }
  return Array.from({ length: weeks }, (_, index) => {
    const start = first + index * WEEK_MS
    return { start, volume: volume.get(start) ?? 0, active: people.get(start)?.size ?? 0 }
  })
}

export interface Bucket {
  /** Balances from `low` (included) to `high` (excluded; included for the last bucket). */
  readonly low: number
  readonly high: number
  readonly count: number
}

/** Members' balances in `buckets` equal ranges from the lowest to the highest. */
export function balanceSpread(balances: readonly number[], buckets: number): Bucket[] {
  if (balances.length === 0) return []
  const low = Math.min(...balances)
  const high = Math.max(...balances)
  if (low === high) return [{ low, high, count: balances.length }]
  const width = Math.ceil((high - low) / buckets)
  const out = Array.from({ length: buckets }, (_, index) => ({ low: low + index * width, high: low + (index + 1) * width, count: 0 }))
  for (const balance of balances) out[Math.min(buckets - 1, Math.floor((balance - low) / width))]!.count++
  return out
}
