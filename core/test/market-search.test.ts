/**
 * Search and matching: the examples, and the property that the same
 * log in any order gives the same ordered results (fast-check, explicit runs).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { replay, type Entry, type EntryId, type ListingEntry, type ListingSummary, type PublicKeyHex } from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor, type Actor } from './fixtures.ts'
import { MarketIndex } from '../market/search.ts'
import { matchesFor } from '../market/match.ts'

const alice = actor('alice')
const bob = actor('bob')
const carol = actor('carol')

let n = 0
function listing(title: string, fields: Partial<ListingSummary> = {}): [string, ListingSummary] {
  n++
  const id = n.toString(16).padStart(64, '0')
  return [id, {
    author: alice.key, kind: 'offer', title, tags: [], category: null, price: null, expires: T0 + 1e9, posted: T0, updated: T0, version: id as EntryId, ...fields,
  }]
}

function titlesFound(index: MarketIndex, q: string, filter = {}): string[] {
  return index.search(q, filter).map((hit) => index.listing(hit.id)!.title)
}

describe('search', () => {
  const index = new MarketIndex(Object.fromEntries([
    listing('vegetables'),
    listing('organic-vegetables'),
    listing('Fresh vegetalbes from the garden'),
    listing('tables and chairs'),
    listing('Légumes Bio'),
    listing('legumes-bio du jardin'),
    listing('Bike repair', { kind: 'want', tags: ['vélo'] }),
    listing('Овощи с огорода', { category: 'Food' }),
    listing('有機野菜'),
  ]))
  it('"vegetables" finds vegetables, organic-vegetables and the typo vegetalbes, not tables', () => {
    const found = titlesFound(index, 'vegetables')
    expect(found).toContain('vegetables')
    expect(found).toContain('organic-vegetables')
    expect(found).toContain('Fresh vegetalbes from the garden')
    expect(found).not.toContain('tables and chairs')
    // the exact word ranks above the typo
    expect(found.indexOf('vegetables')).toBeLessThan(found.indexOf('Fresh vegetalbes from the garden'))
  })
  it('a typo in the query finds the word too', () => {
    expect(titlesFound(index, 'vegetalbes')).toContain('vegetables')
  })
  it('"Légumes Bio" finds "legumes-bio", and back', () => {
    expect(titlesFound(index, 'Légumes Bio')).toEqual(expect.arrayContaining(['Légumes Bio', 'legumes-bio du jardin']))
    expect(titlesFound(index, 'legumes-bio')).toEqual(expect.arrayContaining(['Légumes Bio', 'legumes-bio du jardin']))
    expect(titlesFound(index, 'LEGUMES')).toHaveLength(2)
  })
  it('finds other scripts, tags and prefixes; filters by kind and category', () => {
    expect(titlesFound(index, 'овощи')).toEqual(['Овощи с огорода'])
    expect(titlesFound(index, 'ОВОЩИ', { category: 'Food' })).toEqual(['Овощи с огорода'])
    expect(titlesFound(index, 'овощи', { category: 'Repairs' })).toEqual([])
    expect(titlesFound(index, '有機野菜')).toEqual(['有機野菜'])
    expect(titlesFound(index, 'velo')).toEqual(['Bike repair'])
    expect(titlesFound(index, 'veg', { kind: 'offer' })).toContain('vegetables')
    expect(titlesFound(index, 'bike', { kind: 'offer' })).toEqual([])
  })
  it('finds whole words of a description (not prefixes or typos there), and needs every word', () => {
    const described = new MarketIndex(Object.fromEntries([
      listing('Basket', { description: 'Fresh carrots and leeks every Friday' }),
      listing('Carrots', { description: 'From the allotment' }),
    ]))
    expect(titlesFound(described, 'leeks')).toEqual(['Basket'])
    expect(titlesFound(described, 'LEEKS friday')).toEqual(['Basket'])
    expect(titlesFound(described, 'leek')).toEqual([])
    expect(titlesFound(described, 'leeks saturday')).toEqual([])
    // a word in the title (here with a typo) and another in the description
    expect(titlesFound(described, 'carots allotment')).toEqual(['Carrots'])
    // the title outranks the description
    expect(titlesFound(described, 'carrots')).toEqual(['Carrots', 'Basket'])
  })
  it('needs every word of the query', () => {
    expect(titlesFound(index, 'organic vegetables')).toEqual(['organic-vegetables'])
  })
  it('gives nothing for an empty or punctuation-only query', () => {
    expect(index.search('')).toEqual([])
    expect(index.search('!!!')).toEqual([])
  })
})

describe('matching', () => {
  const l = (who: Actor, kind: 'offer' | 'want', title: string, fields: Partial<ListingSummary> = {}) => listing(title, { author: who.key, kind, ...fields })
  const entries = [
    l(alice, 'offer', 'Organic vegetables', { tags: ['garden'] }),
    l(alice, 'want', 'Bike repair'),
    l(alice, 'want', 'Organic vegetables'), // her own want never matches her own offer
    l(bob, 'want', 'vegetalbes for the week'),
    l(bob, 'offer', 'Bicycle and bike repair'),
    l(bob, 'offer', 'Vegetables'), // an offer does not match an offer
    l(carol, 'want', 'Garden help', { category: 'Services' }),
    l(carol, 'want', 'Organic vegetables', { category: 'Food', updated: T0 + 10 * MINUTE }),
  ]
  const index = new MarketIndex(Object.fromEntries(entries))
  const id = (i: number) => entries[i]![0]
  it("matches a member's offers with others' wants and its wants with others' offers, never its own", () => {
    const matches = matchesFor(index, alice.key)
    const pairs = matches.map((m) => `${m.mine}>${m.theirs}`)
    expect(pairs).toContain(`${id(0)}>${id(3)}`)
    expect(pairs).toContain(`${id(0)}>${id(7)}`)
    expect(pairs).toContain(`${id(1)}>${id(4)}`)
    expect(pairs).toContain(`${id(2)}>${id(5)}`)
    expect(pairs).toContain(`${id(0)}>${id(6)}`) // "garden" tag meets "Garden help"
    for (const m of matches) {
      expect(index.listing(m.theirs)!.author).not.toBe(alice.key)
      expect(index.listing(m.theirs)!.kind).not.toBe(index.listing(m.mine)!.kind)
    }
    const scores = matches.map((m) => m.score)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
  })
  it('keeps listings of two different categories apart', () => {
    const food = new MarketIndex(Object.fromEntries([
      l(alice, 'offer', 'Organic vegetables', { category: 'Food' }),
      l(bob, 'want', 'Organic vegetables', { category: 'Books' }),
      l(carol, 'want', 'Organic vegetables'),
    ]))
    expect(matchesFor(food, alice.key).map((m) => food.listing(m.theirs)!.author)).toEqual([carol.key])
  })
  it('gives only matches new since a time: either side posted or edited since', () => {
    const fresh = matchesFor(index, alice.key, { since: T0 + MINUTE })
    expect(fresh.map((m) => m.theirs)).toEqual([id(7)])
  })
})

describe('the same log in any order gives the same matches and search results', () => {
  const members = [alice, bob, carol]
  const WORDS = ['vegetables', 'légumes', 'bio', 'bike', 'repair', 'garden', 'bread', 'vegetalbes', 'Овощи', 'help']
  const actionArb = fc.record({
    who: fc.nat(2), kind: fc.constantFrom('offer' as const, 'want' as const), words: fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 3 }),
    withdraw: fc.nat(5), dt: fc.integer({ min: 1, max: MINUTE }),
  })
  function build(actions: { who: number; kind: 'offer' | 'want'; words: number[]; withdraw: number; dt: number }[]) {
    const p = new PoolBuilder()
    members.forEach((m, i) => p.admit(m, T0 + i + 1))
    let t = T0 + 10
    const posted: ListingEntry[] = []
    for (const a of actions) {
      t += a.dt
      const who = members[a.who]!
      if (a.withdraw === 0 && posted.some((x) => x.author === who.key)) {
        const target = posted.find((x) => x.author === who.key)!
        p.sign(who, 'unlist', { listing: target.id }, { time: t, deps: [target.id] })
        posted.splice(posted.indexOf(target), 1)
      } else {
        posted.push(p.sign<ListingEntry>(who, 'listing', { kind: a.kind, title: a.words.map((w: number) => WORDS[w]).join(' ') }, { time: t }))
      }
    }
    return p
  }
  const results = (entries: Entry[]) => {
    const index = new MarketIndex(replay(entries, { asOf: T0 + 1000 * MINUTE }).listings)
    return JSON.stringify({
      search: ['vegetables', 'legumes bio', 'rep', 'овощи'].map((q) => index.search(q)),
      matches: members.map((m) => matchesFor(index, m.key as PublicKeyHex)),
    })
  }
  it('for any order and any duplicates', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 14 }), fc.integer(), (actions, seed) => {
        const p = build(actions)
        const expected = results(p.entries)
        const shuffled = fc.sample(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), { seed, numRuns: 1 })[0]!
        expect(results([...shuffled, ...shuffled.slice(0, 3)])).toBe(expected)
      }),
      { numRuns: 40 },
    )
  })
})
