/**
 * The devices of a pool's members as the log made them (rules/devices.ts):
 * which member each device key acts for, its name and spending cap, and
 * whether a revocation was applied. Part of PoolState; states are replaced,
 * never changed in place, so a shallow copy is independent.
 *
 * Whether one entry of a device still counts after a revocation is not read
 * from here but from the revocation index (revocations.ts), which does not
 * depend on the order entries arrive in.
 */
import type { EntryId, PublicKeyHex } from './entry.ts'

export interface DeviceState {
  /** The member key that certified it: what the device signs counts for this member. */
  readonly member: PublicKeyHex
  readonly name: string | undefined
  /** Most it may pay in all under its latest certificate; undefined for no cap of its own. */
  readonly spendCap: number | undefined
  /** What it paid under its latest certificate. */
  readonly spent: number
  /** Its latest accepted certificate. */
  readonly certificate: EntryId
  /** The accepted revocation that removed it, if any. */
  readonly revokedBy: EntryId | undefined
}

export class DeviceBook {
  /** Every certified device key. */
  byKey = new Map<PublicKeyHex, DeviceState>()
  /** Each member's device keys, in the order first certified. */
  byMember = new Map<PublicKeyHex, readonly PublicKeyHex[]>()

  get size(): number {
    return this.byKey.size
  }

  clone(): DeviceBook {
    const copy = new DeviceBook()
    copy.byKey = new Map(this.byKey)
    copy.byMember = new Map(this.byMember)
    return copy
  }

  /** The member a device key acts for, or undefined when the key is no device. */
  memberOf(key: PublicKeyHex): PublicKeyHex | undefined {
    return this.byKey.size === 0 ? undefined : this.byKey.get(key)?.member
  }

  /** The keys that sign for `member`: its own and its devices'. */
  signersOf(member: PublicKeyHex): readonly PublicKeyHex[] {
    const devices = this.byMember.get(member)
    return devices ? [member, ...devices] : [member]
  }

  set(key: PublicKeyHex, device: DeviceState): void {
    if (!this.byKey.has(key)) this.byMember.set(device.member, [...(this.byMember.get(device.member) ?? []), key])
    this.byKey.set(key, device)
  }
}
