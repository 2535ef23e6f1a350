/**
 * Between pools, inside one pool's log: the rate to HOUR and its rounding,
 * trustlines and their gateway accounts, hashlocked prepares with fulfil and
 * cancel in witnessed time; and each attack tried with hand-signed entries.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  AMOUNT_MAX, HOUR_RATE_PART_MAX, Ledger, PATH_HOPS_MAX, PREPARE_EXPIRY_SECONDS_MAX, PREPARES_OPEN_MAX, TRUST_HOURS_MAX, amountToSend, convert, decodeEntry, encodeEntry, hoursToMinor, replay, signEntry,
  type Entry, type PrepareEntry, type ReplayResult,
} from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf } from './fixtures.ts'
import { ASOF, SECOND, cancel, conditionOf, fulfil, linkedPool, prepare, preimageOf, sumOf, trust, type LinkedPool } from './links-fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const mallory = actor('mallory')

const PRE = preimageOf('one')
const COND = conditionOf(PRE)

/** Pool A (1 unit = 1 HOUR, 2 decimals) trusting pool B up to 10 HOUR, alice and bob members, a first checkpoint. */
function twoPools(): { a: LinkedPool; b: LinkedPool } {
  const a = linkedPool('A', { num: 1, den: 1 }, 2, [alice, bob])
  const b = linkedPool('B', { num: 1, den: 4 }, 0, [mallory])
  trust(a, b, 10, T0 + 10)
  trust(b, a, 5, T0 + 10)
  a.p.checkpoint(a.witness, T0 + 20 * SECOND)
  b.p.checkpoint(b.witness, T0 + 20 * SECOND)
  return { a, b }
}

function replayOf(x: LinkedPool, asOf = ASOF): ReplayResult {
  return x.p.replay(asOf)
}

