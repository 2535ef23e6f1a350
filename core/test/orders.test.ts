/**
 * Standing orders and scheduled payments (rules/orders.ts): collected when
 * due by the payee or the coordinator, judged against the payer's limits
 * then, never paid twice for one period under duplicates and reordering,
 * revocable; and the attacks: early collects, strangers, replays of a period.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Ledger, periodsToCollect, replay, type Entry, type ReplayResult } from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf, type Actor } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const carol = actor('carol')
const mallory = actor('mallory')
const relay = actor('relay')
const witness = actor('witness')
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const ASOF = T0 + 400 * DAY

function pool(policy: Record<string, unknown> = {}) {
  const p = new PoolBuilder({ kind: 'issued', minBalance: 0, maxBalance: null, ...policy } as never)
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  p.admit(carol, T0 + 3)
  p.issue(alice, 1000, T0 + 4)
  return p
}

function order(p: PoolBuilder, body: Record<string, unknown>, time = T0 + MINUTE, by: Actor = alice): Entry {
  return p.sign(by, 'order', { to: bob.key, amount: 100, ...body }, { time })
}

function collect(p: PoolBuilder, o: Entry, period: number, time: number, by: Actor = bob): Entry {
  return p.sign(by, 'collect', { order: o.id, period }, { time, deps: [o.id] })
}

function orderOf(r: ReplayResult, o: Entry) {
  return r.orders!.find((x) => x.id === o.id)!
}

describe('standing orders', () => {
  it('pays each period once when due, and shows the order in replay', () => {
    const p = pool()
    const o = order(p, { everySeconds: 7 * 86_400, count: 3, memo: 'rent' })
    const first = collect(p, o, 0, T0 + 2 * MINUTE)
    const second = collect(p, o, 1, T0 + 7 * DAY + MINUTE)
    const r = p.replay(ASOF)
    expect([verdictOf(r, first), verdictOf(r, second)]).toEqual(['accepted', 'accepted'])
    expect(r.balances[alice.key]).toBe(800)
    expect(r.balances[bob.key]).toBe(200)
    expect(orderOf(r, o)).toMatchObject({ id: o.id, payer: alice.key, payee: bob.key, amount: 100, everySeconds: 604_800, paid: 2, status: 'active' })
  })

  it('refuses a payment before it is due, beyond the count and after until', () => {
    const p = pool()
    const o = order(p, { everySeconds: 86_400, count: 2, until: T0 + MINUTE + DAY })
    const early = collect(p, o, 1, T0 + DAY)
    const beyond = collect(p, o, 2, T0 + 3 * DAY)
    const q = pool()
    const u = order(q, { everySeconds: 86_400, until: T0 + MINUTE + DAY })
    const afterUntil = collect(q, u, 2, T0 + 3 * DAY)
    expect(verdictOf(p.replay(ASOF), early)).toBe('rejected:not-due')
    expect(verdictOf(p.replay(ASOF), beyond)).toBe('rejected:order-closed')
    expect(verdictOf(q.replay(ASOF), afterUntil)).toBe('rejected:order-closed')
  })

  it('shows an order past its until as ended, not active, and still lets a period due before then be collected', () => {
    const p = pool()
    const o = order(p, { everySeconds: 86_400, until: T0 + MINUTE + DAY })
    collect(p, o, 0, T0 + 2 * MINUTE)
    expect(orderOf(p.replay(T0 + DAY), o).status).toBe('active')
    expect(orderOf(p.replay(T0 + MINUTE + DAY), o).status).toBe('active')
    const ledger = new Ledger(p.pool)
    ledger.add(p.entries, T0 + 3 * DAY)
    expect(orderOf(ledger.result(), o).status).toBe('ended')
    expect(ledger.orders().find((x) => x.id === o.id)!.status).toBe('ended')
    // Period 1 fell due at until itself and was not collected: its payee may still ask for it, once.
    expect(periodsToCollect(ledger, bob.key, T0 + 3 * DAY, { retryMs: DAY, perOrderMax: 5 })).toEqual([{ order: o.id, period: 1 }])
    const late = collect(p, o, 1, T0 + 3 * DAY)
    const r = p.replay(T0 + 4 * DAY)
    expect(verdictOf(r, late)).toBe('accepted')
    expect(orderOf(r, o)).toMatchObject({ paid: 2, status: 'ended' })
    // A revoked or fully paid order keeps its own status past until.
    const q = pool()
    const stopped = order(q, { everySeconds: 86_400, until: T0 + DAY })
    q.sign(alice, 'cancel', { entry: stopped.id }, { time: T0 + 2 * MINUTE, deps: [stopped.id] })
    const done = order(q, { everySeconds: 86_400, count: 1, until: T0 + DAY }, T0 + 3 * MINUTE)
    collect(q, done, 0, T0 + 4 * MINUTE)
    expect([orderOf(q.replay(ASOF), stopped).status, orderOf(q.replay(ASOF), done).status]).toEqual(['revoked', 'finished'])
  })

  it('judges each payment against the payer then, and fails cleanly with a reason', () => {
    const p = pool()
    const o = order(p, { everySeconds: 86_400, amount: 600 })
    collect(p, o, 0, T0 + 2 * MINUTE)
    const short = collect(p, o, 1, T0 + DAY + 2 * MINUTE)
    const r = p.replay(ASOF)
    expect(verdictOf(r, short)).toBe('rejected:below-min-balance')
    expect(r.balances[alice.key]).toBe(400)
    expect(orderOf(r, o).paid).toBe(1)
  })

  it('never pays one period twice, whoever submits it: payee and coordinator both', () => {
    const p = pool()
    const o = order(p, { everySeconds: 86_400, coordinator: relay.key })
    const byPayee = collect(p, o, 0, T0 + 2 * MINUTE)
    const byRelay = collect(p, o, 0, T0 + 3 * MINUTE, relay)
    const r = p.replay(ASOF)
    expect(verdictOf(r, byPayee)).toBe('accepted')
    expect(verdictOf(r, byRelay)).toBe('rejected:order-period-paid')
    expect(r.balances[bob.key]).toBe(100)
  })

  it('lets the coordinator collect without being a member; a stranger or another member may not', () => {
    const p = pool()
    const o = order(p, { everySeconds: 86_400, coordinator: relay.key })
    const byRelay = collect(p, o, 0, T0 + 2 * MINUTE, relay)
    const byCarol = collect(p, o, 1, T0 + DAY + 2 * MINUTE, carol)
    const byMallory = collect(p, o, 1, T0 + DAY + 3 * MINUTE, mallory)
    const r = p.replay(ASOF)
    expect(verdictOf(r, byRelay)).toBe('accepted')
    expect(verdictOf(r, byCarol)).toBe('rejected:not-collector')
    expect(verdictOf(r, byMallory)).toBe('rejected:not-member')
  })

  it('stops paying once revoked; only the payer revokes', () => {
    const p = pool()
    const o = order(p, { everySeconds: 86_400 })
    collect(p, o, 0, T0 + 2 * MINUTE)
    const byPayee = p.answer('cancel', bob, o, T0 + HOUR)
    const revoke = p.answer('cancel', alice, o, T0 + HOUR)
    const late = collect(p, o, 1, T0 + DAY + MINUTE)
    const r = p.replay(ASOF)
    expect(verdictOf(r, byPayee)).toBe('rejected:not-party')
    expect(verdictOf(r, revoke)).toBe('accepted')
    expect(verdictOf(r, late)).toBe('rejected:order-closed')
    expect(orderOf(r, o).status).toBe('revoked')
  })

  it('refuses a collect for an unknown order, and an order to a stranger', () => {
    const p = pool()
    const bogus = order(p, { to: mallory.key })
    const c = collect(p, bogus, 0, T0 + 2 * MINUTE)
    const r = p.replay(ASOF)
    expect(verdictOf(r, bogus)).toBe('rejected:unknown-member')
    expect(verdictOf(r, c)).toBe('rejected:unknown-order')
  })

  it('never lets a collect dated at the due time count before then: it waits (pending) until the clock reaches it', () => {
    const p = pool({ witnesses: [witness.key] })
    p.checkpoint(witness, T0 + 10 * MINUTE)
    const o = order(p, { everySeconds: 86_400 }, T0 + 11 * MINUTE)
    // Signed on day 0 but dated day 1 (period 1's due time); a witness's checkpoint on day 0 does not cover it.
    const early = collect(p, o, 1, T0 + DAY + 11 * MINUTE)
    p.checkpoint(witness, T0 + 20 * MINUTE)
    const now = replay(p.entries, { asOf: T0 + 30 * MINUTE })
    expect(verdictOf(now, early)).toBe('pending:future')
    expect(now.balances[bob.key]).toBe(0)
    expect(verdictOf(p.replay(ASOF), early)).toBe('accepted')
  })

  it('never double-pays under duplicates and reordering (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ period: fc.nat(4), relay: fc.boolean(), dt: fc.integer({ min: 0, max: 6 * DAY }) }), { minLength: 1, maxLength: 12 }),
      fc.integer(),
      (collects, seed) => {
        const p = pool()
        const o = order(p, { everySeconds: 86_400, count: 4, amount: 150, coordinator: relay.key })
        const clocks = new Map<Actor, number>([[bob, T0 + MINUTE], [relay, T0 + MINUTE]])
        for (const c of collects) {
          const who = c.relay ? relay : bob
          const t = Math.max(clocks.get(who)!, T0 + MINUTE + c.dt)
          clocks.set(who, t)
          collect(p, o, c.period, t, who)
        }
        const shuffled = fc.sample(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), { seed, numRuns: 1 })[0]!
        const a = replay([...shuffled, ...shuffled.slice(0, 5)], { asOf: ASOF })
        const b = p.replay(ASOF)
        expect(JSON.stringify(a)).toBe(JSON.stringify(b))
        const accepted = a.entries.filter((v) => v.type === 'collect' && v.status === 'accepted').map((v) => (p.entries.find((e) => e.id === v.id) as unknown as { period: number }).period)
        expect(new Set(accepted).size).toBe(accepted.length)
        expect(a.balances[alice.key]).toBe(1000 - 150 * accepted.length)
        expect(orderOf(a, o).paid).toBe(accepted.length)
      },
    ), { numRuns: 60 })
  })
})

describe('scheduled payments', () => {
  it('takes effect at its time, once, and can be cancelled until then', () => {
    const p = pool()
    const scheduled = order(p, { start: T0 + 10 * DAY, amount: 250 })
    const early = collect(p, scheduled, 0, T0 + 9 * DAY)
    const onTime = collect(p, scheduled, 0, T0 + 10 * DAY)
    const again = collect(p, scheduled, 1, T0 + 20 * DAY)
    const r = p.replay(ASOF)
    expect([verdictOf(r, early), verdictOf(r, onTime), verdictOf(r, again)]).toEqual(['rejected:not-due', 'accepted', 'rejected:order-closed'])
    expect(orderOf(r, scheduled)).toMatchObject({ everySeconds: null, paid: 1, status: 'finished' })

    const q = pool()
    const s2 = order(q, { start: T0 + 10 * DAY, amount: 250 })
    q.answer('cancel', alice, s2, T0 + 5 * DAY)
    const tooLate = collect(q, s2, 0, T0 + 10 * DAY)
    const r2 = q.replay(ASOF)
    expect(verdictOf(r2, tooLate)).toBe('rejected:order-closed')
    expect(r2.balances[alice.key]).toBe(1000)
  })
})

describe('which periods a collector asks for (collecting.ts)', () => {
  const options = { retryMs: DAY, perOrderMax: 5 }
  const ledgerOf = (p: PoolBuilder, asOf: number) => {
    const ledger = new Ledger(p.pool)
    ledger.add(p.entries, asOf)
    return ledger
  }

  it('asks for what is due and not collected, for the payee and for the coordinator the order names', () => {
    const p = pool()
    const o = order(p, { everySeconds: DAY / 1000, count: 4, coordinator: relay.key })
    collect(p, o, 0, T0 + 2 * MINUTE)
    const ledger = ledgerOf(p, T0 + 2 * DAY + HOUR)
    expect(periodsToCollect(ledger, bob.key, T0 + 2 * DAY + HOUR, options)).toEqual([{ order: o.id, period: 1 }, { order: o.id, period: 2 }])
    expect(periodsToCollect(ledger, relay.key, T0 + 2 * DAY + HOUR, options)).toEqual([{ order: o.id, period: 1 }, { order: o.id, period: 2 }])
    // Neither the payer nor a stranger collects.
    expect(periodsToCollect(ledger, alice.key, T0 + 2 * DAY + HOUR, options)).toEqual([])
    expect(periodsToCollect(ledger, mallory.key, T0 + 2 * DAY + HOUR, options)).toEqual([])
  })

  it('skips a period a collect waits for, asks again for a refused one only a day after the try, and nothing once revoked', () => {
    const p = pool()
    const o = order(p, { everySeconds: DAY / 1000, amount: 600 })
    collect(p, o, 0, T0 + 2 * MINUTE)
    // Alice holds 400 after the first: the second is refused.
    const refused = collect(p, o, 1, T0 + DAY + 2 * MINUTE)
    expect(verdictOf(p.replay(ASOF), refused)).toBe('rejected:below-min-balance')
    // Dated ahead of the ledger's clock: waiting, so period 2 is not asked for again.
    collect(p, o, 2, T0 + 2 * DAY + 2 * MINUTE)
    const at = T0 + 2 * DAY + MINUTE
    expect(periodsToCollect(ledgerOf(p, at), bob.key, at, options)).toEqual([])
    const later = T0 + 2 * DAY + 3 * MINUTE
    expect(periodsToCollect(ledgerOf(p, later), bob.key, later, options)).toEqual([{ order: o.id, period: 1 }])
    p.answer('cancel', alice, o, T0 + 2 * DAY + 4 * MINUTE)
    const revoked = T0 + 5 * DAY
    expect(periodsToCollect(ledgerOf(p, revoked), bob.key, revoked, options)).toEqual([])
  })
})
