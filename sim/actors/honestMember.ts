/**
 * An honest member pays someone at random, usually near what its own ledger
 * says it can afford, sometimes a bit over (the payment fails and holds its
 * place in the chain), sometimes before the rate interval is over. Its app
 * normally checks the payment first and keeps a refused one as a draft; a
 * hurried or outdated app sends it anyway.
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
  const amount = Math.max(1, Math.min(1_000_000, Math.floor(Math.max(available, 10) * fraction)))
  const entry = payer.draft<TransferEntry>({ type: 'transfer', to, amount })
  const preview = payer.preview(entry)
  const refused = preview !== undefined && preview.status === 'rejected'
  if (refused && !prng.chance(0.4)) {
    trace.note(`${payer.name}: app kept a draft of ${amount} (${preview.reason})`)
    return
  }
  await payer.publish(entry)
  trace.note(`${payer.name}: pays ${amount} to ${short(to)} seq ${entry.seq}${refused ? ` though preview said ${preview.reason}` : ''}`)
}

export function short(key: string): string {
  return key.slice(0, 6)
}
