/**
 * Finding a route between pools (issue 19): findRoute over 100 pools' manifests,
 * each linked both ways to 6 others at random (a seeded generator), rates and
 * decimals varied, for 200 random pairs; baseline: the same over 10 pools in the
 * same run. Manifests are what a device caches, so this is the offline cost.
 *   node --import tsx bench/run.ts --only=paths [--quick]
 */
import { findRoute, type EntryId, type PoolManifest, type PublicKeyHex } from '../core/index.ts'
import { median, round, type BenchContext } from './figures.ts'

/** xorshift32: the same manifests on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

function hex(n: number, width = 64): string {
  return n.toString(16).padStart(width, '0')
}

export function manifestsOf(count: number, degree: number, seed: number): PoolManifest[] {
  const random = rng(seed)
  const ids = Array.from({ length: count }, (_, i) => hex(i + 1) as EntryId)
  const lines: Record<string, { gateway: PublicKeyHex; limitHours: number; available: number }>[] = ids.map(() => ({}))
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < degree / 2; k++) {
      const j = Math.floor(random() * count)
      if (j === i) continue
      lines[i]![ids[j]!] = { gateway: hex(i * count + j) as PublicKeyHex, limitHours: 1000, available: 1_000_000 }
      lines[j]![ids[i]!] = { gateway: hex(j * count + i) as PublicKeyHex, limitHours: 1000, available: 1_000_000 }
    }
  }
  return ids.map((pool, i) => ({
    pool, name: `pool ${i}`, decimals: i % 3, hourRate: { num: 1 + (i % 4), den: 1 + (i % 5) }, witnessed: true, trustlines: lines[i]!,
  }))
}

function timeRoutes(manifests: PoolManifest[], pairs: number, seed: number): { ms: number; found: number } {
  const random = rng(seed)
  const times: number[] = []
  let found = 0
  for (let n = 0; n < pairs; n++) {
    const from = manifests[Math.floor(random() * manifests.length)]!.pool
    const to = manifests[Math.floor(random() * manifests.length)]!.pool
    if (from === to) continue
    const start = performance.now()
    const route = findRoute(manifests, from, to, 100)
    times.push(performance.now() - start)
    if (route.ok) found++
  }
  return { ms: median(times), found }
}

export async function run({ quick, report }: BenchContext): Promise<void> {
  const pairs = quick ? 50 : 200
  const small = manifestsOf(10, 6, 7)
  const large = manifestsOf(100, 6, 7)
  timeRoutes(large, 20, 1) // warm up
  const baseline = timeRoutes(small, pairs, 2)
  const measured = timeRoutes(large, pairs, 2)
  report({
    name: 'route_100_pools_ms', value: round(measured.ms, 3), unit: 'ms', baseline: round(baseline.ms, 3), ratio: round(measured.ms / baseline.ms, 2),
    note: `findRoute, median of ${pairs} random pairs among 100 pools with ~6 trustlines each (${measured.found} routed within 4 hops); baseline 10 pools, same run`,
  })
}
