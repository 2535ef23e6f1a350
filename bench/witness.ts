/**
 * What witnesses cost the validator: warm replay of a pool whose witness
 * checkpoints every 100 entries against the same size of pool without one
 * (same run), one new entry into a witnessed ledger, one new checkpoint
 * (per entry it covers), and the bytes of the checkpoints that cover a
 * 1,000-member pool in which every member paid.
 *   node --import tsx bench/witness.ts [--quick]
 */
import { execFileSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { Ledger, SignatureCache, encodeEntry, replay, signCheckpoint, utf8 } from '../core/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'
import { WITNESS_SIGNER, generatePool, signerSecret } from './pool-gen.ts'
import { median, round, type BenchContext } from './figures.ts'
import { CHECKPOINT_EVERY, benchPool } from './replay-rate-child.ts'

const AS_OF = Date.UTC(2100, 0)

/** Pairs of child processes (plain, then witnessed) whose rates the ratio compares, and warm replays in each. */
const RATE_PAIRS = 5
const RATE_ROUNDS = 7

/**
 * The median warm-replay rate of one kind of pool, measured in a process of its own
 * (replay-rate-child.ts). In one process the two pools shared a heap, and each one's garbage was
 * collected during the other's timed replays: the ratio moved from 0.84 to 0.92 between two
 * identical rounds (2026-12-08).
 */
function childRate(kind: 'plain' | 'witnessed', size: number): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./replay-rate-child.ts', import.meta.url)), kind, String(size), String(RATE_ROUNDS)], { encoding: 'utf8' })
  const line = out.trim().split('\n').pop() ?? ''
  const parsed = JSON.parse(line) as { kind: string; rate: number }
  if (parsed.kind !== kind || !(parsed.rate > 0)) throw new Error(`expected a rate for ${kind} from replay-rate-child.ts, got ${line}`)
  return parsed.rate
}

export async function run({ quick, report }: BenchContext): Promise<void> {
  const size = quick ? 10_000 : 100_000
  const k = `${size / 1000}k`
  const witnessed = benchPool('witnessed', size)
  const checkpoints = witnessed.entries.filter((e) => e.type === 'checkpoint').length
  const witnessedCache = new SignatureCache()
  const check = replay(witnessed.entries, { asOf: AS_OF, pool: witnessed.pool, cache: witnessedCache, verifier: verifyEd25519 })
  const accepted = check.entries.filter((e) => e.status === 'accepted').length
  const covered = check.entries.filter((e) => e.witnessed !== null).length
  if (accepted < size * 0.99 || covered < size * 0.98) throw new Error(`expected the witnessed pool accepted and covered, got ${accepted} accepted, ${covered} covered of ${size}`)
  // Alternate the two kinds, each in a fresh process, so that a busy moment of the machine hits both alike.
  const plainRates: number[] = []
  const witnessedRates: number[] = []
  const pairs = quick ? 2 : RATE_PAIRS
  for (let i = 0; i < pairs; i++) {
    plainRates.push(childRate('plain', size))
    witnessedRates.push(childRate('witnessed', size))
  }
  const plainRate = median(plainRates)
  const witnessedRate = median(witnessedRates)
  report({ name: `replay_warm_witnessed_${k}_entries_per_s`, value: round(witnessedRate), unit: 'entries/s', baseline: round(plainRate), ratio: round(witnessedRate / plainRate, 3), note: `${checkpoints} checkpoints, one every ${CHECKPOINT_EVERY} entries; baseline: a pool of the same size without a witness, same run; each kind replayed ${RATE_ROUNDS} times in each of ${pairs} processes of its own, alternating; median of the processes' medians, CPU time` })
  report({ name: 'replay_witnessed_ratio', value: round(witnessedRate / plainRate, 3), unit: 'ratio', baseline: round(plainRate), note: `${size} entries: witnessed ÷ unwitnessed warm replay, each kind in ${pairs} processes of its own (bench/replay-rate-child.ts)` })

  // One new entry at a time into a ledger holding the witnessed pool, a checkpoint after every 100.
  const ledger = new Ledger(witnessed.pool, { cache: witnessedCache, verifier: verifyEd25519 })
  ledger.add(witnessed.entries, AS_OF)
  const entryMs: number[] = []
  const checkpointMsPerEntry: number[] = []
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < CHECKPOINT_EVERY; i++) {
      const e = witnessed.nextTransfer()
      const start = performance.now()
      ledger.add([e], AS_OF)
      entryMs.push(performance.now() - start)
    }
    const c = witnessed.nextCheckpoint!()
    const start = performance.now()
    ledger.add([c], AS_OF)
    checkpointMsPerEntry.push((performance.now() - start) / CHECKPOINT_EVERY)
    if (ledger.witnessedBy(c.id) !== c.id) throw new Error('expected the new checkpoint to count')
  }
  report({ name: 'incremental_apply_witnessed_ms', value: round(median(entryMs), 3), unit: 'ms', note: `${size} entries, witnessed pool, median of ${entryMs.length}, signature verified` })
  report({ name: 'checkpoint_apply_ms_per_entry', value: round(median(checkpointMsPerEntry), 3), unit: 'ms', note: `a checkpoint covering ${CHECKPOINT_EVERY} new entries, added to a ledger of ${size}: time ÷ entries covered, median of 5` })

  // The checkpoints covering a 1,000-member pool in which every member paid since the last one.
  const big = generatePool(2000, 1000, Date.UTC(2026, 0, 1), { checkpointEvery: 1_000_000 })
  const bigLedger = new Ledger(big.pool, { verifier: verifyEd25519 })
  bigLedger.add(big.entries, AS_OF)
  const secret = signerSecret(WITNESS_SIGNER)
  bigLedger.add([signCheckpoint(bigLedger, secret, Date.UTC(2026, 0, 2))!], AS_OF)
  for (let i = 0; i < 1000; i++) bigLedger.add([big.nextTransfer()], AS_OF)
  const sizes: number[] = []
  for (let c = signCheckpoint(bigLedger, secret, Date.UTC(2026, 0, 3)); c; c = signCheckpoint(bigLedger, secret, Date.UTC(2026, 0, 3))) {
    sizes.push(utf8(encodeEntry(c)).length)
    bigLedger.add([c], AS_OF)
  }
  const total = sizes.reduce((a, b) => a + b, 0)
  report({ name: 'checkpoint_bytes_1000_members', value: total, unit: 'bytes', note: `${sizes.length} checkpoints (at most 128 heads each; the largest ${Math.max(...sizes)} bytes) cover 1,000 members who all paid since the last one; a checkpoint naming one moved chain is ${utf8(encodeEntry(signCheckpoint(bigLedger, secret, Date.UTC(2026, 0, 4), { whenUnchanged: true })!)).length} bytes with no heads` })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick')
  await run({ quick, report: (f) => console.log(JSON.stringify(f)) })
}
