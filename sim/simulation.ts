/**
 * One seeded run: build the world, play K steps of payments, cheating and
 * faults in virtual time, heal the network, wait for quiet, check.
 *
 * Everything random comes from one Prng (forked per concern); time is the
 * VirtualClock's; Math.random and crypto.getRandomValues are seeded for the
 * run. So `runSimulation({ seed })` twice gives the same trace and the same
 * fingerprint (sim/test/determinism.test.ts).
 */
import { createHash } from 'node:crypto'
import type { DocumentId, PeerId } from '@automerge/automerge-repo'
import { Repo } from '@automerge/automerge-repo'
import { SignatureCache, type Entry, type PublicKeyHex } from '../core/index.ts'
import { shardDocumentId } from '../core/sync/index.ts'
import { createNodeVerifier } from '../sync-server/native-verify.ts'
import { forgeSomething } from './actors/forger.ts'
import { freezeCheaters, issueALittle } from './actors/gatekeeper.ts'
import { payAtRandom } from './actors/honestMember.ts'
import { answerSomething, closeAccount, invite, joinWithInvite, requestPayment } from './actors/community.ts'
import { spendOnEach, spendTwice } from './actors/doubleSpender.ts'
import { attackSomething } from './actors/attacks.ts'
import { flood, vandalise } from './actors/vandal.ts'
import { collectDue, orderSomething, stopAnOrder } from './actors/standingOrders.ts'
import { playRecurring } from './actors/recurringRequests.ts'
import { linkDevice, payFromDevice, revokeDevice } from './actors/linkedDevices.ts'
import { deviceForkWatcher, drawTrouble, playTrouble } from './actors/deviceTrouble.ts'
import { deviceTroubleFigures, NO_DEVICE_TROUBLE, type DeviceTroubleFigures } from './deviceChecks.ts'
import { chainsPastFirstShard, longHistory } from './longHistory.ts'
import { NO_BETWEEN_FIGURES, betweenFigures, describeBetween, drawBetweenPools, gatewaysOnStep, healGateways, makeGateways, payAcross, startRounds, trustEachOther, type BetweenFigures, type BetweenPlan } from './betweenPools.ts'
import { runChecks, type Sabotage } from './checks.ts'
import { Device } from './device.ts'
import { FaultNetwork, RUN_MESSAGES_MAX } from './faultNetwork.ts'
import { describePolicy, planPool, type PoolPlan } from './poolSetup.ts'
import { drawDemurrage, drawNight, tick, type Night } from './actors/demurrage.ts'
import { Prng } from './prng.ts'
import { keyPairFor } from './keys.ts'
import { RelayNode } from './relayNode.ts'
import { describeScenario, describeWitnesses, drawScenario, drawWitnesses, type Scenario, type WitnessScenario } from './scenario.ts'
import { seedGlobalEntropy } from './seededEntropy.ts'
import { healAndSettle } from './settle.ts'
import { snapshotRelays } from './relaySnapshot.ts'
import { Trace } from './trace.ts'
import { VirtualClock } from './virtualClock.ts'
import { Witness } from './witness.ts'
import { WitnessRecords } from './witnessChecks.ts'
import { allDevices, devicesOf, type LinkedDevice, type PoolCast, type World } from './world.ts'

/** 2026-11-22 10:00 UTC: the sim's real time starts here. */
export const SIM_START_MS = Date.UTC(2026, 10, 22, 10, 0, 0)

export interface SimOptions {
  readonly seed: number
  /** Devices per pool (gatekeeper and the cheater's two included); at least 3. */
  readonly devices?: number
  readonly steps?: number
  readonly pools?: number
  readonly relays?: number
  /** Break an invariant on purpose, to prove the checks catch it. */
  readonly sabotage?: Sabotage
  readonly traceKeep?: number
  /**
   * Run relays exactly as sync-server does (true), or with the fix this
   * simulation suggests for their stale per-client sync state (false, the
   * default: otherwise that one known bug hides everything else).
   */
  readonly stockRelay?: boolean
  /** Pools may name witnesses (drawn per seed); false: no pool has one, and a seed plays as before witnesses existed. */
  readonly witnesses?: boolean
  /**
   * Honest members set up standing orders and scheduled payments, and payees' phones collect them
   * (actors/standingOrders.ts). Off with `witnesses: false`, so the old campaign's seeds replay as they ran.
   */
  readonly orders?: boolean
  /**
   * Honest members link a second device, pay from it and sometimes remove it (actors/linkedDevices.ts).
   * Off with `witnesses: false`, so the old campaign's seeds replay as they ran.
   */
  readonly linkedDevices?: boolean
  /**
   * Some pools have a member whose chain is a shard long before the run (longHistory.ts).
   * Off with `witnesses: false`, so the old campaign's seeds replay as they ran.
   */
  readonly longChains?: boolean
  /** Seeds with two witnessed pools may link them and pay between them (betweenPools.ts). Off with `witnesses: false`. */
  readonly betweenPools?: boolean
  /** Virtual time healing may take before the run is a liveness failure (30 minutes unless a test wants its verdict sooner). */
  readonly healLimitMs?: number
}