describe('rates to HOUR', () => {
  const hour = { hourRate: { num: 1, den: 1 }, decimals: 2 }
  const quarter = { hourRate: { num: 1, den: 4 }, decimals: 0 }
  const third = { hourRate: { num: 1, den: 3 }, decimals: 2 }

  it('converts with one floor at the end, never per step', () => {
    // 1.00 HOUR-pool unit = 1 HOUR = 4 units of the quarter pool.
    expect(convert(100, hour, quarter)).toBe(4)
    expect(convert(199, hour, quarter)).toBe(7) // 7.96 rounds down
    expect(convert(1, quarter, hour)).toBe(25)
    // 1 minor unit of the HOUR pool is 0.03 of the third pool's units: 3 minor units exactly.
    expect(convert(1, hour, third)).toBe(3)
    expect(convert(2, third, hour)).toBe(0) // 0.0066… HOUR-pool minor units
    expect(convert(AMOUNT_MAX, hour, third)).toBeUndefined() // 3 × 10^15 > AMOUNT_MAX: an overflow, not a wrapped number
  })

  it('asks the least amount whose conversion reaches the target (property, 500 runs)', () => {
    const rate = fc.record({ num: fc.integer({ min: 1, max: HOUR_RATE_PART_MAX }), den: fc.integer({ min: 1, max: HOUR_RATE_PART_MAX }) })
    const unit = fc.record({ hourRate: rate, decimals: fc.integer({ min: 0, max: 8 }) })
    fc.assert(fc.property(unit, unit, fc.integer({ min: 1, max: 1_000_000_000 }), (x, y, target) => {
      const send = amountToSend(target, x, y)
      if (send === undefined) return
      const reached = convert(send, x, y)
      if (reached === undefined) return // one minor unit of x is worth more than AMOUNT_MAX of y
      expect(reached).toBeGreaterThanOrEqual(target)
      if (send > 1) expect(convert(send - 1, x, y) ?? Infinity).toBeLessThan(target)
    }), { numRuns: 500 })
  })

  it('turns a trust in HOUR into a credit limit rounded down, capped at the largest balance', () => {
    expect(hoursToMinor(10, { hourRate: { num: 3, den: 1 }, decimals: 2 })).toBe(333) // 3.33…
    expect(hoursToMinor(1_000_000_000_000, { hourRate: { num: 1, den: HOUR_RATE_PART_MAX }, decimals: 8 })).toBe(4_000_000_000_000_000)
  })

  it('decodes a rate only as {num, den} of whole numbers within the limit', () => {
    const p = new PoolBuilder()
    const ok = p.policy({ hourRate: { num: 3, den: 2 } }, T0 + 1)
    expect(decodeEntry(encodeEntry(ok)).ok).toBe(true)
    for (const bad of [{ num: 0, den: 1 }, { num: 1, den: HOUR_RATE_PART_MAX + 1 }, { num: 1 }, { num: 1, den: 1, x: 1 }, 1.5]) {
      const text = encodeEntry(ok).replace('{"den":2,"num":3}', JSON.stringify(bad))
      const decoded = decodeEntry(text)
      expect(decoded.ok, JSON.stringify(bad)).toBe(false)
    }
  })

  it('applies a rate change only to what comes after it, even back-dated', () => {
    const { a, b } = twoPools()
    const gw = a.gateway('B')
    // 10 HOUR at 1 unit = 1 HOUR is 1000 minor units of credit: the gateway pays 900 out.
    const first = prepare(a.p, gw, alice.key, 900, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    const c1 = a.p.checkpoint(a.witness, T0 + MINUTE + 5 * SECOND)
    // The gatekeeper now doubles the unit's worth (10 HOUR = 500 minor units) and dates it before the prepare.
    const backdated = a.p.policy({ hourRate: { num: 2, den: 1 } }, T0 + 30 * SECOND)
    a.p.checkpoint(a.witness, T0 + 2 * MINUTE)
    const second = prepare(a.p, gw, bob.key, 50, COND, T0 + 10 * MINUTE, T0 + 3 * MINUTE)
    const r = replayOf(a)
    expect(verdictOf(r, first)).toBe('accepted')
    expect(r.entries.find((v) => v.id === first.id)!.witnessed).toBe(c1.id)
    expect(verdictOf(r, backdated)).toBe('accepted')
    // After the change the limit is 500 and 900 is on hold: nothing more goes out.
    expect(verdictOf(r, second)).toBe('rejected:trust-exceeded')
    expect(r.trustlines![b.p.pool]).toMatchObject({ limitHours: 10, limit: 500, held: 900, available: 0 })
  })
})

describe('trustlines', () => {
  it('shows each trust as a gateway account with its credit limit, in replay', () => {
    const { a, b } = twoPools()
    const r = replayOf(a)
    expect(r.trustlines).toEqual({
      [b.p.pool]: { gateway: a.gateway('B').key, limitHours: 10, limit: 1000, balance: 0, held: 0, available: 1000, entry: expect.any(String) },
    })
    expect(replayOf(b).trustlines![a.p.pool]).toMatchObject({ limitHours: 5, limit: 20 })
  })

  it('only a gatekeeper trusts; a pool without a rate cannot; a member cannot be a gateway; a gateway serves one peer', () => {
    const a = linkedPool('A', { num: 1, den: 1 }, 2, [alice])
    const b = linkedPool('B', { num: 1, den: 1 })
    const c = linkedPool('C', { num: 1, den: 1 })
    const byMember = a.p.sign(alice, 'trust', { peer: b.p.pool, limitHours: 5, gateway: a.gateway('B').key }, { time: T0 + 10 })
    const memberGateway = a.p.sign(a.p.gatekeeper, 'trust', { peer: b.p.pool, limitHours: 5, gateway: alice.key }, { time: T0 + 11 })
    trust(a, b, 5, T0 + 12)
    const twice = a.p.sign(a.p.gatekeeper, 'trust', { peer: c.p.pool, limitHours: 5, gateway: a.gateway('B').key }, { time: T0 + 13 })
    const noRate = new PoolBuilder({ witnesses: [a.witness.key] } as never, actor('norate'))
    const unrated = noRate.sign(noRate.gatekeeper, 'trust', { peer: b.p.pool, limitHours: 5, gateway: a.gateway('B').key }, { time: T0 + 10 })
    const r = replayOf(a)
    expect(verdictOf(r, byMember)).toBe('rejected:not-authorized')
    expect(verdictOf(r, memberGateway)).toBe('rejected:invalid-trustline')
    expect(verdictOf(r, twice)).toBe('rejected:invalid-trustline')
    expect(verdictOf(noRate.replay(ASOF), unrated)).toBe('rejected:no-hour-rate')
  })

  it('pays out up to the trust, refuses the next payment with the reason, and flows back', () => {
    const { a } = twoPools()
    const gw = a.gateway('B')
    const p1 = prepare(a.p, gw, alice.key, 600, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    const p2 = prepare(a.p, gw, bob.key, 400, COND, T0 + 10 * MINUTE, T0 + MINUTE + 1)
    const over = prepare(a.p, gw, bob.key, 1, COND, T0 + 10 * MINUTE, T0 + MINUTE + 2)
    fulfil(a.p, alice, p1, PRE, T0 + 2 * MINUTE)
    fulfil(a.p, bob, p2, PRE, T0 + 2 * MINUTE)
    // Alice pays 250 back toward pool B: into the gateway account, which may then pay 250 again.
    const back = prepare(a.p, alice, gw.key, 250, COND, T0 + 10 * MINUTE, T0 + 3 * MINUTE)
    fulfil(a.p, gw, back, PRE, T0 + 4 * MINUTE)
    const again = prepare(a.p, gw, bob.key, 250, COND, T0 + 10 * MINUTE, T0 + 5 * MINUTE)
    const r = replayOf(a)
    expect(verdictOf(r, over)).toBe('rejected:trust-exceeded')
    expect(r.entries.find((v) => v.id === over.id)!.detail).toContain('at most 0 more')
    expect(verdictOf(r, again)).toBe('accepted')
    expect(r.balances[gw.key]).toBe(-750)
    expect(sumOf(a.p)).toBe(0)
  })

  it('refuses to lower a trust below what the gateway owes under it; raising and lowering above it is fine', () => {
    const { a, b } = twoPools()
    const gw = a.gateway('B')
    const p1 = prepare(a.p, gw, alice.key, 600, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    fulfil(a.p, alice, p1, PRE, T0 + 2 * MINUTE)
    const tooLow = trust(a, b, 5, T0 + 3 * MINUTE)
    const fine = trust(a, b, 6, T0 + 4 * MINUTE)
    const r = replayOf(a)
    expect(verdictOf(r, tooLow)).toBe('rejected:trust-below-balance')
    expect(verdictOf(r, fine)).toBe('accepted')
    expect(r.trustlines![b.p.pool]).toMatchObject({ limitHours: 6, limit: 600, balance: -600, available: 0 })
  })

  it('refuses a witness key as gateway (its chain must hold checkpoints only)', () => {
    const { a, b } = twoPools()
    const witnessGateway = a.p.sign(a.p.gatekeeper, 'trust', { peer: b.p.pool, limitHours: 5, gateway: a.witness.key }, { time: T0 + MINUTE })
    expect(verdictOf(replayOf(a), witnessGateway)).toBe('rejected:invalid-trustline')
  })

  it('attack: a gateway that forks its chain pays out nothing more', () => {
    const { a } = twoPools()
    const gw = a.gateway('B')
    const one = prepare(a.p, gw, alice.key, 100, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    const twin = a.p.sign<PrepareEntry>(gw, 'prepare', { to: bob.key, amount: 100, condition: COND, expires: T0 + 10 * MINUTE }, { time: T0 + MINUTE, seq: one.seq, prev: one.prev })
    const standing = one.id < twin.id ? one : twin
    const next = a.p.sign<PrepareEntry>(gw, 'prepare', { to: bob.key, amount: 5, condition: COND, expires: T0 + 10 * MINUTE }, { time: T0 + 2 * MINUTE, seq: one.seq + 1, prev: standing.id })
    const r = replayOf(a, T0 + 5 * MINUTE)
    expect(r.equivocations).toHaveLength(1)
    expect(verdictOf(r, next)).toBe('rejected:frozen')
    expect(r.trustlines![Object.keys(r.trustlines!)[0]!]!.held).toBe(100)
  })

  it('refuses a trust whose limit would not fit a balance (overflow)', () => {
    const a = linkedPool('A', { num: 1, den: HOUR_RATE_PART_MAX }, 8)
    const b = linkedPool('B', { num: 1, den: 1 })
    const huge = trust(a, b, 1_000_000_000_000, T0 + 10)
    expect(verdictOf(replayOf(a), huge)).toBe('rejected:overflow')
  })
})

describe('prepare, fulfil, cancel', () => {
  it('holds a prepare like a two-step transfer and pays it on the right preimage', () => {
    const { a } = twoPools()
    const gw = a.gateway('B')
    const p = prepare(a.p, alice, gw.key, 300, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    let r = replayOf(a, T0 + 5 * MINUTE)
    expect(verdictOf(r, p)).toBe('accepted')
    expect(r.members[alice.key]).toMatchObject({ held: 300 })
    expect(r.prepares![p.id]).toMatchObject({ from: alice.key, to: gw.key, amount: 300, condition: COND, status: 'prepared' })
    // As judged after its expiry, an open prepare shows as expired.
    expect(replayOf(a, T0 + 11 * MINUTE).prepares![p.id]!.status).toBe('expired')
    const f = fulfil(a.p, gw, p, PRE, T0 + 2 * MINUTE)
    r = replayOf(a)
    expect(verdictOf(r, f)).toBe('accepted')
    expect(r.prepares![p.id]).toMatchObject({ status: 'fulfilled', settledBy: f.id, preimage: PRE })
    expect(r.balances[alice.key]).toBe(-300)
    expect(r.balances[gw.key]).toBe(300)
    expect(r.members[alice.key]!.held).toBeUndefined()
  })

  it('refuses a prepare past the payer\'s minimum, to a stranger, without a witness, already expired or too far out', () => {
    const { a } = twoPools()
    const gw = a.gateway('B')
    const tooMuch = prepare(a.p, alice, gw.key, 1_000_001, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    const stranger = prepare(a.p, alice, actor('stranger').key, 5, COND, T0 + 10 * MINUTE, T0 + MINUTE + 1)
    const expired = prepare(a.p, alice, gw.key, 5, COND, T0 + MINUTE + 3, T0 + MINUTE + 2)
    a.p.checkpoint(a.witness, T0 + MINUTE + 4 * SECOND) // covers `expired` after its expiry
    const far = prepare(a.p, alice, gw.key, 5, COND, T0 + 3 * 86_400_000, T0 + 2 * MINUTE)
    const r = replayOf(a)
    expect(verdictOf(r, tooMuch)).toBe('rejected:below-min-balance')
    expect(verdictOf(r, stranger)).toBe('rejected:unknown-member')
    expect(verdictOf(r, expired)).toBe('rejected:prepare-expired')
    expect(verdictOf(r, far)).toBe('rejected:expiry-too-far')
    const plain = new PoolBuilder({ hourRate: { num: 1, den: 1 } } as never)
    plain.admit(alice, T0 + 1)
    plain.admit(bob, T0 + 2)
    const unwitnessed = prepare(plain, alice, bob.key, 5, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    expect(verdictOf(plain.replay(ASOF), unwitnessed)).toBe('rejected:no-witness')
  })

  it('attack: a wrong preimage, or a fulfil by someone other than the payee, takes nothing', () => {
    const { a } = twoPools()
    const p = prepare(a.p, alice, bob.key, 300, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    const wrong = fulfil(a.p, bob, p, preimageOf('guess'), T0 + 2 * MINUTE)
    const thief = fulfil(a.p, alice, p, PRE, T0 + 2 * MINUTE)
    const r = replayOf(a, T0 + 5 * MINUTE)
    expect(verdictOf(r, wrong)).toBe('rejected:wrong-preimage')
    expect(verdictOf(r, thief)).toBe('rejected:not-party')
    expect(r.prepares![p.id]!.status).toBe('prepared')
    expect(r.balances[bob.key]).toBe(0)
  })

  it('attack: a fulfil first witnessed after the expiry is refused, however early it claims to be', () => {
    const { a } = twoPools()
    const p = prepare(a.p, alice, bob.key, 300, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    a.p.checkpoint(a.witness, T0 + MINUTE + 5 * SECOND)
    // Bob signs at minute 12 but dates it minute 5; the witness first holds it at minute 12.
    const late = fulfil(a.p, bob, p, PRE, T0 + 5 * MINUTE)
    const c = a.p.checkpoint(a.witness, T0 + 12 * MINUTE)
    // Before the checkpoint arrives, a device judges it tentatively on its claimed time.
    const tentative = replay(a.p.entries.filter((e) => e.id !== c.id), { asOf: ASOF })
    expect(verdictOf(tentative, late)).toBe('accepted')
    const r = replayOf(a)
    expect(verdictOf(r, late)).toBe('rejected:prepare-expired')
    expect(r.prepares![p.id]!.status).toBe('expired')
    // Alice takes her money back once the expiry has passed in witnessed time.
    const back = cancel(a.p, alice, p, T0 + 13 * MINUTE)
    a.p.checkpoint(a.witness, T0 + 13 * MINUTE + 5 * SECOND)
    const after = replayOf(a)
    expect(verdictOf(after, back)).toBe('accepted')
    expect(after.prepares![p.id]!.status).toBe('cancelled')
    expect(after.balances[alice.key]).toBe(0)
    expect(after.members[alice.key]!.held).toBeUndefined()
  })

  it('honours a fulfil witnessed before the expiry on a device that sees it long after', () => {
    const { a } = twoPools()
    const p = prepare(a.p, alice, bob.key, 300, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    a.p.checkpoint(a.witness, T0 + MINUTE + 5 * SECOND)
    const f = fulfil(a.p, bob, p, PRE, T0 + 9 * MINUTE)
    a.p.checkpoint(a.witness, T0 + 10 * MINUTE)
    // Alice's cancel, signed later and back-dated, changes nothing.
    const grab = cancel(a.p, alice, p, T0 + 11 * MINUTE)
    a.p.checkpoint(a.witness, T0 + 12 * MINUTE)
    for (const asOf of [T0 + 10 * MINUTE, T0 + 86_400_000, ASOF]) {
      const r = replayOf(a, asOf)
      expect(verdictOf(r, f)).toBe('accepted')
      expect(r.prepares![p.id]!.status).toBe('fulfilled')
    }
    expect(verdictOf(replayOf(a), grab)).toBe('rejected:not-open')
  })

  it('lets the payer cancel only after the expiry, the payee at any time, nobody else ever', () => {
    const { a } = twoPools()
    const p = prepare(a.p, alice, bob.key, 300, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    const early = cancel(a.p, alice, p, T0 + 2 * MINUTE)
    const other = cancel(a.p, a.p.gatekeeper, p, T0 + 2 * MINUTE)
    const q = prepare(a.p, alice, bob.key, 100, COND, T0 + 10 * MINUTE, T0 + 3 * MINUTE)
    const refused = cancel(a.p, bob, q, T0 + 4 * MINUTE)
    const r = replayOf(a)
    expect(verdictOf(r, early)).toBe('rejected:not-expired')
    expect(verdictOf(r, other)).toBe('rejected:not-party')
    expect(verdictOf(r, refused)).toBe('accepted')
    expect(r.prepares![q.id]!.status).toBe('cancelled')
  })

  it('attack: a prepare signed for pool B does not verify in pool A, nor as another type', () => {
    const { a, b } = twoPools()
    const p = prepare(b.p, mallory, b.gateway('A').key, 4, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    // Replayed into A's log as it is: another pool's entry.
    const inA = replay([...a.p.entries, p], { asOf: ASOF, pool: a.p.pool })
    expect(verdictOf(inA, p)).toBe('rejected:wrong-pool')
    // Its signature moved onto the same body naming pool A: the id changes and the signature fails.
    const moved = { ...p, pool: a.p.pool } as PrepareEntry
    const forged = signEntry<PrepareEntry>({ ...moved, author: mallory.key } as never, mallory.secretKey)
    const resigned = { ...forged, sig: p.sig } as PrepareEntry
    expect(verdictOf(replay([...a.p.entries, resigned], { asOf: ASOF, pool: a.p.pool }), resigned)).toBe('rejected:bad-signature')
    // And the same bytes passed off as a transfer do not verify either.
    const asTransfer = { ...p, type: 'transfer' } as unknown as Entry
    expect(decodeEntry(encodeEntry(asTransfer)).ok).toBe(false)
  })

  it('attack: a gateway prepare of AMOUNT_MAX is refused at its trust, not wrapped', () => {
    const { a } = twoPools()
    const gw = a.gateway('B')
    const huge = prepare(a.p, gw, alice.key, AMOUNT_MAX, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    expect(verdictOf(replayOf(a), huge)).toBe('rejected:trust-exceeded')
  })
})

describe('limits, just inside and just outside', () => {
  it('PREPARES_OPEN_MAX open prepares per author, then prepare-limit; one settled makes room', () => {
    const { a } = twoPools()
    const t = T0 + MINUTE
    const made: PrepareEntry[] = []
    for (let i = 0; i <= PREPARES_OPEN_MAX; i++) made.push(prepare(a.p, alice, bob.key, 1, COND, t + 10 * MINUTE, t))
    let r = replayOf(a, t + MINUTE)
    expect(verdictOf(r, made[PREPARES_OPEN_MAX - 1]!)).toBe('accepted')
    expect(verdictOf(r, made[PREPARES_OPEN_MAX]!)).toBe('rejected:prepare-limit')
    fulfil(a.p, bob, made[0]!, PRE, t + 1)
    const room = prepare(a.p, alice, bob.key, 1, COND, t + 10 * MINUTE, t + 2)
    r = replayOf(a, t + MINUTE)
    expect(verdictOf(r, room)).toBe('accepted')
  })

  it('PREPARE_EXPIRY_SECONDS_MAX from the prepare\'s time, not a millisecond more', () => {
    const { a } = twoPools()
    const t = T0 + MINUTE
    const inside = prepare(a.p, alice, bob.key, 1, COND, t + PREPARE_EXPIRY_SECONDS_MAX * 1000, t)
    const outside = prepare(a.p, alice, bob.key, 1, COND, t + PREPARE_EXPIRY_SECONDS_MAX * 1000 + 1, t)
    const r = replayOf(a, t + MINUTE)
    expect(verdictOf(r, inside)).toBe('accepted')
    expect(verdictOf(r, outside)).toBe('rejected:expiry-too-far')
  })

  it('decodes TRUST_HOURS_MAX and a path of PATH_HOPS_MAX + 1 pools, refuses one more of each', () => {
    const { a, b } = twoPools()
    const ok = trust(a, b, TRUST_HOURS_MAX, T0 + MINUTE)
    expect(decodeEntry(encodeEntry(ok)).ok).toBe(true)
    const tooMuch = encodeEntry(ok).replace(`"limitHours":${TRUST_HOURS_MAX}`, `"limitHours":${TRUST_HOURS_MAX + 1}`)
    expect(decodeEntry(tooMuch)).toMatchObject({ ok: false, detail: expect.stringContaining('limitHours') })
    const pools = (n: number) => [a.p.pool, ...Array.from({ length: n - 1 }, (_, i) => (i + 1).toString(16).padStart(64, '0'))]
    const longest = prepare(a.p, alice, bob.key, 1, COND, T0 + 10 * MINUTE, T0 + MINUTE, { pools: pools(PATH_HOPS_MAX + 1) as never, payee: bob.key, amount: 1 })
    expect(decodeEntry(encodeEntry(longest)).ok).toBe(true)
    expect(() => prepare(a.p, alice, bob.key, 1, COND, T0 + 10 * MINUTE, T0 + MINUTE, { pools: pools(PATH_HOPS_MAX + 2) as never, payee: bob.key, amount: 1 })).toThrow(/path.pools/)
    expect(() => prepare(a.p, alice, bob.key, 1, COND, T0 + 10 * MINUTE, T0 + MINUTE, { pools: pools(3).slice(1) as never, payee: bob.key, amount: 1 })).toThrow(/own pool/)
  })
})

describe('prepares and demurrage', () => {
  it('charges the accounts a prepare, fulfil or cancel touches first, so lazy charges equal daily ticks', () => {
    const DAY = 86_400_000
    const run = (ticks: boolean) => {
      const { a } = twoPools()
      a.p.policy({ demurrage: { rateNum: 1, rateDen: 100, periodSeconds: 86_400, freeBase: 0 } }, T0 + 30 * SECOND)
      const gw = a.gateway('B')
      const p1 = prepare(a.p, gw, alice.key, 800, COND, T0 + DAY / 2, T0 + MINUTE)
      fulfil(a.p, alice, p1, PRE, T0 + 2 * MINUTE)
      // Alice holds 800 for two days, then prepares 500 back, which is refused by its payee a day later.
      if (ticks) for (let d = 1; d <= 2; d++) a.p.sign(a.p.gatekeeper, 'tick', {}, { time: T0 + d * DAY + MINUTE })
      const p2 = prepare(a.p, alice, gw.key, 500, COND, T0 + 2 * DAY + 3 * MINUTE + DAY / 2, T0 + 2 * DAY + 3 * MINUTE)
      if (ticks) a.p.sign(a.p.gatekeeper, 'tick', {}, { time: T0 + 2 * DAY + 2 * MINUTE + DAY / 2 })
      cancel(a.p, gw, p2, T0 + 2 * DAY + 4 * MINUTE + DAY / 2)
      if (ticks) a.p.sign(a.p.gatekeeper, 'tick', {}, { time: T0 + 3 * DAY + MINUTE })
      a.p.sign(a.p.gatekeeper, 'tick', {}, { time: T0 + 4 * DAY + MINUTE })
      return replayOf(a)
    }
    const lazy = run(false)
    const ticked = run(true)
    expect(lazy.balances[alice.key]).toBe(ticked.balances[alice.key])
    expect(lazy.commons).toBe(ticked.commons)
    expect(lazy.commons).toBeGreaterThan(0)
    expect(Object.values(lazy.balances).reduce((x, y) => x + y, 0) + lazy.commons!).toBe(0)
  })
})

describe('determinism with prepares, fulfils and cancels', () => {
  /** A pool with several prepares settled in every way, some covered, some not. */
  function scenario(): PoolBuilder {
    const { a } = twoPools()
    const gw = a.gateway('B')
    const p1 = prepare(a.p, alice, gw.key, 300, COND, T0 + 10 * MINUTE, T0 + MINUTE)
    const p2 = prepare(a.p, gw, bob.key, 200, COND, T0 + 10 * MINUTE, T0 + MINUTE + 1)
    const p3 = prepare(a.p, bob, alice.key, 50, conditionOf(preimageOf('x')), T0 + 4 * MINUTE, T0 + MINUTE + 2)
    fulfil(a.p, gw, p1, PRE, T0 + 2 * MINUTE)
    a.p.checkpoint(a.witness, T0 + 3 * MINUTE)
    fulfil(a.p, bob, p2, preimageOf('wrong'), T0 + 3 * MINUTE + 1)
    fulfil(a.p, bob, p2, PRE, T0 + 3 * MINUTE + 2)
    fulfil(a.p, alice, p3, preimageOf('x'), T0 + 5 * MINUTE)
    a.p.checkpoint(a.witness, T0 + 6 * MINUTE)
    cancel(a.p, bob, p3, T0 + 7 * MINUTE)
    trust(a, linkedPool('B', { num: 1, den: 4 }, 0), 8, T0 + 8 * MINUTE)
    prepare(a.p, gw, alice.key, 700, COND, T0 + 20 * MINUTE, T0 + 9 * MINUTE)
    return a.p
  }

  it('gives byte-identical results shuffled, duplicated, split and added incrementally (100 runs)', () => {
    const p = scenario()
    const expected = JSON.stringify(replay(p.entries, { asOf: ASOF }))
    expect(JSON.parse(expected).prepares).toBeDefined()
    fc.assert(fc.property(fc.integer(), fc.array(fc.nat(5), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (seed, partOf, dups) => {
      const shuffled = fc.sample(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), { seed, numRuns: 1 })[0]!
      const withDups = [...shuffled, ...dups.map((i) => p.entries[i % p.entries.length]!)]
      expect(JSON.stringify(replay(withDups, { asOf: ASOF }))).toBe(expected)
      const ledger = new Ledger(p.pool)
      const parts: Entry[][] = [[], [], [], [], [], []]
      shuffled.forEach((e, i) => parts[partOf[i % partOf.length]!]!.push(e))
      for (const part of parts) ledger.add(part, ASOF)
      expect(JSON.stringify(ledger.result())).toBe(expected)
    }), { numRuns: 100 })
  })

  // Found by the simulation (sim/betweenPools.ts, seed 5 at 4 devices and 10 steps): the payer's phone held the
  // prepare as it built it ({pools, payee, amount}), every other device as decoded from the wire; `replay` copied
  // the path object as it was, so the payer's replay printed its fields in another order than everyone else's.
  it('prints a prepare\'s path the same whether the entry was built by its signer or decoded from its line', () => {
    const { a, b } = twoPools()
    const path = { pools: [a.p.pool, b.p.pool], payee: mallory.key, amount: 4 }
    const built = prepare(a.p, alice, a.gateway('B').key, 100, COND, T0 + 10 * MINUTE, T0 + MINUTE, path)
    const decoded = a.p.entries.map((e) => {
      const d = decodeEntry(encodeEntry(e))
      if (!d.ok) throw new Error(d.reason)
      return d.entry
    })
    expect(Object.keys(built.path!)).toEqual(['pools', 'payee', 'amount'])
    expect(JSON.stringify(replay(a.p.entries, { asOf: ASOF }))).toBe(JSON.stringify(replay(decoded, { asOf: ASOF })))
    const ledger = new Ledger(a.p.pool)
    ledger.add(a.p.entries, ASOF)
    expect(JSON.stringify(ledger.result())).toBe(JSON.stringify(replay(decoded, { asOf: ASOF })))
  })

  it('an incremental ledger stepping asOf forward agrees with a full replay at each step', () => {
    const p = scenario()
    const ledger = new Ledger(p.pool)
    for (const asOf of [T0, T0 + 2 * MINUTE, T0 + 5 * MINUTE, T0 + 11 * MINUTE, ASOF]) {
      ledger.add(p.entries, asOf)
      expect(JSON.stringify(ledger.result())).toBe(JSON.stringify(replay(p.entries, { asOf })))
    }
  })
})
