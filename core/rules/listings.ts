/**
 * The marketplace's listings: a member posts an offer or a want, edits it and
 * withdraws it; only its author may do either. A listing lives until its
 * `expires`, or LISTING_TTL_SECONDS_DEFAULT from when it was witnessed. Time
 * here is witnessed time where a checkpoint covers the entry (its effective
 * time otherwise), as for invites: a back-dated listing neither lives longer
 * nor dodges the daily cap. Each rule answers one question and returns a
 * verdict; with `commit` an accepted entry's change is made too.
 */
import type { EntryId, ListingEntry, PublicKeyHex, UnlistEntry } from '../entry.ts'
import {
  LISTINGS_OPEN_MAX, LISTING_ENTRIES_PER_DAY_MAX, LISTING_TTL_SECONDS_DEFAULT, LISTING_TTL_SECONDS_MAX,
} from '../limits.ts'
import { ACCEPTED, isoTime, reject, short, type Evaluation, type ListingState, type PoolState, type TimeFacts } from '../pool-state.ts'

const DAY_MS = 86_400_000

/** The time a listing rule judges at: when a witness first held the entry, else its effective time. */
export function listingTime(facts: TimeFacts): number {
  return facts.witnessedAt ?? facts.effectiveTime
}

/** Is this listing open (not expired) at `time`? Withdrawn ones are no longer in the state at all. */
export function isOpenAt(listing: ListingState, time: number): boolean {
  return time < listing.expires
}

/** Has the author signed as many listing entries on this day as a member may? */
export function dailyCapProblem(state: PoolState, author: PublicKeyHex, at: number): Evaluation | undefined {
  const today = state.listingDays.get(author)
  // Days only move forward per author; an entry judged at an earlier day (an uncovered tail entry
  // after covered ones) counts in the latest day seen, never in a fresh one.
  if (today && Math.floor(at / DAY_MS) <= today.day && today.count >= LISTING_ENTRIES_PER_DAY_MAX) {
    return reject('listing-limit', `${LISTING_ENTRIES_PER_DAY_MAX} listing entries already signed on ${isoTime(today.day * DAY_MS).slice(0, 10)} (UTC)`)
  }
  return undefined
}

function countDay(state: PoolState, author: PublicKeyHex, at: number): void {
  const day = Math.floor(at / DAY_MS)
  const today = state.listingDays.get(author)
  if (today && day <= today.day) state.listingDays.set(author, { day: today.day, count: today.count + 1 })
  else state.listingDays.set(author, { day, count: 1 })
}

/** An edit or a withdrawal names an open listing of its own author. */
function targetProblem(state: PoolState, id: EntryId, author: PublicKeyHex, at: number): Evaluation | undefined {
  const listing = state.listings.get(id)
  if (!listing) return reject('unknown-listing', `${short(id)} is not a listing of this pool, or it was withdrawn`)
  if (listing.author !== author) return reject('not-listing-author', `the listing is ${short(listing.author)}'s, not ${short(author)}'s`)
  if (!isOpenAt(listing, at)) return reject('listing-expired', `the listing expired at ${isoTime(listing.expires)}; this entry counts from ${isoTime(at)}`)
  return undefined
}

/**
 * Post or edit a listing: a category from the gatekeepers' list, an expiry
 * after the entry's witnessed time and within LISTING_TTL_SECONDS_MAX of it,
 * at most LISTINGS_OPEN_MAX open at once and LISTING_ENTRIES_PER_DAY_MAX
 * entries a day. An edit restates the whole listing and keeps its id.
 */