export interface SimResult {
  readonly seed: number
  readonly ok: boolean
  readonly violations: readonly string[]
  /** Things worth a look that are not violations (PoolSync errors, slow healing). */
  readonly notes: readonly string[]
  readonly scenario: string
  readonly trace: readonly string[]
  /** A digest of the final state of every pool and of the network's counters: equal for equal runs. */
  readonly fingerprint: string
  readonly figures: {
    readonly entries: number
    readonly virtualMs: number
    readonly healMs: number
    readonly messages: number
    readonly forged: number
    readonly forks: number
    readonly witness: WitnessFigures
    readonly orders: OrderFigures
    readonly devices: DeviceFigures
    /** Authors whose chain went past its first shard (issue 14). */
    readonly chainsPastFirstShard: number
    readonly demurrage: DemurrageFigures
    readonly between: BetweenFigures
  }
}

/** What money over time did in one run, as the gatekeepers' ledgers hold it once healed. */
export interface OrderFigures {
  /** Standing orders and scheduled payments accepted (orders made by accepting a recurring request included). */
  readonly orders: number
  /** Payments made by them (periods paid). */
  readonly paid: number
  /** Collects refused (the payer could not pay, not due by the witness's clock, stopped, or paid already). */
  readonly refused: number
  /** Recurring requests accepted into the ledger (actors/recurringRequests.ts). */
  readonly requests: number
  /** Orders made by accepting one, and the periods paid of those. */
  readonly requestOrders: number
  readonly requestPaid: number
  /** Periods paid by a coordinator's collect (not the payee's). */
  readonly coordinatorPaid: number
  /** Collects refused because their period was paid already (a duplicate, or a race between payee and coordinator). */
  readonly paidAlready: number
  /** Request-born orders ended by a cancel (payer or payee), and recurring requests withdrawn before anyone accepted. */
  readonly requestsEnded: number
}

const NO_ORDER_FIGURES: OrderFigures = { orders: 0, paid: 0, refused: 0, requests: 0, requestOrders: 0, requestPaid: 0, coordinatorPaid: 0, paidAlready: 0, requestsEnded: 0 }

/** What demurrage did in one run (issue 18), as the gatekeepers' ledgers hold it once healed. */
export interface DemurrageFigures {
  /** Pools that charge it (founded a day or two before the run). */
  readonly pools: number
  /** Charges (one movement each, one or more boundaries) and what they collected for the commons. */
  readonly charges: number
  readonly collected: number
  /** Gatekeepers' ticks accepted, and refused (within an hour of the last). */
  readonly ticks: number
  readonly ticksRefused: number
  /** 1 when the world slept a day or two at one step (drawNight). */
  readonly nights: number
}

const NO_DEMURRAGE_FIGURES: DemurrageFigures = { pools: 0, charges: 0, collected: 0, ticks: 0, ticksRefused: 0, nights: 0 }

function demurrageFigures(world: World): DemurrageFigures {
  let pools = 0
  let charges = 0
  let collected = 0
  let ticks = 0
  let ticksRefused = 0
  for (const cast of world.pools) {
    if (!cast.plan.policy.demurrage) continue
    pools++
    const ledger = cast.gatekeeper.ledger
    for (const m of ledger.movements()) if (m.demurrage) charges++
    collected += ledger.demurrageCollected
    for (const v of ledger.result().entries) {
      if (v.type !== 'tick') continue
      if (v.status === 'accepted') ticks++
      else if (v.status === 'rejected') ticksRefused++
    }
  }
  return { pools, charges, collected, ticks, ticksRefused, nights: world.night ? 1 : 0 }
}

/** What members' second devices did in one run (issue 17), as the gatekeepers' ledgers hold it once healed. */
export interface DeviceFigures extends DeviceTroubleFigures {
  /** Certificates and revocations accepted. */
  readonly linked: number
  readonly removed: number
  /** Payments signed by device keys: accepted, and voided by a revocation's cutoff. */
  readonly paid: number
  readonly voided: number
}

const NO_DEVICE_FIGURES: DeviceFigures = { linked: 0, removed: 0, paid: 0, voided: 0, ...NO_DEVICE_TROUBLE }

function deviceFigures(world: World): DeviceFigures {
  let linked = 0
  let removed = 0
  let paid = 0
  let voided = 0
  for (const cast of world.pools) {
    const devices = new Set(cast.linked.map((l) => l.device.key.publicKey as string))
    for (const v of cast.gatekeeper.ledger.result().entries) {
      if (v.type === 'device' && v.status === 'accepted') linked++
      if (v.type === 'revoke' && v.status === 'accepted') removed++
      if (v.type === 'transfer' && devices.has(v.author)) {
        if (v.status === 'accepted') paid++
        if (v.reason === 'device-revoked') voided++
      }
    }
  }
  return { linked, removed, paid, voided, ...deviceTroubleFigures(world) }
}

