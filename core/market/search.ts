/**
 * Search over a pool's open listings, offline. MiniSearch keeps an inverted
 * index of the short fields (title, tags, category), where a word is found
 * exactly, as a prefix or with a typo; descriptions, three quarters of the
 * words, are found by whole words in a plain word → listings map, which costs a
 * tenth of indexing them in MiniSearch (docs/marketplace.md has the figures, and
 * the measurements against uFuzzy that chose MiniSearch). Determinism: listings
 * are indexed in id order, scores are rounded to SCORE_DECIMALS, and ties go to
 * the lower id, so the same log gives the same ordered results on every device.
 */
import MiniSearch, { type SearchOptions } from 'minisearch'
import type { EntryId, ListingKind, PublicKeyHex } from '../entry.ts'
import type { ListingSummary } from '../rules/listings.ts'
import { tokenize } from './normalize.ts'

/** One listing as search holds it. */
export interface MarketListing extends ListingSummary {
  readonly id: EntryId
}

export interface SearchHit {
  readonly id: EntryId
  readonly score: number
}

export interface SearchFilter {
  readonly kind?: ListingKind
  readonly category?: string
  /** Leave out this author's listings (matching never offers a member its own). */
  readonly notBy?: PublicKeyHex
  /** At most this many hits, best first. */
  readonly limit?: number
}

/** Scores are rounded so that engines whose last floating-point digit differs still order alike. */
const SCORE_DECIMALS = 4

/**
 * Typos: one edit in words of 4 to 7 characters, two from 8 ("vegetalbes" finds
 * "vegetables"); none in shorter words, where one edit makes another word.
 * Prefixes from 3 characters, so "veg" finds "vegetables" as one types.
 */
export const FUZZY = (term: string): number | false => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : false)
export const PREFIX = (term: string): boolean => term.length >= 3

/** Title words weigh most, then tags, then the category's words. */
const BOOST = { title: 3, tags: 2, category: 1.5 }
/** What a query word found only in a listing's description adds to its score. */
const DESCRIPTION_WORD_SCORE = 1

/** Words of one Latin letter or digit say nothing ("a", "2"); one CJK character can be a word. */
function keep(term: string): string | null {
  return term.length === 1 && term < '\u0080' ? null : term
}

export class MarketIndex {
  readonly #search: MiniSearch<MarketListing>
  readonly #byId = new Map<EntryId, MarketListing>()
  /** Description words: each normalised word → the listings whose description has it. */
  readonly #described = new Map<string, Set<EntryId>>()

  /** Indexes the open listings (replay's `listings`, or Ledger#listings()). */
  constructor(listings: Readonly<Record<string, ListingSummary>>) {
    this.#search = new MiniSearch<MarketListing>({
      fields: ['title', 'tags', 'category'],
      extractField: (doc, field) => {
        const value = (doc as unknown as Record<string, unknown>)[field]
        return Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : ''
      },
      tokenize,
      processTerm: keep,
    })
    const docs: MarketListing[] = []
    for (const id of Object.keys(listings).sort()) {
      const doc = { ...listings[id]!, id: id as EntryId }
      docs.push(doc)
      this.#byId.set(doc.id, doc)
      if (doc.description === undefined) continue
      for (const word of tokenize(doc.description)) {
        if (keep(word) === null) continue
        const ids = this.#described.get(word)
        if (ids) ids.add(doc.id)
        else this.#described.set(word, new Set([doc.id]))
      }
    }
    this.#search.addAll(docs)
  }

  get size(): number {
    return this.#byId.size
  }

  listing(id: EntryId): MarketListing | undefined {
    return this.#byId.get(id)
  }

  /** Listings of `author`, by id. */
  listingsBy(author: PublicKeyHex): MarketListing[] {
    return [...this.#byId.values()].filter((l) => l.author === author)
  }

  /**
   * Every listing matching all words of `q`, best first, ties by id: each word
   * in its title, tags or category (exactly, as a prefix, or within a typo or
   * two), or as a whole word in its description.
   */
  search(q: string, filter: SearchFilter = {}): SearchHit[] {
    const words = [...new Set(tokenize(q).filter((w) => keep(w) !== null))]
    if (words.length === 0) return []
    const found = new Map<EntryId, { score: number; words: Set<string> }>()
    for (const r of this.#search.search(words.join(' '), this.#options(filter, { combineWith: 'OR' }))) {
      found.set(r.id as EntryId, { score: r.score, words: new Set(r.queryTerms) })
    }
    const candidates = new Set(found.keys())
    for (const word of words) for (const id of this.#described.get(word) ?? []) if (this.#passes(id, filter)) candidates.add(id)
    const hits: SearchHit[] = []
    for (const id of candidates) {
      const short = found.get(id)
      let score = short?.score ?? 0
      let all = true
      for (const word of words) {
        if (short?.words.has(word)) continue
        if (this.#described.get(word)?.has(id)) score += DESCRIPTION_WORD_SCORE
        else {
          all = false
          break
        }
      }
      if (all) hits.push({ id, score: round(score) })
    }
    hits.sort(byScoreThenId)
    return filter.limit === undefined ? hits : hits.slice(0, filter.limit)
  }

  #passes(id: EntryId, { kind, category, notBy }: SearchFilter): boolean {
    const listing = this.#byId.get(id)!
    return (kind === undefined || listing.kind === kind) && (category === undefined || listing.category === category)
      && (notBy === undefined || listing.author !== notBy)
  }

  #options(filter: SearchFilter, options: SearchOptions): SearchOptions {
    const { kind, category, notBy } = filter
    return {
      fuzzy: FUZZY, prefix: PREFIX, boost: BOOST, weights: { fuzzy: 0.45, prefix: 0.75 }, ...options,
      filter: kind === undefined && category === undefined && notBy === undefined ? undefined : (result) => this.#passes(result.id as EntryId, filter),
    }
  }

  /** Any word of `q` in the title or tags (matching's question), best first, ties by id. */
  anyWord(q: string, filter: SearchFilter): SearchHit[] {
    const results = this.#search.search(q, this.#options(filter, { combineWith: 'OR', fields: ['title', 'tags'] }))
    const hits = results.map((r) => ({ id: r.id as EntryId, score: round(r.score) }))
    hits.sort(byScoreThenId)
    return filter.limit === undefined ? hits : hits.slice(0, filter.limit)
  }
}

export function round(score: number): number {
  const f = 10 ** SCORE_DECIMALS
  return Math.round(score * f) / f
}

function byScoreThenId(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}
