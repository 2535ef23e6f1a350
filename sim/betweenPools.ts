/**
 * Payments between pools (issue 19) in the seeded world: in some seeds whose
 * pools have witnesses (a prepare needs witnessed time), the pools get a rate
 * to HOUR (in their genesis), their gatekeepers trust each other along a
 * chain of links (signed `trust` entries, as `heroes trust` makes them), a
 * gateway holds each link's two keys, and honest members pay members of
 * other pools along routes of 1 hop (2 pools) or more (3 pools or more).
 *
 * The gateway runs the service's own round (`planRound` of
 * cli/commands/gateway-service.ts: forward a witnessed prepare, settle from
 * the payee's side back, take back what expired) over what its two devices
 * hold, every few virtual seconds; its devices are devices of their pools,
 * so the sim's faults (offline stretches, partitions, app restarts) hit them
 * like phones, and the service itself may be down for a stretch of steps. A
 * payee's app fulfils a prepare paying it with the preimage it made, and a
 * payer's app takes its hold back once the prepare expired, as the PWA does
 * (web/wallet/cross-pool.ts). Everything is drawn from the `between-pools`
 * stream, so a seed without it plays exactly as before.
 */
import { createHash } from 'node:crypto'
import {
  chainHead, findRoute, manifestOf, toHex, type CancelEntry, type Entry, type EntryId, type FulfilEntry, type HourRate, type PoolManifest,
  type PrepareEntry, type PublicKeyHex, type ReplayResult, type TrustEntry,
} from '../core/index.ts'
import { planRound } from '../cli/commands/gateway-service.ts'
import { HOP_EXPIRY_MARGIN_SECONDS_MIN } from '../core/limits.ts'
import { Device } from './device.ts'
import type { KeyPair } from './keys.ts'
import { keyPairFor } from './keys.ts'
import { Prng } from './prng.ts'
import type { Scenario, WitnessScenario } from './scenario.ts'
import type { Trace } from './trace.ts'
import type { PoolCast, World } from './world.ts'
import { short } from './actors/honestMember.ts'

/** A link between two pools: each trusts the other, a gateway holds a key in each. */
export interface LinkPlan {
  /** Pool indices, a < b. */
  readonly a: number
  readonly b: number
  /** What a trusts b for, and b trusts a for, in HOUR. */
  readonly limitHoursA: number
  readonly limitHoursB: number
  readonly keyA: KeyPair
  readonly keyB: KeyPair
  /** Steps [from, until) during which the gateway service is down (signs nothing); undefined: up all run. */
  readonly down: { readonly from: number; readonly until: number } | undefined
}

export interface BetweenPlan {
  /** HOUR rate of each linked pool, by pool index. */
  readonly rates: ReadonlyMap<number, HourRate>
  readonly links: readonly LinkPlan[]
  /** Chance per step that an honest member starts a path payment. */
  readonly payChance: number
}

/** One path payment as the sim started it (ground truth: the preimage only the payee's phone holds). */
export interface PathPayment {
  readonly condition: string
  readonly preimage: string
  readonly route: readonly EntryId[]
  readonly payer: Device
  readonly payee: Device
  readonly amount: number
  readonly first: EntryId
  /** Once the payee's app fulfilled and the payer's app took back (or neither is needed): no more looking. */
  done: boolean
}

export interface GatewayActor {
  readonly name: string
  readonly link: LinkPlan
  /** Its device in pool a (key A) and in pool b (key B). */
  readonly devices: readonly [Device, Device]
  down: boolean
}

export interface BetweenPools {
  readonly plan: BetweenPlan
  readonly prng: Prng
  readonly gateways: GatewayActor[]
  readonly payments: PathPayment[]
}

/** What path payments did in one run, from the gatekeepers' ledgers once healed. */
export interface BetweenFigures {
  /** Seeds with links (0 or 1), links, path payments whose first prepare was signed. */
  readonly seeds: number
  readonly links: number
  readonly started: number
  /** Every hop fulfilled. */
  readonly fulfilled: number
  /** No hop fulfilled: refused on the way, cancelled or expired (the payer's hold back). */
  readonly unwound: number
  /** The first prepare refused by its own pool (over the limit, expired when seen: a skewed clock). */
  readonly refused: number
  /** A hop still open when the run ended (a fulfil or cancel not yet covered, an expiry not yet passed in witnessed time). */
  readonly inFlight: number
  /** Hops a gateway forwarded; paths a gateway's own lateness split (it paid, within its trust). */
  readonly hops: number
  readonly gatewayFaults: number
}