function orderFigures(world: World): OrderFigures {
  let orders = 0
  let paid = 0
  let refused = 0
  let requests = 0
  let requestOrders = 0
  let requestPaid = 0
  let coordinatorPaid = 0
  let paidAlready = 0
  let requestsEnded = 0
  for (const cast of world.pools) {
    const ledger = cast.gatekeeper.ledger
    const result = ledger.result()
    const coordinators = new Map<string, string | undefined>()
    for (const order of result.orders ?? []) {
      orders++
      paid += order.paid
      coordinators.set(order.id, order.coordinator)
      if (order.request === undefined) continue
      requestOrders++
      requestPaid += order.paid
      if (order.status === 'revoked') requestsEnded++
    }
    for (const request of Object.values(result.requests ?? {})) {
      if (request.everySeconds === undefined) continue
      requests++
      if (request.status === 'cancelled' && (request.orders ?? []).length === 0) requestsEnded++
    }
    for (const v of result.entries) {
      if (v.type !== 'collect') continue
      if (v.status === 'rejected') {
        refused++
        if (v.reason === 'order-period-paid') paidAlready++
      } else if (v.status === 'accepted') {
        const entry = ledger.entry(v.id)
        if (entry?.type === 'collect' && coordinators.get(entry.order) === entry.author) coordinatorPaid++
      }
    }
  }
  return { orders, paid, refused, requests, requestOrders, requestPaid, coordinatorPaid, paidAlready, requestsEnded }
}

/** What the witnesses did in one run. */
export interface WitnessFigures {
  /** Pools that named a witness. */
  readonly pools: number
  readonly checkpoints: number
  /** (device, entry) pairs a device showed as covered at some point: each one checked for finality. */
  readonly covered: number
  /** Honest transfers sent online and offline, and payments an app kept because its offline allowance was short. */
  readonly online: number
  readonly offline: number
  readonly keptForCap: number
  /** Honest transfers that still ended rejected for the offline cap. */
  readonly honestCapped: number
  /** Staged double spends whose loss was held to the bound, and what was lost there and at most allowed. */
  readonly boundChecked: number
  readonly lost: number
  readonly bound: number
  readonly attacks: number
}

const NO_WITNESS_FIGURES: WitnessFigures = { pools: 0, checkpoints: 0, covered: 0, online: 0, offline: 0, keptForCap: 0, honestCapped: 0, boundChecked: 0, lost: 0, bound: 0, attacks: 0 }

export const UNHANDLED_REJECTION_NOTE = 'unhandled rejection'

/** One verifier for every device: OpenSSL behind the reference pre-checks, the reference's verdict on every input. */
const verifier = createNodeVerifier()

