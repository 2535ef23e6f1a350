/** Runs a range of small seeds for the test suite and fails with every failing seed's report. */
import { formatFailure } from '../report.ts'
import { runSimulation, type SimOptions } from '../simulation.ts'

/** Small enough for `npm test` (about half a second a seed on a shared 2-core machine); long runs use the CLI. */
export const TEST_SIZES = { devices: 4, steps: 8 } as const

export async function failuresIn(first: number, count: number, sizes: Partial<SimOptions> = TEST_SIZES): Promise<string[]> {
  const failures: string[] = []
  for (let seed = first; seed < first + count; seed++) {
    const options: SimOptions = { seed, ...sizes }
    const result = await runSimulation(options)
    if (!result.ok) failures.push(formatFailure(result, options))
  }
  return failures
}
