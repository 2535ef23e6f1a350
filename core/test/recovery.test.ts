/**
 * Recovery by gatekeepers (rules/recovery.ts): M of N approvals move the
 * account to a new key, never while the owner is active, never creating
 * money; attackers' tries against each rule.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Ledger, SignatureCache, replay, type Entry } from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf, type Actor } from './fixtures.ts'

const DAY = 24 * 60 * MINUTE
const alice = actor('alice')
const bob = actor('bob')
const carol = actor('carol gatekeeper')
const fresh = actor('alice new key')
const thief = actor('thief')
const cache = new SignatureCache()
const ASOF = T0 + 100 * DAY

function ask(p: PoolBuilder, key: Actor, member: Actor, time: number) {
  return p.sign(key, 'recover', { member: member.key }, { time })
}
function approve(p: PoolBuilder, gatekeeper: Actor, request: Entry, time: number) {
  return p.sign(gatekeeper, 'approve', { entry: request.id, key: request.author }, { time, deps: [request.id] })
}

/** A pool whose creator and carol are gatekeepers; alice owes bob 300, then goes quiet. */
function pool(policy = {}) {
  const p = new PoolBuilder(policy)
  p.admit(carol, T0 + 1, { role: 'gatekeeper' })
  p.admit(alice, T0 + 2, { minBalance: -2000 })
  p.admit(bob, T0 + 3)
  const paid = p.transfer(alice, bob, 300, T0 + MINUTE)
  const asked = p.request(alice, 50, T0 + 2 * MINUTE, bob)
  return { p, paid, asked }
}
const result = (p: PoolBuilder) => replay(p.entries, { asOf: ASOF, cache })

