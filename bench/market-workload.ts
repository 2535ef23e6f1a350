/**
 * The marketplace's bench workload, shared by the Node and the Chromium runs
 * (no Node API here): 10,000 open listings by 1,000 members, words drawn with a
 * Zipf-like skew from a vocabulary in several languages and scripts, and the
 * measurements themselves, so both runtimes time the same code.
 */
import uFuzzy from '@leeoniya/ufuzzy'
import type { EntryId, ListingSummary, PublicKeyHex } from '../core/index.ts'
import { MarketIndex } from '../core/market/search.ts'
import { matchesFor } from '../core/market/match.ts'
import { normalizeText } from '../core/market/normalize.ts'

const VOCABULARY = (
  'vegetables organic bread eggs bike repair lessons guitar piano french english spanish garden tools ladder drill sewing '
  + 'childcare babysitting cleaning cooking meals cake honey apples pears tomatoes potatoes firewood transport moving help '
  + 'computer phone laptop haircut massage yoga plumbing painting carpentry books clothes shoes toys jam soup cheese milk '
  + 'fish wood chairs tables lamp sofa bed kitchen washing dog cat walking sitting plants seeds compost chickens goats '
  + 'wool knitting pottery photos video music drums violin maths physics homework tutoring translation writing letters '
  + 'légumes pain œufs vélo réparation jardin outils cours fromage confiture ménage déménagement coiffure couture bricolage '
  + 'gemüse brot eier fahrrad garten werkzeug nachhilfe kuchen hilfe umzug verduras pan huevos bicicleta jardín clases '
  + 'овощи хлеб яйца велосипед ремонт сад уроки мёд خضروات خبز دراجة حديقة 野菜 パン 自転車 修理 庭 レッスン 蜂蜜 ירקות לחם'
).split(' ')
const CATEGORIES = ['Food', 'Repairs', 'Lessons', 'Care', 'Garden', 'Home', 'Transport', 'Crafts', 'Music', 'Tech', 'Clothes', 'Other']

/** A small deterministic generator (mulberry32), so every run and runtime gets the same workload. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Workload {
  readonly listings: Record<string, ListingSummary>
  readonly members: readonly PublicKeyHex[]
  readonly queries: readonly string[]
}

/** Made-up words from syllables: the long tail of a real marketplace's vocabulary (names, brands, local words). */
function madeUpWords(count: number, rnd: () => number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ter', 'bro', 'sa', 'vel', 'din', 'qu', 'or', 'pa', 'nus', 'ri', 'zen', 'to', 'gar', 'fle', 'ma', 'chu', 'wen']
  const words = new Set<string>()
  while (words.size < count) words.add(Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => syllables[Math.floor(rnd() * syllables.length)]).join(''))
  return [...words]
}

/**
 * Words by rank with the Zipf–Mandelbrot law, p(r) ∝ 1 / (r + 20): the real words
 * above are the head, 3,000 made-up ones the tail. The offset flattens the head as
 * leaving out stop words does: the commonest word is about 1 % of the words, in
 * about 3 % of titles, and most words are rare, as in any body of text.
 */
function zipf(words: readonly string[], rnd: () => number): () => string {
  const cumulative: number[] = []
  let sum = 0
  for (let r = 1; r <= words.length; r++) cumulative.push((sum += 1 / (r + 20)))
  return () => {
    const x = rnd() * sum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return words[lo]!
  }
}

export function makeWorkload(size = 10_000, perMember = 10): Workload {
  const rnd = random(16)
  const word = zipf([...VOCABULARY, ...madeUpWords(3_000, rnd)], rnd)
  const hex = (n: number, width = 64) => n.toString(16).padStart(width, '0')
  const members: PublicKeyHex[] = []
  const listings: Record<string, ListingSummary> = {}
  for (let i = 0; i < size; i++) {
    const author = hex(Math.floor(i / perMember) + 1) as PublicKeyHex
    if (i % perMember === 0) members.push(author)
    // ids are hashes in a pool: scatter them
    const id = hex(Math.floor(rnd() * 2 ** 52)) + hex(i, 0)
    const key = id.slice(-64)
    const words = 2 + Math.floor(rnd() * 4)
    listings[key] = {
      author, kind: rnd() < 0.5 ? 'offer' : 'want',
      title: Array.from({ length: words }, word).join(' '),
      description: Array.from({ length: 5 + Math.floor(rnd() * 20) }, word).join(' '),
      tags: [...new Set(Array.from({ length: Math.floor(rnd() * 4) }, word))],
      category: rnd() < 0.3 ? null : CATEGORIES[Math.floor(rnd() * CATEGORIES.length)]!,
      price: rnd() < 0.5 ? null : Math.floor(rnd() * 10_000), expires: Date.UTC(2027, 2, 1),
      posted: Date.UTC(2026, 11, 1) + i * 1000, updated: Date.UTC(2026, 11, 1) + i * 1000, version: key as EntryId,
    }
  }
  const queries = ['vegetables', 'vegetalbes', 'organic vegetables', 'bike repair', 'Légumes', 'legumes bio', 'guit', 'piano lessons',
    'fahrrad', 'овощи', '野菜', 'honey', 'babysiting', 'garden tools', 'ménage', 'cake', 'haircut', 'wood', 'moving help', 'drums']
  return { listings, members, queries }
}

