/**
 * An honest member pays someone at random, usually near what its own ledger
 * says it can afford, sometimes a bit over (the payment fails and holds its
 * place in the chain), sometimes before the rate interval is over. Its app
 * normally checks the payment first and keeps a refused one as a draft; a
 * hurried or outdated app sends it anyway.
 *
 * In a witnessed pool the app pays online when it can (connected, and the
 * latest checkpoint covers its chain: the payment names it) and otherwise
 * stays within what `Ledger.offlineAllowance` says is left: it lowers the
 * amount to what is left, keeps the payment as a draft when nothing is, and
 * never sends anyway a payment its preview refuses for the offline cap.
 */
import type { PublicKeyHex, TransferEntry } from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'

export async function payAtRandom(payer: Device, payees: readonly PublicKeyHex[], prng: Prng, trace: Trace): Promise<void> {
  payer.refresh()
  const ledger = payer.ledger
  const me = ledger.member(payer.key.publicKey)
  if (!me || me.frozen) return
  const others = payees.filter((key) => key !== payer.key.publicKey)
  if (others.length === 0) return
  const to = prng.pick(others)
  const available = ledger.balanceOf(payer.key.publicKey) - ledger.heldBy(payer.key.publicKey) - me.minBalance
  const fraction = prng.pick([0.1, 0.3, 0.6, 0.9, 1, 1, 1.05, 1.3])
  const wanted = Math.max(1, Math.min(1_000_000, Math.floor(Math.max(available, 10) * fraction)))
  const room = offlineRoom(payer)
  const amount = Math.min(wanted, room.amountLeft)
  if (amount < 1) {
    payer.payments.keptForCap++
    trace.note(`${payer.name}: app kept a draft of ${wanted} (offline allowance used up)`)
    return
  }
  const entry = payer.draft<TransferEntry>({ type: 'transfer', to, amount })
  await sendPayment(payer, entry, room.online, prng, trace, `pays ${amount} to ${short(to)}`)
}

/**
 * What the app may pay now: anything online or in a pool without a witness;
 * offline, what is left of the offline allowance (0 when no payment is left).
 */
export function offlineRoom(device: Device): { online: boolean; amountLeft: number } {
  const ledger = device.ledger
  if (!ledger.witnessed) return { online: false, amountLeft: Infinity }
  if (device.paysOnline()) return { online: true, amountLeft: Infinity }
  const allowance = ledger.offlineAllowance(device.key.publicKey)
  if (!allowance || allowance.countLeft < 1) return { online: false, amountLeft: 0 }
  return { online: false, amountLeft: allowance.amountLeft }
}

/**
 * Sends a payment the app checked with its preview: kept as a draft when refused, except 40 % of
 * the time (an outdated app, a stale view), never when refused for the offline cap.
 */
export async function sendPayment(payer: Device, entry: TransferEntry, online: boolean, prng: Prng, trace: Trace, what: string): Promise<boolean> {
  const preview = payer.preview(entry, online)
  const refused = preview !== undefined && preview.status === 'rejected'
  if (refused && (preview.reason === 'offline-cap' || !prng.chance(0.4))) {
    if (preview.reason === 'offline-cap') payer.payments.keptForCap++
    trace.note(`${payer.name}: app kept a draft of ${entry.amount} (${preview.reason})`)
    return false
  }
  await payer.publish(entry)
  if (payer.ledger.witnessed) payer.payments[online ? 'online' : 'offline']++
  trace.note(`${payer.name}: ${what} seq ${entry.seq}${online ? ' online' : payer.ledger.witnessed ? ' offline' : ''}${refused ? ` though preview said ${preview.reason}` : ''}`)
  return true
}

export function short(key: string): string {
  return key.slice(0, 6)
}
