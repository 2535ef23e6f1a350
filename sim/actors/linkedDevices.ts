/**
 * One member, several devices (issue 17), played by honest members: a
 * member's phone certifies a second device (its laptop) with a `device`
 * entry; once the laptop sees itself certified it pays from the member's
 * account with its own key, online or offline like any phone; sometimes the
 * member removes it (a `revoke` at the laptop's last entry the phone holds),
 * and the laptop, not knowing yet, may go on paying: those payments must end
 * rejected everywhere (device-revoked), whatever order they arrive in. Drawn
 * from a stream of its own (`devices`), so the rest of a seed draws as before.
 * The checks then add up every balance, as for any payment, and compare every
 * device's ledger.
 */
import type { DeviceEntry, EntryId, PublicKeyHex, RevokeEntry, TransferEntry } from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import type { LinkedDevice } from '../world.ts'
import { offlineRoom, sendPayment, short } from './honestMember.ts'

function usableMember(device: Device): boolean {
  device.refresh()
  const me = device.ledger.member(device.key.publicKey)
  return me !== undefined && !me.frozen && !me.closed
}

/** The member's phone certifies its laptop, once. */
export async function linkDevice(linked: LinkedDevice, trace: Trace): Promise<void> {
  const { owner, device } = linked
  if (linked.certificate || !usableMember(owner)) return
  const entry = owner.draft<DeviceEntry>({ type: 'device', device: device.key.publicKey, name: 'Laptop' })
  await owner.publish(entry)
  linked.certificate = entry.id
  trace.note(`${owner.name}: links ${device.name} seq ${entry.seq}`)
}

/** The laptop pays from its member's account, as the member's phone would (the app checks first). */
export async function payFromDevice(linked: LinkedDevice, payees: readonly PublicKeyHex[], prng: Prng, trace: Trace): Promise<void> {
  const { owner, device } = linked
  if (!linked.certificate) return
  device.refresh()
  const member = device.ledger.memberOfDevice(device.key.publicKey)
  // It has not seen its certificate yet (or its member lost the key to a revocation it has seen).
  if (member !== owner.key.publicKey || linked.revokedSeen(device)) return
  const others = payees.filter((key) => key !== member)
  if (others.length === 0) return
  const to = prng.pick(others)
  const me = device.ledger.member(member)
  if (!me || me.frozen) return
  // Its app stops paying once its own ledger shows it suspended (it forked its chain: actors/deviceTrouble.ts).
  if (me.devices?.find((d) => d.key === device.key.publicKey)?.status === 'suspended') return
  const available = device.ledger.balanceOf(member) - device.ledger.heldBy(member) - me.minBalance
  const wanted = Math.max(1, Math.floor(Math.max(available, 10) * prng.pick([0.1, 0.3, 0.6, 1, 1.2])))
  const room = offlineRoom(device)
  const amount = Math.min(wanted, room.amountLeft)
  if (amount < 1) return
  const first = device.signed.length === 0
  const entry = device.draft<TransferEntry>({ type: 'transfer', to, amount }, first ? [linked.certificate] : [])
  await sendPayment(device, entry, room.online, prng, trace, `pays ${amount} to ${short(to)} for ${short(member)}`)
}

/** The member removes its laptop at the laptop's last entry its phone holds. */
export async function revokeDevice(linked: LinkedDevice, trace: Trace): Promise<void> {
  const { owner, device } = linked
  if (!linked.certificate || linked.revocation || !usableMember(owner)) return
  const head = owner.ledger.chainHead(device.key.publicKey)
  const afterSeq = head.seq - 1
  const afterEntry = head.prev
  const deps: EntryId[] = afterEntry ? [afterEntry] : []
  const entry = owner.draft<RevokeEntry>({ type: 'revoke', device: device.key.publicKey, afterSeq, ...(afterEntry ? { afterEntry } : {}) }, deps)
  await owner.publish(entry)
  linked.revocation = entry
  trace.note(`${owner.name}: removes ${device.name} after its seq ${afterSeq}, seq ${entry.seq}`)
}
