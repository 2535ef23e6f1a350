/**
 * The devices part of the wallet, loaded on first use (Wallet.devices()): the
 * devices list and removal (devices.ts), linking a new device (linking.ts) and
 * recovery by the gatekeepers (recovery.ts). None of it is in the first load.
 */
import { Devices } from './devices.ts'
import { Linking } from './linking.ts'
import { Recovery } from './recovery.ts'
import type { WalletParts } from './wallet-parts.ts'

export interface DeviceTools {
  readonly devices: Devices
  readonly linking: Linking
  readonly recovery: Recovery
}

export function deviceTools(parts: WalletParts): DeviceTools {
  const devices = new Devices(parts)
  return { devices, linking: new Linking(parts, devices), recovery: new Recovery(parts) }
}
