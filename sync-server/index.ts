/** sync-server/: the relay. */
export { startRelay, type Relay, type RelayOptions, type RelayWitnessOptions } from './relay.ts'
export { RelayWitness, WITNESSED_POOLS_FILE_NAME } from './witness.ts'
export { loadOrCreateWitnessKey, readWitnessKey, WITNESS_KEY_FILE_NAME, type WitnessKey } from './witnessKey.ts'
export {
  CHECKPOINT_INTERVAL_SECONDS_DEFAULT, CHECKPOINT_INTERVAL_SECONDS_MAX, DEFAULT_RELAY_LIMITS, MEMORY_BUDGET_MB_DEFAULT, MEMORY_BUDGET_MB_MIN, WITNESSED_POOLS_MAX,
  type RelayLimits,
} from './limits.ts'
export { DocumentEviction, guardEmptySaves } from './eviction.ts'
export { CLOSE_CODES, type CloseReason } from './closeCodes.ts'
export { DiskStorageAdapter } from './diskStorage.ts'
export { isPostgresUrl, openRelayStorage, storageNodeIdOf, type RelayStorage } from './relayStorage.ts'
export { ConnectionGuard, type GuardVerdict } from './connectionGuard.ts'
