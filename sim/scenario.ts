/**
 * What a seed decides before anything runs: how many pools and relays, who
 * plays which part, how bad the network is, how far off the clocks are.
 * Printed with a failing seed so a reader knows what kind of run it was.
 */
import type { FaultRates } from './faultNetwork.ts'
import type { Prng } from './prng.ts'

export interface Scenario {
  readonly pools: number
  readonly relays: number
  /** Devices per pool, the gatekeeper's and both of the cheater's included. */
  readonly devicesPerPool: number
  readonly withCheater: boolean
  readonly withForger: boolean
  readonly withVandal: boolean
  readonly withFlooder: boolean
  /** A newcomer joins with an invite; and a gate-crasher tries the same invite. */
  readonly withNewcomer: boolean
  readonly withCrasher: boolean
  readonly faults: FaultRates
  /** Per step: chance of a partition, of a device going offline for a long stretch, of a relay restart, of an app restart. */
  readonly partitionChance: number
  readonly offlineChance: number
  readonly relayRestartChance: number
  readonly appRestartChance: number
  /** Largest clock skew of a device, either way. */
  readonly skewMaxMs: number
}

const HOUR = 3_600_000
const MINUTE = 60_000

/** A witness key and how it behaves: hosted by a relay, honest or lying about time, up or down. */
export interface WitnessPlan {
  /** `w0`, `w1`: also the node name in traces. */
  readonly name: string
  /** Index of the relay that runs it. */
  readonly host: number
  /** Least time between two of its checkpoints. */
  readonly intervalMs: number
  readonly clock: 'honest' | 'ahead' | 'behind' | 'jumping'
  /** What its clock is off by at the start (a jumping clock moves later). */
  readonly offsetMs: number
  /** Steps [from, until) during which it signs nothing; until Infinity: down for the whole run, healing included. */
  readonly down: { readonly from: number; readonly until: number } | undefined
}

/** How one pool is witnessed: which witnesses its genesis names (primary first) and its offline limits. */
export interface PoolWitnessing {
  /** Indices into WitnessScenario.witnesses; empty: a pool without a witness (today's rules). */
  readonly witnesses: readonly number[]
  readonly offlineCountMax: number
  readonly offlineAmountMax: number
  readonly offlineAllowanceSeconds: number | undefined
  readonly inviteTtlSeconds: number | undefined
  /** Devices that hold the double spender's key (k); 2 in pools without a witness, as before. */
  readonly cheaterPhones: number
}

export interface WitnessScenario {
  readonly witnesses: readonly WitnessPlan[]
  readonly pools: readonly PoolWitnessing[]
}

/**
 * Witnesses, drawn from their own stream (so that a seed whose pools have
 * none plays exactly as it did before witnesses existed): per pool none
 * (25 %), one (35 %) or a primary and a backup (40 %); per witness key an
 * honest clock (70 %), or one far ahead, far behind or jumping; a witness
 * that serves as a primary somewhere is down for a long stretch in 30 % of
 * seeds, one that is only a backup is down for the whole run in 30 %.
 */
export function drawWitnesses(prng: Prng, scenario: Scenario, steps: number, enabled: boolean): WitnessScenario {
  const pools: PoolWitnessing[] = []
  for (let p = 0; p < scenario.pools; p++) {
    const roll = prng.float()
    const witnesses = !enabled || roll < 0.25 ? [] : roll < 0.6 ? [prng.int(0, 1)] : prng.pick([[0, 1], [1, 0]])
    pools.push({
      witnesses,
      offlineCountMax: prng.pick([1, 2, 3, 5]),
      offlineAmountMax: prng.pick([20, 100, 300, 1000]),
      offlineAllowanceSeconds: prng.pick([undefined, undefined, undefined, 600, 3600]),
      inviteTtlSeconds: prng.pick([undefined, undefined, 300]),
      cheaterPhones: witnesses.length > 0 && scenario.devicesPerPool >= 5 && prng.chance(0.35) ? 3 : 2,
    })
  }
  const plans: WitnessPlan[] = []
  for (let w = 0; w < 2; w++) {
    const primary = pools.some((p) => p.witnesses[0] === w)
    const clockRoll = prng.float()
    const clock = clockRoll < 0.7 ? 'honest' : clockRoll < 0.8 ? 'ahead' : clockRoll < 0.9 ? 'behind' : 'jumping'
    const far = prng.pick([10 * MINUTE, HOUR, 3 * HOUR])
    const offsetMs = clock === 'ahead' ? far : clock === 'behind' ? -far : clock === 'jumping' ? 0 : prng.int(-2_000, 2_000)
    let down: WitnessPlan['down']
    if (primary && prng.chance(0.3)) {
      const from = prng.int(1, Math.max(1, steps - 2))
      down = { from, until: from + prng.int(3, Math.max(3, Math.ceil(steps / 2))) }
    } else if (!primary && prng.chance(0.3)) {
      down = { from: 0, until: Infinity }
    }
    plans.push({ name: `w${w}`, host: Math.min(w, scenario.relays - 1), intervalMs: prng.int(2_000, 5_000), clock, offsetMs, down })
  }
  return { witnesses: plans, pools }
}