export function listingRule(state: PoolState, entry: ListingEntry, facts: TimeFacts, commit: boolean): Evaluation {
  const at = listingTime(facts)
  const capProblem = dailyCapProblem(state, entry.author, at)
  if (capProblem) return capProblem
  if (entry.edits !== undefined) {
    const problem = targetProblem(state, entry.edits, entry.author, at)
    if (problem) return problem
  }
  if (entry.category !== undefined && !(state.categories ?? []).includes(entry.category)) {
    const list = state.categories === undefined ? 'the pool has no category list yet' : `the list is ${state.categories.map((c) => JSON.stringify(c)).join(', ') || 'empty'}`
    return reject('unknown-category', `${JSON.stringify(entry.category)} is not a category of this pool: ${list}`)
  }
  const expires = entry.expires ?? at + LISTING_TTL_SECONDS_DEFAULT * 1000
  if (expires <= at) return reject('listing-expired', `it expires at ${isoTime(expires)}, before it was witnessed at ${isoTime(at)}`)
  if (expires > at + LISTING_TTL_SECONDS_MAX * 1000) {
    return reject('listing-limit', `a listing lives at most ${LISTING_TTL_SECONDS_MAX / 86_400} days from ${isoTime(at)}; it asks until ${isoTime(expires)}`)
  }
  const mine = state.listingsBy.get(entry.author) ?? []
  const open = entry.edits === undefined ? mine.filter((id) => isOpenAt(state.listings.get(id)!, at)) : mine
  if (entry.edits === undefined && open.length >= LISTINGS_OPEN_MAX) {
    return reject('listing-limit', `${open.length} open listings already; a member may have at most ${LISTINGS_OPEN_MAX}`)
  }
  if (commit) {
    const id = entry.edits ?? entry.id
    state.listings.set(id, {
      author: entry.author, kind: entry.kind, title: entry.title, description: entry.description, tags: entry.tags ?? [],
      category: entry.category, price: entry.price, expires, version: entry.id, since: state.listings.get(id)?.since ?? at, updated: at,
    })
    // Expired ones leave the author's list here (they can never open again), so the cap stays O(open).
    if (entry.edits === undefined) state.listingsBy.set(entry.author, [...open, id])
    countDay(state, entry.author, at)
  }
  return ACCEPTED
}

/** Withdraw a listing: its author only, while it is open. */
export function unlistRule(state: PoolState, entry: UnlistEntry, facts: TimeFacts, commit: boolean): Evaluation {
  const at = listingTime(facts)
  const problem = dailyCapProblem(state, entry.author, at) ?? targetProblem(state, entry.listing, entry.author, at)
  if (problem) return problem
  if (commit) {
    state.listings.delete(entry.listing)
    state.listingsBy.set(entry.author, (state.listingsBy.get(entry.author) ?? []).filter((id) => id !== entry.listing))
    countDay(state, entry.author, at)
  }
  return ACCEPTED
}

/** An open listing as `replay` prints it, by the id of its first version. */
export interface ListingSummary {
  readonly author: PublicKeyHex
  readonly kind: ListingEntry['kind']
  readonly title: string
  readonly description?: string
  readonly tags: readonly string[]
  readonly category: string | null
  readonly price: number | null
  readonly expires: number
  /** Witnessed (or effective) time of the first version, and of the latest. */
  readonly posted: number
  readonly updated: number
  /** The latest version's entry id (the listing itself, or its latest edit). */
  readonly version: EntryId
}

/**
 * The listings open at `asOf`, by id ascending: not withdrawn, not expired,
 * and their author neither frozen nor gone (a member who cannot trade is not
 * offered to anyone).
 */
export function openListings(state: PoolState, asOf: number): Record<string, ListingSummary> {
  const open: Record<string, ListingSummary> = {}
  for (const id of [...state.listings.keys()].sort()) {
    const l = state.listings.get(id)!
    if (!isOpenAt(l, asOf) || state.isFrozen(l.author) || state.isClosed(l.author) || !state.members.has(l.author)) continue
    open[id] = {
      author: l.author, kind: l.kind, title: l.title, ...(l.description !== undefined ? { description: l.description } : {}), tags: l.tags,
      category: l.category ?? null, price: l.price ?? null, expires: l.expires, posted: l.since, updated: l.updated, version: l.version,
    }
  }
  return open
}
