/**
 * Recurring requests (rent, membership dues; issue 18), played by honest
 * members: a member asks for a payment every one to three minutes, two to
 * five times, of one member or of anyone (a club's QR at the door), sometimes
 * naming the pool's gatekeeper as coordinator; a payer accepts it, and that
 * accept is a standing order (core/rules/recurring.ts); the payee's phone
 * (standingOrders.ts, collectDue) and the coordinator collect the periods
 * that fall due, both at once sometimes, so the second collect of a period
 * must be refused; the requester withdraws a request nobody accepted, and a
 * payer or payee ends the order. Every draw comes from a stream of its own
 * (`recurring`), so the rest of a seed draws as before.
 *
 * Some requests start in the past: the payer owes only what falls due from
 * its accept on, and an accept after the last period is refused
 * (`request-ended`).
 */
import {
  chainHead, periodsToCollect, type AcceptEntry, type CancelEntry, type CollectEntry, type EntryId, type PublicKeyHex, type RequestEntry,
} from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import type { PoolCast } from '../world.ts'
import { short } from './honestMember.ts'

/** Periods a coordinator collects per order in one go, and how long it waits before asking again for a refused one (the sim's minutes stand for days). */
const COORDINATOR_PER_ORDER_MAX = 3
const COORDINATOR_RETRY_MS = 120_000

const MEMOS = ['rent', 'dues', 'allotment', 'choir']

function usable(device: Device): boolean {
  device.refresh()
  const me = device.ledger.member(device.key.publicKey)
  return me !== undefined && !me.frozen && !me.closed
}

/** Sends `entry` when the app's preview allows it, or anyway 30 % of the time (a stale view); says whether it went. */
async function send(device: Device, entry: AcceptEntry | CancelEntry | RequestEntry, prng: Prng, trace: Trace, what: string): Promise<boolean> {
  const preview = device.preview(entry)
  const refused = preview?.status === 'rejected'
  if (refused && !prng.chance(0.3)) {
    trace.note(`${device.name}: app kept a draft (${what}: ${preview.reason})`)
    return false
  }
  await device.publish(entry)
  trace.note(`${device.name}: ${what} seq ${entry.seq}${refused ? ` though preview said ${preview.reason}` : ''}`)
  return true
}

/** A member asks for a recurring payment, of one member or of anyone, sometimes with the gatekeeper as coordinator. */
export async function requestRecurring(requester: Device, cast: PoolCast, members: readonly PublicKeyHex[], prng: Prng, trace: Trace): Promise<void> {
  if (!usable(requester)) return
  const me = requester.key.publicKey
  // Asked mostly of a member who plays along (the gatekeeper or an honest member), sometimes of any member, or of anyone.
  const players = [cast.gatekeeper, ...cast.honest].map((device) => device.key.publicKey).filter((key) => key !== me)
  const others = members.filter((key) => key !== me)
  const pickFrom = prng.float()
  const from = pickFrom < 0.5 && players.length > 0 ? prng.pick(players) : pickFrom < 0.6 && others.length > 0 ? prng.pick(others) : undefined
  const gatekeeper = cast.gatekeeper.key.publicKey
  const coordinator = gatekeeper !== me && prng.chance(0.5) ? gatekeeper : undefined
  const everySeconds = prng.pick([60, 90, 180])
  const body: Record<string, unknown> = { type: 'request', amount: prng.int(1, 30), memo: prng.pick(MEMOS), everySeconds, count: prng.int(2, 5) }
  if (from) body.from = from
  if (coordinator) body.coordinator = coordinator
  // Started a while ago (periods before the accept are not owed), or a little ahead; sometimes an end date too.
  const startRoll = prng.float()
  if (startRoll < 0.2) body.start = requester.now() - prng.int(30_000, 200_000)
  else if (startRoll < 0.35) body.start = requester.now() + prng.int(10_000, 120_000)
  if (prng.chance(0.2)) {
    // After the first payment, which is at the start or else at the request's own time (never before its chain's last).
    const head = chainHead(requester.ledger.entries(), requester.pool, me)
    const firstAt = (body.start as number | undefined) ?? Math.max(requester.now(), head.time)
    body.until = firstAt + prng.int(60_000, 600_000)
  }
  const entry = requester.draft<RequestEntry>(body)
  await send(requester, entry, prng, trace,
    `asks ${body.amount} every ${everySeconds}s ×${body.count} (${body.memo})${from ? ` of ${short(from)}` : ' of anyone'}${coordinator ? ', gatekeeper coordinates' : ''}`)
}

