/**
 * What demurrage costs the validator (issue 18): warm replay of a pool with a
 * daily demurrage against the same pool without one, same run, same entries
 * but the genesis; a day passes between rounds of payments, so every account
 * crosses a boundary between two of its payments and is charged lazily.
 *   node --import tsx bench/run.ts --only=demurrage [--quick]
 */
import { SignatureCache, replay, type Entry } from '../core/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'
import { generatePool } from './pool-gen.ts'
import { median, round, type BenchContext } from './figures.ts'

const AS_OF = Date.UTC(2100, 0)
const DAY = 86_400_000

function warmRate(entries: Entry[], pool: Entry['pool'], cache: SignatureCache): number {
  const start = process.cpuUsage()
  replay(entries, { asOf: AS_OF, pool, cache })
  const used = process.cpuUsage(start)
  return entries.length / ((used.user + used.system) / 1e6)
}

export async function run({ quick, report }: BenchContext): Promise<void> {
  const size = quick ? 10_000 : 100_000
  const t0 = Date.UTC(2026, 0, 1)
  const plain = generatePool(size, 200, t0, { roundMs: DAY, nonce: '1'.repeat(32) })
  const charged = generatePool(size, 200, t0, { roundMs: DAY, nonce: '2'.repeat(32), demurrage: { rateNum: 1, rateDen: 1000, periodSeconds: 86_400, freeBase: 0 } })
  const plainCache = new SignatureCache()
  const chargedCache = new SignatureCache()
  replay(plain.entries, { asOf: AS_OF, pool: plain.pool, cache: plainCache, verifier: verifyEd25519 })
  const check = replay(charged.entries, { asOf: AS_OF, pool: charged.pool, cache: chargedCache, verifier: verifyEd25519 })
  if (!check.demurrageCollected) throw new Error('expected the pool with demurrage to charge some')
  const plainRates: number[] = []
  const chargedRates: number[] = []
  for (let i = 0; i < 9; i++) {
    plainRates.push(warmRate(plain.entries, plain.pool, plainCache))
    chargedRates.push(warmRate(charged.entries, charged.pool, chargedCache))
  }
  const plainRate = median(plainRates)
  const chargedRate = median(chargedRates)
  const charges = check.demurrageCollected
  report({ name: 'replay_demurrage_ratio', value: round(chargedRate / plainRate, 3), unit: 'ratio', baseline: round(plainRate), note: `${size} entries, 200 members, a day between rounds, 0.1 % a day: warm replay with demurrage ÷ without, median of 9, CPU time; ${charges} minor units collected` })
}
