/**
 * The marketplace's listings and categories (issue 16): each rule tried the way
 * an attacker would, with hand-signed entries, just inside and just outside
 * each limit.
 */
import { describe, expect, it } from 'vitest'
import {
  ENTRY_BYTES_MAX, LISTINGS_OPEN_MAX, LISTING_ENTRIES_PER_DAY_MAX, LISTING_TAGS_COUNT_MAX, LISTING_TAG_CHARS_MAX,
  LISTING_TITLE_CHARS_MAX, LISTING_TTL_SECONDS_DEFAULT, LISTING_TTL_SECONDS_MAX, decodeEntry, encodeEntry, entryIdOf,
  type Entry, type ListingEntry,
} from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf, type Actor } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const mallory = actor('mallory')
const witness = actor('witness')
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

function pool(policy: Record<string, unknown> = {}) {
  const p = new PoolBuilder(policy as never)
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  return p
}

type Body = Partial<Omit<ListingEntry, 'id' | 'sig' | 'v' | 'pool' | 'type' | 'author' | 'seq' | 'prev' | 'deps' | 'time'>>

function post(p: PoolBuilder, who: Actor, time: number, body: Body = {}, deps: string[] = []): ListingEntry {
  return p.sign<ListingEntry>(who, 'listing', { kind: 'offer', title: 'Organic vegetables', ...body }, { time, deps: [...deps, ...(body.edits ? [body.edits] : [])] as never })
}

function unlist(p: PoolBuilder, who: Actor, listing: Entry, time: number) {
  return p.sign(who, 'unlist', { listing: listing.id }, { time, deps: [listing.id] })
}

/** A listing line with fields changed and a fresh id (signature zeroed): only the decoder's verdict is under test. */
function listingLineWith(fields: Record<string, unknown>): string {
  const p = pool()
  const { id: _id, sig: _sig, v: _v, ...rest } = post(p, alice, T0 + MINUTE)
  const entry = { ...rest, v: 1, ...fields } as Record<string, unknown>
  for (const [key, value] of Object.entries(entry)) if (value === undefined) delete entry[key]
  entry.id = entryIdOf(entry)
  entry.sig = '00'.repeat(64)
  return encodeEntry(entry as unknown as Entry)
}

function decodeDetail(fields: Record<string, unknown>): string {
  const result = decodeEntry(listingLineWith(fields))
  return result.ok ? 'ok' : result.detail
}

describe('listings: post, edit, withdraw', () => {
  it('shows an open listing in replay with author, kind, title, tags, category, price and expires', () => {
    const p = pool()
    p.sign(p.gatekeeper, 'categories', { categories: ['Food', 'Repairs'] }, { time: T0 + 10 })
    const l = post(p, alice, T0 + MINUTE, { tags: ['organic', 'local'], category: 'Food', price: 250, description: 'Fresh every Friday' })
    const r = p.replay()
    expect(verdictOf(r, l)).toBe('accepted')
    expect(r.categories).toEqual(['Food', 'Repairs'])
    expect(r.listings[l.id]).toEqual({
      author: alice.key, kind: 'offer', title: 'Organic vegetables', description: 'Fresh every Friday', tags: ['organic', 'local'],
      category: 'Food', price: 250, expires: T0 + MINUTE + LISTING_TTL_SECONDS_DEFAULT * 1000, posted: T0 + MINUTE, updated: T0 + MINUTE, version: l.id,
    })
  })
  it('prints null category and price when a listing has none, and an empty marketplace in a pool without one', () => {
    const p = pool()
    expect(p.replay().listings).toEqual({})
    expect(p.replay().categories).toEqual([])
    const l = post(p, bob, T0 + MINUTE, { kind: 'want' })
    expect(p.replay().listings[l.id]).toMatchObject({ kind: 'want', tags: [], category: null, price: null })
  })
  it('lets the author edit a listing, which keeps its id, and withdraw it, which drops it', () => {
    const p = pool()
    const l = post(p, alice, T0 + MINUTE)
    const edit = post(p, alice, T0 + 2 * MINUTE, { title: 'Organic vegetables and eggs', price: 10, edits: l.id })
    let r = p.replay()
    expect(verdictOf(r, edit)).toBe('accepted')
    expect(Object.keys(r.listings)).toEqual([l.id])
    expect(r.listings[l.id]).toMatchObject({ title: 'Organic vegetables and eggs', price: 10, version: edit.id, posted: T0 + MINUTE, updated: T0 + 2 * MINUTE })
    const gone = unlist(p, alice, l, T0 + 3 * MINUTE)
    r = p.replay()
    expect(verdictOf(r, gone)).toBe('accepted')
    expect(r.listings).toEqual({})
    // Withdrawn stays withdrawn: neither a second withdrawal nor an edit brings it back.
    const again = unlist(p, alice, l, T0 + 4 * MINUTE)
    const revive = post(p, alice, T0 + 5 * MINUTE, { edits: l.id })
    r = p.replay()
    expect(verdictOf(r, again)).toBe('rejected:unknown-listing')
    expect(verdictOf(r, revive)).toBe('rejected:unknown-listing')
    expect(r.listings).toEqual({})
  })
})