/** Milliseconds one call takes: CPU time in Node (steadier on a shared machine), wall time in a browser. */
export type Timer = (f: () => unknown) => number

export const wallTime: Timer = (f) => {
  const start = performance.now()
  f()
  return performance.now() - start
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export interface MarketFigures {
  /** MiniSearch, the library chosen. */
  readonly indexMs: number
  readonly queryMs: number
  readonly matchesMs: number
  readonly hitsPerQuery: number
  readonly matchesPerMember: number
  /** uFuzzy on the same workload: normalising the haystack, one query with ranking, one member's matches. */
  readonly uFuzzyIndexMs: number
  readonly uFuzzyQueryMs: number
  readonly uFuzzyMatchesMs: number
}

/** uFuzzy's way: no index, a normalised haystack, every query a scan; single typos (intraMode 1), any word order. */
function uFuzzySearch(u: uFuzzy, haystack: string[], q: string): number[] {
  const needle = normalizeText(q)
  const [idxs, info, order] = u.search(haystack, needle, 1, 1_000)
  if (!idxs) return []
  if (!info || !order) return idxs
  return order.map((i) => info.idx[i]!)
}

export function measureMarket(workload: Workload, runs: number, time: Timer = wallTime): MarketFigures {
  const { listings, members, queries } = workload
  const indexTimes: number[] = []
  let index!: MarketIndex
  for (let r = 0; r < runs; r++) indexTimes.push(time(() => (index = new MarketIndex(listings))))
  let hits = 0
  const queryTimes = queries.map((q) => {
    const times: number[] = []
    for (let r = 0; r < runs; r++) times.push(time(() => (hits += index.search(q).length)))
    return median(times)
  })
  const sample = members.filter((_, i) => i % Math.max(1, Math.floor(members.length / 20)) === 0)
  let matched = 0
  const matchTimes = sample.map((member) => {
    const times: number[] = []
    for (let r = 0; r < runs; r++) times.push(time(() => (matched += matchesFor(index, member).length)))
    return median(times)
  })

  const docs = Object.values(listings)
  const u = new uFuzzy({ intraMode: 1, interSplit: '[^\\p{L}\\p{N}\\p{M}]+', intraSplit: '[\\p{Ll}][\\p{Lu}]', intraBound: '[\\p{L}\\p{N}][\\p{L}\\p{N}]', unicode: true, intraChars: '[\\p{L}\\p{N}\\p{M}]', interChars: '.' } as never)
  let haystack!: string[]
  const uIndexTimes: number[] = []
  for (let r = 0; r < runs; r++) uIndexTimes.push(time(() => (haystack = docs.map((d) => normalizeText([d.title, ...d.tags, d.category ?? '', d.description ?? ''].join(' '))))))
  const uQueryTimes = queries.map((q) => {
    const times: number[] = []
    for (let r = 0; r < runs; r++) times.push(time(() => uFuzzySearch(u, haystack, q)))
    return median(times)
  })
  const uMatchTimes = sample.map((member) => {
    const mine = docs.filter((d) => d.author === member)
    const times: number[] = []
    for (let r = 0; r < runs; r++) times.push(time(() => { for (const l of mine) uFuzzySearch(u, haystack, [l.title, ...l.tags].join(' ')) }))
    return median(times)
  })
  return {
    indexMs: median(indexTimes), queryMs: median(queryTimes), matchesMs: median(matchTimes),
    hitsPerQuery: Math.round(hits / runs / queries.length), matchesPerMember: Math.round(matched / runs / sample.length),
    uFuzzyIndexMs: median(uIndexTimes), uFuzzyQueryMs: median(uQueryTimes), uFuzzyMatchesMs: median(uMatchTimes),
  }
}
