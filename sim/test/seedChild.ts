/**
 * One child of seedRange.ts: runs the seeds it is given and prints one JSON line,
 * `{"failures":[…]}`, with the report of every seed that failed.
 */
import { formatFailure } from '../report.ts'
import { runSimulation, type SimOptions } from '../simulation.ts'

const { seeds, sizes } = JSON.parse(process.argv[2] ?? '{}') as { seeds: number[]; sizes: Partial<SimOptions> }
const failures: string[] = []
for (const seed of seeds) {
  const options: SimOptions = { ...sizes, seed }
  const result = await runSimulation(options)
  if (!result.ok) failures.push(formatFailure(result, options))
}
process.stdout.write(`${JSON.stringify({ failures })}\n`)