describe('listings: attacks', () => {
  it('refuses a listing by a key that is not a member', () => {
    const p = pool()
    const l = post(p, mallory, T0 + MINUTE)
    const r = p.replay()
    expect(verdictOf(r, l)).toBe('rejected:not-member')
    expect(r.listings).toEqual({})
  })
  it("refuses an edit or a withdrawal of another member's listing, even by a gatekeeper", () => {
    const p = pool()
    const l = post(p, alice, T0 + MINUTE)
    const edit = post(p, bob, T0 + 2 * MINUTE, { title: 'Free stuff, pay me first', edits: l.id })
    const gone = unlist(p, bob, l, T0 + 3 * MINUTE)
    const byGatekeeper = unlist(p, p.gatekeeper, l, T0 + 4 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, edit)).toBe('rejected:not-listing-author')
    expect(verdictOf(r, gone)).toBe('rejected:not-listing-author')
    expect(verdictOf(r, byGatekeeper)).toBe('rejected:not-listing-author')
    expect(r.listings[l.id]).toMatchObject({ title: 'Organic vegetables', version: l.id })
  })
  it('refuses to withdraw or edit something that is not a listing (a transfer)', () => {
    const p = pool()
    const t = p.transfer(alice, bob, 10, T0 + MINUTE)
    const gone = unlist(p, alice, t, T0 + 2 * MINUTE)
    const edit = post(p, alice, T0 + 3 * MINUTE, { edits: t.id })
    const r = p.replay()
    expect(verdictOf(r, gone)).toBe('rejected:unknown-listing')
    expect(verdictOf(r, edit)).toBe('rejected:unknown-listing')
  })
  it('refuses a frozen member, and drops the listings of a member frozen later', () => {
    const p = pool()
    const l = post(p, alice, T0 + MINUTE)
    p.freeze(alice, T0 + 2 * MINUTE)
    const late = post(p, alice, T0 + 3 * MINUTE, { title: 'Another' })
    const r = p.replay()
    expect(verdictOf(r, l)).toBe('accepted')
    expect(verdictOf(r, late)).toBe('rejected:frozen')
    expect(r.listings).toEqual({})
  })
  it('refuses oversize text and lists, just outside each limit, and takes them just inside', () => {
    expect(decodeDetail({ title: 'x'.repeat(LISTING_TITLE_CHARS_MAX) })).toBe('ok')
    expect(decodeDetail({ title: 'x'.repeat(LISTING_TITLE_CHARS_MAX + 1) })).toContain('title of 1 to 80')
    expect(decodeDetail({ title: '' })).toContain('title of 1 to 80')
    expect(decodeDetail({ title: '   ' })).toContain('only spaces')
    const tags = Array.from({ length: LISTING_TAGS_COUNT_MAX }, (_, i) => `t${i}`)
    expect(decodeDetail({ tags })).toBe('ok')
    expect(decodeDetail({ tags: [...tags, 'one-more'] })).toContain('tags')
    expect(decodeDetail({ tags: ['x'.repeat(LISTING_TAG_CHARS_MAX + 1)] })).toContain('tags[0]')
    expect(decodeDetail({ description: 'd'.repeat(1_000) })).toBe('ok')
    expect(decodeDetail({ description: 'd'.repeat(1_001) })).toContain('description')
    // Emoji count two code units each; three-byte characters fill the line: it still obeys ENTRY_BYTES_MAX.
    expect(decodeDetail({ description: '🥕'.repeat(500) })).toBe('ok')
    expect(decodeDetail({ description: '€'.repeat(1_000), title: '€'.repeat(80), tags: Array.from({ length: 8 }, (_, i) => `${i}${'€'.repeat(30)}`) })).toContain(`at most ${ENTRY_BYTES_MAX} bytes`)
  })
  it('refuses junk fields and shapes', () => {
    expect(decodeDetail({ kind: 'sell' })).toContain('kind one of offer|want')
    expect(decodeDetail({ kind: undefined })).toContain('missing field kind')
    expect(decodeDetail({ tags: 'a,b' })).toContain('tags as a list')
    expect(decodeDetail({ tags: ['a', 'a'] })).toContain('without repeats')
    expect(decodeDetail({ tags: [] })).toContain('1 to 8 tags')
    expect(decodeDetail({ tags: [7] })).toContain('tags[0] as text')
    expect(decodeDetail({ price: -1 })).toContain('price')
    expect(decodeEntry(listingLineWith({ price: 15 }).replace('"price":15', '"price":1.5')).ok).toBe(false)
    expect(decodeDetail({ price: '10' })).toContain('price')
    expect(decodeDetail({ owner: 'me' })).toContain('unexpected field "owner"')
    expect(decodeDetail({ edits: 'f'.repeat(64) })).toContain('edited among deps')
    expect(decodeDetail({ edits: 'nope' })).toContain('edits as the id')
    expect(decodeDetail({ category: 42 })).toContain('category as text')
  })
  it('refuses control, bidirectional-override and lone-surrogate characters in every text', () => {
    for (const bad of ['\u202eevil', 'a\u0000b', 'line\nbreak', 'x\u2066y', '\ud800']) {
      expect(decodeDetail({ title: bad })).toContain('without control')
      expect(decodeDetail({ description: bad })).toContain('without control')
      expect(decodeDetail({ tags: [bad] })).toContain('without control')
      expect(decodeDetail({ category: bad })).toContain('without control')
    }
    // Right-to-left and other scripts are fine as text: only the invisible reordering marks are refused.
    expect(decodeDetail({ title: 'خضروات عضوية', tags: ['野菜', 'овощи'] })).toBe('ok')
  })
  it('caps listing entries per member per day, counting withdrawals and edits too; the next day is new', () => {
    const p = pool({ rateLimitSeconds: 0 })
    const made: Entry[] = []
    for (let i = 0; i < LISTING_ENTRIES_PER_DAY_MAX; i++) made.push(post(p, alice, T0 + MINUTE + i * 1000, { title: `Item ${i}` }))
    const over = post(p, alice, T0 + 200_000, { title: 'One too many' })
    const overWithdraw = unlist(p, alice, made[0]!, T0 + 200_001)
    const tomorrow = post(p, alice, T0 + DAY, { title: 'Tomorrow' })
    const r = p.replay(T0 + 2 * DAY)
    for (const l of made) expect(verdictOf(r, l)).toBe('accepted')
    expect(verdictOf(r, over)).toBe('rejected:listing-limit')
    expect(verdictOf(r, overWithdraw)).toBe('rejected:listing-limit')
    expect(verdictOf(r, tomorrow)).toBe('accepted')
    expect(Object.keys(r.listings)).toHaveLength(LISTING_ENTRIES_PER_DAY_MAX + 1)
  })
  it('caps open listings per member; an expired or withdrawn one frees a place', () => {
    const p = pool()
    const made: Entry[] = []
    // Two a day keeps under the daily cap; each lives 200 days.
    for (let i = 0; i < LISTINGS_OPEN_MAX; i++) made.push(post(p, alice, T0 + MINUTE + Math.floor(i / 2) * DAY + (i % 2), { title: `Item ${i}`, expires: T0 + 200 * DAY }))
    const t = T0 + 60 * DAY
    const over = post(p, alice, t, { title: 'Item 100' })
    unlist(p, alice, made[0]!, t + 1)
    const fits = post(p, alice, t + 2, { title: 'Item 101' })
    const r = p.replay(t + 10)
    expect(verdictOf(r, over)).toBe('rejected:listing-limit')
    expect(verdictOf(r, fits)).toBe('accepted')
    expect(Object.keys(r.listings)).toHaveLength(LISTINGS_OPEN_MAX)
  })
})

