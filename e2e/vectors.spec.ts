/**
 * Byte-identical money in Chromium and in Node (issue 18): the demurrage
 * vectors, and a signed log of a pool with demurrage, a rate change, ticks, a
 * standing order, a scheduled payment and a recurring request (accepted, a
 * period collected by its payee and one by its coordinator), replayed by the core bundled for the
 * browser and by the core in this Node process. Both outputs are JSON texts
 * compared as strings. The page is about:blank: no app, no service worker,
 * only the core.
 */
import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import type { DemurrageVector } from '../core/test/vectors/demurrage-run.ts'
import { MINUTE, PoolBuilder, T0, actor } from '../core/test/fixtures.ts'
import { demurrageVectors, replayLines } from './vectors/core-harness.ts'

const DAY = 24 * 60 * MINUTE
const HARNESS = fileURLToPath(new URL('./vectors/core-harness.ts', import.meta.url))
const vectors = (JSON.parse(readFileSync(new URL('../core/test/vectors/demurrage.json', import.meta.url), 'utf8')) as { vectors: DemurrageVector[] }).vectors

/** The harness as one script that sets `globalThis.coreHarness`. */
async function bundle(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    build: { write: false, minify: false, lib: { entry: HARNESS, formats: ['iife'], name: 'coreHarness', fileName: 'core-harness' } },
  })
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : []))
  const code = chunks.find((chunk) => chunk.type === 'chunk')
  if (!code || code.type !== 'chunk') throw new Error('expected vite to bundle the core harness, got no chunk')
  return code.code
}

/** A pool with demurrage whose log exercises charging: months of holding, a tick, a rate change, orders, a recurring request. */
function demurragePool(): { lines: string[]; pool: string; asOf: number } {
  const alice = actor('alice')
  const bob = actor('bob')
  const carol = actor('carol')
  const relay = actor('relay')
  const p = new PoolBuilder({ minBalance: -50_000, maxBalance: null, demurrage: { rateNum: 2, rateDen: 100, periodSeconds: 30 * 86_400, freeBase: 500 } } as never)
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  p.admit(carol, T0 + 3)
  p.transfer(bob, alice, 12_345, T0 + MINUTE)
  p.transfer(carol, alice, 777, T0 + 2 * MINUTE)
  p.transfer(alice, carol, 1_001, T0 + 45 * DAY)
  p.sign(p.gatekeeper, 'tick', {}, { time: T0 + 95 * DAY })
  p.policy({ demurrage: { rateNum: 7, rateDen: 1000, periodSeconds: 7 * 86_400, freeBase: 0 } }, T0 + 100 * DAY)
  const order = p.sign(bob, 'order', { to: carol.key, amount: 250, everySeconds: 14 * 86_400, count: 5 }, { time: T0 + 101 * DAY })
  for (let period = 0; period < 3; period++) p.sign(carol, 'collect', { order: order.id, period }, { time: T0 + 101 * DAY + period * 14 * DAY + MINUTE, deps: [order.id] })
  const later = p.sign(alice, 'order', { to: bob.key, amount: 99, start: T0 + 150 * DAY }, { time: T0 + 120 * DAY })
  p.sign(bob, 'collect', { order: later.id, period: 0 }, { time: T0 + 151 * DAY, deps: [later.id] })
  // Membership dues: carol asks alice every 30 days, a coordinator (not a member) collecting; alice accepts.
  const dues = p.sign(carol, 'request', { amount: 40, everySeconds: 30 * 86_400, count: 3, from: alice.key, coordinator: relay.key, memo: 'dues' }, { time: T0 + 130 * DAY })
  const joined = p.sign(alice, 'accept', { entry: dues.id }, { time: T0 + 131 * DAY, deps: [dues.id] })
  p.sign(carol, 'collect', { order: joined.id, period: 0 }, { time: T0 + 131 * DAY + MINUTE, deps: [joined.id] })
  p.sign(relay, 'collect', { order: joined.id, period: 1 }, { time: T0 + 161 * DAY + MINUTE, deps: [joined.id] })
  p.transfer(carol, bob, 3, T0 + 200 * DAY)
  return { lines: p.lines(), pool: p.pool, asOf: T0 + 400 * DAY }
}

test('the demurrage vectors and a demurrage pool replay byte for byte the same in Chromium as in Node', async ({ page }) => {
  const script = await bundle()
  await page.goto('about:blank')
  await page.addScriptTag({ content: script })

  const inNode = demurrageVectors(vectors)
  expect(JSON.parse(inNode)).toEqual(vectors.map((v) => v.expect))
  const inChromium = await page.evaluate((v) => (globalThis as unknown as { coreHarness: { demurrageVectors(v: unknown): string } }).coreHarness.demurrageVectors(v), vectors)
  expect(inChromium).toBe(inNode)

  const { lines, pool, asOf } = demurragePool()
  const nodeReplay = replayLines(lines, pool, asOf)
  const parsed = JSON.parse(nodeReplay) as {
    result: { demurrageCollected?: number; entries: { status: string }[]; orders?: { request?: string; paid: number }[]; requests?: Record<string, { status: string; everySeconds?: number }> }
  }
  // The log must exercise what it claims to: demurrage charged, a recurring request accepted into an order paid twice, every entry accepted.
  expect(parsed.result.demurrageCollected).toBeGreaterThan(0)
  expect(Object.values(parsed.result.requests ?? {}).filter((r) => r.everySeconds !== undefined).map((r) => r.status)).toEqual(['accepted'])
  expect(parsed.result.orders?.filter((o) => o.request !== undefined).map((o) => o.paid)).toEqual([2])
  expect(parsed.result.entries.filter((e) => e.status !== 'accepted')).toEqual([])
  const chromiumReplay = await page.evaluate(
    ([l, p, a]) => (globalThis as unknown as { coreHarness: { replayLines(l: string[], p: string, a: number): string } }).coreHarness.replayLines(l, p, a),
    [lines, pool, asOf] as [string[], string, number],
  )
  expect(chromiumReplay).toBe(nodeReplay)
})
