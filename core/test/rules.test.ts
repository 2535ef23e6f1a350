/** One test per rule of the validator, just inside and just outside each limit. */
import { describe, expect, it } from 'vitest'
import { MINUTE, PoolBuilder, T0, actor, verdictOf } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const carol = actor('carol')

function pool(policy = {}) {
  const p = new PoolBuilder(policy)
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  return p
}

describe('balance limits (mutual credit, min -1000, max 5000)', () => {
  it('accepts a payment that reaches the minimum exactly', () => {
    const p = pool()
    const t = p.transfer(alice, bob, 1000, T0 + MINUTE)
    const r = p.replay()
    expect(verdictOf(r, t)).toBe('accepted')
    expect(r.balances[alice.key]).toBe(-1000)
    expect(r.balances[bob.key]).toBe(1000)
  })
  it('rejects a payment one unit below the minimum, saying how much is possible', () => {
    const p = pool()
    const t = p.transfer(alice, bob, 1001, T0 + MINUTE)
    const r = p.replay()
    expect(verdictOf(r, t)).toBe('rejected:below-min-balance')
    expect(r.entries.find((v) => v.id === t.id)?.detail).toContain('at most 1000')
    expect(r.balances[alice.key]).toBe(0)
  })
  it('accepts a payment that reaches the payee maximum exactly, rejects one unit more', () => {
    const p = pool({ minBalance: -10_000 })
    const ok = p.transfer(alice, bob, 5000, T0 + MINUTE)
    const over = p.transfer(alice, bob, 1, T0 + 2 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, ok)).toBe('accepted')
    expect(verdictOf(r, over)).toBe('rejected:above-max-balance')
  })
  it('uses per-member limits set at admission', () => {
    const p = new PoolBuilder()
    p.admit(alice, T0 + 1, { minBalance: -50 })
    p.admit(bob, T0 + 2, { maxBalance: 30 })
    const a = p.transfer(alice, bob, 30, T0 + MINUTE)
    const b = p.transfer(alice, bob, 1, T0 + 2 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, a)).toBe('accepted')
    expect(verdictOf(r, b)).toBe('rejected:above-max-balance')
    expect(r.members[alice.key]!.minBalance).toBe(-50)
  })
  it('keeps a mutual-credit pool summing to zero', () => {
    const p = pool()
    p.transfer(alice, bob, 400, T0 + MINUTE)
    p.transfer(bob, alice, 100, T0 + 2 * MINUTE)
    const r = p.replay()
    expect(Object.values(r.balances).reduce((a, b) => a + b, 0)).toBe(0)
  })
})

describe('rate limit (one transfer a minute, judged on the chain)', () => {
  it('accepts the next transfer exactly 60 s later and rejects one 1 ms earlier', () => {
    const p = pool()
    p.transfer(alice, bob, 1, T0 + MINUTE)
    const early = p.transfer(alice, bob, 1, T0 + 2 * MINUTE - 1)
    const onTime = p.transfer(alice, bob, 1, T0 + 3 * MINUTE - 1)
    const r = p.replay()
    expect(verdictOf(r, early)).toBe('rejected:rate-limit')
    // measured from the last accepted transfer (T0+1min), not the rejected one
    expect(verdictOf(r, onTime)).toBe('accepted')
  })
  it('says when the next transfer is allowed', () => {
    const p = pool()
    p.transfer(alice, bob, 1, T0 + MINUTE)
    const early = p.transfer(alice, bob, 1, T0 + MINUTE + 5000)
    expect(p.replay().entries.find((v) => v.id === early.id)?.detail).toContain(new Date(T0 + 2 * MINUTE).toISOString())
  })
  it('cannot be dodged by back-dating: time never goes back in a chain', () => {
    const p = pool()
    p.transfer(alice, bob, 1, T0 + 10 * MINUTE)
    const backdated = p.transfer(alice, bob, 1, T0 + 5 * MINUTE)
    expect(verdictOf(p.replay(), backdated)).toBe('rejected:bad-chain')
  })
  it('a pool may set no interval at all', () => {
    const p = pool({ rateLimitSeconds: 0 })
    p.transfer(alice, bob, 1, T0 + MINUTE)
    const same = p.transfer(alice, bob, 1, T0 + MINUTE)
    expect(verdictOf(p.replay(), same)).toBe('accepted')
  })
  it('a rejected entry holds its place: the chain goes on after it', () => {
    const p = pool()
    const tooMuch = p.transfer(alice, bob, 5000, T0 + MINUTE)
    const next = p.transfer(alice, bob, 10, T0 + 2 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, tooMuch)).toBe('rejected:below-min-balance')
    expect(verdictOf(r, next)).toBe('accepted')
  })
})

