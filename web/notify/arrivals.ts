/**
 * Money and requests arriving, noticed as the wallet changes: the new ones are
 * told once (a banner, a system notification when the app is in the
 * background) and stay unseen (a badge on the pool, a "new" marker in its
 * statement) until the member opens that pool. Beside the wallet, not in it:
 * it reads only what screens read (the pools' views) and keeps its own
 * watermark per pool, so the facade does not grow.
 */
import type { PoolRecord } from '../storage/wallet-db.ts'
import type { PoolView } from '../wallet/pool-view.ts'
import { arrivalsOf, type Arrival } from './arrivals-of.ts'
import { baseline, markSeen, notice, type Watermark } from './watermark.ts'

/** What Arrivals reads of the wallet (a Wallet is one). */
export interface ArrivalsSource {
  poolIds(): string[]
  pool(id: string): PoolView | undefined
  poolRecord(id: string): PoolRecord | undefined
  subscribe(listener: () => void): () => void
}

/** Where watermarks are kept (IndexedDB in the app, a Map in tests). */
export interface WatermarkStore {
  load(pool: string): Promise<Watermark | undefined>
  save(pool: string, mark: Watermark): Promise<void>
  remove(pool: string): Promise<void>
}

export interface ArrivalsOptions {
  readonly source: ArrivalsSource
  readonly store: WatermarkStore
  readonly now?: () => number
  /** Told of arrivals noticed for the first time (not those already there when a pool was first seen). */
  readonly onFresh?: (fresh: readonly Arrival[]) => void
}

export class Arrivals {
  readonly #options: ArrivalsOptions
  readonly #now: () => number
  readonly #marks = new Map<string, Watermark>()
  readonly #listeners = new Set<() => void>()
  /** Saves in flight, per pool, so a later watermark is never overwritten by an earlier one. */
  readonly #saving = new Map<string, Promise<void>>()

  private constructor(options: ArrivalsOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /** Reads each pool's watermark and starts noticing; call after the wallet has opened. */
  static async open(options: ArrivalsOptions): Promise<Arrivals> {
    const arrivals = new Arrivals(options)
    for (const pool of options.source.poolIds()) {
      const mark = await options.store.load(pool)
      if (mark) arrivals.#marks.set(pool, mark)
    }
    arrivals.#check()
    options.source.subscribe(() => arrivals.#check())
    return arrivals
  }

  /** Calls `listener` whenever what is unseen changes; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** What arrived in `pool` that the member has not looked at yet, oldest first (still waiting, for requests and two-step payments). */
  unseen(pool: string): Arrival[] {
    const mark = this.#marks.get(pool)
    const view = this.#options.source.pool(pool)
    if (!mark || !view || mark.unseen.length === 0) return []
    const ids = new Set(mark.unseen)
    return arrivalsOf(view).filter((arrival) => ids.has(arrival.id))
  }

  /** Everything unseen in every pool, newest first. */
  allUnseen(): Arrival[] {
    return this.#options.source.poolIds().flatMap((pool) => this.unseen(pool)).sort((a, b) => b.time - a.time)
  }

  /** The member opened the pool: its arrivals are seen (the screen keeps its own markers for this visit). */
  markSeen(pool: string): void {
    const mark = this.#marks.get(pool)
    if (!mark || mark.unseen.length === 0) return
    this.#set(pool, markSeen(mark))
    this.#tell()
  }

  #check(): void {
    const source = this.#options.source
    const now = this.#now()
    const fresh: Arrival[] = []
    const ids = new Set(source.poolIds())
    for (const pool of ids) {
      const view = source.pool(pool)
      if (!view) continue
      const arrivals = arrivalsOf(view)
      const mark = this.#marks.get(pool)
      // A restored key's pool is catching up on history it already had: nothing in it is news.
      if (!mark || source.poolRecord(pool)?.needsChainHead === true) {
        if (!mark || arrivals.some((arrival) => !mark.noticed.some(([id]) => id === arrival.id))) this.#set(pool, baseline(arrivals, now))
        continue
      }
      const result = notice(mark, arrivals, now)
      if (result.mark !== mark) this.#set(pool, result.mark)
      fresh.push(...result.fresh)
    }
    for (const pool of [...this.#marks.keys()]) {
      if (ids.has(pool)) continue
      this.#marks.delete(pool)
      void this.#options.store.remove(pool).catch(() => undefined)
    }
    if (fresh.length > 0) {
      this.#options.onFresh?.(fresh)
      this.#tell()
    }
  }

  #set(pool: string, mark: Watermark): void {
    this.#marks.set(pool, mark)
    const previous = this.#saving.get(pool) ?? Promise.resolve()
    // A failed save only means the badge may come back after a reload: never worth an error on screen.
    const next = previous.then(() => this.#options.store.save(pool, mark)).catch(() => undefined)
    this.#saving.set(pool, next)
  }

  #tell(): void {
    for (const listener of this.#listeners) listener()
  }
}
