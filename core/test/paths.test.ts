/**
 * Path payments across several pools' logs: routes from signed manifests,
 * forwarding checks, and a 3-hop payment A → B → C → D run end to end on
 * four ledgers: all-or-nothing when it succeeds, when a hop expires in the
 * middle, when a stale quote fails, and when one hop's fulfil is witnessed
 * late (the one case where hops differ, at the late gateway's cost, bounded
 * by its trustline and provable from the logs).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  HOP_EXPIRY_MARGIN_SECONDS_MIN, HOP_EXPIRY_STEP_SECONDS_DEFAULT, HOUR_RATE_PART_MAX, PATH_HOPS_MAX, expiryProblem, replay, findRoute, forwardHop, gatewayFor, pathStates,
  type PaymentPath, type PrepareEntry,
} from '../index.ts'
import { MINUTE, T0, actor } from './fixtures.ts'
import {
  ASOF, SECOND, cancel, conditionOf, fulfil, gatewayActor, link, linkedPool, manifests, prepare, preimageOf, sumOf, type LinkedPool,
} from './links-fixtures.ts'

const alice = actor('alice')
const dave = actor('dave')
const T1 = T0 + 60 * MINUTE

/** A (1 unit = 1 HOUR, 2 decimals) – B (¼ HOUR, 0 decimals) – C (1.5 HOUR, 2 decimals) – D (1 HOUR, 0 decimals), each link trusted 100 HOUR both ways (C–D: `trustCD`). */
function world(trustCD = 100): LinkedPool[] {
  const a = linkedPool('A', { num: 1, den: 1 }, 2, [alice])
  const b = linkedPool('B', { num: 1, den: 4 }, 0)
  const c = linkedPool('C', { num: 3, den: 2 }, 2)
  const d = linkedPool('D', { num: 1, den: 1 }, 0, [dave])
  link(a, b, 100, 100, T0 + 10)
  link(b, c, 100, 100, T0 + 10)
  link(c, d, trustCD, trustCD, T0 + 10)
  for (const x of [a, b, c, d]) x.p.checkpoint(x.witness, T0 + 20 * SECOND)
  return [a, b, c, d]
}

/** Five pools A – B – C – D – E in a line (4 hops), rates and decimals varied, dave in E. */
function world5(): LinkedPool[] {
  const a = linkedPool('A', { num: 1, den: 1 }, 2, [alice])
  const b = linkedPool('B', { num: 1, den: 4 }, 0)
  const c = linkedPool('C', { num: 3, den: 2 }, 2)
  const d = linkedPool('D', { num: 7, den: 3 }, 1)
  const e = linkedPool('E', { num: 1, den: 1 }, 0, [dave])
  const pools = [a, b, c, d, e]
  for (let i = 0; i + 1 < pools.length; i++) link(pools[i]!, pools[i + 1]!, 100, 100, T0 + 10)
  for (const x of pools) x.p.checkpoint(x.witness, T0 + 20 * SECOND)
  return pools
}

interface Run {
  readonly pools: LinkedPool[]
  readonly prepares: PrepareEntry[]
  readonly condition: string
  readonly preimage: string
}

/**
 * Alice pays `amount` to Dave along the route: the first prepare, then each
 * gateway forwards with forwardHop; each pool's witness covers each prepare
 * `coverDelay` after it. `stopBefore` leaves the path unforwarded from that hop on.
 */