export const NO_BETWEEN_FIGURES: BetweenFigures = { seeds: 0, links: 0, started: 0, fulfilled: 0, unwound: 0, refused: 0, inFlight: 0, hops: 0, gatewayFaults: 0 }

/** Virtual ms between two rounds of a gateway service and of the apps' look at their path payments. */
const ROUND_MS = 3_000
const RATES: readonly HourRate[] = [{ num: 1, den: 1 }, { num: 1, den: 2 }, { num: 3, den: 2 }, { num: 1, den: 4 }, { num: 2, den: 1 }, { num: 1, den: 3 }]

/**
 * Seeds with two or more witnessed pools (about 17 % of seeds at the default sizes) link them in a
 * chain, in index order; undefined otherwise (and with witnesses off).
 */
export function drawBetweenPools(seed: number, scenario: Scenario, witnessing: WitnessScenario, steps: number, enabled: boolean): BetweenPlan | undefined {
  if (!enabled) return undefined
  const witnessed = witnessing.pools.flatMap((p, i) => (p.witnesses.length > 0 ? [i] : []))
  if (witnessed.length < 2 || scenario.pools < 2) return undefined
  const prng = new Prng(seed, 'between-pools/plan')
  const rates = new Map<number, HourRate>()
  for (const p of witnessed) rates.set(p, prng.pick(RATES))
  const links: LinkPlan[] = []
  for (let i = 0; i + 1 < witnessed.length; i++) {
    const a = witnessed[i]!
    const b = witnessed[i + 1]!
    const downFrom = prng.int(0, steps - 1)
    links.push({
      a, b,
      limitHoursA: prng.pick([1, 3, 10, 50]),
      limitHoursB: prng.pick([1, 3, 10, 50]),
      keyA: keyPairFor(seed, `link${a}-${b}/gateway-in-${a}`),
      keyB: keyPairFor(seed, `link${a}-${b}/gateway-in-${b}`),
      down: prng.chance(0.35) ? { from: downFrom, until: downFrom + prng.int(1, 6) } : undefined,
    })
  }
  return { rates, links, payChance: prng.pick([0.3, 0.5, 0.7]) }
}

export function describeBetween(plan: BetweenPlan): string {
  const rates = [...plan.rates].map(([p, r]) => `pool ${p} ${r.num}/${r.den} HOUR`).join(', ')
  const links = plan.links.map((l) => `${l.a}↔${l.b} trust ${l.limitHoursA}/${l.limitHoursB} h${l.down ? ` gateway down steps ${l.down.from}–${l.down.until - 1}` : ''}`).join(', ')
  return `between pools: ${rates}; links ${links}; pay ${plan.payChance}/step`
}

/** The gateways' devices, one per pool of each link, made after every other device (their own stream). */
export function makeGateways(
  plan: BetweenPlan, seed: number, pools: readonly PoolCast[], relayNames: readonly string[],
  make: (name: string, pool: PoolCast, key: KeyPair, reach: readonly string[], skewMs: number) => Device,
): BetweenPools {
  const prng = new Prng(seed, 'between-pools')
  const gateways: GatewayActor[] = []
  for (const link of plan.links) {
    const name = `gw${link.a}${link.b}`
    // One service, one set of relays for both of its pools.
    const reach = prng.shuffle([...relayNames]).slice(0, prng.int(1, Math.min(2, relayNames.length)))
    const skew = prng.int(-3_000, 3_000)
    const devices: [Device, Device] = [
      make(`${name}-p${link.a}`, pools[link.a]!, link.keyA, reach, skew),
      make(`${name}-p${link.b}`, pools[link.b]!, link.keyB, reach, skew),
    ]
    gateways.push({ name, link, devices, down: false })
  }
  return { plan, prng, gateways, payments: [] }
}

/** The gatekeepers sign their trustlines (in both directions of every link), as `heroes trust` does. */
export async function trustEachOther(world: World, between: BetweenPools): Promise<void> {
  for (const link of between.plan.links) {
    for (const [here, there, limitHours, key] of [
      [link.a, link.b, link.limitHoursA, link.keyA], [link.b, link.a, link.limitHoursB, link.keyB],
    ] as const) {
      const gatekeeper = world.pools[here]!.gatekeeper
      // With the CLI on a machine whose clock is right (a phone's skewed clock would date it hours off).
      const head = chainHead(gatekeeper.ledger.entries(), gatekeeper.pool, gatekeeper.key.publicKey)
      const entry = gatekeeper.signRaw<TrustEntry>({
        type: 'trust', seq: head.seq, prev: head.prev, deps: gatekeeper.ledger.depsFor(gatekeeper.key.publicKey), time: Math.max(Date.now(), head.time),
        peer: world.pools[there]!.plan.pool, limitHours, gateway: key.publicKey,
      })
      await gatekeeper.publish(entry)
      world.trace.note(`${gatekeeper.name}: trusts pool ${there} up to ${limitHours} HOUR, gateway ${short(key.publicKey)}`)
    }
  }
}

