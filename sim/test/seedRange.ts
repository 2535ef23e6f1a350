/**
 * Runs a range of small seeds for the test suite and fails with every failing seed's report.
 *
 * The seeds run in child processes, one per core (at most two; seedProcesses.ts): vitest gives
 * the sim files one worker on a two-core machine, and a run is one thread, so the other core
 * would otherwise idle.
 */
import { availableParallelism } from 'node:os'
import { runSeedsInChildren } from '../seedProcesses.ts'
import type { SimOptions } from '../simulation.ts'

/**
 * Small enough for `npm test` (about a third of a second of CPU a seed): one pool a seed, since
 * witnesses made a seed dearer; two-pool worlds (a witness serving both, forgeries from the other
 * pool) run in the determinism and regression tests and in campaigns (`npm run sim`).
 */
export const TEST_SIZES = { devices: 4, steps: 8, pools: 1 } as const

export async function failuresIn(first: number, count: number, sizes: Omit<SimOptions, 'seed'> = TEST_SIZES): Promise<string[]> {
  const failures: Array<{ seed: number; report: string }> = []
  const seeds = Array.from({ length: count }, (_, i) => first + i)
  const processes = Math.max(1, Math.min(2, availableParallelism()))
  // Half the range per child: the test's seeds fit one child's memory, and a child's start costs ~1 s.
  await runSeedsInChildren(seeds, sizes, {
    processes, batchSeeds: Math.ceil(count / processes),
    onSeed: (summary) => { if (summary.failure !== null) failures.push({ seed: summary.seed, report: summary.failure }) },
  })
  return failures.sort((a, b) => a.seed - b.seed).map((f) => f.report)
}
