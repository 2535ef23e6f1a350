/**
 * The marketplace in the app: post, edit and withdraw listings, search the
 * pool's open listings offline, and this member's matches with what is new
 * since the last visit. Loaded on first use (Wallet#marketplace), so the
 * search library stays out of the first load. Listings are signed like every
 * entry (entry-signer.ts: the validator judges them before they are kept).
 */
import type { EntryId, ListingEntry, ListingKind, UnlistEntry } from '../../core/index.ts'
import MiniSearch from 'minisearch'
import { FUZZY, MarketIndex, PREFIX, type MarketListing } from '../../core/market/search.ts'
import { tokenize } from '../../core/market/normalize.ts'
import { matchesFor, type Match } from '../../core/market/match.ts'
import { Contact } from './contact.ts'
import { Favourites } from './favourites.ts'
import { idOf, refused, type Outcome } from './outcome.ts'
import type { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'

export type MarketplaceParts = Pick<WalletParts, 'db' | 'pools' | 'signer' | 'now' | 'changed' | 'sync'>

/** A listing as the member writes it; empty fields are left out of the entry. */
export interface ListingDraft {
  readonly kind: ListingKind
  readonly title: string
  readonly description: string
  readonly tags: string
  readonly category: string
  /** Minor units, or undefined for no price. */
  readonly price: number | undefined
}

/** A member in the directory: one who chose to be listed by signing a profile (issue 15). */
export interface DirectoryEntry {
  readonly key: string
  readonly name: string
  readonly bio?: string
  /** Open listings, and the categories they are in. */
  readonly listings: number
  readonly categories: readonly string[]
}

export interface MarketMatch extends Match {
  /** "mine/theirs": how the watermark remembers it. */
  readonly pair: string
  /** Not shown on an earlier visit. */
  readonly fresh: boolean
}

export class Marketplace {
  readonly #parts: MarketplaceParts
  readonly favourites: Favourites
  /** Private messages about listings, sealed end to end, through the relay (contact.ts). */
  readonly contact: Contact
  /** One index per pool, rebuilt when the pool's entries or open listings change. */
  readonly #indexes = new Map<string, { key: string; index: MarketIndex }>()

  constructor(parts: MarketplaceParts) {
    this.#parts = parts
    this.favourites = new Favourites(parts)
    this.contact = new Contact(parts)
  }

  /** The index of the pool's open listings now; undefined for a pool this device does not hold. */
  index(pool: string): MarketIndex | undefined {
    const book = this.#parts.pools.get(pool)
    if (!book) return undefined
    const listings = book.ledger.listings()
    const ids = Object.keys(listings)
    const key = `${book.ledger.size}/${ids.length}/${ids[0] ?? ''}/${ids[ids.length - 1] ?? ''}`
    const cached = this.#indexes.get(pool)
    if (cached?.key === key) return cached.index
    const index = new MarketIndex(listings)
    this.#indexes.set(pool, { key, index })
    return index
  }

  /** The category list the gatekeepers signed (empty until one is). */
  categories(pool: string): readonly string[] {
    return this.#parts.pools.get(pool)?.ledger.categories() ?? []
  }

  /** Open listings, newest first (ties by id), optionally one author's. */
  listings(pool: string, author?: string): MarketListing[] {
    const index = this.index(pool)
    if (!index) return []
    const all = Object.keys(this.#parts.pools.get(pool)!.ledger.listings()).map((id) => index.listing(id as EntryId)!)
    return all.filter((l) => author === undefined || l.author === author).sort((a, b) => b.updated - a.updated || (a.id < b.id ? -1 : 1))
  }

  search(pool: string, q: string, filter: { kind?: ListingKind; category?: string } = {}): MarketListing[] {
    const index = this.index(pool)
    if (!index) return []
    return index.search(q, filter).map((hit) => index.listing(hit.id)!)
  }

  /** This member's matches, best first; `fresh` marks those not among `seen` (Favourites#seen: shown before). */
  matches(pool: string, seen: ReadonlySet<string>): MarketMatch[] {
    const book = this.#parts.pools.get(pool)
    const index = this.index(pool)
    if (!book || !index) return []
    return matchesFor(index, book.me).map((m) => {
      const pair = `${m.mine}/${m.theirs}`
      return { ...m, pair, fresh: !seen.has(pair) }
    })
  }

  /**
   * The directory: members who signed a profile (their choice to be listed), not frozen, with
   * their open listings; `category` keeps those with a listing in it, `q` finds names and bios
   * by words, prefixes and typos. Without `q`, by name; with it, best first; ties by key.
   */
  directory(pool: string, q = '', category?: string): DirectoryEntry[] {
    const book = this.#parts.pools.get(pool)
    if (!book) return []
    const now = this.#parts.now()
    const listings = Object.values(book.ledger.listings())
    const entries: DirectoryEntry[] = []
    for (const member of book.view(now).members) {
      const profile = book.profileOf(member.key, now)
      if (!profile || member.frozen) continue
      const theirs = listings.filter((l) => l.author === member.key)
      const categories = [...new Set(theirs.flatMap((l) => (l.category === null ? [] : [l.category])))].sort()
      if (category && !categories.includes(category)) continue
      entries.push({ key: member.key, name: profile.name, ...(profile.bio ? { bio: profile.bio } : {}), listings: theirs.length, categories })
    }
    entries.sort((a, b) => (a.key < b.key ? -1 : 1))
    if (!q.trim()) return entries.sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.key < b.key ? -1 : 1))
    const index = new MiniSearch<DirectoryEntry>({ fields: ['name', 'bio'], idField: 'key', tokenize, processTerm: (term) => term })
    index.addAll(entries)
    const byKey = new Map(entries.map((e) => [e.key, e]))
    return index.search(q, { fuzzy: FUZZY, prefix: PREFIX, boost: { name: 3 }, combineWith: 'AND' })
      .map((r) => ({ entry: byKey.get(r.id as string)!, score: Math.round(r.score * 1e4) }))
      .sort((a, b) => b.score - a.score || (a.entry.key < b.entry.key ? -1 : 1))
      .map((r) => r.entry)
  }

  async post(pool: string, draft: ListingDraft, edits?: string): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    const tags = [...new Set(draft.tags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))]
    const body = {
      type: 'listing' as const, kind: draft.kind, title: draft.title.trim(),
      ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(draft.category ? { category: draft.category } : {}),
      ...(draft.price !== undefined ? { price: draft.price } : {}),
      ...(edits ? { edits: edits as EntryId } : {}),
    }
    return idOf(await this.#parts.signer.sign<ListingEntry>(book, body, edits ? { extraDeps: [edits as EntryId] } : {}))
  }

  async withdraw(pool: string, listing: string): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    return idOf(await this.#parts.signer.sign<UnlistEntry>(book, { type: 'unlist', listing: listing as EntryId }, { extraDeps: [listing as EntryId] }))
  }

  /** This device's key in the pool. */
  me(pool: string): string | undefined {
    return this.#parts.pools.get(pool)?.me
  }

  /** For screens that need the book's view of a member (names come from the facade). */
  book(pool: string): PoolBook | undefined {
    return this.#parts.pools.get(pool)
  }
}