/** The driver's step: gateways go down or come back. */
export function gatewaysOnStep(between: BetweenPools, step: number, trace: Trace): void {
  for (const gateway of between.gateways) {
    const { down } = gateway.link
    const now = down !== undefined && step >= down.from && step < down.until
    if (now !== gateway.down) trace.note(`${gateway.name}: gateway service ${now ? 'DOWN (signs nothing)' : 'back up'}`)
    gateway.down = now
  }
}

/** Healing: every gateway service is back. */
export function healGateways(between: BetweenPools, trace: Trace): void {
  for (const gateway of between.gateways) {
    if (gateway.down) trace.note(`${gateway.name}: gateway service back up (healing)`)
    gateway.down = false
  }
}

/** Rounds of the services and the apps' looks, every ROUND_MS of virtual time, for the rest of the run (healing included). */
export function startRounds(world: World, between: BetweenPools): void {
  let busy = false
  setInterval(() => {
    if (busy || between.payments.every((p) => p.done)) return
    busy = true
    void roundAll(world, between).finally(() => (busy = false))
  }, ROUND_MS)
}

/** Last look per actor: what its devices held then, and when; a look is skipped while nothing arrived, but for one every LOOK_ANYWAY_MS (expiries). */
const looked = new WeakMap<object, { held: string; at: number }>()
const LOOK_ANYWAY_MS = 20_000

function worthALook(actor: object, devices: readonly Device[]): boolean {
  const held = devices.map((d) => d.store.size).join(',')
  const last = looked.get(actor)
  if (last && last.held === held && Date.now() - last.at < LOOK_ANYWAY_MS) return false
  looked.set(actor, { held, at: Date.now() })
  return true
}

async function roundAll(world: World, between: BetweenPools): Promise<void> {
  for (const gateway of between.gateways) if (!gateway.down && worthALook(gateway, gateway.devices)) await gatewayRound(gateway, world.trace)
  for (const payment of between.payments) if (!payment.done && worthALook(payment, [payment.payer, payment.payee])) await appsLook(payment, world.trace)
}

/** One round of the gateway service (its own code) over what its two devices hold now. */
async function gatewayRound(gateway: GatewayActor, trace: Trace): Promise<void> {
  const now = gateway.devices[0].now()
  const served = gateway.devices.map((device) => {
    device.refresh()
    const result = device.ledger.result()
    const manifest = manifestOf(result)
    return manifest ? { config: { log: device.name, key: device.name }, pool: device.pool, ledger: device.ledger, result, manifest, key: device.key } : undefined
  })
  if (served.some((s) => s === undefined)) return
  const actions = planRound(served as never, now, { maxAmount: Number.MAX_SAFE_INTEGER, maxOpen: 100, stopped: false })
  for (const action of actions) {
    if (!action.entry) {
      if (action.reason) trace.note(`${gateway.name}: ${action.action} ${action.prepare.slice(0, 8)} not signed: ${action.reason}`)
      continue
    }
    const device = gateway.devices.find((d) => d.pool === action.entry!.pool)!
    await device.publish(action.entry)
    trace.note(`${device.name}: ${action.action} ${action.prepare.slice(0, 8)}${action.reason ? ` (${action.reason.slice(0, 80)})` : ''}`)
  }
}

/** The payee's app fulfils with the preimage it holds; the payer's app takes back what expired. */
async function appsLook(payment: PathPayment, trace: Trace): Promise<void> {
  const { payee, payer } = payment
  let open = false
  payee.refresh()
  for (const [id, p] of Object.entries(payee.ledger.result().prepares ?? {})) {
    if (p.condition !== payment.condition || p.to !== payee.key.publicKey) continue
    if (p.status !== 'prepared') continue
    if (payee.signed.some((e) => (e.type === 'fulfil' || e.type === 'cancel') && e.entry === id)) continue
    if (p.amount < payment.amount || p.expires <= payee.now()) continue
    open = true
    const fulfil = payee.draft<FulfilEntry>({ type: 'fulfil', entry: id as EntryId, preimage: payment.preimage }, [id as EntryId])
    await payee.publish(fulfil)
    trace.note(`${payee.name}: fulfils ${id.slice(0, 8)} (${p.amount})`)
  }
  payer.refresh()
  const first = payer.ledger.result().prepares?.[payment.first]
  const verdict = payer.ledger.verdict(payment.first)
  if (first?.status === 'expired' && !payer.signed.some((e) => e.type === 'cancel' && e.entry === payment.first)) {
    const cancel = payer.draft<CancelEntry>({ type: 'cancel', entry: payment.first }, [payment.first])
    await payer.publish(cancel)
    trace.note(`${payer.name}: takes back ${payment.first.slice(0, 8)} (expired)`)
  }
  const settled = (first !== undefined && first.status !== 'prepared' && first.status !== 'expired') || verdict?.status === 'rejected'
  payment.done = settled && !open
}

