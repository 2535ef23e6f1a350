/**
 * One child process of seedProcesses.ts: runs the seeds it is given, one after another, and
 * prints one JSON line per seed (a SeedSummary). It stops starting seeds once `deadlineMs`
 * (a Date.now() time, from the parent's real clock) has passed.
 *
 * A child runs a batch and exits, so whatever one run leaves in the heap (automerge-repo keeps
 * a reaction on a module-level promise per document load; see docs/simulation.md) goes with it.
 */
import { formatFailure } from './report.ts'
import { UNHANDLED_REJECTION_NOTE, runSimulation, type SimOptions } from './simulation.ts'
import type { SeedBatch, SeedSummary } from './seedProcesses.ts'

// The virtual clock replaces Date.now during a run; the deadline is read on the real one.
const realNow = Date.now.bind(Date)
const batch = JSON.parse(process.argv[2] ?? '{}') as SeedBatch
for (const seed of batch.seeds) {
  if (batch.deadlineMs !== undefined && realNow() > batch.deadlineMs) break
  const options: SimOptions = { ...batch.options, seed }
  const result = await runSimulation(options)
  const summary: SeedSummary = {
    seed,
    ok: result.ok,
    figures: result.figures,
    unhandledRejection: result.notes.some((note) => note.startsWith(UNHANDLED_REJECTION_NOTE)),
    failure: result.ok ? null : formatFailure(result, options),
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`)
}