function preparePath(pools: LinkedPool[], amount: number, options: { stopBefore?: number; coverDelay?: number } = {}): Run {
  const preimage = preimageOf('path ' + amount)
  const condition = conditionOf(preimage)
  const ms = manifests(pools, T1)
  const [a] = pools
  const route = findRoute(ms, a!.p.pool, pools[pools.length - 1]!.p.pool, amount)
  if (!route.ok) throw new Error(route.detail)
  const path: PaymentPath = { pools: route.route, payee: dave.key, amount }
  const first = prepare(a!.p, alice, gatewayFor(ms[0]!, route.route[1]!)!, route.sourceAmount, condition, T1 + 10 * MINUTE, T1, path)
  a!.p.checkpoint(a!.witness, T1 + (options.coverDelay ?? 5 * SECOND))
  const prepares = [first]
  for (let i = 1; i < pools.length && i !== options.stopBefore; i++) {
    const now = T1 + i * 10 * SECOND
    const next = forwardHop(ms, prepares[i - 1]!, now)
    if (!next.ok) throw new Error(next.detail)
    const x = pools[i]!
    expect(next.hop.pool).toBe(x.p.pool)
    prepares.push(prepare(x.p, gatewayActor(pools, next.hop.from), next.hop.to, next.hop.amount, condition, next.hop.expires, now, next.path))
    x.p.checkpoint(x.witness, now + (options.coverDelay ?? 5 * SECOND))
  }
  return { pools, prepares, condition, preimage }
}

function statuses(run: Run, asOf = ASOF): string[] {
  return pathStates(run.pools.map((x) => x.p.replay(asOf)), run.condition).map((h) => h.status)
}

/** Fulfils hop `i` (by its payee) at `time` and has the pool's witness cover it at `coverAt`. */
function fulfilHop(run: Run, i: number, time: number, coverAt: number) {
  const x = run.pools[i]!
  const p = run.prepares[i]!
  const by = p.to === dave.key ? dave : gatewayActor(run.pools, p.to)
  const f = fulfil(x.p, by, p, run.preimage, time)
  x.p.checkpoint(x.witness, coverAt)
  return f
}

/** The payer of hop `i` takes its hold back after the expiry (covered right after). */
function cancelHop(run: Run, i: number, time: number) {
  const x = run.pools[i]!
  const p = run.prepares[i]!
  const by = p.author === alice.key ? alice : gatewayActor(run.pools, p.author)
  cancel(x.p, by, p, time)
  x.p.checkpoint(x.witness, time + 5 * SECOND)
}

