/**
 * Chains past one shard (issue 14: "shards past 256 entries"). A shard
 * document holds SHARD_ENTRIES entries of one author; a sim run is minutes
 * long, so no chain would ever leave its first shard. In some pools one honest
 * member arrives with a long past: SHARD_ENTRIES − 1 profile updates signed
 * before the run (a phone used for months), held by its own phone and the
 * gatekeeper's. Its first entry of the run is the last of shard 0, and every
 * later one goes to shard 1, through every fault the run draws: devices must
 * follow the second shard, relays evict and reload both, a vandal may hit
 * either, and the checks hold as before.
 *
 * Drawn from a stream of its own per pool (`history/poolN`), so a seed's other
 * draws are as they were.
 */
import { Ledger, SignatureCache, signEntry, type Entry, type ProfileEntry } from '../core/index.ts'
import { SHARD_ENTRIES } from '../core/sync/limits.ts'
import type { KeyPair } from './keys.ts'
import type { PoolPlan } from './poolSetup.ts'
import { Prng } from './prng.ts'

/** Share of pools with one long chain. */
export const LONG_HISTORY_POOL_SHARE = 0.1
/** Milliseconds between two entries of the long past (dated before the run starts). */
const HISTORY_SPACING_MS = 10

/** The long past of `owner` in this pool, or none (most pools). */
export function longHistory(seed: number, plan: PoolPlan, owner: KeyPair | undefined): Entry[] {
  if (!owner || !new Prng(seed, `history/pool${plan.index}`).chance(LONG_HISTORY_POOL_SHARE)) return []
  const cache = new SignatureCache()
  for (const entry of plan.founding) cache.set(entry, true)
  const ledger = new Ledger(plan.pool, { cache })
  const asOf = Number.MAX_SAFE_INTEGER
  ledger.add(plan.founding, asOf)
  const history: Entry[] = []
  let time = Math.max(...plan.founding.map((entry) => entry.time))
  for (let k = 1; k < SHARD_ENTRIES; k++) {
    const head = ledger.chainHead(owner.publicKey)
    time += HISTORY_SPACING_MS
    const entry = signEntry<ProfileEntry>({
      type: 'profile', pool: plan.pool, author: owner.publicKey, seq: head.seq, prev: head.prev, deps: ledger.depsFor(owner.publicKey),
      time: Math.max(time, head.time), name: `Member since ${k}`,
    } as never, owner.secretKey)
    cache.set(entry, true)
    ledger.add([entry], asOf)
    history.push(entry)
  }
  const rejected = ledger.result().entries.filter((judged) => judged.status !== 'accepted')
  if (rejected.length > 0) throw new Error(`expected a long history the validator accepts, got ${rejected.length} rejected: ${rejected[0]!.reason}`)
  return history
}

/** How many authors' chains in `entries` reach past their first shard. */
export function chainsPastFirstShard(entries: Iterable<Entry>): number {
  const authors = new Set<string>()
  for (const entry of entries) if (entry.seq > SHARD_ENTRIES) authors.add(entry.author)
  return authors.size
}
