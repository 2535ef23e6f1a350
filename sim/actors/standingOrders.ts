/**
 * Money over time, played by honest members (issue 18): a member sets up a
 * standing order (every one to three minutes, two to five times) or a
 * payment a few minutes ahead; the payee's phone collects what falls due, as
 * the app does whenever it runs; a payer sometimes stops an order. Drawn from
 * a stream of its own (`orders`), so the rest of a seed draws as before.
 *
 * Collecting is where the races are: a phone offline collects late, a phone
 * with a skewed clock may collect a period its ledger thinks due and the
 * witness does not (refused `not-due`, asked again later), and a period is
 * never paid twice (the checks add up every balance and the commons).
 */
import type { CancelEntry, CollectEntry, OrderEntry, PublicKeyHex } from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import { short } from './honestMember.ts'

/** Periods one phone collects per order per step, at most. */
const COLLECT_PER_STEP_MAX = 3

function usable(device: Device): boolean {
  device.refresh()
  const me = device.ledger.member(device.key.publicKey)
  return me !== undefined && !me.frozen && !me.closed
}

/** A payer sets up a standing order, or a payment a few minutes ahead, to someone else. */
export async function orderSomething(payer: Device, payees: readonly PublicKeyHex[], prng: Prng, trace: Trace): Promise<void> {
  if (!usable(payer)) return
  const others = payees.filter((key) => key !== payer.key.publicKey)
  if (others.length === 0) return
  const to = prng.pick(others)
  const amount = prng.int(1, 40)
  const repeating = prng.chance(0.75)
  const body = repeating
    ? { type: 'order', to, amount, everySeconds: prng.pick([60, 90, 180]), count: prng.int(2, 5) }
    : { type: 'order', to, amount, start: payer.now() + prng.int(30_000, 300_000) }
  const entry = payer.draft<OrderEntry>(body)
  const preview = payer.preview(entry)
  if (preview?.status === 'rejected') {
    trace.note(`${payer.name}: app kept an order draft (${preview.reason})`)
    return
  }
  await payer.publish(entry)
  trace.note(`${payer.name}: ${repeating ? `standing order ${amount} to ${short(to)} every ${body.everySeconds}s ×${body.count}` : `schedules ${amount} to ${short(to)}`} seq ${entry.seq}`)
}

/** A payer stops one of its open orders. */
export async function stopAnOrder(payer: Device, prng: Prng, trace: Trace): Promise<void> {
  if (!usable(payer)) return
  const open = payer.ledger.orders().filter((order) => order.payer === payer.key.publicKey && order.status === 'active')
  if (open.length === 0) return
  const order = prng.pick(open)
  const entry = payer.draft<CancelEntry>({ type: 'cancel', entry: order.id }, [order.id])
  await payer.publish(entry)
  trace.note(`${payer.name}: stops order ${short(order.id)} seq ${entry.seq}`)
}

/**
 * What a payee's app does when it runs: a collect for each period due by
 * the phone's clock that this phone has not asked for yet, or that was
 * refused (the payer could not pay then, or the period was not due yet by
 * the witness's clock).
 */
export async function collectDue(payee: Device, trace: Trace): Promise<void> {
  if (!usable(payee)) return
  const me = payee.key.publicKey
  const standing = new Set<string>()
  for (const entry of payee.signed) {
    if (entry.type !== 'collect') continue
    const verdict = payee.ledger.verdict(entry.id)
    if (verdict?.status !== 'rejected') standing.add(`${entry.order}:${entry.period}`)
  }
  for (const order of payee.ledger.orders()) {
    if (order.payee !== me || (order.status !== 'active' && order.status !== 'ended')) continue
    const periods = payee.ledger.duePeriods(order.id, payee.now(), COLLECT_PER_STEP_MAX + standing.size)
      .filter((period) => !standing.has(`${order.id}:${period}`)).slice(0, COLLECT_PER_STEP_MAX)
    for (const period of periods) {
      const entry = payee.draft<CollectEntry>({ type: 'collect', order: order.id, period }, [order.id])
      await payee.publish(entry)
      trace.note(`${payee.name}: collects period ${period} of ${short(order.id)} seq ${entry.seq}`)
    }
  }
}
