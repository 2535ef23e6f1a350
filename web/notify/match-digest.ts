/**
 * The marketplace's daily digest: "N new matches" per pool, at most once a
 * local day (digest-rule.ts), counted on this phone from the signed log it
 * already holds. Checked when the app opens and when the wallet changes; told
 * as a system notification through the service worker where the browser
 * allows and the app is not in front, else as a banner in the app. The words
 * are the count and the pool's name only: never a listing's text. Beside the
 * wallet, like Arrivals: the facade does not grow.
 */
import type { WalletDb } from '../storage/wallet-db.ts'
import type { Marketplace } from '../wallet/marketplace.ts'
import { digestDue, readDigestMark, type DigestMark } from './digest-rule.ts'

/** Local only (the settings store), never in a backup: at worst a restored phone tells one digest more. */
const KEY = 'marketDigest'

/** What the digest reads of the wallet (a Wallet is one). */
export interface DigestSource {
  poolIds(): string[]
  marketplace(): Promise<Marketplace>
  subscribe(listener: () => void): () => void
}

export interface DigestDue {
  readonly pool: string
  readonly count: number
}

export interface MatchDigestOptions {
  readonly source: DigestSource
  readonly db: WalletDb
  readonly now?: () => number
  /** Minutes behind UTC at `ms` (Date#getTimezoneOffset). */
  readonly offsetMinutes?: (ms: number) => number
  /** Tells a digest outside the app; false when it could not (no permission, app in front): then the banner shows it. */
  readonly notify?: (due: DigestDue) => Promise<boolean>
}

export class MatchDigest {
  readonly #options: MatchDigestOptions
  readonly #listeners = new Set<() => void>()
  /** Digests waiting on the banner, by pool. */
  #shown: DigestDue[] = []
  #running: Promise<void> | undefined
  #again = false

  constructor(options: MatchDigestOptions) {
    this.#options = options
  }

  /** Checks once now and again whenever the wallet changes (one check at a time). */
  start(): this {
    void this.check()
    this.#options.source.subscribe(() => void this.check())
    return this
  }

  /** Digests for the banner, newest pool last. */
  shown(): readonly DigestDue[] {
    return this.#shown
  }

  /** The banner was dismissed or the pool's marketplace opened. */
  dismiss(pool?: string): void {
    const before = this.#shown.length
    this.#shown = pool === undefined ? [] : this.#shown.filter((due) => due.pool !== pool)
    if (this.#shown.length !== before) this.#tell()
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Runs a check (or, if one is running, one more after it); resolves when the checks are done. */
  check(): Promise<void> {
    if (this.#running) {
      this.#again = true
      return this.#running
    }
    this.#running = (async () => {
      do {
        this.#again = false
        await this.#checkOnce().catch(() => undefined)
      } while (this.#again)
      this.#running = undefined
    })()
    return this.#running
  }

  async #checkOnce(): Promise<void> {
    const pools = this.#options.source.poolIds()
    if (pools.length === 0) return
    const market = await this.#options.source.marketplace()
    const now = (this.#options.now ?? Date.now)()
    const offset = (this.#options.offsetMinutes ?? ((ms: number) => new Date(ms).getTimezoneOffset()))(now)
    const marks = await this.#marks()
    for (const pool of pools) {
      const fresh = market.matches(pool, await market.favourites.seen(pool)).filter((match) => match.fresh).map((match) => match.pair)
      const due = digestDue(marks[pool] ?? readDigestMark(undefined), fresh, now, offset)
      if (!due) continue
      // Kept before it is told: a crash between the two loses one digest, never repeats one.
      marks[pool] = due.mark
      await this.#options.db.put('settings', marks, KEY)
      const told = await (this.#options.notify?.({ pool, count: due.count }) ?? Promise.resolve(false)).catch(() => false)
      if (!told) {
        this.#shown = [...this.#shown.filter((d) => d.pool !== pool), { pool, count: due.count }]
        this.#tell()
      }
    }
  }

  async #marks(): Promise<Record<string, DigestMark>> {
    const stored: unknown = await this.#options.db.get('settings', KEY)
    const marks: Record<string, DigestMark> = {}
    if (stored !== null && typeof stored === 'object') for (const [pool, value] of Object.entries(stored)) marks[pool] = readDigestMark(value)
    return marks
  }

  #tell(): void {
    for (const listener of this.#listeners) listener()
  }
}
