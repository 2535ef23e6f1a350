/**
 * Standing orders and scheduled payments. A payer signs an `order` once: pay
 * `amount` to `to` every `everySeconds` from `start`, at most `count` times,
 * not after `until` (without `everySeconds`: once, at `start`, which is a
 * scheduled payment). Each payment is a `collect` entry naming the order and
 * its period, signed by the payee or by the coordinator the order names when
 * it is due. It is valid because of the order and judged against the payer's
 * limits at that moment; each period is paid at most once, whoever submits
 * it, because the ledger applies entries one at a time in one order and the
 * second collect of a period finds it paid. The payer revokes with a
 * `cancel` naming the order; from there no period is paid.
 *
 * Due means: start + period × every ≤ the collect's witnessed time (or, not
 * covered yet, its effective time). A collect dated early is not due; one
 * dated at the due time waits as pending until `asOf` reaches it, and a
 * checkpoint that holds it before its date does not count for it
 * (coverage.ts), so nobody collects ahead of time.
 */
import type { AcceptEntry, CancelEntry, CollectEntry, EntryId, OrderEntry, PublicKeyHex, RejectEntry } from '../entry.ts'
import { BALANCE_ABS_MAX, ORDERS_OPEN_MAX } from '../limits.ts'
import { ACCEPTED, isoTime, reject, short, type Evaluation, type OrderState, type PoolState, type TimeFacts } from '../pool-state.ts'
import { levy, payeeProblem } from './payments.ts'

/** When the payment of `period` falls due, ms since 1970. */
export function dueAt(order: Pick<OrderState, 'start' | 'everyMs'>, period: number): number {
  return order.start + period * (order.everyMs ?? 0)
}

/** Does this order promise a payment for `period` at all (within count and until)? */
export function promises(order: OrderState, period: number): boolean {
  if (period < (order.firstPeriod ?? 0)) return false
  if (period >= (order.everyMs === null ? 1 : (order.count ?? Infinity))) return false
  return order.until === null || dueAt(order, period) <= order.until
}

export function isOpen(order: OrderState): boolean {
  if (order.revoked) return false
  if (order.everyMs === null) return order.paid.size === 0
  return order.count === null || order.paid.size < order.count - (order.firstPeriod ?? 0)
}

/** A payer signs an order: to a member, within the open-orders cap. */
export function orderRule(state: PoolState, entry: OrderEntry, facts: TimeFacts, commit: boolean): Evaluation {
  if (!state.members.has(entry.to)) return reject('unknown-member', `the payee ${short(entry.to)} is not a member of this pool`)
  let open = 0
  for (const order of state.orders.values()) if (order.payer === entry.author && isOpen(order)) open++
  if (open >= ORDERS_OPEN_MAX) return reject('order-limit', `${open} standing orders open, at most ${ORDERS_OPEN_MAX}`)
  if (commit) {
    state.orders.set(entry.id, {
      payer: entry.author, payee: entry.to, amount: entry.amount,
      everyMs: entry.everySeconds === undefined ? null : entry.everySeconds * 1000,
      count: entry.everySeconds === undefined ? 1 : (entry.count ?? null),
      start: entry.start ?? facts.effectiveTime,
      until: entry.until ?? null,
      coordinator: entry.coordinator, memo: entry.memo, revoked: false, paid: new Set(),
    })
  }
  return ACCEPTED
}

/** May this key collect for the order: its payee, or its coordinator? Undefined when the order is unknown. */
export function collector(state: PoolState, entry: CollectEntry): 'payee' | 'coordinator' | 'other' | undefined {
  const order = state.orders.get(entry.order)
  if (!order) return undefined
  if (entry.author === order.payee) return 'payee'
  return entry.author === order.coordinator ? 'coordinator' : 'other'
}

/** The accounts a collect moves money between, for demurrage. */
export function collectParties(state: PoolState, entry: CollectEntry): PublicKeyHex[] {
  const order = state.orders.get(entry.order)
  return order ? [order.payer, order.payee] : []
}

