/**
 * What the wallet's modules share. The Wallet makes each part once and hands
 * every module the parts it names (a `Pick` of these), so a module's
 * dependencies are visible in its type and a test can build one alone.
 */
import type { SignatureCache } from '../../core/index.ts'
import type { WalletDb } from '../storage/wallet-db.ts'
import type { SyncEngine } from '../sync/sync-engine.ts'
import type { Contacts } from './contacts.ts'
import type { EntrySigner } from './entry-signer.ts'
import type { Pools } from './pools.ts'
import type { WalletSettings } from './wallet-settings.ts'

export interface WalletParts {
  readonly db: WalletDb
  readonly sync: SyncEngine
  readonly now: () => number
  /** Shared with the sync engine so each signature is verified once per device. */
  readonly cache: SignatureCache
  /** Tells the screens that something they show may have changed (the Wallet's version and listeners). */
  readonly changed: () => void
  readonly settings: WalletSettings
  readonly pools: Pools
  readonly signer: EntrySigner
  readonly contacts: Contacts
}
