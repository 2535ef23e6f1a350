/**
 * Recurring requests (rent, membership dues): the payee signs a `request` with
 * `everySeconds` (and optionally `count`, `until`, `start`, `coordinator`), the
 * payer signs one `accept` naming it, and that accept *is* a standing order on
 * the request's terms, its id the order's: each payment is then a `collect`
 * judged by rules/orders.ts, so a period is paid at most once whoever submits
 * it, and each against the payer's limits when it falls due.
 *
 * A request to one payer (`from`) is accepted once and becomes `accepted`; a
 * request to anyone (a QR at the door of a club) is accepted once per payer
 * and stays open for others until its requester cancels it. Periods that fell
 * due before the accept are not owed (a request dated or started in the past
 * cannot make the payer pay for it), and the accept is refused when no period
 * is left. Either party may end the order with a `cancel` naming the accept.
 */
import type { AcceptEntry, EntryId, PublicKeyHex } from '../entry.ts'
import { ORDER_COUNT_MAX, ORDERS_OPEN_MAX } from '../limits.ts'
import { ACCEPTED, isoTime, reject, short, type Evaluation, type OrderState, type PoolState, type RequestState, type TimeFacts } from '../pool-state.ts'
import { dueAt, isOpen, promises } from './orders.ts'

/** The first period of `terms` due at or after `time` (the accept's), from the request's start. */
export function firstPeriodAt(start: number, everyMs: number, time: number): number {
  return start >= time ? 0 : Math.ceil((time - start) / everyMs)
}

/** Has `payer` accepted this request already (an order from it, revoked or not)? */
function acceptedBy(state: PoolState, request: RequestState, payer: PublicKeyHex): EntryId | undefined {
  return request.orders?.find((id) => state.orders.get(id)?.payer === payer)
}

/**
 * The payer accepts a recurring request: the accept becomes a standing order.
 * Undefined when `entry.entry` is not a recurring request (another rule answers).
 */
export function acceptRecurringRule(state: PoolState, entry: AcceptEntry, facts: TimeFacts, commit: boolean): Evaluation | undefined {
  const request = state.requests.get(entry.entry)
  const terms = request?.recurring
  if (!request || !terms) return undefined
  if (request.status !== 'open') return reject('not-open', `the request is ${request.status}`)
  if (entry.author === request.payee) return reject('not-party', 'the requester cannot accept its own request')
  if (request.from !== undefined && entry.author !== request.from) return reject('not-party', `the request asks ${short(request.from)}, not ${short(entry.author)}`)
  const earlier = acceptedBy(state, request, entry.author)
  if (earlier) return reject('not-open', `${short(entry.author)} already accepted this request (order ${short(earlier)})`)
  if (!state.members.has(request.payee) || state.isClosed(request.payee)) return reject('unknown-member', `the requester ${short(request.payee)} is no longer a member of this pool`)
  let open = 0
  for (const order of state.orders.values()) if (order.payer === entry.author && isOpen(order)) open++
  if (open >= ORDERS_OPEN_MAX) return reject('order-limit', `${open} standing orders open, at most ${ORDERS_OPEN_MAX}`)
  const acceptedAt = facts.effectiveTime
  const start = terms.start ?? acceptedAt
  const order: OrderState = {
    payer: entry.author, payee: request.payee, amount: request.amount, everyMs: terms.everyMs, count: terms.count, start, until: terms.until,
    coordinator: terms.coordinator, memo: request.memo, revoked: false, paid: new Set(), request: entry.entry,
    firstPeriod: firstPeriodAt(start, terms.everyMs, acceptedAt),
  }
  // A collect names a period below ORDER_COUNT_MAX: an order whose first owed period is past it could never be paid.
  if (order.firstPeriod! >= ORDER_COUNT_MAX || !promises(order, order.firstPeriod!)) {
    return reject('request-ended', `no payment of the request falls due from ${isoTime(acceptedAt)} on (the schedule started ${isoTime(dueAt(order, 0))})`)
  }
  if (commit) {
    state.orders.set(entry.id, order)
    request.orders = [...(request.orders ?? []), entry.id]
    if (request.from !== undefined) {
      request.status = 'accepted'
      request.settledBy = entry.id
    }
  }
  return ACCEPTED
}
