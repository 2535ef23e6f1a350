/**
 * Runs a range of small seeds for the test suite and fails with every failing seed's report.
 *
 * The seeds run in child processes, one per core (at most two), each taking every other seed:
 * vitest gives the sim files one worker on a two-core machine, and a run is one thread, so the
 * other core would otherwise idle. Each seed is deterministic and independent of the others, so
 * where it runs changes nothing but the wall time.
 */
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { SimOptions } from '../simulation.ts'

/**
 * Small enough for `npm test` (about a third of a second of CPU a seed): one pool a seed, since
 * witnesses made a seed dearer; two-pool worlds (a witness serving both, forgeries from the other
 * pool) run in the determinism and regression tests and in campaigns (`npm run sim`).
 */
export const TEST_SIZES = { devices: 4, steps: 8, pools: 1 } as const

const CHILD = fileURLToPath(new URL('./seedChild.ts', import.meta.url))

export async function failuresIn(first: number, count: number, sizes: Partial<SimOptions> = TEST_SIZES): Promise<string[]> {
  const children = Math.max(1, Math.min(2, availableParallelism()))
  const slices = Array.from({ length: children }, (_, k) => Array.from({ length: count }, (_, i) => first + i).filter((_, i) => i % children === k))
  const results = await Promise.all(slices.map((seeds) => runChild(seeds, sizes)))
  return results.flat().sort((a, b) => seedOf(a) - seedOf(b))
}

function runChild(seeds: readonly number[], sizes: Partial<SimOptions>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ seeds, sizes })], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => (out += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"failures":'))
      if (code !== 0 || line === undefined) reject(new Error(`expected the seed child to end with its failures, got exit code ${code}:\n${out.slice(-2000)}`))
      else resolve((JSON.parse(line) as { failures: string[] }).failures)
    })
  })
}

function seedOf(report: string): number {
  return Number(/^FAIL seed (\d+)/.exec(report)?.[1] ?? 0)
}
