/**
 * The end of the bad weather: no more faults, every partition healed, every
 * device online, every connection that lost a message inside it re-made once
 * (as clients do after a stall), witnesses that were down for a stretch back up.
 * Then time runs until every PoolSync is settled and no device's set of
 * entries changes for a while. If that never happens within the limit, that
 * itself is a violation (liveness): a device is missing something it can
 * derive and some peer holds.
 */
import { NO_FAULTS } from './faultNetwork.ts'
import type { VirtualClock } from './virtualClock.ts'
import { allDevices, devicesOf, type World } from './world.ts'

/** Virtual time allowed for the network to converge after healing. */
const HEAL_LIMIT_MS = 30 * 60_000
const HEAL_TICK_MS = 1_000
/** Entry sets unchanged for this long, with every PoolSync settled, count as quiet. */
const QUIET_MS = 10_000
/**
 * Messages allowed while healing. A healthy heal of a small run takes a few
 * hundred; thousands per virtual second with nothing changing is a sync storm
 * (two peers answering each other forever), reported at once.
 */
const HEAL_MESSAGES_MAX = 50_000

export interface HealOutcome {
  readonly violations: string[]
  readonly notes: string[]
  readonly healMs: number
}

export async function healAndSettle(world: World, clock: VirtualClock, limitMs = HEAL_LIMIT_MS): Promise<HealOutcome> {
  const { network, trace } = world
  network.setRates(NO_FAULTS)
  network.healPartitions()
  for (const device of allDevices(world)) network.setOnline(device.name, true)
  network.cycleStalledLinks()
  // A witness down for a stretch is back (one down for the whole run stays down); a lying clock still lies.
  for (const witness of world.witnesses) witness.heal()
  trace.note('heal: faults off, partitions healed, everyone online, stalled links re-made')
  const start = clock.now
  const sentBefore = network.stats.sent
  let quietSince = clock.now
  let lastPrint = ''
  for (;;) {
    let settled = false
    void Promise.all([...allDevices(world).map((device) => device.sync.settled()), ...world.witnesses.map((witness) => witness.settled())]).then(() => (settled = true))
    await clock.advance(HEAL_TICK_MS)
    const print = fingerprintOfStores(world)
    if (!settled || print !== lastPrint || !storesAgree(world)) {
      lastPrint = print
      quietSince = clock.now
    } else if (clock.now - quietSince >= QUIET_MS) {
      trace.note(`heal: quiet after ${Math.round((clock.now - start) / 1000)}s`)
      return { violations: [], notes: [], healMs: clock.now - start }
    }
    if (network.stats.sent - sentBefore > HEAL_MESSAGES_MAX) {
      return {
        violations: [`liveness: sync storm, ${network.stats.sent - sentBefore} messages in ${Math.round((clock.now - start) / 1000)} virtual s of healing without converging (${describeDisagreement(world)})`],
        notes: [],
        healMs: clock.now - start,
      }
    }
    if (clock.now - start > limitMs) {
      return {
        violations: [`liveness: devices did not converge within ${limitMs / 60_000} virtual minutes after healing (${describeDisagreement(world)})`],
        notes: [],
        healMs: clock.now - start,
      }
    }
  }
}

function fingerprintOfStores(world: World): string {
  return allDevices(world).map((device) => `${device.name}:${device.store.size}`).join(',')
}

function storesAgree(world: World): boolean {
  for (const cast of world.pools) {
    const sizes = new Set(devicesOf(cast).map((device) => device.store.size))
    if (sizes.size > 1) return false
  }
  return true
}

function describeDisagreement(world: World): string {
  return world.pools
    .map((cast) => devicesOf(cast).map((device) => `${device.name}=${device.store.size}`).join(' '))
    .join('; ')
}