export async function runSimulation(options: SimOptions): Promise<SimResult> {
  const seed = options.seed >>> 0
  const devicesPerPool = Math.max(3, options.devices ?? 6)
  const steps = Math.max(1, options.steps ?? 40)
  const root = new Prng(seed, 'root')
  const clock = new VirtualClock(SIM_START_MS)
  const trace = new Trace(options.traceKeep ?? 50, () => clock.now, SIM_START_MS)
  clock.install()
  const entropy = seedGlobalEntropy(root.fork('entropy'))
  // An unhandled rejection kills a Node process (a relay) by default: here it is a finding, not a crash of the sim.
  const rejections: string[] = []
  const onRejection = (reason: unknown): void => {
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)
    rejections.push(text)
    trace.note(`UNHANDLED REJECTION: ${text}`)
  }
  process.on('unhandledRejection', onRejection)
  try {
    const scenario = drawScenario(root.fork('scenario'), devicesPerPool, options.pools, options.relays)
    // Its own stream: a seed whose pools name no witness draws everything else as before witnesses existed.
    const witnessing = drawWitnesses(new Prng(seed, 'witnesses'), scenario, steps, options.witnesses !== false)
    const moneyOverTime = options.orders !== false && options.witnesses !== false
    // Issue 18: a night (a day or two while everyone sleeps) in some seeds, from a stream of its own.
    const night = moneyOverTime ? drawNight(new Prng(seed, 'night'), steps) : undefined
    // Issue 19: rates, trustlines, gateways and path payments in some seeds with two witnessed pools, from a stream of its own.
    const betweenPlan = drawBetweenPools(seed, scenario, witnessing, steps, options.betweenPools !== false && options.witnesses !== false)
    const world = buildWorld(seed, scenario, witnessing, root, trace, !options.stockRelay, moneyOverTime,
      options.linkedDevices !== false && options.witnesses !== false, options.longChains !== false && options.witnesses !== false, night, steps, betweenPlan)
    // For ad-hoc debugging scripts only.
    if (process.env.SIM_DEBUG) (globalThis as Record<string, unknown>).__simWorld = world
    const described = `${describeScenario(scenario)}; ${describeWitnesses(witnessing)}${betweenPlan ? `; ${describeBetween(betweenPlan)}` : ''}`
    trace.note(`scenario: ${described}`)
    for (const cast of world.pools) trace.note(`pool ${cast.plan.index}: ${describePolicy(cast.plan.policy)}`)
    // The witnesses' relays saw the pools' geneses first: their first checkpoints are there when the phones start.
    for (const witness of world.witnesses) await witness.start()
    if (world.witnesses.length > 0) await clock.advance(0)
    for (const device of allDevices(world)) await device.boot()
    if (world.between) {
      await trustEachOther(world, world.between)
      startRounds(world, world.between)
    }
    for (const cast of witnessedPools(world)) {
      if (!cast.cheater) continue
      const watcher = world.records.lossWatcher(cast)
      for (const device of devicesOf(cast)) device.watch(watcher)
    }
    for (const cast of world.pools) {
      if (world.trouble?.pools.get(cast.plan.index)?.forkFrom === undefined) continue
      for (const device of devicesOf(cast)) device.watch(deviceForkWatcher(world, cast))
    }
    await clock.advance(2_000)
    await play(world, scenario, steps, clock)
    if (world.between) healGateways(world.between, trace)
    const heal = await healAndSettle(world, clock, options.healLimitMs)
    // The last record of what each device shows, on its own (incremental) ledger, after healing.
    for (const cast of witnessedPools(world)) {
      for (const device of devicesOf(cast)) {
        device.refresh()
        world.records.sampleCovered(device)
      }
    }
    await snapshotRelays(world, verifier)
    for (const relay of world.relays) if (relay.evictions > 0) trace.note(`${relay.name}: evicted ${relay.evictions} document(s) during the run`)
    const maxRealTime = clock.now
    const outcome = await runChecks(world, { asOf: maxRealTime, verifier, sabotage: options.sabotage })
    const storm = world.network.overBudget === undefined ? [] : [`liveness: sync storm, more than ${RUN_MESSAGES_MAX.toLocaleString('en')} messages in one run (the first one over: ${world.network.overBudget})`]
    const violations = [...storm, ...heal.violations, ...outcome.violations]
    const notes = [...heal.notes, ...outcome.notes]
    // Not a money violation but a crash risk: automerge-repo's `void beginSync()` (docs/simulation.md, "unhandled rejection").
    if (rejections.length > 0) notes.push(`${UNHANDLED_REJECTION_NOTE}: ${rejections.length} (a Node process would exit): ${[...new Set(rejections)].join('; ')}`)
    const fingerprint = createHash('sha256')
      .update(outcome.digest)
      .update(JSON.stringify(world.network.stats))
      .update(String(trace.total))
      .digest('hex')
      .slice(0, 16)
    if (outcome.honestCapped > 0) notes.push(`${outcome.honestCapped} honest transfer(s) ended rejected for the offline cap`)
    const witnessed = witnessedPools(world)
    const payments = witnessed.flatMap((cast) => devicesOf(cast)).map((device) => device.payments)
    const checked = outcome.losses.filter((loss) => loss.applies)
    const witnessFigures: WitnessFigures = {
      pools: witnessed.length,
      checkpoints: world.witnesses.reduce((n, w) => n + [...w.signed.values()].reduce((a, b) => a + b, 0), 0),
      covered: world.records.coveredCount,
      online: payments.reduce((n, p) => n + p.online, 0),
      offline: payments.reduce((n, p) => n + p.offline, 0),
      keptForCap: payments.reduce((n, p) => n + p.keptForCap, 0),
      honestCapped: outcome.honestCapped,
      boundChecked: checked.length,
      lost: checked.reduce((n, loss) => n + loss.lost, 0),
      bound: checked.reduce((n, loss) => n + loss.bound, 0),
      attacks: world.truth.attacks.length,
    }
    return {
      seed, ok: violations.length === 0, violations, notes, scenario: described, trace: [...trace.lines()], fingerprint,
      figures: {
        entries: outcome.entries, virtualMs: clock.now - SIM_START_MS, healMs: heal.healMs, messages: world.network.stats.sent,
        forged: [...world.truth.forgedLines.values()].reduce((n, lines) => n + lines.size, 0), forks: world.truth.stagedForks.length,
        witness: witnessFigures, orders: orderFigures(world), devices: deviceFigures(world), demurrage: demurrageFigures(world), between: betweenFigures(world, world.between, outcome.pathOutcomes),
        chainsPastFirstShard: world.pools.reduce((n, cast) => n + chainsPastFirstShard(cast.gatekeeper.ledger.entries()), 0),
      },
    }
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
    return {
      seed, ok: false, violations: [`crash: ${message}`], notes: [], scenario: '', trace: [...trace.lines()], fingerprint: 'crash',
      figures: { entries: 0, virtualMs: clock.now - SIM_START_MS, healMs: 0, messages: 0, forged: 0, forks: 0, witness: NO_WITNESS_FIGURES, orders: NO_ORDER_FIGURES, devices: NO_DEVICE_FIGURES, chainsPastFirstShard: 0, demurrage: NO_DEMURRAGE_FIGURES, between: NO_BETWEEN_FIGURES },
    }
  } finally {
    process.off('unhandledRejection', onRejection)
    entropy.restore()
    clock.uninstall()
  }
}