/** Open recurring requests this device may accept (asked of it or of anyone, not its own, not accepted by it yet). */
function acceptable(device: Device): EntryId[] {
  const me = device.key.publicKey
  const ids: EntryId[] = []
  for (const [id, request] of Object.entries(device.ledger.result().requests ?? {})) {
    if (request.everySeconds === undefined || request.status !== 'open' || request.payee === me) continue
    if (request.from !== undefined && request.from !== me) continue
    if ((request.orders ?? []).some((order) => device.ledger.entry(order)?.author === me)) continue
    ids.push(id as EntryId)
  }
  return ids
}

/** A payer accepts one recurring request it sees: from then on the payee (or coordinator) collects each period. */
export async function acceptRecurring(payer: Device, prng: Prng, trace: Trace): Promise<void> {
  if (!usable(payer)) return
  const ids = acceptable(payer)
  if (ids.length === 0) return
  const id = prng.pick(ids)
  await send(payer, payer.draft<AcceptEntry>({ type: 'accept', entry: id }, [id]), prng, trace, `accepts recurring request ${short(id)}`)
}

/** The requester withdraws an open recurring request, or a payer or payee ends an order a request made. */
export async function endRecurring(device: Device, prng: Prng, trace: Trace): Promise<void> {
  if (!usable(device)) return
  const me = device.key.publicKey
  const targets: EntryId[] = []
  for (const [id, request] of Object.entries(device.ledger.result().requests ?? {})) {
    if (request.everySeconds !== undefined && request.status === 'open' && request.payee === me) targets.push(id as EntryId)
  }
  for (const order of device.ledger.orders()) {
    if (order.request !== undefined && order.status === 'active' && (order.payer === me || order.payee === me)) targets.push(order.id)
  }
  if (targets.length === 0) return
  const id = prng.pick(targets)
  const what = device.ledger.orders().some((order) => order.id === id) ? `ends recurring payment ${short(id)}` : `withdraws recurring request ${short(id)}`
  await send(device, device.draft<CancelEntry>({ type: 'cancel', entry: id }, [id]), prng, trace, what)
}

/** The coordinator (here the pool's gatekeeper) collects what fell due, as the relay's coordinator does (core/collecting.ts). */
export async function coordinate(coordinator: Device, trace: Trace): Promise<number> {
  coordinator.refresh()
  const due = periodsToCollect(coordinator.ledger, coordinator.key.publicKey, coordinator.now(), { retryMs: COORDINATOR_RETRY_MS, perOrderMax: COORDINATOR_PER_ORDER_MAX })
  const orders = new Set(coordinator.ledger.orders().filter((order) => order.coordinator === coordinator.key.publicKey).map((order) => order.id))
  let sent = 0
  for (const { order, period } of due) {
    if (!orders.has(order)) continue
    const entry = coordinator.draft<CollectEntry>({ type: 'collect', order, period }, [order])
    await coordinator.publish(entry)
    sent++
    trace.note(`${coordinator.name}: coordinator collects period ${period} of ${short(order)} seq ${entry.seq}`)
  }
  return sent
}

/** One step of recurring requests in `cast`'s pool: maybe a request, accepts by those who see one, an end; every coordinator collects sometimes. */
export async function playRecurring(cast: PoolCast, pools: readonly PoolCast[], members: readonly PublicKeyHex[], prng: Prng, trace: Trace): Promise<void> {
  const people = [cast.gatekeeper, ...cast.honest]
  if (prng.chance(0.25)) await requestRecurring(prng.pick(people), cast, members, prng, trace)
  for (const payer of people) if (prng.chance(0.45)) await acceptRecurring(payer, prng, trace)
  if (prng.chance(0.06)) await endRecurring(prng.pick(people), prng, trace)
  for (const pool of pools) if (prng.chance(0.5)) await coordinate(pool.gatekeeper, trace)
}
