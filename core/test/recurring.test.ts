/**
 * Recurring requests (rules/recurring.ts): a payee asks for a payment every
 * period, the payer accepts once, and the accept is a standing order whose
 * periods are collected like any order's. And the attacks: back-dating,
 * paying a period twice, replays, overflow, accepting someone else's request,
 * a forked accept.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  AMOUNT_MAX, BALANCE_ABS_MAX, Ledger, ORDER_COUNT_MAX, ORDER_EVERY_SECONDS_MAX, PROTOCOL_VERSION, decodeEntry, entryIdOf, payloadText, periodsToCollect, replay, signedMessage,
  type Entry, type ReplayResult,
} from '../index.ts'
import { signBytes } from '../keys.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf, type Actor } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const carol = actor('carol')
const mallory = actor('mallory')
const relay = actor('relay')
const phone = actor('alice phone')
const laptop = actor('alice laptop')
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const ASOF = T0 + 400 * DAY

/** An issued pool: alice holds 1000; bob is the landlord. */
function pool(policy: Record<string, unknown> = {}) {
  const p = new PoolBuilder({ kind: 'issued', minBalance: 0, maxBalance: null, ...policy } as never)
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  p.admit(carol, T0 + 3)
  p.issue(alice, 1000, T0 + 4)
  p.issue(carol, 1000, T0 + 5)
  return p
}

/** Bob asks for `amount` every day (from alice unless `from` is null). */
function ask(p: PoolBuilder, body: Record<string, unknown> = {}, time = T0 + MINUTE, from: Actor | null = alice): Entry {
  return p.sign(bob, 'request', { amount: 100, everySeconds: 86_400, ...(from ? { from: from.key } : {}), ...body }, { time })
}

function accept(p: PoolBuilder, request: Entry, time: number, by: Actor = alice, overrides: Record<string, unknown> = {}): Entry {
  return p.sign(by, 'accept', { entry: request.id }, { time, deps: [request.id], ...overrides })
}

function collect(p: PoolBuilder, order: Entry, period: number, time: number, by: Actor = bob): Entry {
  return p.sign(by, 'collect', { order: order.id, period }, { time, deps: [order.id] })
}

const orderOf = (r: ReplayResult, id: Entry) => r.orders?.find((o) => o.id === id.id)

/** Keys sorted as canonical JSON wants them (one level deep is enough for a request). */
function canonicalOrder(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))
}

