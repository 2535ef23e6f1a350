/**
 * Favourites: the members a person trades with, kept close. Private: on this
 * device only (the wallet database's settings store, so no schema change) and
 * in the encrypted backup, never in a pool document.
 */
import type { WalletParts } from './wallet-parts.ts'

const FAVOURITES = 'favourites'
const SEEN = 'marketSeen'
const HEX64 = /^[0-9a-f]{64}$/
/** Matches remembered as shown, per pool (a member with 100 listings, 20 matches each). */
const SEEN_MAX = 2_000

export type FavouritesParts = Pick<WalletParts, 'db'>

/** Favourite keys by pool, and the marketplace's "last visit" watermark (the matches shown) by pool. */
export class Favourites {
  readonly #parts: FavouritesParts

  constructor(parts: FavouritesParts) {
    this.#parts = parts
  }

  async all(): Promise<Record<string, string[]>> {
    return ((await this.#parts.db.get('settings', FAVOURITES)) as Record<string, string[]> | undefined) ?? {}
  }

  async of(pool: string): Promise<string[]> {
    return (await this.all())[pool] ?? []
  }

  /** Adds `key` to the pool's favourites, or takes it out; returns whether it is a favourite now. */
  async toggle(pool: string, key: string): Promise<boolean> {
    const all = await this.all()
    const keys = all[pool] ?? []
    const now = !keys.includes(key)
    all[pool] = now ? [...keys, key] : keys.filter((k) => k !== key)
    await this.#parts.db.put('settings', all, FAVOURITES)
    return now
  }

  /** Replaces every favourite (a restored backup): only pool ids and keys of the right shape are kept. */
  async replace(all: unknown): Promise<void> {
    const kept: Record<string, string[]> = {}
    if (all !== null && typeof all === 'object' && !Array.isArray(all)) {
      for (const [pool, keys] of Object.entries(all as Record<string, unknown>)) {
        if (!HEX64.test(pool) || !Array.isArray(keys)) continue
        kept[pool] = [...new Set(keys.filter((key): key is string => typeof key === 'string' && HEX64.test(key)))]
      }
    }
    await this.#parts.db.put('settings', kept, FAVOURITES)
  }

  /**
   * The matches this device has shown in the pool's marketplace ("mine/theirs" ids): the
   * watermark of "new since your last visit". A set rather than a time, because a listing's
   * time moves when a witness covers it, and one posted offline may arrive after a visit
   * while dated before it.
   */
  async seen(pool: string): Promise<Set<string>> {
    return new Set((((await this.#parts.db.get('settings', SEEN)) as Record<string, string[]> | undefined) ?? {})[pool] ?? [])
  }

  /** Adds these matches to what was shown, keeping the latest SEEN_MAX. */
  async markSeen(pool: string, pairs: Iterable<string>): Promise<void> {
    const all = ((await this.#parts.db.get('settings', SEEN)) as Record<string, string[]> | undefined) ?? {}
    const kept = new Set(all[pool] ?? [])
    for (const pair of pairs) {
      kept.delete(pair)
      kept.add(pair)
    }
    all[pool] = [...kept].slice(-SEEN_MAX)
    await this.#parts.db.put('settings', all, SEEN)
  }
}