/**
 * The driver's step, for the pool it picked: maybe an honest member pays a member of another linked
 * pool, quoting from its own pool's manifest and manifests it cached (the other gatekeepers' views).
 */
export async function payAcross(world: World, between: BetweenPools, cast: PoolCast): Promise<void> {
  const { prng, plan } = between
  if (!plan.rates.has(cast.plan.index) || cast.honest.length === 0 || !prng.chance(plan.payChance)) return
  const targets = [...plan.rates.keys()].filter((p) => p !== cast.plan.index)
  const target = world.pools[prng.pick(targets)]!
  const payer = prng.pick(cast.honest)
  const payee = prng.pick([target.gatekeeper, ...target.honest])
  const amount = prng.int(1, 250)
  const wait = prng.pick([300, 600, 900, 1_800])
  const preimage = toHex(prng.bytes(32))
  payer.refresh()
  const manifests: PoolManifest[] = []
  // Other pools as a phone following them read-only through a relay sees them: here, as a gateway's device of that pool holds them.
  for (const pool of world.pools) {
    const follower = pool === cast ? payer : pool.gateways[0]
    const result: ReplayResult | undefined = follower?.ledger.result()
    const manifest = result && manifestOf(result)
    if (manifest) manifests.push(manifest)
  }
  const route = findRoute(manifests, cast.plan.pool, target.plan.pool, amount)
  if (!route.ok) {
    world.trace.note(`${payer.name}: no route to pool ${target.plan.index} for ${amount}: ${route.reason}`)
    return
  }
  // As the app: the quote's first hop, its own clock plus the wait (at least what the hops need).
  const gateway = manifests.find((m) => m.pool === cast.plan.pool)!.trustlines[route.route[1]!]!.gateway
  const condition = toHex(createHash('sha256').update(Buffer.from(preimage, 'hex')).digest())
  const seconds = Math.max(wait, route.route.length * 2 * HOP_EXPIRY_MARGIN_SECONDS_MIN + 60)
  const entry = payer.draft<PrepareEntry>({
    type: 'prepare', to: gateway, amount: route.amounts[0]!, condition, expires: payer.now() + seconds * 1000,
    path: { pools: route.route, payee: payee.key.publicKey as PublicKeyHex, amount },
  })
  const verdict = payer.preview(entry, payer.paysOnline())
  if (verdict?.status === 'rejected' && prng.chance(0.6)) {
    world.trace.note(`${payer.name}: keeps a path payment as a draft (${verdict.reason})`)
    return
  }
  await payer.publish(entry)
  between.payments.push({ condition, preimage, route: route.route, payer, payee, amount, first: entry.id, done: false })
  world.trace.note(`${payer.name}: pays ${short(payee.key.publicKey)} in pool ${target.plan.index} ${amount} via ${route.route.length - 1} hop(s), ${route.amounts[0]} here, expires in ${seconds}s: ${entry.id.slice(0, 8)}`)
}

/** The pools' results (far future, union of what the devices hold), by pool id, for the path checks and figures. */
export type ResultsByPool = ReadonlyMap<EntryId, ReplayResult>

/** A hop as final as it gets: fulfilled or unwound with a checkpoint's word, open (not final yet), or never made. */
type HopFinal = 'fulfilled' | 'unwound' | 'open' | 'absent'

interface HopView {
  readonly final: HopFinal
  readonly status: string
  readonly amount: number
  readonly expires: number
}

const verdictMaps = new WeakMap<ReplayResult, Map<string, ReplayResult['entries'][number]>>()
function verdictOf(result: ReplayResult, id: string): ReplayResult['entries'][number] | undefined {
  let map = verdictMaps.get(result)
  if (!map) verdictMaps.set(result, (map = new Map(result.entries.map((v) => [v.id as string, v]))))
  return map.get(id)
}