export function describeWitnesses(w: WitnessScenario): string {
  const used = new Set(w.pools.flatMap((p) => p.witnesses))
  const pools = w.pools.map((p, i) => `pool ${i}: ${p.witnesses.length === 0 ? 'no witness' : `${p.witnesses.map((x) => `w${x}`).join('+')} cap ${p.offlineCountMax}×/${p.offlineAmountMax}${p.offlineAllowanceSeconds ? ` allowance ${p.offlineAllowanceSeconds}s` : ''}${p.inviteTtlSeconds ? ` invite ttl ${p.inviteTtlSeconds}s` : ''} k=${p.cheaterPhones}`}`)
  const witnesses = w.witnesses.filter((_, i) => used.has(i)).map((plan) => {
    const clock = plan.clock === 'honest' ? '' : ` clock ${plan.clock}${plan.clock === 'jumping' ? '' : ` ${Math.round(plan.offsetMs / MINUTE)}min`}`
    const down = plan.down ? ` down ${plan.down.until === Infinity ? 'all run' : `steps ${plan.down.from}–${plan.down.until - 1}`}` : ''
    return `${plan.name} on relay${plan.host} every ${plan.intervalMs}ms${clock}${down}`
  })
  return [...pools, ...witnesses].join('; ')
}

export function drawScenario(prng: Prng, devicesPerPool: number, pools?: number, relays?: number): Scenario {
  const lossy = prng.chance(0.6)
  const newcomer = prng.chance(0.5)
  return {
    pools: pools ?? (prng.chance(0.3) ? 2 : 1),
    relays: relays ?? prng.int(1, 3),
    devicesPerPool,
    withCheater: devicesPerPool >= 4 && prng.chance(0.8),
    withForger: devicesPerPool >= 5 && prng.chance(0.6),
    withVandal: prng.chance(0.5),
    withFlooder: prng.chance(0.4),
    withNewcomer: newcomer,
    withCrasher: newcomer && prng.chance(0.5),
    faults: {
      // Loss inside a live connection is rare (TCP has none; automerge's sync stalls on it until a reconnect);
      // most loss comes with a broken connection (reset), as on a real phone.
      drop: lossy ? prng.pick([0.0005, 0.002, 0.005]) : 0,
      duplicate: prng.pick([0, 0, 0.02, 0.1]),
      reset: prng.pick([0, 0.002, 0.01, 0.03]),
      delayMinMs: 1,
      delayMaxMs: prng.pick([5, 50, 500, 3000]),
      fifo: prng.chance(0.5),
      reconnectMs: prng.pick([200, 1000, 5000]),
    },
    partitionChance: prng.pick([0, 0.05, 0.15]),
    offlineChance: prng.pick([0.05, 0.15]),
    relayRestartChance: prng.pick([0, 0.03, 0.1]),
    appRestartChance: prng.pick([0, 0.03]),
    skewMaxMs: prng.pick([2 * 60_000, 3 * HOUR, 8 * HOUR]),
  }
}

export function describeScenario(s: Scenario): string {
  const f = s.faults
  const cast = [s.withCheater && 'cheater', s.withForger && 'forger', s.withVandal && 'vandal', s.withFlooder && 'flooder', s.withNewcomer && 'newcomer', s.withCrasher && 'invite-reuser'].filter(Boolean).join('+') || 'honest only'
  return `${s.pools} pool(s), ${s.relays} relay(s), ${s.devicesPerPool} devices/pool, ${cast}; ` +
    `drop ${f.drop} dup ${f.duplicate} reset ${f.reset} delay ≤${f.delayMaxMs}ms ${f.fifo ? 'fifo' : 'reordered'}; ` +
    `partition ${s.partitionChance} offline ${s.offlineChance} relay-restart ${s.relayRestartChance} app-restart ${s.appRestartChance}; skew ≤${Math.round(s.skewMaxMs / 60_000)}min`
}
