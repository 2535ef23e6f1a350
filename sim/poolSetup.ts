/**
 * The pools of one run: a genesis and its policy drawn from the seed, the
 * gatekeeper's admissions (and, in issued pools, first issues), all signed
 * before the network starts, as a gatekeeper would at a founding meeting.
 * A witnessed pool's genesis also names its witnesses (primary first) and
 * the offline limits its honest members respect.
 */
import { signEntry, toHex, type Demurrage, type Entry, type EntryId, type HourRate, type Policy, type PoolEntry, type PublicKeyHex } from '../core/index.ts'
import { keyPairFor, type KeyPair } from './keys.ts'
import type { Prng } from './prng.ts'

export interface PoolPlan {
  readonly index: number
  readonly pool: EntryId
  readonly policy: Policy
  readonly genesis: PoolEntry
  readonly gatekeeper: KeyPair
  /** Members other than the gatekeeper, by role in the simulation. */
  readonly members: readonly KeyPair[]
  /** Genesis, admits and first issues, in chain order. */
  readonly founding: readonly Entry[]
}

/** What a witnessed pool's genesis says about its witnesses and its offline limits. */
export interface WitnessPolicy {
  /** Primary first. */
  readonly keys: readonly PublicKeyHex[]
  readonly offlineCountMax: number
  readonly offlineAmountMax: number
  readonly offlineAllowanceSeconds: number | undefined
  readonly inviteTtlSeconds: number | undefined
}

/**
 * Demurrage for a pool (issue 18): its rate, and how long before the run the pool was founded, so
 * that a run of minutes crosses its daily boundaries (drawn by actors/demurrage.ts).
 */
export interface DemurragePlan {
  readonly demurrage: Demurrage
  /** The genesis is dated this long before the run's start. */
  readonly foundedBeforeMs: number
}

export function planPool(seed: number, index: number, memberCount: number, startMs: number, prng: Prng, witnessed?: WitnessPolicy, demurrage?: DemurragePlan, hourRate?: HourRate): PoolPlan {
  const gatekeeper = keyPairFor(seed, `pool${index}/gatekeeper`)
  const issued = prng.chance(0.35)
  const policy: Policy = {
    kind: issued ? 'issued' : 'mutual-credit',
    name: `Sim pool ${index}`,
    symbol: 'SIM',
    decimals: 2,
    minBalance: issued ? 0 : -prng.pick([100, 300, 1000]),
    maxBalance: prng.chance(0.5) ? null : prng.pick([800, 1500, 3000]),
    rateLimitSeconds: prng.pick([0, 30, 60, 60, 120]),
    ...(prng.chance(0.3) ? { feeBasisPoints: prng.pick([100, 250, 2000]) } : {}),
    ...(prng.chance(0.35) ? { twoStep: true } : {}),
    ...(witnessed && witnessed.keys.length > 0 ? {
      witnesses: [...witnessed.keys], offlineCountMax: witnessed.offlineCountMax, offlineAmountMax: witnessed.offlineAmountMax,
      ...(witnessed.offlineAllowanceSeconds !== undefined ? { offlineAllowanceSeconds: witnessed.offlineAllowanceSeconds } : {}),
      ...(witnessed.inviteTtlSeconds !== undefined ? { inviteTtlSeconds: witnessed.inviteTtlSeconds } : {}),
    } : {}),
    ...(demurrage ? { demurrage: demurrage.demurrage } : {}),
    // Issue 19: a rate to HOUR in pools linked to others (no draw: a seed's other draws stay as they were).
    ...(hourRate ? { hourRate } : {}),
  }
  const genesis = signEntry<PoolEntry>({
    type: 'pool', author: gatekeeper.publicKey, seq: 1, prev: null, deps: [], time: startMs - (demurrage?.foundedBeforeMs ?? 0),
    policy, nonce: toHex(prng.bytes(16)),
  }, gatekeeper.secretKey)
  const pool = genesis.id
  const members: KeyPair[] = []
  for (let i = 0; i < memberCount; i++) members.push(keyPairFor(seed, `pool${index}/member${i}`))
  const founding: Entry[] = [genesis]
  let last: Entry = genesis
  const next = (body: Record<string, unknown>): Entry => {
    const entry = signEntry({
      pool, author: gatekeeper.publicKey, seq: last.seq + 1, prev: last.id, deps: [], time: last.time + 1000, ...body,
    } as never, gatekeeper.secretKey) as Entry
    founding.push(entry)
    last = entry
    return entry
  }
  for (const member of members) next({ type: 'admit', member: member.publicKey })
  if (issued) {
    for (const member of members) next({ type: 'issue', to: member.publicKey, amount: prng.int(100, 800) })
  }
  return { index, pool, policy, genesis, gatekeeper, members, founding }
}

export function describePolicy(policy: Policy): string {
  const fee = policy.feeBasisPoints ? ` fee ${policy.feeBasisPoints}bp` : ''
  const twoStep = policy.twoStep ? ' two-step' : ''
  const d = policy.demurrage
  const demurrage = d ? ` demurrage ${d.rateNum}/${d.rateDen} per ${d.periodSeconds}s above ${d.freeBase}` : ''
  const witnesses = policy.witnesses?.length ? ` witnesses ${policy.witnesses.map((key) => key.slice(0, 6)).join('+')} offline ≤${policy.offlineCountMax}×/${policy.offlineAmountMax}` : ''
  return `${policy.kind} min ${policy.minBalance} max ${policy.maxBalance ?? '∞'} rate ${policy.rateLimitSeconds}s${fee}${twoStep}${witnesses}${demurrage}`
}

export type { PublicKeyHex }
