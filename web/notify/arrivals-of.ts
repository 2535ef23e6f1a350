/**
 * What arrives for a member in a pool, read from the pool's view: money paid to
 * them, a two-step payment waiting for their answer, and a payment request
 * asking them to pay. Pure: the same view gives the same list, so it is tested
 * without a browser; the watermark (watermark.ts) says which of them are new.
 */
import type { PoolView } from '../wallet/pool-view.ts'

export type ArrivalKind = 'payment' | 'two-step' | 'request'

export interface Arrival {
  /** The entry's id (the transfer, issue, payout, or the request). */
  readonly id: string
  readonly pool: string
  readonly kind: ArrivalKind
  /** When the entry says it was signed (ms); an offline payment may arrive long after. */
  readonly time: number
  /** The member who paid or asks; null for money out of nowhere (never for a transfer). */
  readonly from: string | null
  /** What it brings or asks, in the pool's minor units (after the levy for a payment). */
  readonly amount: number
}

/** Every arrival the view holds for its member, oldest first. */
export function arrivalsOf(view: PoolView): Arrival[] {
  const out: Arrival[] = []
  for (const row of view.statement) {
    if (row.outgoing) continue
    if (row.status === 'accepted' && row.change > 0) {
      out.push({ id: row.id, pool: view.id, kind: 'payment', time: row.time, from: row.counterparty, amount: row.change })
    } else if (row.awaiting === 'me') {
      out.push({ id: row.id, pool: view.id, kind: 'two-step', time: row.time, from: row.counterparty, amount: row.nominal })
    }
  }
  for (const request of view.requestsToPay) {
    out.push({ id: request.id, pool: view.id, kind: 'request', time: request.time, from: request.payee, amount: request.amount })
  }
  return out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1))
}
