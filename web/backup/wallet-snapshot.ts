/**
 * What a backup holds: enough to rebuild the wallet on a fresh device even
 * before any relay answers (pools, their known entries, contacts), plus the
 * recovery phrase from which every key is derived again.
 */
import type { KeyDerivation } from '../keys/pool-keys.ts'

export interface SnapshotPool {
  readonly id: string
  readonly relayUrl: string
  readonly derivation: KeyDerivation
  readonly status: 'member' | 'requested'
  readonly joinedAt: number
  /** Entry lines known when the backup was made; the relay may know more. */
  readonly lines: readonly string[]
}

export interface WalletSnapshot {
  readonly phrase: string
  readonly displayName: string
  readonly createdAt: number
  readonly pools: readonly SnapshotPool[]
  readonly contacts: ReadonlyArray<{ readonly pool: string; readonly key: string; readonly name: string }>
  /** Favourite members by pool (wallet/favourites.ts); absent in backups made before issue 16. */
  readonly favourites?: Readonly<Record<string, readonly string[]>>
  /**
   * The secrets of open requests to be paid from another pool, by condition (wallet/hashlock-secrets.ts):
   * without them a payment that arrives after the restore cannot be taken. Absent in backups made before 2026-12-08.
   */
  readonly hashlocks?: Readonly<Record<string, { readonly pool: string; readonly preimage: string; readonly amount: number; readonly at: number }>>
}
