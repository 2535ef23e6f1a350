/**
 * The secrets of a payee's open requests to be paid from another pool (cross-pool.ts keeps them:
 * a hashlock's preimage per condition). Without them a payment that arrives after a restore can
 * never be fulfilled and expires back to its payer, so the backup file carries them. Kept apart from
 * cross-pool.ts, which loads only when used: the backup is in the first load.
 */
import { fromHex, isHex, toHex } from '../../core/index.ts'
import { sha256Bytes } from '../../core/hash.ts'
import type { WalletDb } from '../storage/wallet-db.ts'

/** The settings record cross-pool.ts keeps (one IndexedDB value); the Wallet looks for it at start to load that module. */
export const CROSS_POOL_SETTINGS_KEY = 'cross-pool'

/** One open request's secret: the pool it is paid in, the preimage, the amount asked and when. */
export interface HashlockSecret {
  readonly pool: string
  readonly preimage: string
  readonly amount: number
  readonly at: number
}

/** The secrets this wallet keeps, by condition; empty when it never asked to be paid from another pool. */
export async function hashlockSecrets(db: WalletDb): Promise<Record<string, HashlockSecret>> {
  const saved = (await db.get('settings', CROSS_POOL_SETTINGS_KEY)) as { locks?: Record<string, HashlockSecret> } | undefined
  return saved?.locks ?? {}
}

/**
 * Puts a backup's secrets back, for the pools restored (`pools`). A record that is not what
 * cross-pool.ts writes (a preimage whose SHA-256 is not its condition, a pool not restored, an
 * amount that is no positive whole number) is left out: it could never fulfil anything.
 * Returns how many were kept.
 */
export async function restoreHashlockSecrets(db: WalletDb, secrets: Readonly<Record<string, unknown>>, pools: ReadonlySet<string>): Promise<number> {
  const locks: Record<string, HashlockSecret> = {}
  for (const [condition, value] of Object.entries(secrets)) {
    const secret = value as Partial<HashlockSecret> | null
    if (!isHex(condition, 32) || typeof secret !== 'object' || secret === null) continue
    const { pool, preimage, amount, at } = secret
    if (typeof pool !== 'string' || !pools.has(pool) || !isHex(preimage, 32)) continue
    if (!Number.isSafeInteger(amount) || amount! <= 0 || typeof at !== 'number' || !Number.isFinite(at)) continue
    if (toHex(sha256Bytes(fromHex(preimage, 32)!)) !== condition) continue
    locks[condition] = { pool, preimage, amount: amount!, at }
  }
  if (Object.keys(locks).length === 0) return 0
  const saved = (await db.get('settings', CROSS_POOL_SETTINGS_KEY)) as { locks?: Record<string, HashlockSecret>; peers?: unknown } | undefined
  await db.put('settings', { peers: {}, ...saved, locks: { ...saved?.locks, ...locks } }, CROSS_POOL_SETTINGS_KEY)
  return Object.keys(locks).length
}
