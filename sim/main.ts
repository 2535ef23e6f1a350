/**
 * The simulation's command line: runs seeds one after another, prints every
 * failing seed with its replay command and trace, and the rate in seeds per
 * second. Exits 1 if any seed failed.
 */
import { parseSimArgs } from './args.ts'
import { formatFailure, replayCommand } from './report.ts'
import { UNHANDLED_REJECTION_NOTE, runSimulation, type SimOptions } from './simulation.ts'

async function main(): Promise<number> {
  let args
  try {
    args = parseSimArgs(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    return 2
  }
  const seeds = args.seed !== undefined ? [args.seed] : Array.from({ length: args.seeds }, (_, i) => args.first + i)
  const started = performance.now()
  let failed = 0
  let entries = 0
  let messages = 0
  const failures: number[] = []
  const rejecting: number[] = []
  for (const [i, seed] of seeds.entries()) {
    const options: SimOptions = { seed, devices: args.devices, steps: args.steps, pools: args.pools, relays: args.relays, stockRelay: args.stockRelay }
    const result = await runSimulation(options)
    entries += result.figures.entries
    messages += result.figures.messages
    if (result.notes.some((note) => note.startsWith(UNHANDLED_REJECTION_NOTE))) rejecting.push(seed)
    if (!result.ok) {
      failed++
      failures.push(seed)
      console.log(formatFailure(result, options))
    } else if (args.seed !== undefined) {
      console.log(`ok seed ${seed} (${result.figures.entries} entries, ${result.figures.messages} messages, ${result.figures.forged} forged lines, ${result.figures.forks} staged forks, healed in ${Math.round(result.figures.healMs / 1000)} virtual s, fingerprint ${result.fingerprint})`)
      console.log(`  scenario: ${result.scenario}`)
      for (const note of result.notes) console.log(`  note: ${note}`)
      console.log(`  replay: ${replayCommand(options)}`)
      console.log(`  last ${result.trace.length} events:\n${result.trace.map((line) => `    ${line}`).join('\n')}`)
    }
    const done = i + 1
    if (!args.quiet && seeds.length > 1 && (done % 25 === 0 || done === seeds.length)) {
      const seconds = (performance.now() - started) / 1000
      console.log(`${done}/${seeds.length} seeds, ${failed} failed, ${(done / seconds).toFixed(2)} seeds/s`)
    }
  }
  const seconds = (performance.now() - started) / 1000
  console.log(
    `sim: ${seeds.length} seed(s) in ${seconds.toFixed(1)} s (${(seeds.length / seconds).toFixed(2)} seeds/s), ${failed} failed; ` +
    `${entries} entries, ${messages} messages${failures.length > 0 ? `; failing seeds: ${failures.slice(0, 50).join(' ')}` : ''}`,
  )
  if (rejecting.length > 0) console.log(`sim: ${rejecting.length} seed(s) had an unhandled rejection inside automerge-repo (see docs/simulation.md): ${rejecting.slice(0, 30).join(' ')}`)
  return failed > 0 ? 1 : 0
}

process.exitCode = await main()
