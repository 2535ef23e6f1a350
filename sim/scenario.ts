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