describe('membership and authority', () => {
  it('rejects a payment by a non-member', () => {
    const p = pool()
    const t = p.transfer(carol, alice, 1, T0 + MINUTE)
    expect(verdictOf(p.replay(), t)).toBe('rejected:not-member')
  })
  it('rejects a payment to a non-member', () => {
    const p = pool()
    const t = p.transfer(alice, carol, 1, T0 + MINUTE)
    expect(verdictOf(p.replay(), t)).toBe('rejected:unknown-member')
  })
  it('rejects an admit by a plain member', () => {
    const p = pool()
    const a = p.admit(carol, T0 + MINUTE, {}, alice)
    expect(verdictOf(p.replay(), a)).toBe('rejected:not-authorized')
  })
  it('lets a member admitted as gatekeeper admit others', () => {
    const p = pool()
    p.admit(alice, T0 + MINUTE, { role: 'gatekeeper' })
    const a = p.admit(carol, T0 + 2 * MINUTE, {}, alice)
    expect(verdictOf(p.replay(), a)).toBe('accepted')
  })
  it('freezes: a frozen member can neither pay nor be paid; re-admission lifts it', () => {
    const p = pool()
    p.freeze(alice, T0 + MINUTE)
    const pays = p.transfer(alice, bob, 1, T0 + 2 * MINUTE)
    const paid = p.transfer(bob, alice, 1, T0 + 2 * MINUTE)
    p.admit(alice, T0 + 3 * MINUTE)
    const later = p.transfer(alice, bob, 1, T0 + 4 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, pays)).toBe('rejected:frozen')
    expect(verdictOf(r, paid)).toBe('rejected:payee-frozen')
    expect(verdictOf(r, later)).toBe('accepted')
  })
  it('rejects a freeze by a member and a freeze of the creator', () => {
    const p = pool()
    const byMember = p.freeze(bob, T0 + MINUTE, alice)
    p.admit(alice, T0 + 2 * MINUTE, { role: 'gatekeeper' })
    const ofCreator = p.freeze(p.gatekeeper, T0 + 3 * MINUTE, alice)
    const r = p.replay()
    expect(verdictOf(r, byMember)).toBe('rejected:not-authorized')
    expect(verdictOf(r, ofCreator)).toBe('rejected:not-authorized')
  })
})

describe('issued pools', () => {
  it('only the gatekeeper issues; supply grows; nobody goes below zero', () => {
    const p = pool({ kind: 'issued', minBalance: 0 })
    const i = p.issue(alice, 500, T0 + MINUTE)
    const byMember = p.issue(bob, 500, T0 + MINUTE, alice)
    const pay = p.transfer(alice, bob, 500, T0 + 2 * MINUTE)
    const broke = p.transfer(alice, bob, 1, T0 + 3 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, i)).toBe('accepted')
    expect(verdictOf(r, byMember)).toBe('rejected:not-authorized')
    expect(verdictOf(r, pay)).toBe('accepted')
    expect(verdictOf(r, broke)).toBe('rejected:below-min-balance')
    expect(r.supply).toBe(500)
    expect(Object.values(r.balances).reduce((a, b) => a + b, 0)).toBe(r.supply)
  })
  it('refuses issues in a mutual-credit pool', () => {
    const p = pool()
    const i = p.issue(alice, 5, T0 + MINUTE)
    const r = p.replay()
    expect(verdictOf(r, i)).toBe('rejected:wrong-pool-type')
    expect(r.supply).toBeUndefined()
  })
  it('respects the payee maximum on issue', () => {
    const p = pool({ kind: 'issued', minBalance: 0, maxBalance: 100 })
    const ok = p.issue(alice, 100, T0 + MINUTE)
    const over = p.issue(alice, 1, T0 + 2 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, ok)).toBe('accepted')
    expect(verdictOf(r, over)).toBe('rejected:above-max-balance')
  })
  it('refuses a negative credit line for a member of an issued pool', () => {
    const p = pool({ kind: 'issued', minBalance: 0 })
    const a = p.admit(carol, T0 + MINUTE, { minBalance: -10 })
    expect(verdictOf(p.replay(), a)).toBe('rejected:invalid-limits')
  })
})

