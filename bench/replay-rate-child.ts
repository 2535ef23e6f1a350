/**
 * One process, one pool: generates a pool of SIZE entries (witnessed or not), verifies it once, and
 * prints the median warm-replay rate of ROUNDS replays in entries per second of CPU time (JSON).
 * bench/witness.ts runs it alternately for both kinds so that neither pool's objects share a heap
 * (and its garbage collection) with the other's.
 *   node --import tsx bench/replay-rate-child.ts plain|witnessed SIZE ROUNDS
 */
import { fileURLToPath } from 'node:url'
import { SignatureCache, replay, type Entry } from '../core/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'
import { median } from './figures.ts'
import { generatePool } from './pool-gen.ts'

export const REPLAY_AS_OF = Date.UTC(2100, 0)
export const CHECKPOINT_EVERY = 100

/** The pools both measurements replay: same sizes, same seedless generator. */
export function benchPool(kind: 'plain' | 'witnessed', size: number): ReturnType<typeof generatePool> {
  return kind === 'plain' ? generatePool(size) : generatePool(size, 200, Date.UTC(2026, 0, 1), { checkpointEvery: CHECKPOINT_EVERY })
}

/** Entries per second of CPU time (user + system, every thread: the collector's work counts). */
export function warmRate(entries: readonly Entry[], pool: Entry['pool'], cache: SignatureCache): number {
  const start = process.cpuUsage()
  replay(entries, { asOf: REPLAY_AS_OF, pool, cache })
  const used = process.cpuUsage(start)
  return entries.length / ((used.user + used.system) / 1e6)
}

// Run as a program (bench/witness.ts spawns it), not when imported for benchPool and its constants.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [kind, sizeText, roundsText] = process.argv.slice(2)
  if (kind !== 'plain' && kind !== 'witnessed') throw new Error(`expected plain or witnessed, got ${kind}`)
  const generated = benchPool(kind, Number(sizeText))
  const cache = new SignatureCache()
  replay(generated.entries, { asOf: REPLAY_AS_OF, pool: generated.pool, cache, verifier: verifyEd25519 })
  for (let i = 0; i < 2; i++) warmRate(generated.entries, generated.pool, cache)
  const rates = Array.from({ length: Number(roundsText) }, () => warmRate(generated.entries, generated.pool, cache))
  process.stdout.write(`${JSON.stringify({ kind, rate: median(rates) })}\n`)
}
