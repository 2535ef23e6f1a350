/**
 * Runs many seeds in child processes: one lane per core (at most `processes`), each lane running
 * batches of seeds in a fresh child (seedChild.ts) one after another.
 *
 * Why children: a run is one thread, so one process leaves the other core idle; and a process
 * that runs thousands of seeds grows (automerge-repo 2.5.6 keeps a reaction on a module-level
 * promise for each document load, so every run's repos stay reachable: ~2 MB of heap a seed,
 * measured with heap snapshots, docs/simulation.md). A child per batch gives that memory back.
 * Each seed is deterministic and independent of the others, so where it runs changes nothing
 * but the wall time.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { SimOptions, SimResult } from './simulation.ts'

/** What a child is asked to run. */
export interface SeedBatch {
  readonly seeds: readonly number[]
  readonly options: Omit<SimOptions, 'seed'>
  /** Start no seed after this Date.now() time. */
  readonly deadlineMs?: number
}

/** What a child reports for one seed. */
export interface SeedSummary {
  readonly seed: number
  readonly ok: boolean
  /** null when the process running the seed died before reporting it. */
  readonly figures: SimResult['figures'] | null
  readonly unhandledRejection: boolean
  /** formatFailure's report when the seed failed. */
  readonly failure: string | null
}

export interface SeedRunOptions {
  readonly processes: number
  /** Seeds per child before it is replaced by a fresh one. */
  readonly batchSeeds: number
  readonly deadlineMs?: number
  readonly onSeed: (summary: SeedSummary) => void
}

/** Seeds per child by default: ~100 s of work for a campaign seed, ~200 MB of heap at most. */
export const SEEDS_PER_CHILD = 100

const CHILD = fileURLToPath(new URL('./seedChild.ts', import.meta.url))

export async function runSeedsInChildren(seeds: readonly number[], options: Omit<SimOptions, 'seed'>, run: SeedRunOptions): Promise<void> {
  // Lanes take the next batch in seed order, so a campaign cut by its time budget ran a prefix (less the tail of batches in flight).
  const batches: number[][] = []
  for (let i = 0; i < seeds.length; i += run.batchSeeds) batches.push(seeds.slice(i, i + run.batchSeeds))
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      if (run.deadlineMs !== undefined && Date.now() > run.deadlineMs) return
      let batch = batches[next++]!
      while (batch.length > 0) {
        const { reported, exit } = await runChild({ seeds: batch, options, ...(run.deadlineMs !== undefined ? { deadlineMs: run.deadlineMs } : {}) }, run.onSeed)
        if (exit === 0) break
        // The child died inside a seed: that seed failed (a crash is a finding), and the rest of the batch goes to a fresh child.
        const crashed = batch[reported]!
        run.onSeed({ seed: crashed, ok: false, figures: null, unhandledRejection: false, failure: `FAIL seed ${crashed}: the process running it exited with ${exit} (its stderr is above)\n  replay: npm run sim -- --seed ${crashed}` })
        batch = batch.slice(reported + 1)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, run.processes) }, lane))
}

function runChild(batch: SeedBatch, onSeed: (summary: SeedSummary) => void): Promise<{ reported: number; exit: number | string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(batch)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let pending = ''
    let reported = 0
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      pending += chunk
      let newline: number
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline)
        pending = pending.slice(newline + 1)
        // automerge-repo and the sim's actors may print; only the summaries are JSON objects with a seed.
        if (!line.startsWith('{"seed":')) {
          if (line.trim() !== '') process.stdout.write(`${line}\n`)
          continue
        }
        reported++
        onSeed(JSON.parse(line) as SeedSummary)
      }
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ reported, exit: code ?? signal ?? 'an unknown status' }))
  })
}