describe('one-time invites', () => {
  const inviteKey = actor('invite-1')
  it('lets a new member join with the invite key while the gatekeeper is offline', () => {
    const p = pool()
    const inv = p.invite(inviteKey, T0 + MINUTE)
    const j = p.join(carol, inviteKey, inv.id, T0 + 2 * MINUTE)
    const pay = p.transfer(carol, alice, 10, T0 + 3 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, j)).toBe('accepted')
    expect(verdictOf(r, pay)).toBe('accepted')
  })
  it('refuses a second use of the same invite', () => {
    const p = pool()
    const inv = p.invite(inviteKey, T0 + MINUTE)
    const first = p.join(carol, inviteKey, inv.id, T0 + 2 * MINUTE)
    const dave = actor('dave')
    const second = p.join(dave, inviteKey, inv.id, T0 + 3 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, first)).toBe('accepted')
    expect(verdictOf(r, second)).toBe('rejected:invite-used')
  })
  it('refuses a join signed with another key than the invite names', () => {
    const p = pool()
    const inv = p.invite(inviteKey, T0 + MINUTE)
    const j = p.join(carol, actor('not-the-invite'), inv.id, T0 + 2 * MINUTE)
    expect(verdictOf(p.replay(), j)).toBe('rejected:bad-invite')
  })
  it('refuses an invite made by a member', () => {
    const p = pool()
    const inv = p.invite(inviteKey, T0 + MINUTE, alice)
    const j = p.join(carol, inviteKey, inv.id, T0 + 2 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, inv)).toBe('rejected:not-authorized')
    expect(verdictOf(r, j)).toBe('rejected:bad-invite')
  })
})

describe('chains and pending entries', () => {
  it('marks an entry whose prev has not arrived as pending, and accepts it when it does', () => {
    const p = pool()
    const first = p.transfer(alice, bob, 1, T0 + MINUTE)
    const second = p.transfer(alice, bob, 1, T0 + 2 * MINUTE)
    const without = p.entries.filter((e) => e.id !== first.id)
    const { replay } = awaitCore()
    const r = replay(without, { asOf: T0 + 10 * MINUTE })
    expect(verdictOf(r, second)).toBe('pending:missing-prev')
    expect(verdictOf(p.replay(), second)).toBe('accepted')
  })
  it('keeps entries dated after asOf pending', () => {
    const p = pool()
    const t = p.transfer(alice, bob, 1, T0 + 10 * MINUTE)
    const next = p.transfer(alice, bob, 1, T0 + 11 * MINUTE)
    const r = p.replay(T0 + 10 * MINUTE - 1)
    expect(verdictOf(r, t)).toBe('pending:future')
    expect(verdictOf(r, next)).toBe('pending:future')
    expect(verdictOf(p.replay(T0 + 10 * MINUTE), t)).toBe('accepted')
  })
  it('waits for deps and for the genesis', () => {
    const p = pool()
    const t = p.transfer(alice, bob, 1, T0 + MINUTE, { deps: ['ab'.repeat(32) as never] })
    expect(verdictOf(p.replay(), t)).toBe('pending:missing-dep')
    const { replay } = awaitCore()
    const noGenesis = replay(p.entries.slice(1), { asOf: T0 + MINUTE, pool: p.pool })
    expect(noGenesis.entries.every((v) => v.status === 'pending' && v.reason === 'no-genesis')).toBe(true)
  })
  it('rejects a chain that skips a seq or borrows another author\'s prev', () => {
    const p = pool()
    const a1 = p.transfer(alice, bob, 1, T0 + MINUTE)
    const skip = p.transfer(alice, bob, 1, T0 + 2 * MINUTE, { seq: 3, prev: a1.id })
    const borrow = p.transfer(bob, alice, 1, T0 + 2 * MINUTE, { seq: 2, prev: a1.id })
    const r = p.replay()
    expect(verdictOf(r, skip)).toBe('rejected:bad-chain')
    expect(verdictOf(r, borrow)).toBe('rejected:bad-chain')
  })
})

describe('equivocation (a double spend from two devices)', () => {
  it('keeps both entries as proof, lets the one applied first stand, voids the other branch and freezes the author', () => {
    const p = pool()
    p.admit(carol, T0 + 30_000)
    const a = p.transfer(alice, bob, 600, T0 + MINUTE)
    const twin = p.transfer(alice, carol, 600, T0 + MINUTE + 1, { seq: a.seq, prev: a.prev })
    const onTwin = p.transfer(alice, carol, 1, T0 + 3 * MINUTE, { seq: 2, prev: twin.id })
    const after = p.transfer(alice, bob, 1, T0 + 5 * MINUTE, { seq: 2, prev: a.id })
    const toCheater = p.transfer(bob, alice, 1, T0 + 6 * MINUTE)
    const r = p.replay()
    expect(verdictOf(r, a)).toBe('accepted')
    expect(verdictOf(r, twin)).toBe('rejected:equivocation')
    expect(verdictOf(r, onTwin)).toBe('rejected:equivocation')
    // The standing branch goes on, but its author is frozen from where the fork became visible.
    expect(verdictOf(r, after)).toBe('rejected:frozen')
    expect(verdictOf(r, toCheater)).toBe('rejected:payee-frozen')
    expect(r.equivocations).toEqual([
      { author: alice.key, seq: 1, entries: [a.id, twin.id].sort(), standing: a.id },
      { author: alice.key, seq: 2, entries: [onTwin.id, after.id].sort(), standing: after.id },
    ])
    expect(r.members[alice.key]!.frozen).toBe(true)
    expect(r.balances[carol.key]).toBe(0)
  })
})