/** One payment of an order: due, not paid before, within the payer's and the payee's limits now. */
export function collectRule(state: PoolState, entry: CollectEntry, facts: TimeFacts, commit: boolean): Evaluation {
  const order = state.orders.get(entry.order)
  if (!order) return reject('unknown-order', `${short(entry.order)} is not an accepted standing order of this pool`)
  if (entry.author !== order.payee && entry.author !== order.coordinator) return reject('not-collector', `${short(entry.author)} is neither the payee nor the coordinator of this order`)
  if (order.revoked) return reject('order-closed', 'the payer revoked the order')
  if (!promises(order, entry.period)) return reject('order-closed', `the order promises no payment for period ${entry.period}`)
  if (order.paid.has(entry.period)) return reject('order-period-paid', `period ${entry.period} was already paid`)
  const due = dueAt(order, entry.period)
  const now = facts.witnessedAt ?? facts.effectiveTime
  if (due > now) return reject('not-due', `period ${entry.period} falls due at ${isoTime(due)}`)
  const payer = state.members.get(order.payer)
  if (!payer || state.isClosed(order.payer)) return reject('account-closed', `the payer ${short(order.payer)} closed its account`)
  if (state.isFrozen(order.payer)) return reject('frozen', `the payer ${short(order.payer)} is frozen`)
  const policy = state.policy!
  const { fee, carry } = levy(order.amount, policy.feeBasisPoints ?? 0, state.feeCarry.get(order.payer) ?? 0)
  const payee = payeeProblem(state, order.payee, order.amount - fee)
  if (payee) return payee
  if (state.commons + fee > BALANCE_ABS_MAX) return reject('overflow', `the commons would hold ${state.commons + fee}, the largest is ${BALANCE_ABS_MAX}`)
  const balance = state.balanceOf(order.payer)
  const held = state.heldBy(order.payer)
  const min = payer.minBalance ?? policy.minBalance
  if (balance - held - order.amount < min) {
    return reject('below-min-balance', `the payer's balance ${balance}${held > 0 ? `, ${held} on hold` : ''}, minimum ${min}: the order's ${order.amount} cannot be paid now`)
  }
  if (commit) {
    order.paid.add(entry.period)
    if (carry !== 0 || state.feeCarry.size > 0) state.feeCarry.set(order.payer, carry)
    state.move({ id: entry.id, to: order.payee, amount: order.amount, memo: order.memo }, order.payer, entry.id, entry.time, fee)
  }
  return ACCEPTED
}

/**
 * The payer revokes (cancels) its order; undefined when `entry.entry` is not an order. An order made
 * by accepting a recurring request may also be ended by its payee, who asked for it.
 */
export function revokeOrderRule(state: PoolState, entry: AcceptEntry | RejectEntry | CancelEntry, commit: boolean): Evaluation | undefined {
  const order = state.orders.get(entry.entry)
  if (!order) return undefined
  if (entry.type !== 'cancel') return reject('bad-target', `a standing order is not ${entry.type}ed; its payer revokes it with a cancel`)
  if (entry.author !== order.payer && !(order.request !== undefined && entry.author === order.payee)) {
    return reject('not-party', order.request !== undefined ? 'only the payer or the payee may end a recurring payment' : 'only the payer may revoke a standing order')
  }
  if (!isOpen(order)) return reject('not-open', order.revoked ? 'the order was already revoked' : 'the order is fully paid')
  if (commit) order.revoked = true
  return ACCEPTED
}

/** What `replay` prints of an order. */
export interface OrderSummary {
  readonly id: EntryId
  readonly payer: PublicKeyHex
  readonly payee: PublicKeyHex
  readonly amount: number
  /** Null for a one-time scheduled payment. */
  readonly everySeconds: number | null
  readonly start: number
  readonly count: number | null
  readonly until: number | null
  readonly coordinator?: PublicKeyHex
  readonly memo?: string
  /** Periods paid so far. */
  readonly paid: number
  /**
   * `active`; `revoked` (stopped by a cancel); `finished` (every promised payment made); `ended`: past its
   * `until` as of the replay's time, so nothing more falls due, though a period that fell due before and is
   * not paid yet may still be collected.
   */
  readonly status: OrderStatus
  /** The recurring request whose accept made this order (its id is the accept's). */
  readonly request?: EntryId
  /** The first period it promises, when not 0 (a recurring request accepted after its start). */
  readonly firstPeriod?: number
}

export type OrderStatus = 'active' | 'revoked' | 'finished' | 'ended'

/** Orders as `replay` prints them, their status as of `asOf` (ms). */
export function orderSummaries(state: PoolState, asOf: number): OrderSummary[] {
  const out: OrderSummary[] = []
  for (const id of [...state.orders.keys()].sort()) {
    const o = state.orders.get(id)!
    out.push({
      id, payer: o.payer, payee: o.payee, amount: o.amount, everySeconds: o.everyMs === null ? null : o.everyMs / 1000,
      start: o.start, count: o.count, until: o.until,
      ...(o.coordinator ? { coordinator: o.coordinator } : {}), ...(o.memo !== undefined ? { memo: o.memo } : {}),
      paid: o.paid.size, status: orderStatus(o, asOf),
      ...(o.request !== undefined ? { request: o.request } : {}), ...(o.firstPeriod ? { firstPeriod: o.firstPeriod } : {}),
    })
  }
  return out
}

function orderStatus(order: OrderState, asOf: number): OrderStatus {
  if (order.revoked) return 'revoked'
  if (!isOpen(order)) return 'finished'
  return order.until !== null && asOf > order.until ? 'ended' : 'active'
}

/** Periods of `order` due by `time` and not paid, at most `max`: what a collector may sign now. */
export function duePeriods(order: OrderState, time: number, max: number): number[] {
  const periods: number[] = []
  if (order.revoked) return periods
  for (let period = order.firstPeriod ?? 0; periods.length < max && promises(order, period) && dueAt(order, period) <= time; period++) {
    if (!order.paid.has(period)) periods.push(period)
    if (order.everyMs === null) break
  }
  return periods
}