function witnessedPools(world: World): PoolCast[] {
  return world.pools.filter((cast) => cast.witnessing.witnesses.length > 0)
}

function buildWorld(seed: number, scenario: Scenario, witnessing: WitnessScenario, root: Prng, trace: Trace, patchedRelays: boolean, orders: boolean, linkedDevices: boolean, longChains: boolean, night: Night | undefined, steps: number, between?: BetweenPlan): World {
  const network = new FaultNetwork(root.fork('network'), trace, scenario.faults)
  const relayNames = Array.from({ length: scenario.relays }, (_, i) => `relay${i}`)
  for (const name of relayNames) network.addNode(name)
  const isRelay = (name: string): boolean => relayNames.includes(name)
  // Bounded memory (issue 14), from a stream of its own so that every other draw of a seed stays as it was:
  // about half the relays evict idle documents under a budget of 0, 2 or 8 documents.
  const evictionDraws = new Prng(seed, 'eviction')
  const evictions = relayNames.map(() => (evictionDraws.chance(0.5)
    ? { budgetBytes: evictionDraws.pick([0, 2, 8]) * 64 * 1024, idleMsMin: evictionDraws.pick([1_000, 5_000]) }
    : undefined))
  const relays = relayNames.map((name, i) => new RelayNode(name, network, isRelay, trace, patchedRelays, evictions[i]))
  const evicting = relayNames.flatMap((name, i) => {
    const eviction = evictions[i]
    return eviction ? [`${name} budget ${eviction.budgetBytes / 65_536} documents, idle ${eviction.idleMsMin} ms`] : []
  })
  if (evicting.length > 0) trace.note(`evicting: ${evicting.join('; ')}`)
  // Relays peer with each other (sync-server's `peers`), so a pool survives the loss of one.
  for (let i = 0; i < relayNames.length; i++) for (let j = i + 1; j < relayNames.length; j++) network.wantLink(relayNames[i]!, relayNames[j]!)

  const setup = root.fork('setup')
  const cache = new SignatureCache()
  const witnessKeys = witnessing.witnesses.map((plan) => keyPairFor(seed, `witness/${plan.name}`))
  // Issue 18: demurrage in pools without a witness, founded a day or two before the run, from a stream of its own.
  const demurragePrng = orders ? new Prng(seed, 'demurrage') : undefined
  const pools: PoolCast[] = []
  for (let p = 0; p < scenario.pools; p++) {
    const poolWitnessing = witnessing.pools[p]!
    const phones = poolWitnessing.cheaterPhones
    const memberDevices = scenario.devicesPerPool - 1 - (scenario.withCheater ? phones - 1 : 0)
    const witnessPolicy = poolWitnessing.witnesses.length === 0 ? undefined : { ...poolWitnessing, keys: poolWitnessing.witnesses.map((w) => witnessKeys[w]!.publicKey) }
    // Unwitnessed pools are founded a day or two before the run; witnessed ones (whose demurrage clock is
    // witnessed time, starting with the run) charge it only in a seed with a night to sleep through.
    const demurrage = !demurragePrng ? undefined : !witnessPolicy ? drawDemurrage(demurragePrng) : night ? drawDemurrage(demurragePrng, false) : undefined
    const plan = planPool(seed, p, memberDevices, SIM_START_MS, setup, witnessPolicy, demurrage, between?.rates.get(p))
    const device = (name: string, key: PoolPlan['gatekeeper'], initial: readonly Entry[]): Device => {
      network.addNode(name)
      // Each phone reaches one or two relays.
      const reach = setup.shuffle([...relayNames]).slice(0, setup.int(1, Math.min(2, relayNames.length)))
      for (const relay of reach) network.wantLink(name, relay)
      const skew = setup.chance(0.5) ? setup.int(-scenario.skewMaxMs, scenario.skewMaxMs) : setup.int(-5_000, 5_000)
      return new Device({ name, pool: plan.pool, key, initial, clockSkewMs: skew, network, verifier, signatureCache: cache, trace })
    }
    const members = [...plan.members]
    const cheaterKey = scenario.withCheater ? members.shift() : undefined
    const forgerKey = scenario.withForger ? members.shift() : undefined
    // Issue 14: in some pools the first honest member's chain is a shard long already (longHistory.ts).
    const history = longChains ? longHistory(seed, plan, members[0]) : []
    if (history.length > 0) trace.note(`pool ${p}: member0 starts with ${history.length} entries of its own (its next ones go past the first shard)`)
    const gatekeeper = device(`p${p}-gatekeeper`, plan.gatekeeper, [...plan.founding, ...history])
    const cheater = cheaterKey ? Array.from({ length: phones }, (_, i) => device(`p${p}-cheater-${'abcd'[i]}`, cheaterKey, [plan.genesis])) : undefined
    const forger = forgerKey ? device(`p${p}-forger`, forgerKey, [plan.genesis]) : undefined
    const honest = members.map((key, i) => device(`p${p}-member${i}`, key, i === 0 && history.length > 0 ? [...plan.founding, ...history] : [plan.genesis]))
    const newcomer = scenario.withNewcomer ? device(`p${p}-newcomer`, keyPairFor(seed, `pool${p}/newcomer`), [plan.genesis]) : undefined
    const crasher = scenario.withCrasher ? device(`p${p}-crasher`, keyPairFor(seed, `pool${p}/crasher`), [plan.genesis]) : undefined
    const inviteKey = newcomer ? keyPairFor(seed, `pool${p}/invite-key`) : undefined
    pools.push({ plan, gatekeeper, honest, cheater, forger, newcomer, crasher, inviteKey, invite: undefined, witnessing: poolWitnessing, linked: [], gateways: [] })
  }
  // Issue 17: up to two honest members per pool get a second device, drawn from a stream of its own and
  // made after everything else, so a seed's other draws stay as they were.
  const linkedDevice = (cast: PoolCast, owner: Device, what: string, draws: Prng): LinkedDevice => {
    const name = `p${cast.plan.index}-${what}`
    network.addNode(name)
    for (const relay of draws.shuffle([...relayNames]).slice(0, draws.int(1, Math.min(2, relayNames.length)))) network.wantLink(name, relay)
    const device = new Device({
      name, pool: cast.plan.pool, key: keyPairFor(seed, `pool${cast.plan.index}/${what.replace('-', '/')}`), initial: [cast.plan.genesis],
      clockSkewMs: draws.int(-5_000, 5_000), network, verifier, signatureCache: cache, trace,
    })
    const linked: LinkedDevice = {
      owner, device, certificate: undefined, revocation: undefined,
      revokedSeen: (d) => linked.revocation !== undefined && d.ledger.verdict(linked.revocation.id)?.status === 'accepted',
    }
    return linked
  }
  const devicesPrng = linkedDevices ? new Prng(seed, 'devices') : undefined
  if (devicesPrng) {
    for (const cast of pools) {
      for (const [i, owner] of cast.honest.slice(0, 2).entries()) {
        if (!devicesPrng.chance(0.6)) continue
        ;(cast.linked as LinkedDevice[]).push(linkedDevice(cast, owner, `member${i}-laptop`, devicesPrng))
      }
    }
  }
  // Its trouble (a device's fork, two devices revoking each other, recoveries), from streams of their own again.
  const trouble = devicesPrng ? drawTrouble(seed, pools, steps, (cast, laptop, draws) => linkedDevice(cast, laptop.owner, `${laptop.device.name.split('-')[1]}-tablet`, draws)) : undefined

  // Issue 19: the gateways' devices, made after everything else from a stream of their own.
  const betweenPools = between && makeGateways(between, seed, pools, relayNames, (name, cast, key, reach, skew) => {
    network.addNode(name)
    for (const relay of reach) network.wantLink(name, relay)
    const device = new Device({ name, pool: cast.plan.pool, key, initial: [cast.plan.genesis], clockSkewMs: skew, network, verifier, signatureCache: cache, trace })
    cast.gateways.push(device)
    return device
  })

  // Witnesses run inside their relays; each witnesses the pools whose genesis names it.
  const witnesses: Witness[] = []
  for (const [w, plan] of witnessing.witnesses.entries()) {
    const named = pools.filter((cast) => cast.witnessing.witnesses.includes(w))
    if (named.length === 0) continue
    const witness = new Witness({ plan, key: witnessKeys[w]!, host: relays[plan.host]!, verifier, signatureCache: cache, trace, prng: new Prng(seed, `witness/${plan.name}`) })
    for (const cast of named) witness.addPool(cast.plan.genesis)
    witnesses.push(witness)
  }

  const strangers = new Map<string, Repo>()
  const stranger = (name: string): void => {
    network.addNode(name)
    network.wantLink(name, setup.pick(relayNames))
    const peerId = `${name}#1` as PeerId
    strangers.set(name, new Repo({ network: [network.adapterFor(name, peerId)], peerId, sharePolicy: async () => true }))
  }
  if (scenario.withVandal) stranger('vandal')
  if (scenario.withFlooder) stranger('flooder')

  return {
    seed, prng: root.fork('play'), trace, network, relays, pools, strangers, witnesses, witnessScenario: witnessing, records: new WitnessRecords(),
    attackPrng: new Prng(seed, 'attacks'),
    ordersPrng: orders ? new Prng(seed, 'orders') : undefined,
    ticksPrng: orders ? new Prng(seed, 'ticks') : undefined,
    recurringPrng: orders ? new Prng(seed, 'recurring') : undefined,
    night,
    devicesPrng,
    between: betweenPools,
    trouble,
    truth: { forgedLines: new Map(), stagedForks: [], reachedRelay: new Map(), frozenByGatekeeper: new Map(), attacks: [], withheld: new Set(), deviceForks: [], mutualRevocations: [], recoveries: [] },
  }
}

