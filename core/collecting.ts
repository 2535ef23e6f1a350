/**
 * Which payments of standing orders a collector (an order's payee, or the
 * coordinator it names) should ask for now: the periods due by `time` that no
 * collect stands for (accepted, or still waiting), and, where every collect of
 * a period was refused (the payer could not pay then), only once the last try
 * is `retryMs` old, so a broke payer is asked again daily, not on every tick.
 * One function for the app and the relay's coordinator, so both ask alike.
 */
import type { EntryId, PublicKeyHex } from './entry.ts'
import type { Ledger } from './ledger.ts'

export interface DuePayment {
  readonly order: EntryId
  readonly period: number
}

export interface CollectOptions {
  /** How old the last refused try of a period must be before it is asked again. */
  readonly retryMs: number
  /** Periods per order in one go (a long-dormant order is caught up over several). */
  readonly perOrderMax: number
}

export function periodsToCollect(ledger: Ledger, collector: PublicKeyHex, time: number, options: CollectOptions): DuePayment[] {
  // An order past its `until` (ended) may still owe a period that fell due before.
  const orders = ledger.orders().filter((order) => (order.status === 'active' || order.status === 'ended') && (order.payee === collector || order.coordinator === collector))
  if (orders.length === 0) return []
  const ids = new Set(orders.map((order) => order.id))
  /** By `order:period`: a collect stands for it, or the time of its latest refused try. */
  const tried = new Map<string, { standing: boolean; lastTry: number }>()
  for (const entry of ledger.entries()) {
    if (entry.type !== 'collect' || !ids.has(entry.order)) continue
    const key = `${entry.order}:${entry.period}`
    const standing = ledger.verdict(entry.id)?.status !== 'rejected'
    const was = tried.get(key)
    tried.set(key, { standing: standing || (was?.standing ?? false), lastTry: Math.max(entry.time, was?.lastTry ?? -Infinity) })
  }
  const due: DuePayment[] = []
  for (const order of orders) {
    let taken = 0
    for (const period of ledger.duePeriods(order.id, time, options.perOrderMax + tried.size)) {
      if (taken >= options.perOrderMax) break
      const was = tried.get(`${order.id}:${period}`)
      if (was && (was.standing || time - was.lastTry < options.retryMs)) continue
      due.push({ order: order.id, period })
      taken++
    }
  }
  return due
}
