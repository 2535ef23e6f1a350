/**
 * One member, several devices (docs/devices.md). The member key certifies a
 * device key with a `device` entry (a name, an optional spending cap); the
 * device then signs with its own key on its own chain, so two devices never
 * fork each other, and what it signs counts for the member: one balance, one
 * set of limits, one offline cap across all the member's keys. A `revoke`
 * entry removes a device from a cutoff in its chain; which of its entries
 * stand is decided by core/revocations.ts, whatever order they arrive in.
 * A device that forks its own chain is suspended; its member is not frozen.
 */
import type { DeviceEntry, Entry, PublicKeyHex, RevokeEntry, TransferEntry } from '../entry.ts'
import { DEVICES_PER_MEMBER_MAX } from '../limits.ts'
import { ACCEPTED, reject, short, type Evaluation, type PoolState, type TimeFacts } from '../pool-state.ts'

/** An entry as the rules judge it when a device signed it: `author` is the member it acts for, `signer` the device key. */
export type DeviceView<E extends Entry = Entry> = E & { readonly signer: PublicKeyHex }

/** The key that signed an entry: the device's for a device's entry, else its author. */
export function signerOf(entry: Entry): PublicKeyHex {
  return (entry as Partial<DeviceView>).signer ?? entry.author
}

/**
 * Entry types only the member key signs: governing the pool, closing the
 * account, and managing devices. A stolen phone must not freeze anyone,
 * certify a thief's key or close its owner's account. (Revocations are the
 * exception: any device may remove another, see revokeRule.)
 */
const MEMBER_KEY_ONLY = new Set<Entry['type']>(['admit', 'freeze', 'invite', 'issue', 'payout', 'policy', 'categories', 'tick', 'close', 'device', 'join', 'trust', 'recover', 'approve'])

/**
 * May this device act, and as whom? The ledger has already voided what a
 * revocation leaves out (revocations.ts). Returns the entry as its member
 * signing it, for the member's rules to judge.
 */
export function deviceActs(state: PoolState, entry: Entry, member: PublicKeyHex, facts: TimeFacts, commit: boolean): { view: DeviceView } | { problem: Evaluation } {
  if (MEMBER_KEY_ONLY.has(entry.type)) {
    const problem = entry.type === 'join' || entry.type === 'recover'
      ? reject('device-taken', `${short(entry.author)} is a device of ${short(member)}`)
      : reject('not-authorized', `only the member key may ${entry.type}; ${short(entry.author)} is a device of ${short(member)}`)
    return { problem }
  }
  if (state.isEquivocator(entry.author)) {
    // As for a member's fork: a witnessed fork leaves the standing branch its current offline segment.
    const graced = !state.equivocators.has(entry.author) && !facts.online
    if (!graced) {
      if (commit) state.equivocators.add(entry.author)
      return { problem: reject('device-suspended', `${short(entry.author)} signed two entries at one place in its chain; the device is suspended, ${short(member)} is not`) }
    }
  }
  const device = state.devices.byKey.get(entry.author)!
  if (device.spendCap !== undefined) {
    // Accepting a recurring request promises payments as an order does.
    const promising = entry.type === 'order' || entry.type === 'prepare' || (entry.type === 'accept' && state.requests.get(entry.entry)?.recurring !== undefined)
    if (promising) return { problem: reject('device-cap', `a device with a spending cap cannot promise payments (${entry.type}); sign it with the member key`) }
    if (entry.type === 'transfer' && device.spent + entry.amount > device.spendCap) {
      return { problem: reject('device-cap', `the device may pay ${device.spendCap} in all and has paid ${device.spent}: at most ${Math.max(0, device.spendCap - device.spent)} more`) }
    }
  }
  return { view: viewOf(entry, member) }
}

/**
 * The entry with its member as author. A payment's view is written out field
 * by field: an object of one fixed shape is several times faster for the
 * rules to read than a spread copy (bench/devices.ts).
 */
function viewOf(entry: Entry, member: PublicKeyHex): DeviceView {
  if (entry.type !== 'transfer') return { ...entry, author: member, signer: entry.author }
  const view: DeviceView<TransferEntry> = {
    v: entry.v, id: entry.id, pool: entry.pool, type: entry.type, author: member, seq: entry.seq, prev: entry.prev, deps: entry.deps,
    time: entry.time, sig: entry.sig, to: entry.to, amount: entry.amount, memo: entry.memo, request: entry.request, signer: entry.author,
  }
  return view
}

/** Counts an accepted payment against the device's own cap. */
export function noteDeviceSpend(state: PoolState, view: DeviceView, amount: number): void {
  const device = state.devices.byKey.get(view.signer)
  if (!device || device.spendCap === undefined) return
  state.devices.set(view.signer, { ...device, spent: device.spent + amount })
}

/**
 * The member key certifies a device: a key that is no member and no other
 * member's device, within the devices a member may have. Certifying it again
 * changes its name and cap and starts its count again; a key once removed is
 * not certified again.
 */
export function deviceRule(state: PoolState, entry: DeviceEntry, commit: boolean): Evaluation {
  if (state.members.has(entry.device)) return reject('device-taken', `${short(entry.device)} is a member key`)
  const existing = state.devices.byKey.get(entry.device)
  if (existing && existing.member !== entry.author) return reject('device-taken', `${short(entry.device)} is a device of ${short(existing.member)}`)
  if (existing?.revokedBy !== undefined) return reject('device-revoked', `${short(entry.device)} was removed by ${short(existing.revokedBy)}; a removed key is not certified again`)
  if (!existing) {
    let active = 0
    for (const key of state.devices.byMember.get(entry.author) ?? []) if (state.devices.byKey.get(key)!.revokedBy === undefined) active++
    if (active >= DEVICES_PER_MEMBER_MAX) return reject('device-limit', `${active} devices, at most ${DEVICES_PER_MEMBER_MAX}; remove one first`)
  }
  if (commit) {
    state.devices.set(entry.device, {
      member: entry.author, name: entry.name, spendCap: entry.spendCap, spent: 0, certificate: entry.id, revokedBy: existing?.revokedBy,
    })
  }
  return ACCEPTED
}

/**
 * A revocation the ledger found to count (revocations.ts: signed by the
 * member key or by another of its devices, cutoff an entry of the device) is
 * accepted and marks the device removed. It moves no money, so a frozen
 * member may still sign it.
 */
export function revokeRule(state: PoolState, entry: RevokeEntry, commit: boolean): Evaluation {
  const device = state.devices.byKey.get(entry.device)
  if (commit && device && device.revokedBy === undefined) state.devices.set(entry.device, { ...device, revokedBy: entry.id })
  return ACCEPTED
}

export type DeviceStatus = 'active' | 'revoked' | 'suspended'

export interface DeviceSummary {
  readonly key: PublicKeyHex
  readonly name: string | null
  readonly status: DeviceStatus
  readonly certificate: string
  readonly spendCap?: number
  readonly spent?: number
}

/** A member's devices, in the order first certified, for `replay`. */
export function deviceSummaries(state: PoolState, member: PublicKeyHex): DeviceSummary[] {
  const keys = state.devices.byMember.get(member)
  if (!keys) return []
  return keys.map((key) => {
    const device = state.devices.byKey.get(key)!
    const status: DeviceStatus = device.revokedBy !== undefined ? 'revoked' : state.isEquivocator(key) ? 'suspended' : 'active'
    return {
      key, name: device.name ?? null, status, certificate: device.certificate,
      ...(device.spendCap !== undefined ? { spendCap: device.spendCap, spent: device.spent } : {}),
    }
  })
}