describe('routes from manifests', () => {
  it('finds the route, the amount the payer pays and what arrives, the same from any order of manifests', () => {
    const pools = world()
    const ms = manifests(pools, T1)
    const route = findRoute(ms, pools[0]!.p.pool, pools[3]!.p.pool, 50)
    // 50 D units = 50 HOUR = 33.33… C units: 3,334 C minor (the least that converts to 50) → 200.04 B units: 201
    // → 50.25 HOUR: 5,025 A minor. Each gateway keeps the rounding (under one minor unit of the next pool).
    expect(route).toEqual({ ok: true, route: pools.map((x) => x.p.pool), amounts: [5_025, 201, 3_334, 50], sourceAmount: 5_025, targetAmount: 50 })
    expect(findRoute([...ms].reverse(), pools[0]!.p.pool, pools[3]!.p.pool, 50)).toEqual(route)
  })

  it('says why there is no route: none, too long, not enough trust', () => {
    const pools = world(10)
    const ms = manifests(pools, T1)
    const lonely = linkedPool('E', { num: 1, den: 1 })
    expect(findRoute([...ms, ...manifests([lonely])], pools[0]!.p.pool, lonely.p.pool, 1)).toMatchObject({ ok: false, reason: 'none' })
    // D trusts C 10 HOUR: 10 D units. 11 is too much, 10 fits (a trustline used to its limit).
    expect(findRoute(ms, pools[0]!.p.pool, pools[3]!.p.pool, 11)).toMatchObject({ ok: false, reason: 'not-enough-trust' })
    expect(findRoute(ms, pools[0]!.p.pool, pools[3]!.p.pool, 10)).toMatchObject({ ok: true, targetAmount: 10 })
    const chain = Array.from({ length: PATH_HOPS_MAX + 2 }, (_, i) => linkedPool(`L${i}`, { num: 1, den: 1 }))
    for (let i = 0; i + 1 < chain.length; i++) link(chain[i]!, chain[i + 1]!, 5, 5, T0 + 10)
    const long = findRoute(manifests(chain), chain[0]!.p.pool, chain[chain.length - 1]!.p.pool, 1)
    expect(long).toMatchObject({ ok: false, reason: 'too-long' })
    expect(findRoute(manifests(chain), chain[0]!.p.pool, chain[PATH_HOPS_MAX]!.p.pool, 1)).toMatchObject({ ok: true })
  })

  it('attack: an amount that converts past the largest a pool holds is an overflow, never a wrapped number', () => {
    const rich = linkedPool('R', { num: HOUR_RATE_PART_MAX, den: 1 }, 0)
    const poor = linkedPool('Q', { num: 1, den: HOUR_RATE_PART_MAX }, 0)
    link(rich, poor, 1_000_000_000_000, 1, T0 + 10)
    for (const x of [rich, poor]) x.p.checkpoint(x.witness, T0 + 20 * SECOND)
    // One unit of R is 10^9 HOUR, 10^18 units of Q: more than AMOUNT_MAX, so 1 unit of R cannot be paid from Q.
    expect(findRoute(manifests([rich, poor]), poor.p.pool, rich.p.pool, 1)).toMatchObject({ ok: false, reason: 'overflow' })
  })

  it('a gateway refuses an expiry that does not decrease by the margin, and an amount that no longer covers the hop', () => {
    expect(expiryProblem(T1, T1 - HOP_EXPIRY_MARGIN_SECONDS_MIN * 1000)).toBeUndefined()
    expect(expiryProblem(T1, T1 - HOP_EXPIRY_MARGIN_SECONDS_MIN * 1000 + 1)).toMatchObject({ reason: 'expiry-not-decreasing' })
    expect(expiryProblem(T1, T1 + 1)).toMatchObject({ reason: 'expiry-not-decreasing' })
    const pools = world()
    const run = preparePath(pools, 50, { stopBefore: 1 })
    const ms = manifests(pools, T1)
    expect(forwardHop(ms, run.prepares[0]!, T1, HOP_EXPIRY_MARGIN_SECONDS_MIN - 1)).toMatchObject({ ok: false, reason: 'expiry-not-decreasing' })
    // A gateway that knows only its own two pools forwards what it was paid, converted with the floor.
    expect(forwardHop(ms.slice(0, 2), run.prepares[0]!, T1)).toMatchObject({ ok: true, hop: { pool: pools[1]!.p.pool, amount: 201 } })
    // The payer underpays by one minor unit (hand-signed): the gateway finds it short.
    const short = prepare(pools[0]!.p, alice, run.prepares[0]!.to, run.prepares[0]!.amount - 1, run.condition, T1 + 10 * MINUTE, T1 + 1, run.prepares[0]!.path)
    expect(forwardHop(ms, short, T1 + 2)).toMatchObject({ ok: false, reason: 'amount-mismatch' })
  })
})

