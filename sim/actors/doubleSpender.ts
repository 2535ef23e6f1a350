/**
 * One member, one key, two phones. Both go offline together and each spends
 * what its own ledger says is available, at different shops: the same seq
 * signed twice, a fork. When they come back, every device must report the
 * same proof and resolve it the same way.
 */
import type { PublicKeyHex, TransferEntry } from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { FaultNetwork } from '../faultNetwork.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import type { StagedFork } from '../world.ts'
import { short } from './honestMember.ts'

export async function spendTwice(phones: readonly [Device, Device], shops: readonly PublicKeyHex[], network: FaultNetwork, prng: Prng, trace: Trace): Promise<StagedFork | undefined> {
  const [first, second] = phones
  const me = first.key.publicKey
  const others = shops.filter((key) => key !== me)
  if (others.length < 1) return undefined
  network.setOnline(first.name, false)
  network.setOnline(second.name, false)
  const entries: TransferEntry[] = []
  for (const phone of phones) {
    phone.refresh()
    const member = phone.ledger.member(me)
    if (!member || member.frozen) continue
    const available = phone.ledger.balanceOf(me) - phone.ledger.heldBy(me) - member.minBalance
    const amount = Math.max(1, available)
    const entry = phone.draft<TransferEntry>({ type: 'transfer', to: prng.pick(others), amount })
    await phone.publish(entry)
    entries.push(entry)
    trace.note(`${phone.name}: offline, spends ${amount} to ${short(entry.to)} at seq ${entry.seq}`)
  }
  if (entries.length < 2 || entries[0]!.id === entries[1]!.id) return undefined
  trace.note(`cheater ${short(me)}: FORK staged at seqs ${entries[0]!.seq}/${entries[1]!.seq}`)
  return { pool: first.pool, author: me, entries }
}
