/**
 * Validator throughput: full replay (every signature verified), warm replay
 * (verdicts cached) and one incremental entry, for 10k and 100k entries,
 * beside the raw verify rate of the same verifier measured in this run.
 *
 * The verifier Heroes uses in Node (sync-server/native-verify.ts) is also
 * replayed cold the way a Node validator does it at scale: the signatures
 * verified first on worker threads (prefillSignatures, the same verifier in
 * each), then the replay over the filled cache; both are timed together, the
 * workers' start included.
 *   node --import tsx bench/replay.ts [--quick]
 */
import { performance } from 'node:perf_hooks'
import { availableParallelism } from 'node:os'
import { Ledger, SignatureCache, referenceVerify, replay, signatureChecksOf, type ReplayResult, type Verifier } from '../core/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'
import { prefillSignatures } from '../sync-server/parallel-verify.ts'
import { generatePool } from './pool-gen.ts'
import { median, round, type BenchContext } from './figures.ts'

const AS_OF = Date.UTC(2100, 0)

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
    const k = `${size / 1000}k`
    for (const { name, verify, sizes: only } of verifiers) {
      if (only && !only.includes(size)) continue
      // The raw rate is measured before and after each cold replay, and averaged: on a busy
      // machine one measurement taken earlier can be off by tens of per cent.
      const sample = pool.entries.slice(0, 2000)
      const seconds = quick ? 1 : 2
      let before = verifyRate(verify, sample, seconds)
      {
        const cache = new SignatureCache()
        const start = performance.now()
        const result = replay(pool.entries, { asOf: AS_OF, pool: pool.pool, cache, verifier: verify })
        const rate = size / ((performance.now() - start) / 1000)
        expectAccepted(result, size)
        const after = verifyRate(verify, sample, seconds)
        const raw = (before + after) / 2
        before = after
        report({ name: `replay_cold_${k}_entries_per_s_${name}`, value: round(rate), unit: 'entries/s', baseline: round(raw), ratio: round(rate / raw, 3), note: `one thread; raw ${name} verify rate in the same run` })
        if (size === 100_000) report({ name: 'replay_cold_serial_ratio', value: round(rate / raw, 3), unit: 'ratio', baseline: round(raw), note: `${name}, one thread: entries/s ÷ raw verify/s` })
      }
      // Workers run sync-server/native-verify.ts: a parallel figure only for that verifier.
      if (verify === verifyEd25519) {
        const workers = availableParallelism()
        const cache = new SignatureCache()
        const start = performance.now()
        const verified = await prefillSignatures(pool.entries, cache, { workers })
        const result = replay(pool.entries, { asOf: AS_OF, pool: pool.pool, cache, verifier: verify })
        const rate = size / ((performance.now() - start) / 1000)
        expectAccepted(result, size)
        const raw = (before + verifyRate(verify, sample, seconds)) / 2
        if (verified !== size) throw new Error(`expected prefillSignatures to verify all ${size} entries, it verified ${verified}`)
        const note = `parallel verify on ${workers} worker threads (prefillSignatures, workers' start included), then replay; raw ${name} verify rate of one thread in the same run`
        report({ name: `replay_cold_parallel_${k}_entries_per_s_${name}`, value: round(rate), unit: 'entries/s', baseline: round(raw), ratio: round(rate / raw, 3), note })
        if (size === 100_000) report({ name: 'replay_cold_ratio', value: round(rate / raw, 3), unit: 'ratio', baseline: round(raw), note: `${name}, ${note}: entries/s ÷ raw verify/s` })
      }
    }
    // warm: verdicts cached by id
    const cache = new SignatureCache()
    replay(pool.entries, { asOf: AS_OF, pool: pool.pool, cache, verifier: verifiers[verifiers.length - 1]!.verify })
    const warm: number[] = []
    for (let i = 0; i < 5; i++) {
      const start = performance.now()
      replay(pool.entries, { asOf: AS_OF, pool: pool.pool, cache })
      warm.push(size / ((performance.now() - start) / 1000))
    }
    report({ name: `replay_warm_${k}_entries_per_s`, value: round(median(warm)), unit: 'entries/s', note: 'median of 5' })
    if (size === 100_000 || quick) report({ name: 'replay_warm_entries_per_s', value: round(median(warm)), unit: 'entries/s', note: `${size} entries, median of 5` })

    // incremental: one new entry (its signature verified) into a ledger holding the whole pool
    const fresh = Array.from({ length: 300 }, () => pool.nextTransfer())
    const samples: number[] = []
    const incremental = new Ledger(pool.pool, { cache, verifier: verifiers[verifiers.length - 1]!.verify })
    incremental.add(pool.entries, AS_OF)
    for (const e of fresh) {
      const start = performance.now()
      incremental.add([e], AS_OF)
      samples.push(performance.now() - start)
    }
    report({ name: `incremental_apply_${k}_ms`, value: round(median(samples), 3), unit: 'ms', note: 'median of 300, signature verified' })
    if (size === 100_000 || quick) report({ name: 'incremental_apply_ms', value: round(median(samples), 3), unit: 'ms', note: `${size} entries` })
  }
}

function expectAccepted(result: ReplayResult, size: number): void {
  const accepted = result.entries.filter((e) => e.status === 'accepted').length
  if (accepted < size * 0.99) throw new Error(`expected almost every generated entry accepted, got ${accepted} of ${size}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick')
  // The verifiers bench/run.ts measures: the reference (10k only, it takes minutes for 100k) and Node's.
  await run({ quick, report: (f) => console.log(JSON.stringify(f)) }, [
    ...(quick ? [] : [{ name: 'noble', verify: referenceVerify, sizes: [10_000] }]),
    { name: 'native', verify: verifyEd25519 },
  ])
}