describe('a 3-hop path payment across four pools', () => {
  it('succeeds on every hop: fulfils from the payee back to the payer, each witnessed before its expiry', () => {
    const run = preparePath(world(), 50)
    expect(statuses(run, T1 + MINUTE)).toEqual(['prepared', 'prepared', 'prepared', 'prepared'])
    const t = T1 + 2 * MINUTE
    for (let i = 3; i >= 0; i--) fulfilHop(run, i, t + (3 - i) * 10 * SECOND, t + (3 - i) * 10 * SECOND + 5 * SECOND)
    expect(statuses(run)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'])
    const [a, b, c, d] = run.pools
    expect(a!.p.replay(ASOF).balances[alice.key]).toBe(-5_025)
    expect(d!.p.replay(ASOF).balances[dave.key]).toBe(50)
    // Each intermediate pool: its gateway for the upstream pool paid, its gateway for the downstream pool was paid the same.
    expect(b!.p.replay(ASOF).balances[b!.gateway('A').key]).toBe(-201)
    expect(b!.p.replay(ASOF).balances[b!.gateway('C').key]).toBe(201)
    // Each gateway pays on what it was paid, converted with the floor: 201 B units are 3,350 C minor (the route asked 3,334).
    expect(c!.p.replay(ASOF).trustlines![b!.p.pool]).toMatchObject({ balance: -3_350 })
    for (const x of run.pools) expect(sumOf(x.p)).toBe(0)
  })

  it('4 hops across five pools: all fulfilled, every pool sums to zero, each gateway paid what it paid', () => {
    const run = preparePath(world5(), 40)
    expect(run.prepares.map((p) => p.expires)).toEqual([0, 1, 2, 3, 4].map((i) => T1 + 10 * MINUTE - i * 120 * SECOND))
    const t = T1 + MINUTE // the last hop expires 8 minutes before the first: at T1 + 2 minutes
    for (let i = 4; i >= 0; i--) fulfilHop(run, i, t + (4 - i) * 10 * SECOND, t + (4 - i) * 10 * SECOND + 5 * SECOND)
    expect(statuses(run)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'])
    expect(run.pools[4]!.p.replay(ASOF).balances[dave.key]).toBe(40)
    for (let i = 1; i < 4; i++) {
      const r = run.pools[i]!.p.replay(ASOF)
      const [up, down] = [run.pools[i - 1]!.p.pool, run.pools[i + 1]!.p.pool]
      expect(r.trustlines![up]!.balance + r.trustlines![down]!.balance).toBe(0)
    }
    for (const x of run.pools) expect(sumOf(x.p)).toBe(0)
  })

  it('an expiry in the middle: nobody is paid, every hold comes back', () => {
    const run = preparePath(world(), 50, { stopBefore: 2 }) // the B→C gateway never forwards
    const [a, b] = run.pools
    cancelHop(run, 1, run.prepares[1]!.expires + SECOND)
    cancelHop(run, 0, run.prepares[0]!.expires + SECOND)
    expect(statuses(run)).toEqual(['cancelled', 'cancelled'])
    expect(a!.p.replay(ASOF).balances[alice.key]).toBe(0)
    expect(a!.p.replay(ASOF).members[alice.key]!.held).toBeUndefined()
    expect(b!.p.replay(ASOF).trustlines![a!.p.pool]).toMatchObject({ balance: 0, held: 0 })
  })

  it('a prepare witnessed after its expiry is refused, and the rest unwinds', () => {
    // Every pool's witness is slow: the last hop's prepare is first covered after its expiry.
    const pools = world()
    const run = preparePath(pools, 50, { stopBefore: 3 })
    const d = pools[3]!
    const ms = manifests(pools, T1)
    const next = forwardHop(ms, run.prepares[2]!, T1 + 30 * SECOND)
    if (!next.ok) throw new Error(next.detail)
    const late = prepare(d.p, gatewayActor(pools, next.hop.from), next.hop.to, next.hop.amount, run.condition, next.hop.expires, T1 + 30 * SECOND, next.path)
    d.p.checkpoint(d.witness, next.hop.expires + SECOND)
    expect(d.p.replay(ASOF).entries.find((v) => v.id === late.id)).toMatchObject({ status: 'rejected', reason: 'prepare-expired' })
    for (let i = 2; i >= 0; i--) cancelHop(run, i, run.prepares[i]!.expires + SECOND)
    expect(statuses(run)).toEqual(['cancelled', 'cancelled', 'cancelled'])
  })

  it('a fulfil witnessed in time is honoured even when the next hop sees it late', () => {
    const run = preparePath(world(), 50)
    const t = T1 + 2 * MINUTE
    fulfilHop(run, 3, t, t + 5 * SECOND)
    const c = fulfilHop(run, 2, t + 10 * SECOND, run.prepares[2]!.expires) // covered exactly at its expiry
    // B's gateway syncs pool C's log only after C's hop has expired: the fulfil still stands there.
    const seenLate = run.pools[2]!.p.replay(run.prepares[2]!.expires + 5 * MINUTE)
    expect(seenLate.prepares![run.prepares[2]!.id]).toMatchObject({ status: 'fulfilled', settledBy: c.id })
    fulfilHop(run, 1, run.prepares[2]!.expires + 30 * SECOND, run.prepares[2]!.expires + 35 * SECOND)
    fulfilHop(run, 0, run.prepares[2]!.expires + 40 * SECOND, run.prepares[2]!.expires + 45 * SECOND)
    expect(statuses(run)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'])
  })

  it('a fulfil witnessed late: its hop is refused everywhere, and only the late gateway pays, within its trust, provably', () => {
    const run = preparePath(world(), 50)
    const [a, b, c, d] = run.pools
    const t = T1 + 2 * MINUTE
    const fd = fulfilHop(run, 3, t, t + 5 * SECOND)
    // The C–D gateway learns the preimage but is down: its fulfil in C is first witnessed after C's expiry.
    const fc = fulfilHop(run, 2, t + 10 * SECOND, run.prepares[2]!.expires + SECOND)
    for (const asOf of [run.prepares[2]!.expires + 2 * SECOND, ASOF]) {
      expect(c!.p.replay(asOf).entries.find((v) => v.id === fc.id)).toMatchObject({ status: 'rejected', reason: 'prepare-expired' })
    }
    // Honest gateways upstream do not fulfil a hop whose downstream hop failed: the holds unwind.
    for (let i = 2; i >= 0; i--) cancelHop(run, i, run.prepares[i]!.expires + 2 * SECOND)
    expect(statuses(run)).toEqual(['cancelled', 'cancelled', 'cancelled', 'fulfilled'])
    // Alice has her money; Dave was paid by D's gateway for C, whose loss is the hop amount, within D's trust in C.
    expect(a!.p.replay(ASOF).balances[alice.key]).toBe(0)
    const dLine = d!.p.replay(ASOF).trustlines![c!.p.pool]!
    expect(dLine).toMatchObject({ balance: -50, limit: 100 })
    expect(-dLine.balance).toBeLessThanOrEqual(dLine.limit)
    expect(c!.p.replay(ASOF).trustlines![d!.p.pool]).toMatchObject({ balance: 0, held: 0 })
    expect(b!.p.replay(ASOF).trustlines![a!.p.pool]).toMatchObject({ balance: 0, held: 0 })
    // The proof: D's fulfil was witnessed before D's expiry, which came a margin before C's.
    const dWitnessed = d!.p.replay(ASOF).entries.find((v) => v.id === fd.id)!.witnessed
    expect(dWitnessed).not.toBeNull()
    expect(run.prepares[2]!.expires - run.prepares[3]!.expires).toBeGreaterThanOrEqual(HOP_EXPIRY_MARGIN_SECONDS_MIN * 1000)
    for (const x of run.pools) expect(sumOf(x.p)).toBe(0)
  })

  it('a stale quote fails cleanly: a rate changed after the route was found stops the path before anyone is paid', () => {
    const pools = world()
    const run = preparePath(pools, 50, { stopBefore: 2 })
    const d = pools[3]!
    // D's gatekeeper doubles the worth of D's unit: 50 D units now cost 100 HOUR, which B's 201 units no longer cover.
    d.p.policy({ hourRate: { num: 2, den: 1 } }, T1 + 15 * SECOND)
    d.p.checkpoint(d.witness, T1 + 16 * SECOND)
    const fresh = manifests(pools, T1 + 20 * SECOND)
    expect(forwardHop(fresh, run.prepares[1]!, T1 + 20 * SECOND)).toMatchObject({ ok: false, reason: 'amount-mismatch' })
    for (let i = 1; i >= 0; i--) cancelHop(run, i, run.prepares[i]!.expires + SECOND)
    expect(statuses(run)).toEqual(['cancelled', 'cancelled'])
  })

  it('the same outcome on every device: each pool judged from any order of its entries', () => {
    const run = preparePath(world(), 50)
    const t = T1 + 2 * MINUTE
    for (let i = 3; i >= 0; i--) fulfilHop(run, i, t + (3 - i) * 10 * SECOND, t + (3 - i) * 10 * SECOND + 5 * SECOND)
    for (const x of run.pools) {
      const forward = JSON.stringify(x.p.replay(ASOF))
      const reversed = [...x.p.entries].reverse()
      expect(JSON.stringify(replay(reversed, { asOf: ASOF, pool: x.p.pool }))).toBe(forward)
    }
  })
})

describe('all or nothing under faults (property)', () => {
  /**
   * Random faults on the 3-hop path: a gateway that never forwards from some hop on, a payee
   * that never fulfils, and each fulfil taking a random time to be made and witnessed (possibly
   * after its hop's expiry). Gateways are honest: a hop is settled upstream only when the hop
   * after it is fulfilled, otherwise its payer cancels after the expiry.
   */
  const faults = fc.record({
    forwardTo: fc.integer({ min: 1, max: 4 }),
    payeeFulfils: fc.boolean(),
    // Seconds from when the hop after it was witnessed (or, for the payee, from T1 + 1 min) to its fulfil, then to its checkpoint.
    react: fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 4, maxLength: 4 }),
    cover: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 4, maxLength: 4 }),
  })

  it('every hop ends fulfilled or cancelled, fulfilled hops run from the payee back, and only a late gateway ever loses, within its trust (40 runs)', () => {
    fc.assert(fc.property(faults, (f) => {
      const pools = world()
      const run = preparePath(pools, 50, { stopBefore: f.forwardTo })
      const n = run.prepares.length
      const fulfilled = new Array<boolean>(n).fill(false)
      let downstreamCoveredAt = T1 + MINUTE
      for (let i = n - 1; i >= 0; i--) {
        const p = run.prepares[i]!
        const attempt = i === n - 1 ? n === 4 && f.payeeFulfils : fulfilled[i + 1]!
        if (attempt) {
          const at = downstreamCoveredAt + f.react[i]! * SECOND
          const coveredAt = at + f.cover[i]! * SECOND
          fulfilHop(run, i, at, coveredAt)
          fulfilled[i] = coveredAt <= p.expires
          downstreamCoveredAt = coveredAt
        }
        if (!fulfilled[i]) cancelHop(run, i, Math.max(p.expires, downstreamCoveredAt) + 2 * SECOND)
      }
      const states = statuses(run)
      expect(states).toEqual(fulfilled.map((ok) => (ok ? 'fulfilled' : 'cancelled')))
      // Fulfilled hops are a suffix: from the payee back to where the first late fulfil broke the chain.
      const first = fulfilled.indexOf(true)
      if (first >= 0) expect(fulfilled.slice(first).every(Boolean)).toBe(true)
      // Gateways that each fulfil within the step between expiries never lose: then it is all or nothing.
      const prompt = f.react.every((r, i) => i >= n - 1 || r + f.cover[i]! <= HOP_EXPIRY_STEP_SECONDS_DEFAULT)
      if (prompt) expect(first <= 0).toBe(true)
      const alicePaid = pools[0]!.p.replay(ASOF).balances[alice.key] ?? 0
      const davePaid = pools[3]!.p.replay(ASOF).balances[dave.key] ?? 0
      expect(alicePaid !== 0).toBe(fulfilled[0] === true)
      expect(davePaid !== 0).toBe(fulfilled[n - 1] === true && n === 4)
      if (first > 0) {
        // The gateway that lost: pool `first`'s gateway for the pool before paid out, and was paid nothing there.
        const x = pools[first]!
        const line = x.p.replay(ASOF).trustlines![pools[first - 1]!.p.pool]!
        expect(line.balance).toBe(-run.prepares[first]!.amount)
        expect(-line.balance).toBeLessThanOrEqual(line.limit)
        const before = pools[first - 1]!.p.replay(ASOF).trustlines![x.p.pool]!
        expect(before.balance).toBe(0)
      }
      for (const x of pools) expect(sumOf(x.p)).toBe(0)
    }), { numRuns: 40 })
  }, 120_000)
})
