/**
 * Which arrivals this device has already noticed in a pool, kept locally so a
 * badge survives a reload and works offline. Pure: every function returns a
 * new watermark.
 *
 * An id list alone would grow with the whole history, and a time alone would
 * miss an offline payment that arrives after later ones (it is dated when it
 * was signed, not when it reached this phone). So: everything dated up to
 * `upTo` counts as noticed, plus the ids noticed that are dated later; `upTo`
 * trails the clock by NOTICED_WINDOW_MS, after which ids are dropped. A payment
 * that reaches this phone more than that long after it was signed is shown in
 * the statement without a "new" marker (pools' offline allowances are days).
 */
import type { Arrival } from './arrivals-of.ts'

/** How long after signing an arrival is still told as new: longer than any pool's offline window. */
export const NOTICED_WINDOW_MS = 14 * 24 * 60 * 60 * 1000

export interface Watermark {
  /** Arrivals dated at or before this (ms) count as noticed. */
  readonly upTo: number
  /** Arrivals dated after `upTo` already noticed: [id, time]. */
  readonly noticed: ReadonlyArray<readonly [string, number]>
  /** Noticed arrivals the member has not looked at yet (the badge and the "new" markers). */
  readonly unseen: readonly string[]
}

/** A pool seen for the first time: everything already there counts as noticed and seen (no flood after an update or a restore). */
export function baseline(arrivals: readonly Arrival[], now: number): Watermark {
  return prune({ upTo: Number.NEGATIVE_INFINITY, noticed: arrivals.map((a) => [a.id, a.time] as const), unseen: [] }, now)
}

export function isNoticed(mark: Watermark, arrival: Arrival): boolean {
  return arrival.time <= mark.upTo || mark.noticed.some(([id]) => id === arrival.id)
}

/** Notices what is new among `arrivals`: returns them and the watermark that remembers them as unseen. */
export function notice(mark: Watermark, arrivals: readonly Arrival[], now: number): { fresh: Arrival[]; mark: Watermark } {
  const fresh = arrivals.filter((arrival) => !isNoticed(mark, arrival))
  if (fresh.length === 0) return { fresh, mark: prune(mark, now) }
  return {
    fresh,
    mark: prune({ upTo: mark.upTo, noticed: [...mark.noticed, ...fresh.map((a) => [a.id, a.time] as const)], unseen: [...mark.unseen, ...fresh.map((a) => a.id)] }, now),
  }
}

/** The member looked at the pool: nothing in it is unseen any more. */
export function markSeen(mark: Watermark): Watermark {
  return mark.unseen.length === 0 ? mark : { ...mark, unseen: [] }
}

/** Moves `upTo` to trail the clock and drops the ids it now covers. Unseen ids stay until seen. */
export function prune(mark: Watermark, now: number): Watermark {
  const upTo = Math.max(mark.upTo, now - NOTICED_WINDOW_MS)
  if (upTo === mark.upTo) return mark
  return { upTo, noticed: mark.noticed.filter(([, time]) => time > upTo), unseen: mark.unseen }
}

/** A watermark read back from storage, or undefined when it is not one (then the pool starts from a baseline). */
export function readWatermark(value: unknown): Watermark | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { upTo, noticed, unseen } = value as Record<string, unknown>
  if (typeof upTo !== 'number' || !Array.isArray(noticed) || !Array.isArray(unseen)) return undefined
  const pairs = noticed.filter((pair): pair is [string, number] => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'number')
  return { upTo, noticed: pairs, unseen: unseen.filter((id): id is string => typeof id === 'string') }
}
