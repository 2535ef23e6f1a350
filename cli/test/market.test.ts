/**
 * The marketplace on the command line (issue 16): listing add / edit / withdraw,
 * categories, match and search, as scripts use them (real processes, real files).
 * The command lines and output fields are a contract.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIN = new URL('../../bin/heroes.mjs', import.meta.url).pathname

function heroes(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('heroes listing, categories, match, search', () => {
  let dir: string
  let alice: string
  let bob: string
  const T = (minutes: number) => String(Date.UTC(2026, 11, 7, 10, minutes))
  const ids: Record<string, string> = {}

  function append(args: string[]) {
    const r = heroes(args, dir)
    expect(r.code, r.err).toBe(0)
    expect(r.err).toBe('')
    appendFileSync(join(dir, 'pool.log'), r.out)
    return JSON.parse(r.out)
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-market-'))
    for (const name of ['gk', 'alice', 'bob', 'mallory']) writeFileSync(join(dir, `${name}.json`), heroes(['keygen'], dir).out)
    alice = JSON.parse(readFileSync(join(dir, 'alice.json'), 'utf8')).publicKey
    bob = JSON.parse(readFileSync(join(dir, 'bob.json'), 'utf8')).publicKey
    writeFileSync(join(dir, 'pool.log'), heroes(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Market', '--time', T(0)], dir).out)
    append(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', alice, '--time', T(1)])
    append(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', bob, '--time', T(2)])
    append(['categories', '--key', 'gk.json', '--log', 'pool.log', '--category', 'Food', '--category', 'Repairs', '--time', T(3)])
    ids.veg = append(['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'offer', '--title', 'Légumes Bio', '--tags', 'vegetables, organic',
      '--category', 'Food', '--price', '250', '--time', T(4)]).id
    ids.bike = append(['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'want', '--title', 'Bike repair', '--time', T(5)]).id
    ids.want = append(['listing', 'add', '--key', 'bob.json', '--log', 'pool.log', '--kind', 'want', '--title', 'legumes-bio', '--category', 'Food', '--time', T(6)]).id
    ids.fix = append(['listing', 'add', '--key', 'bob.json', '--log', 'pool.log', '--kind', 'offer', '--title', 'Bicycle repair', '--tags', 'bike',
      '--expires', '2026-12-08T10:00:00Z', '--time', T(7)]).id
    ids.tables = append(['listing', 'add', '--key', 'bob.json', '--log', 'pool.log', '--kind', 'offer', '--title', 'tables', '--time', T(8)]).id
  }, 90_000)

  it('listing add prints a listing entry with the fields given; replay lists it open', () => {
    const line = readFileSync(join(dir, 'pool.log'), 'utf8').split('\n').find((l) => l.includes(ids.veg!))!
    expect(JSON.parse(line)).toMatchObject({ type: 'listing', author: alice, kind: 'offer', title: 'Légumes Bio', tags: ['vegetables', 'organic'], category: 'Food', price: 250 })
    const r = heroes(['replay', 'pool.log', '--as-of', T(60)], dir)
    expect(r.code, r.err).toBe(0)
    const out = JSON.parse(r.out)
    expect(out.categories).toEqual(['Food', 'Repairs'])
    expect(Object.keys(out.listings).sort()).toEqual(Object.values(ids).sort())
    expect(out.listings[ids.veg!]).toMatchObject({ author: alice, kind: 'offer', title: 'Légumes Bio', tags: ['vegetables', 'organic'], category: 'Food', price: 250, expires: Number(T(4)) + 90 * 86_400_000 })
    expect(out.listings[ids.bike!]).toMatchObject({ category: null, price: null })
  })

  it('search prints {"results":[{"id","score"}]}, best first: accents, case and hyphens fold, typos are found', () => {
    const r = heroes(['search', 'pool.log', '--q', 'legumes bio', '--as-of', T(60)], dir)
    expect(r.code, r.err).toBe(0)
    const { results } = JSON.parse(r.out)
    expect(results.map((x: { id: string }) => x.id).sort()).toEqual([ids.veg, ids.want].sort())
    for (const x of results) expect(Object.keys(x)).toEqual(['id', 'score'])
    expect(results[0].score).toBeGreaterThanOrEqual(results[1].score)
    const typo = JSON.parse(heroes(['search', 'pool.log', '--q', 'vegetalbes', '--as-of', T(60)], dir).out).results
    expect(typo.map((x: { id: string }) => x.id)).toEqual([ids.veg])
    const offers = JSON.parse(heroes(['search', 'pool.log', '--q', 'Légumes', '--kind', 'offer', '--category', 'Food', '--as-of', T(60)], dir).out).results
    expect(offers.map((x: { id: string }) => x.id)).toEqual([ids.veg])
  })

  it('match prints {"matches":[{"mine","theirs","score"}]} for one member, never its own listings', () => {
    const r = heroes(['match', 'pool.log', '--member', alice, '--as-of', T(60)], dir)
    expect(r.code, r.err).toBe(0)
    const { matches } = JSON.parse(r.out)
    expect(matches.map((m: { mine: string; theirs: string }) => [m.mine, m.theirs])).toEqual(expect.arrayContaining([[ids.veg, ids.want], [ids.bike, ids.fix]]))
    expect(matches).toHaveLength(2)
    for (const m of matches) expect(Object.keys(m)).toEqual(['mine', 'theirs', 'score'])
    // --since: only what was posted or edited since then; --as-of past an expiry drops it
    const since = JSON.parse(heroes(['match', 'pool.log', '--member', alice, '--since', T(7), '--as-of', T(60)], dir).out).matches
    expect(since.map((m: { theirs: string }) => m.theirs)).toEqual([ids.fix])
    const later = JSON.parse(heroes(['match', 'pool.log', '--member', alice, '--as-of', '2026-12-08T10:00:00Z'], dir).out).matches
    expect(later.map((m: { theirs: string }) => m.theirs)).toEqual([ids.want])
  })

  it('listing edit restates a listing with the fields given; withdraw drops it; both by the author only', () => {
    const edit = append(['listing', 'edit', '--key', 'alice.json', '--log', 'pool.log', '--entry', ids.bike!, '--title', 'Bike repair, urgent', '--time', T(9)])
    expect(edit).toMatchObject({ type: 'listing', edits: ids.bike, kind: 'want', title: 'Bike repair, urgent' })
    expect(edit.deps).toContain(ids.bike)
    const notMine = heroes(['listing', 'withdraw', '--key', 'mallory.json', '--log', 'pool.log', '--entry', ids.veg!, '--time', T(10)], dir)
    expect(notMine.code).toBe(2)
    expect(notMine.err).toContain("expected --entry a listing of this key's")
    const gone = append(['listing', 'withdraw', '--key', 'bob.json', '--log', 'pool.log', '--entry', ids.tables!, '--time', T(10)])
    expect(gone).toMatchObject({ type: 'unlist', listing: ids.tables })
    const out = JSON.parse(heroes(['replay', 'pool.log', '--as-of', T(60)], dir).out)
    expect(out.listings[ids.tables!]).toBeUndefined()
    expect(out.listings[ids.bike!].title).toBe('Bike repair, urgent')
  })

  it('refuses bad input with one line and exit 2, printing nothing', () => {
    const cases: [string[], string][] = [
      [['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'sell', '--title', 'x'], 'expected --kind offer or want'],
      [['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'offer'], 'expected --title'],
      [['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'offer', '--title', 'x', '--price', '-5'], 'expected --price from 0'],
      [['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'offer', '--title', 'evil\u202etxt'], 'without control'],
      [['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'offer', '--title', 'x'.repeat(81)], 'title of 1 to 80'],
      [['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'offer', '--title', 'x', '--expires', '2026-12-07 10:00'], 'expected --expires as ISO-8601'],
      [['listing', 'withdraw', '--key', 'alice.json', '--log', 'pool.log', '--entry', 'nope'], 'expected --entry a listing id'],
      [['listing', 'sell'], "expected 'listing add'"],
      [['search', 'pool.log'], 'expected --q'],
      [['search', 'pool.log', '--q', 'x', '--as-of', 'yesterday'], 'expected --as-of as ISO-8601'],
      [['match', 'pool.log', '--member', 'bob'], 'expected --member a public key'],
      [['match', 'pool.log', '--member', alice, '--since', '12/07/2026'], 'expected --since as ISO-8601'],
    ]
    for (const [args, message] of cases) {
      const r = heroes(args, dir)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.out).toBe('')
      expect(r.err).toContain(message)
    }
  })

  it('warns when the pool will refuse a listing (a category not on the list), and still prints it', () => {
    const r = heroes(['listing', 'add', '--key', 'alice.json', '--log', 'pool.log', '--kind', 'offer', '--title', 'Cakes', '--category', 'Bakery', '--time', T(20)], dir)
    expect(r.code).toBe(0)
    expect(r.err).toContain('unknown-category')
    const byMember = heroes(['categories', '--key', 'alice.json', '--log', 'pool.log', '--category', 'Scams', '--time', T(20)], dir)
    expect(byMember.err).toContain('not-authorized')
  })
})