describe('listings: expiry in witnessed time', () => {
  it('drops a listing when it expires, at the default 90 days or at its own expires', () => {
    const p = pool()
    const a = post(p, alice, T0 + MINUTE)
    const b = post(p, bob, T0 + MINUTE, { expires: T0 + DAY })
    const end = T0 + MINUTE + LISTING_TTL_SECONDS_DEFAULT * 1000
    expect(Object.keys(p.replay(T0 + DAY - 1).listings).sort()).toEqual([a.id, b.id].sort())
    expect(Object.keys(p.replay(T0 + DAY).listings)).toEqual([a.id])
    expect(Object.keys(p.replay(end - 1).listings)).toEqual([a.id])
    expect(p.replay(end).listings).toEqual({})
  })
  it('refuses an expires at or before the listing\'s own time (decoder) and one past the longest life (rule)', () => {
    expect(decodeDetail({ expires: T0 + MINUTE })).toContain('expires a time in ms after')
    const p = pool()
    const ok = post(p, alice, T0 + MINUTE, { expires: T0 + MINUTE + LISTING_TTL_SECONDS_MAX * 1000 })
    const tooLong = post(p, bob, T0 + MINUTE, { expires: T0 + MINUTE + LISTING_TTL_SECONDS_MAX * 1000 + 1 })
    const r = p.replay()
    expect(verdictOf(r, ok)).toBe('accepted')
    expect(verdictOf(r, tooLong)).toBe('rejected:listing-limit')
  })
  it('refuses an edit or a withdrawal of an expired listing', () => {
    const p = pool()
    const l = post(p, alice, T0 + MINUTE, { expires: T0 + HOUR })
    const edit = post(p, alice, T0 + 2 * HOUR, { edits: l.id, expires: T0 + 10 * DAY })
    const gone = unlist(p, alice, l, T0 + 3 * HOUR)
    const r = p.replay()
    expect(verdictOf(r, edit)).toBe('rejected:listing-expired')
    expect(verdictOf(r, gone)).toBe('rejected:listing-expired')
    expect(r.listings).toEqual({})
  })
  it('counts a back-dated listing\'s life from when a witness first held it, not from its claimed time', () => {
    const p = new PoolBuilder({ witnesses: [witness.key], offlineAllowanceSeconds: 30 * 86_400 } as never)
    p.admit(alice, T0 + 1)
    p.checkpoint(witness, T0 + MINUTE)
    // Signed (or claimed) 20 days before any witness saw it: the 90 days start at the checkpoint.
    const l = post(p, alice, T0 + 2 * MINUTE)
    const seen = T0 + 20 * DAY
    p.checkpoint(witness, seen)
    const r = p.replay(seen + 80 * DAY)
    expect(verdictOf(r, l)).toBe('accepted')
    expect(r.listings[l.id]).toMatchObject({ expires: seen + LISTING_TTL_SECONDS_DEFAULT * 1000, posted: seen })
    expect(p.replay(seen + LISTING_TTL_SECONDS_DEFAULT * 1000).listings).toEqual({})
  })
  it('refuses a listing whose own expires had passed before a witness first held it', () => {
    const p = new PoolBuilder({ witnesses: [witness.key], offlineAllowanceSeconds: 30 * 86_400 } as never)
    p.admit(alice, T0 + 1)
    p.checkpoint(witness, T0 + MINUTE)
    const l = post(p, alice, T0 + 2 * MINUTE, { expires: T0 + DAY })
    p.checkpoint(witness, T0 + 2 * DAY)
    expect(verdictOf(p.replay(T0 + 3 * DAY), l)).toBe('rejected:listing-expired')
  })
})