describe('recovery by gatekeepers', () => {
  it('moves balance, limits and open requests to the new key with 2 approvals, and freezes the old key', () => {
    const { p, asked } = pool()
    const request = ask(p, fresh, alice, T0 + 10 * DAY)
    const first = approve(p, p.gatekeeper, request, T0 + 10 * DAY + MINUTE)
    const r1 = result(p)
    expect(verdictOf(r1, first)).toBe('accepted')
    expect(r1.recoveries).toEqual([{ id: request.id, member: alice.key, key: fresh.key, approvals: [p.gatekeeper.key], needed: 2, status: 'open' }])
    expect(r1.balances[alice.key]).toBe(-300)
    const second = approve(p, carol, request, T0 + 10 * DAY + 2 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, second)).toBe('accepted')
    expect(r.recoveries![0]).toMatchObject({ status: 'recovered', completedBy: second.id, approvals: [p.gatekeeper.key, carol.key] })
    expect(r.balances[alice.key]).toBe(0)
    expect(r.balances[fresh.key]).toBe(-300)
    expect(r.members[fresh.key]).toMatchObject({ role: 'member', minBalance: -2000, frozen: false })
    expect(r.members[alice.key]!.frozen).toBe(true)
    expect(r.requests![asked.id]).toMatchObject({ payee: fresh.key, from: bob.key, status: 'open' })
    // bob pays the moved request to the new key; the old key can do nothing any more
    const paid = p.payRequest(bob, asked, T0 + 11 * DAY, fresh)
    const old = p.transfer(alice, bob, 1, T0 + 11 * DAY + MINUTE)
    const spends = p.transfer(fresh, bob, 100, T0 + 11 * DAY + 2 * MINUTE)
    const r2 = result(p)
    expect([paid, old, spends].map((e) => verdictOf(r2, e))).toEqual(['accepted', 'rejected:frozen', 'accepted'])
    expect(Object.values(r2.balances).reduce((a, b) => a + b, 0)).toBe(0)
  })

  it('takes the creator alone in a pool with one gatekeeper, or what the policy says', () => {
    const p = new PoolBuilder()
    p.admit(alice, T0 + 1)
    const request = ask(p, fresh, alice, T0 + 10 * DAY)
    const only = approve(p, p.gatekeeper, request, T0 + 10 * DAY + MINUTE)
    expect(result(p).recoveries![0]).toMatchObject({ status: 'recovered', needed: 1, completedBy: only.id })

    const q = pool({ recoveryApprovals: 1 })
    const r = ask(q.p, fresh, alice, T0 + 10 * DAY)
    approve(q.p, carol, r, T0 + 10 * DAY + MINUTE)
    expect(result(q.p).recoveries![0]).toMatchObject({ status: 'recovered', needed: 1 })
  })

  it('attacker: gatekeepers cannot recover an account whose owner is active (waiting period)', () => {
    const { p } = pool()
    // alice signed something two days before the approvals
    const active = p.transfer(alice, bob, 1, T0 + 8 * DAY)
    const request = ask(p, thief, alice, T0 + 10 * DAY)
    approve(p, p.gatekeeper, request, T0 + 10 * DAY + MINUTE)
    const blocked = approve(p, carol, request, T0 + 10 * DAY + 2 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, active)).toBe('accepted')
    expect(verdictOf(r, blocked)).toBe('rejected:recovery-blocked')
    expect(r.recoveries![0]!.status).toBe('open')
    expect(r.members[alice.key]!.frozen).toBe(false)
    expect(r.members[thief.key]).toBeUndefined()
    // a week after her last entry, it goes through (she did not answer)
    const later = approve(p, carol, request, T0 + 15 * DAY + MINUTE)
    expect(verdictOf(result(p), later)).toBe('accepted')
  })

  it('attacker: a device of the owner counts as the owner being active', () => {
    const { p } = pool()
    const phone = actor('alice phone')
    const cert = p.sign(alice, 'device', { device: phone.key }, { time: T0 + 3 * MINUTE })
    p.transfer(phone, bob, 1, T0 + 9 * DAY, { deps: [cert.id] })
    const request = ask(p, thief, alice, T0 + 10 * DAY)
    approve(p, p.gatekeeper, request, T0 + 10 * DAY + MINUTE)
    const blocked = approve(p, carol, request, T0 + 10 * DAY + 2 * MINUTE)
    expect(verdictOf(result(p), blocked)).toBe('rejected:recovery-blocked')
  })

  it('attacker: members, the same gatekeeper twice, the member itself, and requests for the creator get nothing', () => {
    const { p } = pool()
    const request = ask(p, fresh, alice, T0 + 10 * DAY)
    const byMember = approve(p, bob, request, T0 + 10 * DAY + MINUTE)
    const once = approve(p, carol, request, T0 + 10 * DAY + 2 * MINUTE)
    const twice = approve(p, carol, request, T0 + 10 * DAY + 3 * MINUTE)
    const wrongKey = p.sign(p.gatekeeper, 'approve', { entry: request.id, key: thief.key }, { time: T0 + 10 * DAY + 3 * MINUTE, deps: [request.id] })
    const creator = ask(p, thief, p.gatekeeper, T0 + 10 * DAY + 4 * MINUTE)
    const dave = actor('dave')
    p.admit(dave, T0 + 10 * DAY + 5 * MINUTE)
    const member = ask(p, dave, alice, T0 + 10 * DAY + 6 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, byMember)).toBe('rejected:not-authorized')
    expect(verdictOf(r, once)).toBe('accepted')
    expect(verdictOf(r, twice)).toBe('rejected:already-approved')
    expect(verdictOf(r, wrongKey)).toBe('rejected:bad-target')
    expect(verdictOf(r, creator)).toBe('rejected:not-authorized')
    expect(verdictOf(r, member)).toBe('rejected:already-member')
    expect(r.recoveries!.find((x) => x.id === request.id)!.status).toBe('open')
  })

  it('never creates money, in any order, with demurrage, and incrementally', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.boolean(), fc.integer(), (amount, issued, seed) => {
      const p = new PoolBuilder(issued
        ? { kind: 'issued', minBalance: 0, maxBalance: null, demurrage: { rateNum: 1, rateDen: 100, periodSeconds: 86_400, freeBase: 0 } }
        : { maxBalance: null, minBalance: -5000 })
      p.admit(carol, T0 + 1, { role: 'gatekeeper' })
      p.admit(alice, T0 + 2)
      p.admit(bob, T0 + 3)
      if (issued) p.issue(alice, amount, T0 + 4)
      else p.transfer(alice, bob, amount, T0 + 4)
      const request = ask(p, fresh, alice, T0 + 20 * DAY)
      approve(p, p.gatekeeper, request, T0 + 20 * DAY + MINUTE)
      approve(p, carol, request, T0 + 20 * DAY + 2 * MINUTE)
      const r = result(p)
      expect(r.recoveries![0]!.status).toBe('recovered')
      const total = Object.values(r.balances).reduce((a, b) => a + b, 0) + (r.commons ?? 0)
      expect(total).toBe(issued ? r.supply : 0)
      expect(r.balances[alice.key]).toBe(0)
      const shuffled = fc.sample(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), { seed, numRuns: 1 })[0]!
      expect(JSON.stringify(replay(shuffled, { asOf: ASOF, cache }))).toBe(JSON.stringify(r))
      const ledger = new Ledger(p.pool, { cache })
      for (const e of p.entries) ledger.add([e], ASOF)
      expect(JSON.stringify(ledger.result())).toBe(JSON.stringify(r))
    }), { numRuns: 60 })
  })
})