describe('recurring requests', () => {
  it('the payer accepts once; each period is then collected as a standing order\'s, and replay shows both', () => {
    const p = pool()
    const rent = ask(p, { count: 3, memo: 'rent', coordinator: relay.key })
    const yes = accept(p, rent, T0 + 2 * MINUTE)
    const c0 = collect(p, yes, 0, T0 + 3 * MINUTE)
    const c1 = collect(p, yes, 1, T0 + DAY + 2 * MINUTE, relay)
    const c2 = collect(p, yes, 2, T0 + 2 * DAY + 2 * MINUTE)
    const c3 = collect(p, yes, 3, T0 + 3 * DAY + 2 * MINUTE)
    const r = p.replay(ASOF)
    expect([yes, c0, c1, c2, c3].map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'rejected:order-closed'])
    expect(r.balances[alice.key]).toBe(700)
    expect(r.balances[bob.key]).toBe(300)
    expect(r.requests![rent.id]).toEqual({
      payee: bob.key, amount: 100, from: alice.key, memo: 'rent', status: 'accepted', settledBy: yes.id,
      everySeconds: 86_400, count: 3, coordinator: relay.key, orders: [yes.id],
    })
    expect(orderOf(r, yes)).toMatchObject({
      payer: alice.key, payee: bob.key, amount: 100, everySeconds: 86_400, start: T0 + 2 * MINUTE, count: 3, coordinator: relay.key,
      memo: 'rent', paid: 3, status: 'finished', request: rent.id,
    })
    expect(orderOf(r, yes)!.firstPeriod).toBeUndefined()
  })

  it('a request to anyone is accepted once per payer and stays open for others until its requester cancels it', () => {
    const p = pool()
    const dues = ask(p, { amount: 50 }, T0 + MINUTE, null)
    const a = accept(p, dues, T0 + 2 * MINUTE)
    const c = accept(p, dues, T0 + 3 * MINUTE, carol)
    const again = accept(p, dues, T0 + 4 * MINUTE)
    const own = accept(p, dues, T0 + 5 * MINUTE, bob)
    const closed = p.answer('cancel', bob, dues, T0 + HOUR)
    const late = accept(p, dues, T0 + 2 * HOUR, carol)
    collect(p, a, 0, T0 + 3 * HOUR)
    const fromCarol = collect(p, c, 1, T0 + DAY + 3 * HOUR)
    const r = p.replay(ASOF)
    expect([a, c, again, own, closed, late, fromCarol].map((e) => verdictOf(r, e))).toEqual([
      'accepted', 'accepted', 'rejected:not-open', 'rejected:not-party', 'accepted', 'rejected:not-open', 'accepted',
    ])
    expect(r.requests![dues.id]).toMatchObject({ status: 'cancelled', orders: [a.id, c.id] })
    // The orders made before the cancel go on: each payer ends its own.
    expect(orderOf(r, c)!.status).toBe('active')
    expect(r.balances[bob.key]).toBe(100)
  })

  it('either party ends the payments with a cancel of the accept; nobody else may', () => {
    const p = pool()
    const rent = ask(p)
    const yes = accept(p, rent, T0 + 2 * MINUTE)
    const byCarol = p.answer('cancel', carol, yes, T0 + HOUR)
    const byBob = p.answer('cancel', bob, yes, T0 + 2 * HOUR)
    const after = collect(p, yes, 1, T0 + DAY + 3 * MINUTE)
    const r = p.replay(ASOF)
    expect([byCarol, byBob, after].map((e) => verdictOf(r, e))).toEqual(['rejected:not-party', 'accepted', 'rejected:order-closed'])
    expect(orderOf(r, yes)!.status).toBe('revoked')
    const q = pool()
    const rent2 = ask(q)
    const yes2 = accept(q, rent2, T0 + 2 * MINUTE)
    const byAlice = q.answer('cancel', alice, yes2, T0 + HOUR)
    expect(verdictOf(q.replay(ASOF), byAlice)).toBe('accepted')
  })

  it('a request that is not recurring is still paid, not accepted; a recurring one is accepted, not paid', () => {
    const p = pool()
    const once = p.request(bob, 100, T0 + MINUTE, alice)
    const wrongWay = accept(p, once, T0 + 2 * MINUTE)
    const rent = ask(p, {}, T0 + 3 * MINUTE)
    const paid = p.payRequest(alice, rent, T0 + 4 * MINUTE, bob)
    const r = p.replay(ASOF)
    expect(verdictOf(r, wrongWay)).toBe('rejected:bad-target')
    expect(verdictOf(r, paid)).toBe('rejected:bad-target')
    expect(r.requests![rent.id]!.status).toBe('open')
  })

  it('fails a period cleanly when the payer cannot pay, and a later collect may retry it', () => {
    const p = pool()
    const rent = ask(p, { amount: 600 })
    const yes = accept(p, rent, T0 + 2 * MINUTE)
    collect(p, yes, 0, T0 + 3 * MINUTE)
    const broke = collect(p, yes, 1, T0 + DAY + 3 * MINUTE)
    p.issue(alice, 500, T0 + DAY + HOUR)
    const retried = collect(p, yes, 1, T0 + DAY + 2 * HOUR)
    const r = p.replay(ASOF)
    expect([verdictOf(r, broke), verdictOf(r, retried)]).toEqual(['rejected:below-min-balance', 'accepted'])
    expect(r.balances[alice.key]).toBe(300)
  })

  it('periodsToCollect asks the payee and the coordinator for the accepted request\'s due periods', () => {
    const p = pool()
    const rent = ask(p, { coordinator: relay.key, count: 5 })
    const yes = accept(p, rent, T0 + 2 * MINUTE)
    collect(p, yes, 0, T0 + 3 * MINUTE)
    const at = T0 + 2 * DAY + HOUR
    const ledger = new Ledger(p.pool)
    ledger.add(p.entries, at)
    const options = { retryMs: DAY, perOrderMax: 5 }
    const due = [{ order: yes.id, period: 1 }, { order: yes.id, period: 2 }]
    expect(periodsToCollect(ledger, bob.key, at, options)).toEqual(due)
    expect(periodsToCollect(ledger, relay.key, at, options)).toEqual(due)
    expect(periodsToCollect(ledger, alice.key, at, options)).toEqual([])
  })
})