describe('categories', () => {
  it('takes a category list from a gatekeeper only; a member\'s list is refused and changes nothing', () => {
    const p = pool()
    const mine = p.sign(alice, 'categories', { categories: ['Scams'] }, { time: T0 + 10 })
    const real = p.sign(p.gatekeeper, 'categories', { categories: ['Food'] }, { time: T0 + 20 })
    const byMallory = p.sign(mallory, 'categories', { categories: ['Scams'] }, { time: T0 + 30 })
    const r = p.replay()
    expect(verdictOf(r, mine)).toBe('rejected:not-authorized')
    expect(verdictOf(r, byMallory)).toBe('rejected:not-member')
    expect(verdictOf(r, real)).toBe('accepted')
    expect(r.categories).toEqual(['Food'])
  })
  it('refuses a listing in a category not on the list (or before any list), and keeps posted ones when the list changes', () => {
    const p = pool()
    const early = post(p, alice, T0 + 10, { category: 'Food' })
    p.sign(p.gatekeeper, 'categories', { categories: ['Food'] }, { time: T0 + MINUTE })
    const food = post(p, alice, T0 + 2 * MINUTE, { category: 'Food' })
    const other = post(p, bob, T0 + 2 * MINUTE, { category: 'food' })
    p.sign(p.gatekeeper, 'categories', { categories: ['Repairs'] }, { time: T0 + 3 * MINUTE })
    const r = p.replay()
    expect(verdictOf(r, early)).toBe('rejected:unknown-category')
    expect(verdictOf(r, food)).toBe('accepted')
    expect(verdictOf(r, other)).toBe('rejected:unknown-category')
    expect(r.listings[food.id]!.category).toBe('Food')
    expect(r.categories).toEqual(['Repairs'])
  })
  it('refuses a junk category list', () => {
    const p = pool()
    const { id: _id, sig: _sig, v: _v, ...rest } = p.sign(p.gatekeeper, 'categories', { categories: ['Food'] }, { time: T0 + 10 })
    const line = (categories: unknown) => {
      const e = { ...rest, v: 1, categories } as Record<string, unknown>
      e.id = entryIdOf(e)
      e.sig = '00'.repeat(64)
      const d = decodeEntry(encodeEntry(e as unknown as Entry))
      return d.ok ? 'ok' : d.detail
    }
    expect(line([])).toBe('ok')
    expect(line(['A', 'A'])).toContain('without repeats')
    expect(line(['x'.repeat(41)])).toContain('categories[0]')
    expect(line(Array.from({ length: 65 }, (_, i) => `c${i}`))).toContain('0 to 64 categories')
    expect(line('Food')).toContain('list of texts')
    expect(line(['\u202eevil'])).toContain('without control')
  })
})
