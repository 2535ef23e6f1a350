/**
 * The marketplace's figures (issue 16): building the search index over 10,000
 * open listings, one query, and all of one member's matches, in Node and in a
 * real Chromium, each against uFuzzy on the same workload in the same run (the
 * baseline: the other library the issue names, measured to choose).
 *   node --import tsx bench/market.ts [--quick]      (npm run bench -- --only=market)
 */
import { chromium } from '@playwright/test'
import { build } from 'vite'
// @ts-expect-error plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs'
import { makeWorkload, measureMarket, type MarketFigures, type Timer } from './market-workload.ts'
import { round, type BenchContext, type Figure } from './figures.ts'

/** CPU time of the calling thread's process (user + system): what the work cost, whatever else the machine ran. */
const cpuTime: Timer = (f) => {
  const start = process.cpuUsage()
  f()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

function report(figures: MarketFigures, suffix: string, note: string, out: (figure: Figure) => void): void {
  const f = (name: string, value: number, baseline: number, what: string) =>
    out({ name: `${name}${suffix}`, value: round(value), unit: 'ms', baseline: round(baseline), ratio: round(value / baseline, 3), note: `${what}; baseline: uFuzzy 1.0.19 on the same workload, same run; ${note}` })
  f('market_index_10k_ms', figures.indexMs, figures.uFuzzyIndexMs, 'index of 10,000 listings (MiniSearch over title, tags and category, a word map over descriptions), median')
  f('market_query_ms', figures.queryMs, figures.uFuzzyQueryMs, `one search, median of 20 queries (words, typos, prefixes, accents, 5 scripts), ${figures.hitsPerQuery} hits on average`)
  f('market_matches_ms', figures.matchesMs, figures.uFuzzyMatchesMs, `all matches of one member with 10 listings, median of 20 members, ${figures.matchesPerMember} matches on average`)
}

/** The same code in Chromium: bench/market-workload.ts bundled by Vite into one script, timed with performance.now(). */
async function measureInChromium(runs: number): Promise<MarketFigures> {
  const bundle = await build({
    configFile: false, logLevel: 'silent',
    build: {
      write: false, minify: true,
      lib: { entry: new URL('./market-workload.ts', import.meta.url).pathname, formats: ['iife'], name: 'HeroesMarketBench' },
    },
  })
  const output = (Array.isArray(bundle) ? bundle[0]! : bundle) as { output: { type: string; code?: string }[] }
  const code = output.output.find((o) => o.type === 'chunk')!.code!
  const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    await page.addScriptTag({ content: code })
    return await page.evaluate((r) => {
      const bench = (globalThis as unknown as { HeroesMarketBench: typeof import('./market-workload.ts') }).HeroesMarketBench
      return bench.measureMarket(bench.makeWorkload(), r)
    }, runs)
  } finally {
    await browser.close()
  }
}

export async function run({ quick, report: out }: BenchContext): Promise<void> {
  const runs = quick ? 3 : 7
  const workload = makeWorkload()
  measureMarket(workload, 1, cpuTime) // warm the JIT up
  report(measureMarket(workload, runs, cpuTime), '', `Node ${process.versions.node}, CPU time, median of ${runs} runs`, out)
  report(await measureInChromium(runs), '_chromium', `Chromium, wall time, median of ${runs} runs`, out)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run({ quick: process.argv.includes('--quick'), report: (figure) => console.log(JSON.stringify(figure)) })
}