describe('recurring requests: attacks', () => {
  it('back-dating: periods of a request dated or started in the past are not owed, and an early collect is not due', () => {
    const p = pool()
    // Bob dates the schedule ten days back; alice accepts on day 0.
    const rent = ask(p, { start: T0 - 10 * DAY, count: 12 }, T0 + MINUTE)
    const yes = accept(p, rent, T0 + 2 * MINUTE)
    const past = collect(p, yes, 3, T0 + 3 * MINUTE)
    // Period 10 fell due at T0 − 10 days + 10 days = T0, before the accept; period 11 at T0 + 1 day.
    const boundary = collect(p, yes, 10, T0 + 4 * MINUTE)
    const early = collect(p, yes, 11, T0 + 5 * MINUTE)
    const onTime = collect(p, yes, 11, T0 + DAY)
    const r = p.replay(ASOF)
    expect([past, boundary, early, onTime].map((e) => verdictOf(r, e))).toEqual(['rejected:order-closed', 'rejected:order-closed', 'rejected:not-due', 'accepted'])
    expect(orderOf(r, yes)).toMatchObject({ firstPeriod: 11, paid: 1, status: 'finished' })
    expect(r.balances[alice.key]).toBe(900)
  })

  it('back-dating: an accept dated before the request still starts after it (effective time), and a finished schedule cannot be accepted', () => {
    const p = pool()
    const rent = ask(p, {}, T0 + DAY)
    const yes = accept(p, rent, T0 + 2 * MINUTE)
    const r = p.replay(ASOF)
    expect(verdictOf(r, yes)).toBe('accepted')
    expect(orderOf(r, yes)!.start).toBe(T0 + DAY)
    const q = pool()
    const over = ask(q, { start: T0 - 10 * DAY, count: 3 })
    const gone = ask(q, { until: T0 + 2 * MINUTE }, T0 + 2 * MINUTE)
    const tooOld = ask(q, { start: 0, everySeconds: 60 }, T0 + 3 * MINUTE)
    const results = [accept(q, over, T0 + 5 * MINUTE), accept(q, gone, T0 + 6 * MINUTE), accept(q, tooOld, T0 + 7 * MINUTE)]
    const r2 = q.replay(ASOF)
    // The 1970 schedule's next period is far past ORDER_COUNT_MAX: no collect could ever name it.
    expect(results.map((e) => verdictOf(r2, e))).toEqual(['rejected:request-ended', 'rejected:request-ended', 'rejected:request-ended'])
    expect(r2.orders).toBeUndefined()
    expect(r2.requests![over.id]!.status).toBe('open')
  })

  it('paying a period twice: payee and coordinator, or two of the payee\'s tries, pay it once', () => {
    const p = pool()
    const rent = ask(p, { coordinator: relay.key })
    const yes = accept(p, rent, T0 + 2 * MINUTE)
    const first = collect(p, yes, 0, T0 + 3 * MINUTE, relay)
    const second = collect(p, yes, 0, T0 + 4 * MINUTE)
    const third = collect(p, yes, 0, T0 + 5 * MINUTE)
    const r = p.replay(ASOF)
    expect([first, second, third].map((e) => verdictOf(r, e))).toEqual(['accepted', 'rejected:order-period-paid', 'rejected:order-period-paid'])
    expect(r.balances[bob.key]).toBe(100)
  })

  it('replay: the same accept or collect line again is the same entry; a second accept is refused', () => {
    const p = pool()
    const rent = ask(p)
    const yes = accept(p, rent, T0 + 2 * MINUTE)
    const c = collect(p, yes, 0, T0 + 3 * MINUTE)
    const again = accept(p, rent, T0 + 4 * MINUTE)
    const doubled = replay([...p.entries, yes, c, yes, c], { asOf: ASOF })
    expect(JSON.stringify(doubled)).toBe(JSON.stringify(p.replay(ASOF)))
    expect(verdictOf(doubled, again)).toBe('rejected:not-open')
    expect(doubled.orders).toHaveLength(1)
    expect(doubled.balances[alice.key]).toBe(900)
    // An accept or a collect copied into another pool does not verify there.
    const other = pool({ name: 'Other pool' })
    const moved = { ...yes, pool: other.pool } as Entry
    const there = replay([...other.entries, moved], { asOf: ASOF })
    expect(verdictOf(there, moved)).toBe('rejected:bad-signature')
    expect(there.orders).toBeUndefined()
  })

  it('accepting someone else\'s request: another member, the requester and a stranger are refused; nobody else collects', () => {
    const p = pool()
    const rent = ask(p)
    const byCarol = accept(p, rent, T0 + 2 * MINUTE, carol)
    const byBob = accept(p, rent, T0 + 3 * MINUTE, bob)
    const byMallory = accept(p, rent, T0 + 4 * MINUTE, mallory)
    const yes = accept(p, rent, T0 + 5 * MINUTE)
    const carolCollects = collect(p, yes, 0, T0 + 6 * MINUTE, carol)
    const relayCollects = collect(p, yes, 0, T0 + 7 * MINUTE, relay)
    const r = p.replay(ASOF)
    expect([byCarol, byBob, byMallory, yes, carolCollects, relayCollects].map((e) => verdictOf(r, e))).toEqual([
      'rejected:not-party', 'rejected:not-party', 'rejected:not-member', 'accepted', 'rejected:not-collector', 'rejected:not-member',
    ])
    expect(r.balances[alice.key]).toBe(1000)
    expect(r.balances[carol.key]).toBe(1000)
  })

  it('a forked accept (two accepts at one seq) makes at most one order, and the forking payer pays nothing more', () => {
    const p = pool()
    const rent = ask(p, { coordinator: relay.key })
    const open = ask(p, { amount: 70 }, T0 + 2 * MINUTE, null)
    const head = p.entries.filter((e) => e.author === alice.key).at(-1)
    const one = accept(p, rent, T0 + 3 * MINUTE)
    const twin = accept(p, open, T0 + 3 * MINUTE, alice, { seq: one.seq, prev: head ? head.id : null })
    for (const o of [one, twin]) collect(p, o, 0, T0 + 4 * MINUTE, relay)
    const r = p.replay(ASOF)
    const standing = [one, twin].filter((e) => verdictOf(r, e) === 'accepted')
    expect(standing).toHaveLength(1)
    expect(r.equivocations).toHaveLength(1)
    expect(r.orders).toHaveLength(1)
    // The fork freezes alice: the standing order's payments fail cleanly, nothing moves.
    expect(r.balances[alice.key]).toBe(1000)
  })

  it('a forked accept across the member\'s devices (each its own chain) makes one order', () => {
    const p = pool()
    const rent = ask(p)
    const certs = [phone, laptop].map((d, i) => p.sign(alice, 'device', { device: d.key }, { time: T0 + 10 + i }))
    const fromPhone = accept(p, rent, T0 + 2 * MINUTE, phone, { deps: [rent.id, certs[0]!.id] })
    const fromLaptop = accept(p, rent, T0 + 2 * MINUTE, laptop, { deps: [rent.id, certs[1]!.id] })
    const r = p.replay(ASOF)
    expect([fromPhone, fromLaptop].map((e) => verdictOf(r, e)).sort()).toEqual(['accepted', 'rejected:not-open'])
    expect(r.orders).toHaveLength(1)
    expect(r.orders![0]!.payer).toBe(alice.key)
  })

  it('a device with a spending cap cannot accept a recurring request (it promises payments)', () => {
    const p = pool()
    const rent = ask(p)
    const cert = p.sign(alice, 'device', { device: phone.key, spendCap: 500 }, { time: T0 + 10 })
    const capped = accept(p, rent, T0 + 2 * MINUTE, phone, { deps: [rent.id, cert.id] })
    expect(verdictOf(p.replay(ASOF), capped)).toBe('rejected:device-cap')
  })

  it('overflow: amounts, intervals, counts and times outside the limits are malformed; a payee past BALANCE_ABS_MAX is refused', () => {
    const p = pool()
    const bad: Record<string, unknown>[] = [
      { amount: AMOUNT_MAX + 1 }, { everySeconds: 59 }, { everySeconds: ORDER_EVERY_SECONDS_MAX + 1 }, { count: ORDER_COUNT_MAX + 1 }, { count: 0 },
      { start: -1 }, { until: T0 }, { coordinator: bob.key }, { everySeconds: undefined, count: 2 }, { everySeconds: undefined, coordinator: relay.key },
    ]
    for (const body of bad) {
      const head = p.entries.filter((e) => e.author === bob.key).at(-1)
      const draft: Record<string, unknown> = {
        v: PROTOCOL_VERSION, type: 'request', pool: p.pool, author: bob.key, seq: (head?.seq ?? 0) + 1, prev: head?.id ?? null, deps: [], time: T0 + HOUR,
        amount: 100, everySeconds: 86_400, ...body,
      }
      for (const key of Object.keys(draft)) if (draft[key] === undefined) delete draft[key]
      // Signed by hand: signEntry refuses to make a malformed entry.
      const sig = signBytes(signedMessage('request', payloadText(draft)), bob.secretKey)
      const decoded = decodeEntry(JSON.stringify(canonicalOrder({ ...draft, id: entryIdOf(draft), sig })))
      expect(decoded.ok, JSON.stringify(body)).toBe(false)
      expect(decoded.ok ? '' : decoded.detail, JSON.stringify(body)).toMatch(/amount|everySeconds|count|start|until|coordinator/)
    }
    // Mutual credit without limits: carol pays bob to 50 below BALANCE_ABS_MAX, then alice's 100 would take him past it.
    const rich = new PoolBuilder({ kind: 'mutual-credit', minBalance: -BALANCE_ABS_MAX, maxBalance: null } as never)
    rich.admit(alice, T0 + 1)
    rich.admit(bob, T0 + 2)
    rich.admit(carol, T0 + 3)
    for (let i = 0; i < 4; i++) rich.transfer(carol, bob, AMOUNT_MAX - (i === 3 ? 50 : 0), T0 + 10 + i * MINUTE)
    const rent = ask(rich, {}, T0 + HOUR)
    const yes = accept(rich, rent, T0 + HOUR + MINUTE)
    const over = collect(rich, yes, 0, T0 + HOUR + 2 * MINUTE)
    const r = rich.replay(ASOF)
    expect(r.balances[bob.key]).toBe(BALANCE_ABS_MAX - 50)
    expect(verdictOf(r, over)).toBe('rejected:overflow')
    expect(r.balances[alice.key]).toBe(0)
  })

  it('never pays a period twice under duplicates and reordering, whoever accepts and collects (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ period: fc.nat(4), relay: fc.boolean(), dt: fc.integer({ min: 0, max: 6 * DAY }) }), { minLength: 1, maxLength: 10 }),
      fc.boolean(),
      fc.integer(),
      (collects, twoAccepts, seed) => {
        const p = pool()
        const rent = ask(p, { count: 4, amount: 150, coordinator: relay.key }, T0 + MINUTE, null)
        const yes = accept(p, rent, T0 + 2 * MINUTE)
        if (twoAccepts) accept(p, rent, T0 + 3 * MINUTE)
        const clocks = new Map<Actor, number>([[bob, T0 + 2 * MINUTE], [relay, T0 + 2 * MINUTE]])
        for (const c of collects) {
          const who = c.relay ? relay : bob
          const t = Math.max(clocks.get(who)!, T0 + 2 * MINUTE + c.dt)
          clocks.set(who, t)
          collect(p, yes, c.period, t, who)
        }
        const shuffled = fc.sample(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), { seed, numRuns: 1 })[0]!
        const a = replay([...shuffled, ...shuffled.slice(0, 4)], { asOf: ASOF })
        const b = p.replay(ASOF)
        expect(JSON.stringify(a)).toBe(JSON.stringify(b))
        const accepted = a.entries.filter((v) => v.type === 'collect' && v.status === 'accepted').map((v) => (p.entries.find((e) => e.id === v.id) as unknown as { period: number }).period)
        expect(new Set(accepted).size).toBe(accepted.length)
        expect(a.orders).toHaveLength(1)
        expect(a.balances[alice.key]).toBe(1000 - 150 * accepted.length)
      },
    ), { numRuns: 60 })
  })
})