/** The documents a stranger can derive from public facts: every member's first shards. */
function publicDocuments(world: World): DocumentId[] {
  const documents: DocumentId[] = []
  for (const cast of world.pools) {
    const authors = [cast.plan.gatekeeper.publicKey, ...cast.plan.members.map((m) => m.publicKey)]
    for (const author of authors) documents.push(shardDocumentId(cast.plan.pool, author, 0))
  }
  return documents
}

async function play(world: World, scenario: Scenario, steps: number, clock: VirtualClock): Promise<void> {
  const { prng, trace, network } = world
  const offlineUntil = new Map<string, number>()
  let healPartitionAt = -1
  const documents = publicDocuments(world)
  const otherPoolEntries = (index: number): Entry[] => {
    const other = world.pools.find((cast) => cast.plan.index !== index)
    if (other) return [...other.plan.founding]
    return [...planPool(world.seed, 99, 2, SIM_START_MS, new Prng(world.seed, 'shadow')).founding]
  }
  const shadow = world.pools.map((cast) => otherPoolEntries(cast.plan.index))

  for (let step = 0; step < steps; step++) {
    await clock.advance(prng.int(1_000, 90_000))
    if (world.night?.step === step) {
      clock.sleep(world.night.ms)
      trace.note(`night: everyone sleeps ${Math.round(world.night.ms / 60_000)} virtual minutes`)
    }
    for (const device of allDevices(world)) {
      const offline = (offlineUntil.get(device.name) ?? -1) > step
      if (network.isOnline(device.name) === offline) {
        network.setOnline(device.name, !offline)
        trace.note(`${device.name}: ${offline ? 'offline' : 'back online'}`)
      }
    }
    if (step === healPartitionAt) {
      network.healPartitions()
      trace.note('net: partition healed')
    }
    for (const witness of world.witnesses) witness.onStep(step)
    if (world.between) gatewaysOnStep(world.between, step, trace)

    const cast = prng.pick(world.pools)
    const joined = cast.newcomer && cast.newcomer.signed.some((entry) => entry.type === 'join') ? [cast.newcomer] : []
    const payees = payeesOf(cast)
    const payers = [...cast.honest, ...(cast.forger ? [cast.forger] : []), ...(cast.cheater ? [cast.cheater[0]!] : []), ...joined]
    const events = prng.int(1, 3)
    for (let e = 0; e < events; e++) {
      const roll = prng.float()
      if (roll < 0.45 && payers.length > 0) {
        await payAtRandom(prng.pick(payers), payees, prng, trace)
      } else if (roll < 0.55 && payers.length > 0) {
        // Too fast: two payments a second apart.
        const payer = prng.pick(payers)
        await payAtRandom(payer, payees, prng, trace)
        await clock.advance(prng.int(100, 1_500))
        await payAtRandom(payer, payees, prng, trace)
      } else if (roll < 0.62 && cast.cheater && !world.truth.stagedForks.some((fork) => fork.pool === cast.plan.pool)) {
        const witnessed = cast.witnessing.witnesses.length > 0
        const fork = await (witnessed ? spendOnEach : spendTwice)(cast.cheater, payees, network, prng, trace)
        const stretch = step + prng.int(1, 8)
        // In a witnessed pool the other phones may stay away longer: the first one back then pays online for a while.
        for (const [i, phone] of cast.cheater.entries()) offlineUntil.set(phone.name, stretch + (witnessed && i > 0 ? world.attackPrng.int(0, 3) : 0))
        if (fork) world.truth.stagedForks.push(fork)
      } else if (roll < 0.7 && cast.forger) {
        await forgeSomething(cast.forger, shadow[cast.plan.index]!, prng, world.truth, trace)
      } else if (roll < 0.76 && world.strangers.has('vandal')) {
        vandalise(world.strangers.get('vandal')!, documents, prng, trace)
      } else if (roll < 0.8 && world.strangers.has('flooder')) {
        flood(world.strangers.get('flooder')!, documents, prng, trace)
      } else if (roll < 0.83) {
        await issueALittle(cast.gatekeeper, payees.slice(1), prng, trace)
      } else if (roll < 0.89 && payers.length > 0) {
        await requestPayment(prng.pick([...payers, cast.gatekeeper]), payees, prng, trace)
      } else if (roll < 0.97 && payers.length > 0) {
        await answerSomething(prng.pick([...payers, cast.gatekeeper]), prng, trace)
      } else if (roll < 0.985 && cast.newcomer && !cast.invite) {
        cast.invite = await invite(cast.gatekeeper, cast.inviteKey!, prng, trace)
      } else if (roll < 0.995 && payers.length > 0) {
        await closeAccount([...cast.honest, ...joined], prng, trace)
      }
    }
    // Money over time, from a stream of its own: an order set up or stopped, and what fell due collected.
    const orders = world.ordersPrng
    if (orders) {
      if (cast.honest.length > 0 && orders.chance(0.25)) await orderSomething(orders.pick(cast.honest), payees, orders, trace)
      if (cast.honest.length > 0 && orders.chance(0.05)) await stopAnOrder(orders.pick(cast.honest), orders, trace)
      for (const pool of world.pools) {
        for (const device of [pool.gatekeeper, ...pool.honest]) if (orders.chance(0.6)) await collectDue(device, trace)
      }
    }
    // Between pools: maybe a member of this pool pays a member of another (its own stream).
    if (world.between) await payAcross(world, world.between, cast)
    // Recurring requests (rent, dues): asked, accepted into orders, ended, collected by a coordinator (their own stream).
    if (world.recurringPrng) await playRecurring(cast, world.pools, payees, world.recurringPrng, trace)
    // Demurrage: the gatekeeper of a pool that charges it sometimes ticks (its own stream).
    if (world.ticksPrng && cast.plan.policy.demurrage && world.ticksPrng.chance(0.15)) await tick(cast.gatekeeper, trace)
    // One member, several devices: a laptop linked, paying from its member's account, sometimes removed.
    const linking = world.devicesPrng
    if (linking) {
      for (const linked of cast.linked) {
        if (!linked.certificate && linking.chance(0.3)) await linkDevice(linked, trace)
        else if (linked.certificate && linking.chance(0.6)) await payFromDevice(linked, payees, linking, trace)
        if (linked.certificate && !linked.revocation && linking.chance(0.025)) await revokeDevice(linked, trace)
      }
    }
    if (world.trouble) await playTrouble(world, world.trouble, step, trace)
    // Once their phones hold the invite, the newcomer joins and (a little later, or first) the gate-crasher tries it too.
    for (const pool of world.pools) {
      if (!pool.invite || !pool.inviteKey) continue
      const hopefuls = [pool.newcomer, pool.crasher].filter((d): d is Device => d !== undefined)
      for (const hopeful of prng.shuffle(hopefuls)) {
        if (prng.chance(0.5)) await joinWithInvite(hopeful, pool.invite, pool.inviteKey, trace, hopeful === pool.crasher ? 'gate-crasher (reused invite)' : 'newcomer')
      }
    }

    if (prng.chance(scenario.offlineChance)) {
      const device = prng.pick(allDevices(world))
      const until = step + prng.int(2, 15)
      offlineUntil.set(device.name, Math.max(offlineUntil.get(device.name) ?? 0, until))
      trace.note(`${device.name}: goes offline until step ${until}`)
    }
    if (prng.chance(scenario.partitionChance) && healPartitionAt <= step) {
      const sides = new Map<string, number>()
      const nodes = [...world.relays.map((r) => r.name), ...allDevices(world).map((d) => d.name), ...world.strangers.keys()]
      for (const name of nodes) sides.set(name, prng.int(0, 1))
      network.partition((name) => sides.get(name) ?? 0)
      healPartitionAt = step + prng.int(1, 10)
      trace.note(`net: partition until step ${healPartitionAt}: ${nodes.filter((n) => sides.get(n) === 1).join(',')} | rest`)
    }
    if (prng.chance(scenario.relayRestartChance)) {
      const relay = prng.pick(world.relays)
      // What the relay carried counts as having reached a relay, even if the disk is lost now.
      await snapshotRelays(world, verifier)
      relay.restart(prng.chance(0.5))
    }
    if (prng.chance(scenario.appRestartChance)) await prng.pick(allDevices(world)).restart()

    for (const pool of world.pools) {
      let frozen = world.truth.frozenByGatekeeper.get(pool.plan.pool)
      if (!frozen) world.truth.frozenByGatekeeper.set(pool.plan.pool, (frozen = new Set()))
      await freezeCheaters(pool.gatekeeper, frozen, trace)
    }

    // Witnessed pools: maybe one of the issue's attacks, then a record of every covered verdict shown.
    for (const pool of world.pools) {
      if (pool.witnessing.witnesses.length === 0) continue
      await attackSomething(world, pool, payeesOf(pool), world.attackPrng, step)
      for (const device of devicesOf(pool)) world.records.sampleCovered(device)
    }
  }
}

/** Who can be paid in a pool: the gatekeeper, the members, and the newcomer once it joined. */
function payeesOf(cast: PoolCast): PublicKeyHex[] {
  const joined = cast.newcomer && cast.newcomer.signed.some((entry) => entry.type === 'join') ? [cast.newcomer] : []
  return [cast.plan.gatekeeper.publicKey, ...cast.plan.members.map((m) => m.publicKey), ...joined.map((d) => d.key.publicKey)] as PublicKeyHex[]
}