function hopView(result: ReplayResult | undefined, condition: string): HopView | undefined {
  if (!result) return undefined
  const found = Object.values(result.prepares ?? {}).filter((p) => p.condition === condition)
  const p = found[0]
  if (!p) return undefined
  const covered = p.settledBy !== undefined && (verdictOf(result, p.settledBy)?.witnessed ?? null) !== null
  const witnessedNow = result.witnesses?.find((w) => w.primary)?.latest?.time ?? -Infinity
  const final: HopFinal = p.status === 'fulfilled' ? (covered ? 'fulfilled' : 'open')
    : p.status === 'cancelled' ? (covered ? 'unwound' : 'open')
      : p.status === 'expired' && witnessedNow > p.expires ? 'unwound' : 'open'
  return { final, status: p.status, amount: p.amount, expires: p.expires }
}

export type PathOutcome = 'fulfilled' | 'unwound' | 'refused' | 'in-flight' | 'split'

/**
 * Every path all or nothing, judged on what is final (a checkpoint covers the fulfil or the cancel, or the
 * pool's witnessed time passed the expiry): a hop claimed while the hop after it is not final-fulfilled is a
 * violation (an honest gateway claims only with the downstream fulfil covered); a hop unwound while the
 * hop after it is fulfilled is the gateway's own lateness, provable from the two logs (the downstream
 * fulfil covered by its expiry, which is at least the margin before the upstream one) and named in
 * `faults`; its loss is the downstream amount, which the money check already bounds by the trustline
 * (a gateway account never below −limit). Paths with a hop still open at the end of the run are in flight.
 */
export function pathProblems(between: BetweenPools, results: ResultsByPool): { problems: string[]; faults: string[]; outcomes: PathOutcome[] } {
  const problems: string[] = []
  const faults: string[] = []
  const outcomes: PathOutcome[] = []
  const margin = HOP_EXPIRY_MARGIN_SECONDS_MIN * 1000
  for (const payment of between.payments) {
    const tag = `path ${payment.condition.slice(0, 8)} (${payment.first.slice(0, 8)})`
    for (const pool of payment.route) {
      const n = Object.values(results.get(pool)?.prepares ?? {}).filter((p) => p.condition === payment.condition).length
      if (n > 1) problems.push(`${tag}: ${n} prepares in pool ${pool.slice(0, 8)}`)
    }
    const firstResult = results.get(payment.route[0]!)
    if (firstResult && verdictOf(firstResult, payment.first)?.status === 'rejected') {
      outcomes.push('refused')
      continue
    }
    const hops = payment.route.map((pool) => hopView(results.get(pool), payment.condition))
    const finals = hops.map((h) => h?.final ?? 'absent')
    if (finals.every((f) => f === 'fulfilled')) {
      outcomes.push('fulfilled')
      continue
    }
    let split = false
    for (let i = 0; i + 1 < hops.length; i++) {
      const up = hops[i]
      const down = hops[i + 1]
      if (finals[i] === 'fulfilled' && finals[i + 1] !== 'fulfilled') problems.push(`${tag}: hop ${i} fulfilled while hop ${i + 1} is ${down ? `${down.status} (${finals[i + 1]})` : 'absent'}`)
      if (finals[i] !== 'fulfilled' && finals[i + 1] === 'fulfilled' && finals[i] !== 'open') {
        if (!up || up.expires < down!.expires + margin) problems.push(`${tag}: hop ${i + 1} fulfilled, hop ${i} ${up?.status ?? 'absent'}, and the expiries leave the gateway no margin`)
        else {
          split = true
          faults.push(`${tag}: the gateway between hops ${i} and ${i + 1} claimed too late (hop ${i} ${up.status}): it paid ${down!.amount} downstream`)
        }
      }
    }
    outcomes.push(split ? 'split' : finals.includes('open') ? 'in-flight' : 'unwound')
  }
  return { problems, faults, outcomes }
}

/** What path payments did in one run, from the checks' outcomes. */
export function betweenFigures(world: World, between: BetweenPools | undefined, outcomes: readonly PathOutcome[]): BetweenFigures {
  if (!between) return NO_BETWEEN_FIGURES
  const count = (o: PathOutcome): number => outcomes.filter((x) => x === o).length
  const hops = between.gateways.reduce((n, g) => n + g.devices.reduce((m, d) => m + d.signed.filter((e) => e.type === 'prepare').length, 0), 0)
  return {
    seeds: 1, links: between.plan.links.length, started: between.payments.length, fulfilled: count('fulfilled'), unwound: count('unwound'),
    refused: count('refused'), inFlight: count('in-flight'), hops, gatewayFaults: count('split'),
  }
}

export type { Entry }