import * as core from '../index.ts'
function awaitCore() {
  return core
}

describe('remaining rules', () => {
  it('refuses a join by a key that is already a member', () => {
    const p = pool()
    const inviteKey = actor('invite-x')
    const inv = p.invite(inviteKey, T0 + MINUTE)
    const j = p.sign(alice, 'join', { invite: inv.id, invitee: inviteKey.key, inviteSig: core.signJoinInvite(p.pool, inv.id, alice.key, inviteKey.secretKey) }, { time: T0 + 2 * MINUTE, deps: [inv.id], seq: 1, prev: null })
    expect(verdictOf(p.replay(), j)).toBe('rejected:already-member')
  })
  it('refuses an issue that would take the supply past BALANCE_ABS_MAX, and accepts one that reaches it', () => {
    const p = pool({ kind: 'issued', minBalance: 0, maxBalance: null })
    const steps = Math.floor(core.BALANCE_ABS_MAX / core.AMOUNT_MAX)
    const issues = Array.from({ length: steps }, (_, i) => p.issue(i % 2 ? alice : bob, core.AMOUNT_MAX, T0 + (i + 1) * MINUTE))
    const over = p.issue(alice, 1, T0 + (steps + 1) * MINUTE)
    const r = p.replay()
    for (const i of issues) expect(verdictOf(r, i)).toBe('accepted')
    expect(r.supply).toBe(core.BALANCE_ABS_MAX)
    expect(verdictOf(r, over)).toBe('rejected:overflow')
  })
  it('refuses an invite for a key already used by another invite', () => {
    const p = pool()
    const k = actor('invite-y')
    p.invite(k, T0 + MINUTE)
    const again = p.invite(k, T0 + 2 * MINUTE)
    expect(verdictOf(p.replay(), again)).toBe('rejected:bad-invite')
  })
  it('checks policy limits in the genesis: decimals, interval, name and symbol lengths', () => {
    const gk = actor('gk-limits')
    const make = (policy: Partial<core.Policy>) => () => new PoolBuilder(policy, gk)
    expect(make({ decimals: core.POOL_DECIMALS_MAX })).not.toThrow()
    expect(make({ decimals: core.POOL_DECIMALS_MAX + 1 })).toThrow(/decimals/)
    expect(make({ rateLimitSeconds: core.RATE_LIMIT_SECONDS_MAX })).not.toThrow()
    expect(make({ rateLimitSeconds: core.RATE_LIMIT_SECONDS_MAX + 1 })).toThrow(/rateLimitSeconds/)
    expect(make({ name: 'n'.repeat(core.POOL_NAME_CHARS_MAX) })).not.toThrow()
    expect(make({ name: 'n'.repeat(core.POOL_NAME_CHARS_MAX + 1) })).toThrow(/policy.name/)
    expect(make({ symbol: 's'.repeat(core.POOL_SYMBOL_CHARS_MAX) })).not.toThrow()
    expect(make({ symbol: 's'.repeat(core.POOL_SYMBOL_CHARS_MAX + 1) })).toThrow(/policy.symbol/)
    expect(make({ minBalance: -core.BALANCE_ABS_MAX })).not.toThrow()
    expect(make({ minBalance: -core.BALANCE_ABS_MAX - 1 })).toThrow(/minBalance/)
    expect(make({ minBalance: 1 })).toThrow(/minBalance/)
    expect(make({ maxBalance: 0 })).toThrow(/maxBalance/)
  })
  it('preview judges a payment before it is signed into the log, without changing anything', () => {
    const p = pool()
    p.transfer(alice, bob, 900, T0 + MINUTE)
    const ledger = new core.Ledger(p.pool)
    ledger.add(p.entries, T0 + 100 * MINUTE)
    const before = JSON.stringify(ledger.result())
    const tooMuch = p.transfer(alice, bob, 101, T0 + 3 * MINUTE)
    expect(ledger.preview(tooMuch)).toMatchObject({ status: 'rejected', reason: 'below-min-balance' })
    const fine = p.transfer(bob, alice, 1, T0 + 3 * MINUTE)
    expect(ledger.preview(fine)?.status).toBe('accepted')
    expect(JSON.stringify(ledger.result())).toBe(before)
  })
})
