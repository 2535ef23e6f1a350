/**
 * Warm replay of this core against another checkout's core, both loaded in one
 * process and run alternately on the same 100k pool (CPU time, best of N): how
 * much slower or faster a change made replay. Not part of `npm run bench`.
 * When the other core knows witnesses too (a checkout from 2026-12-07 on), the
 * witnessed pool is replayed by both as well, and must give the same result.
 *   git worktree add /tmp/old f74f840 && ln -s "$PWD/node_modules" /tmp/old/node_modules
 *   node --import tsx bench/core-vs.ts /tmp/old [entries] [rounds]
 */
import * as current from '../core/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'
import { generatePool } from './pool-gen.ts'

const [dir, sizeArg, roundsArg] = process.argv.slice(2)
if (!dir) {
  console.error('usage: node --import tsx bench/core-vs.ts OTHER_CHECKOUT [entries] [rounds]')
  process.exit(2)
}
const other = (await import(`${dir}/core/index.ts`)) as typeof current
const AS_OF = Date.UTC(2100, 0)
const size = Number(sizeArg ?? 100_000)
const rounds = Number(roundsArg ?? 15)
const plain = generatePool(size)
const witnessed = generatePool(size, 200, Date.UTC(2026, 0, 1), { checkpointEvery: 100 })
const otherCache = new other.SignatureCache()
const plainCache = new current.SignatureCache()
const witnessedCache = new current.SignatureCache()
const before = other.replay(plain.entries, { asOf: AS_OF, pool: plain.pool, cache: otherCache, verifier: verifyEd25519 })
const now = current.replay(plain.entries, { asOf: AS_OF, pool: plain.pool, cache: plainCache, verifier: verifyEd25519 })
current.replay(witnessed.entries, { asOf: AS_OF, pool: witnessed.pool, cache: witnessedCache, verifier: verifyEd25519 })
if (JSON.stringify(before.balances) !== JSON.stringify(now.balances)) throw new Error('expected both cores to agree on the unwitnessed pool, got different balances')
const otherKnowsWitnesses = 'signCheckpoint' in other
const otherWitnessedCache = new other.SignatureCache()
if (otherKnowsWitnesses) {
  const theirs = other.replay(witnessed.entries, { asOf: AS_OF, pool: witnessed.pool, cache: otherWitnessedCache, verifier: verifyEd25519 })
  const ours = current.replay(witnessed.entries, { asOf: AS_OF, pool: witnessed.pool, cache: witnessedCache })
  if (JSON.stringify(theirs) !== JSON.stringify(ours)) throw new Error('expected both cores to give the same replay of the witnessed pool, got different results')
}

/** Entries per millisecond of CPU time (user + system). */
function rate(replay: () => unknown): number {
  const start = process.cpuUsage()
  replay()
  const used = process.cpuUsage(start)
  return size / ((used.user + used.system) / 1000)
}
const runs = { other: [] as number[], plain: [] as number[], witnessed: [] as number[], otherWitnessed: [] as number[] }
for (let i = 0; i < rounds; i++) {
  runs.other.push(rate(() => other.replay(plain.entries, { asOf: AS_OF, pool: plain.pool, cache: otherCache })))
  if (otherKnowsWitnesses) runs.otherWitnessed.push(rate(() => other.replay(witnessed.entries, { asOf: AS_OF, pool: witnessed.pool, cache: otherWitnessedCache })))
  runs.plain.push(rate(() => current.replay(plain.entries, { asOf: AS_OF, pool: plain.pool, cache: plainCache })))
  runs.witnessed.push(rate(() => current.replay(witnessed.entries, { asOf: AS_OF, pool: witnessed.pool, cache: witnessedCache })))
}
const best = { other: Math.max(...runs.other), plain: Math.max(...runs.plain), witnessed: Math.max(...runs.witnessed), ...(otherKnowsWitnesses ? { otherWitnessed: Math.max(...runs.otherWitnessed) } : {}) }
console.log(JSON.stringify({
  entries: size, rounds, entriesPerMs: best,
  unwitnessedVsOther: +(best.plain / best.other).toFixed(3),
  witnessedVsOther: +(best.witnessed / best.other).toFixed(3),
  witnessedVsUnwitnessed: +(best.witnessed / best.plain).toFixed(3),
  ...(best.otherWitnessed ? { witnessedVsOtherWitnessed: +(best.witnessed / best.otherWitnessed).toFixed(3) } : {}),
}))
