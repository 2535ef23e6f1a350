/** sync-server/: the relay. */
export { startRelay, type Relay, type RelayOptions } from './relay.ts'
export { DEFAULT_RELAY_LIMITS, type RelayLimits } from './limits.ts'
export { CLOSE_CODES, type CloseReason } from './closeCodes.ts'
export { DiskStorageAdapter } from './diskStorage.ts'
export { ConnectionGuard, type GuardVerdict } from './connectionGuard.ts'
