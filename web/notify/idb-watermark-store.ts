/** Watermarks in the wallet's IndexedDB, one settings key per pool (`arrivals/<pool>`): local only, never in a backup. */
import type { WalletDb } from '../storage/wallet-db.ts'
import type { WatermarkStore } from './arrivals.ts'
import { readWatermark, type Watermark } from './watermark.ts'

const keyOf = (pool: string): string => `arrivals/${pool}`

export function idbWatermarkStore(db: WalletDb): WatermarkStore {
  return {
    async load(pool: string): Promise<Watermark | undefined> {
      return readWatermark(await db.get('settings', keyOf(pool)))
    },
    async save(pool: string, mark: Watermark): Promise<void> {
      await db.put('settings', { upTo: mark.upTo, noticed: mark.noticed, unseen: mark.unseen }, keyOf(pool))
    },
    async remove(pool: string): Promise<void> {
      await db.delete('settings', keyOf(pool))
    },
  }
}
