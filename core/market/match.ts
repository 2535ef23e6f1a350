/**
 * Matches: a member's offers against others' wants, and its wants against
 * others' offers. Each of the member's open listings is a query (its title and
 * tags, any word) over the listings of the other kind by other authors, in
 * the title and tags only; listings in two different categories never match.
 * Deterministic like search: best first, ties by the member's listing id, then
 * the other's.
 */
import type { EntryId, PublicKeyHex } from '../entry.ts'
import { MarketIndex, round, type MarketListing } from './search.ts'
import { tokenize } from './normalize.ts'

export interface Match {
  readonly mine: EntryId
  readonly theirs: EntryId
  readonly score: number
}

export interface MatchOptions {
  /** Only matches where either listing was posted or edited at or after this time (ms): "new since your last visit". */
  readonly since?: number
}

/** Matches kept per listing of the member's, best first. */
export const MATCHES_PER_LISTING_MAX = 20

/**
 * Words that join others and match everything ("for", "de"): left out of the
 * queries matching makes (search keeps them, the index keeps them).
 */
const STOPWORDS = new Set([
  'and', 'for', 'the', 'with', 'from', 'our', 'you', 'your', 'some', 'any',
  'de', 'des', 'du', 'la', 'le', 'les', 'et', 'pour', 'avec', 'un', 'une',
  'der', 'die', 'das', 'und', 'mit', 'für', 'fur', 'ein', 'eine',
  'el', 'los', 'las', 'con', 'por', 'para', 'una', 'het', 'een', 'voor', 'van', 'en',
])

function matchQuery(listing: MarketListing): string {
  const words = tokenize([listing.title, ...listing.tags].join(' ')).filter((w) => !STOPWORDS.has(w))
  return [...new Set(words)].join(' ')
}

export function matchesFor(index: MarketIndex, member: PublicKeyHex, options: MatchOptions = {}): Match[] {
  const matches: Match[] = []
  const since = options.since
  for (const mine of index.listingsBy(member)) {
    const query = matchQuery(mine)
    if (query === '') continue
    const hits = index.anyWord(query, { kind: mine.kind === 'offer' ? 'want' : 'offer', notBy: member })
    let kept = 0
    for (const hit of hits) {
      if (kept === MATCHES_PER_LISTING_MAX) break
      const theirs = index.listing(hit.id)!
      if (mine.category !== null && theirs.category !== null && mine.category !== theirs.category) continue
      if (since !== undefined && mine.updated < since && theirs.updated < since) continue
      matches.push({ mine: mine.id, theirs: hit.id, score: round(hit.score) })
      kept++
    }
  }
  matches.sort((a, b) => b.score - a.score || cmp(a.mine, b.mine) || cmp(a.theirs, b.theirs))
  return matches
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
