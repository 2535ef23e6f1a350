/**
 * Validator throughput: full replay (every signature verified), warm replay
 * (verdicts cached) and one incremental entry, for 10k and 100k entries,
 * beside the raw verify rate of the same verifier measured in this run.
 *   node --import tsx bench/replay.ts [--quick]
 */
import { performance } from 'node:perf_hooks'
import { Ledger, SignatureCache, referenceVerify, replay, signatureChecksOf, type Verifier } from '../core/index.ts'
import { generatePool } from './pool-gen.ts'
import { median, round, type BenchContext } from './figures.ts'

/** Raw verify rate (ops/s) of `verifier` on the pool's own messages. */
function verifyRate(verifier: Verifier, sample: ReturnType<typeof generatePool>['entries'], seconds: number): number {
  const checks = sample.map((e) => signatureChecksOf(e)![0]!)
  let ops = 0
  const start = performance.now()
  while (performance.now() - start < seconds * 1000) {
    const c = checks[ops % checks.length]!
    if (!verifier(c.signature, c.message, c.publicKey)) throw new Error('a valid signature failed to verify')
    ops++
  }
  return ops / ((performance.now() - start) / 1000)
}

export interface VerifierUnderTest {
  readonly name: string
  readonly verify: Verifier
  /** Sizes to run a cold replay with; all by default (the reference verifier takes ~2 min for 100k). */
  readonly sizes?: number[]
}

export async function run({ quick, report }: BenchContext, verifiers: VerifierUnderTest[] = [{ name: 'noble', verify: referenceVerify }]): Promise<void> {
  const sizes = quick ? [10_000] : [10_000, 100_000]
  for (const size of sizes) {
    const t0 = performance.now()
    const pool = generatePool(size)
    const genMs = performance.now() - t0
    process.stderr.write(`  generated ${size} entries in ${round(genMs / 1000, 1)} s\n`)
    for (const { name, verify, sizes: only } of verifiers) {
      if (only && !only.includes(size)) continue
      const raw = verifyRate(verify, pool.entries.slice(0, 2000), quick ? 1 : 2)
      {
        const cache = new SignatureCache()
        const start = performance.now()
        const result = replay(pool.entries, { asOf: Date.UTC(2100, 0), pool: pool.pool, cache, verifier: verify })
        const seconds = (performance.now() - start) / 1000
        const accepted = result.entries.filter((e) => e.status === 'accepted').length
        if (accepted < size * 0.99) throw new Error(`expected almost every generated entry accepted, got ${accepted} of ${size}`)
        const rate = size / seconds
        report({ name: `replay_cold_${size / 1000}k_entries_per_s_${name}`, value: round(rate), unit: 'entries/s', baseline: round(raw), ratio: round(rate / raw, 3), note: `raw ${name} verify rate in the same run` })
        if (size === 100_000) report({ name: 'replay_cold_ratio', value: round(rate / raw, 3), unit: 'ratio', baseline: round(raw), note: `${name}: entries/s ÷ raw verify/s` })
      }
    }
    // warm: verdicts cached by id
    const cache = new SignatureCache()
    replay(pool.entries, { asOf: Date.UTC(2100, 0), pool: pool.pool, cache, verifier: verifiers[verifiers.length - 1]!.verify })
    const warm: number[] = []
    for (let i = 0; i < 3; i++) {
      const start = performance.now()
      replay(pool.entries, { asOf: Date.UTC(2100, 0), pool: pool.pool, cache })
      warm.push(size / ((performance.now() - start) / 1000))
    }
    report({ name: `replay_warm_${size / 1000}k_entries_per_s`, value: round(median(warm)), unit: 'entries/s' })
    if (size === 100_000 || quick) report({ name: 'replay_warm_entries_per_s', value: round(median(warm)), unit: 'entries/s', note: `${size} entries` })

    // incremental: one new entry (its signature verified) into a ledger holding the whole pool
    const fresh = Array.from({ length: 300 }, () => pool.nextTransfer())
    const samples: number[] = []
    const incremental = new Ledger(pool.pool, { cache, verifier: verifiers[verifiers.length - 1]!.verify })
    incremental.add(pool.entries, Date.UTC(2100, 0))
    for (const e of fresh) {
      const start = performance.now()
      incremental.add([e], Date.UTC(2100, 0))
      samples.push(performance.now() - start)
    }
    report({ name: `incremental_apply_${size / 1000}k_ms`, value: round(median(samples), 3), unit: 'ms', note: 'median of 300, signature verified' })
    if (size === 100_000 || quick) report({ name: 'incremental_apply_ms', value: round(median(samples), 3), unit: 'ms', note: `${size} entries` })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick')
  await run({ quick, report: (f) => console.log(JSON.stringify(f)) })
}
