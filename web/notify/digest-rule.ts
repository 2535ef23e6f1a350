/**
 * The marketplace's daily digest rule: "N new matches", told at most once a
 * local calendar day per pool, counting only matches neither seen on a visit
 * nor told in an earlier digest. Pure (time and the time-zone offset come in
 * as arguments); the mark is kept on the device (match-digest.ts), so the rule
 * holds offline and nothing about listings leaves the phone.
 */

const DAY_MS = 24 * 60 * 60 * 1000
/** Matches remembered as told, per pool (as many as the marketplace remembers as seen). */
export const DIGEST_TOLD_MAX = 2_000

export interface DigestMark {
  /** The local day (days since 1970-01-01 in the device's zone) of the last digest; -Infinity for never. */
  readonly day: number
  /** Matches ("mine/theirs") already counted in a digest. */
  readonly told: readonly string[]
}

export const NO_DIGEST_YET: DigestMark = { day: Number.NEGATIVE_INFINITY, told: [] }

/** The local calendar day of `ms`, for a zone `offsetMinutes` behind UTC (Date#getTimezoneOffset's sign). */
export function localDay(ms: number, offsetMinutes: number): number {
  return Math.floor((ms - offsetMinutes * 60_000) / DAY_MS)
}

/**
 * Whether a digest is due now, and the mark that remembers it: due when the last one was on an
 * earlier local day (a clock set back tells nothing until it passes that day again) and at least
 * one of the `fresh` matches was not told before. Otherwise undefined, and the mark stays.
 */
export function digestDue(mark: DigestMark, fresh: readonly string[], now: number, offsetMinutes: number): { count: number; mark: DigestMark } | undefined {
  const today = localDay(now, offsetMinutes)
  if (!(today > mark.day)) return undefined
  const told = new Set(mark.told)
  const news = [...new Set(fresh)].filter((pair) => !told.has(pair))
  if (news.length === 0) return undefined
  return { count: news.length, mark: { day: today, told: [...mark.told, ...news].slice(-DIGEST_TOLD_MAX) } }
}

/** A mark read back from storage, or the empty one when it is not one (the worst case is one digest more). */
export function readDigestMark(value: unknown): DigestMark {
  if (typeof value !== 'object' || value === null) return NO_DIGEST_YET
  const { day, told } = value as Record<string, unknown>
  if (typeof day !== 'number' || Number.isNaN(day) || !Array.isArray(told)) return NO_DIGEST_YET
  return { day, told: told.filter((pair): pair is string => typeof pair === 'string').slice(-DIGEST_TOLD_MAX) }
}
