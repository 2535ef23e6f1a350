/**
 * Demurrage (rules/demurrage.ts): the vectors, the issue's example, lazy
 * charging against ticks, gaps that split, the free base, rate changes, and
 * the attacks: ticks by the wrong keys, back-dating, overflow, junk policies.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import {
  BALANCE_ABS_MAX, DEMURRAGE_PERIOD_SECONDS_MIN, DEMURRAGE_RATE_DEN_MAX, Ledger, TICK_INTERVAL_SECONDS_MIN, decodeEntry, encodeEntry,
  canonicalize, statement, type Entry, type PublicKeyHex, type ReplayResult,
} from '../index.ts'
import { runDemurrageVector, type DemurrageVector } from './vectors/demurrage-run.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf, type Actor } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const carol = actor('carol')
const mallory = actor('mallory')
const witness = actor('witness')
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const ASOF = T0 + 3_650 * DAY

const TWO_PERCENT_A_MONTH = { rateNum: 2, rateDen: 100, periodSeconds: 30 * 86_400, freeBase: 0 }

const vectors = JSON.parse(readFileSync(new URL('./vectors/demurrage.json', import.meta.url), 'utf8')) as { vectors: DemurrageVector[] }

function tick(p: PoolBuilder, time: number, by: Actor = p.gatekeeper): Entry {
  return p.sign(by, 'tick', {}, { time })
}

/** The sum of balances and commons: zero in mutual credit, whatever demurrage took. */
function total(r: ReplayResult): number {
  return Object.values(r.balances).reduce((a, b) => a + b, 0) + (r.commons ?? 0)
}

/** A mutual-credit pool with demurrage where alice holds 1,000 that bob owes. */
function pool(demurrage: Record<string, number> = TWO_PERCENT_A_MONTH, policy: Record<string, unknown> = {}) {
  const p = new PoolBuilder({ minBalance: -5000, maxBalance: null, demurrage, ...policy } as never)
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  p.admit(carol, T0 + 3)
  p.transfer(bob, alice, 1000, T0 + MINUTE)
  return p
}

describe('demurrage vectors (core/test/vectors/demurrage.json)', () => {
  for (const v of vectors.vectors) {
    it(v.name, () => {
      expect(runDemurrageVector(v)).toEqual(v.expect)
    })
  }
})

describe('demurrage', () => {
  it('charges 20 to the commons on 1,000 held for 30 days at 2 % per 30 days', () => {
    const p = pool()
    tick(p, T0 + 30 * DAY)
    const r = p.replay(ASOF)
    expect(r.balances[alice.key]).toBe(980)
    expect(r.balances[bob.key]).toBe(-1000)
    expect(r.commons).toBe(20)
    expect(r.demurrageCollected).toBe(20)
    expect(total(r)).toBe(0)
  })

  it('charges nothing before the first boundary', () => {
    const p = pool()
    tick(p, T0 + 30 * DAY - 1)
    const r = p.replay(ASOF)
    expect(r.balances[alice.key]).toBe(1000)
    expect(r.commons).toBe(0)
  })

  it('charges lazily when the account is touched, exactly as a tick would', () => {
    const lazy = pool()
    lazy.transfer(alice, carol, 100, T0 + 45 * DAY)
    const ticked = pool()
    tick(ticked, T0 + 40 * DAY)
    ticked.transfer(alice, carol, 100, T0 + 45 * DAY)
    const a = lazy.replay(ASOF)
    const b = ticked.replay(ASOF)
    expect(a.balances).toEqual(b.balances)
    expect(a.commons).toBe(20)
    expect(b.commons).toBe(20)
    expect(a.balances[alice.key]).toBe(880)
  })

  it('judges a payment against the balance after demurrage, and says so', () => {
    const p = pool(TWO_PERCENT_A_MONTH, { minBalance: 0 })
    const r0 = p.replay(ASOF)
    expect(r0.balances[alice.key]).toBe(0) // bob could not pay: issued limits
    const q = new PoolBuilder({ kind: 'issued', minBalance: 0, maxBalance: null, demurrage: TWO_PERCENT_A_MONTH } as never)
    q.admit(alice, T0 + 1)
    q.admit(bob, T0 + 2)
    q.issue(alice, 1000, T0 + 3)
    const tooMuch = q.transfer(alice, bob, 1000, T0 + 31 * DAY)
    const r = q.replay(ASOF)
    expect(verdictOf(r, tooMuch)).toBe('rejected:below-min-balance')
    expect(r.balances[alice.key]).toBe(980)
    expect(Object.values(r.balances).reduce((x, y) => x + y, 0) + r.commons!).toBe(r.supply)
  })

  it('never charges at or below the free base, nor a negative balance', () => {
    const p = pool({ ...TWO_PERCENT_A_MONTH, freeBase: 1000 })
    tick(p, T0 + 300 * DAY)
    const r = p.replay(ASOF)
    expect(r.balances[alice.key]).toBe(1000)
    expect(r.balances[bob.key]).toBe(-1000)
    expect(r.commons).toBe(0)
    const q = pool({ ...TWO_PERCENT_A_MONTH, freeBase: 900 })
    tick(q, T0 + 30 * DAY)
    expect(q.replay(ASOF).balances[alice.key]).toBe(998)
  })

  it('two 1-day gaps cost the same as one 2-day gap', () => {
    const daily = { rateNum: 1, rateDen: 300, periodSeconds: 86_400, freeBase: 0 }
    const once = pool(daily)
    tick(once, T0 + 2 * DAY)
    const twice = pool(daily)
    tick(twice, T0 + DAY)
    tick(twice, T0 + 2 * DAY)
    expect(once.replay(ASOF).balances).toEqual(twice.replay(ASOF).balances)
    expect(once.replay(ASOF).commons).toBe(twice.replay(ASOF).commons)
  })

  it('shows each charge in the statement as its own line', () => {
    const p = pool()
    const t = tick(p, T0 + 30 * DAY)
    const ledger = new Ledger(p.pool)
    ledger.add(p.entries, ASOF)
    const rows = statement(ledger.movements(), alice.key)
    expect(rows.map((row) => [row.type, row.amount, row.balance])).toEqual([['transfer', 1000, 1000], ['demurrage', -20, 980]])
    expect(rows[1]!.entry).toBe(t.id)
    expect(rows[1]!.counterparty).toBeNull()
  })

  it('counts a rate change only from its position', () => {
    const p = pool()
    p.policy({ demurrage: { ...TWO_PERCENT_A_MONTH, rateNum: 10 } }, T0 + 45 * DAY)
    tick(p, T0 + 60 * DAY)
    const r1 = p.replay(ASOF)
    // Boundary at day 30 under 2 %: 20. The new rate counts from day 45: its first boundary is day 75.
    expect(r1.commons).toBe(20)
    tick(p, T0 + 75 * DAY)
    const r2 = p.replay(ASOF)
    expect(r2.commons).toBe(20 + 98)
    expect(total(r2)).toBe(0)
  })

  it('turns off with demurrage null, charging what was due until then', () => {
    const p = pool()
    p.policy({ demurrage: null }, T0 + 31 * DAY)
    p.transfer(alice, carol, 10, T0 + 400 * DAY)
    const r = p.replay(ASOF)
    expect(r.commons).toBe(20)
    expect(r.balances[alice.key]).toBe(970)
  })

  it('holds the sum at zero and lazy equal to ticks over random histories (property)', () => {
    const daily = { rateNum: 7, rateDen: 1000, periodSeconds: 86_400, freeBase: 50 }
    const actors = [alice, bob, carol]
    const stepArb = fc.record({ from: fc.nat(2), to: fc.nat(2), amount: fc.integer({ min: 1, max: 800 }), gap: fc.integer({ min: 1, max: 5 * DAY }), tick: fc.boolean() })
    fc.assert(fc.property(fc.array(stepArb, { minLength: 1, maxLength: 20 }), (steps) => {
      const lazy = pool(daily)
      const ticked = pool(daily)
      let time = T0 + 2 * MINUTE
      for (const s of steps) {
        time += s.gap
        if (s.tick) tick(ticked, time - 1)
        if (s.from === s.to) continue
        lazy.transfer(actors[s.from]!, actors[s.to]!, s.amount, time)
        ticked.transfer(actors[s.from]!, actors[s.to]!, s.amount, time)
      }
      time += DAY
      tick(lazy, time)
      tick(ticked, time)
      const a = lazy.replay(ASOF)
      const b = ticked.replay(ASOF)
      expect(a.balances).toEqual(b.balances)
      expect(a.commons).toBe(b.commons)
      expect(total(a)).toBe(0)
    }), { numRuns: 150 })
  })
})

describe('demurrage against an attacker', () => {
  it('refuses ticks by a member who is not a gatekeeper, and by a stranger', () => {
    const p = pool()
    const byMember = tick(p, T0 + 30 * DAY, alice)
    const byStranger = tick(p, T0 + 30 * DAY, mallory)
    const r = p.replay(ASOF)
    expect(verdictOf(r, byMember)).toBe('rejected:not-ticker')
    expect(verdictOf(r, byStranger)).toBe('rejected:not-ticker')
    expect(r.commons).toBe(0)
  })

  it("accepts a witness's tick, refuses one in a pool without demurrage, and rate-limits ticks", () => {
    const p = pool(TWO_PERCENT_A_MONTH, { witnesses: [witness.key] })
    const first = tick(p, T0 + 30 * DAY, actor('second'))
    expect(verdictOf(p.replay(ASOF), first)).toBe('rejected:not-ticker')
    const q = new PoolBuilder({ witnesses: [actor('primary').key, witness.key] } as never)
    const none = tick(q, T0 + DAY, witness)
    expect(verdictOf(q.replay(ASOF), none)).toBe('rejected:no-demurrage')
    const w = pool(TWO_PERCENT_A_MONTH, { witnesses: [actor('primary').key, witness.key] })
    const ok = tick(w, T0 + 30 * DAY, witness)
    const soon = tick(w, T0 + 30 * DAY + (TICK_INTERVAL_SECONDS_MIN * 1000) - 1)
    const r = w.replay(ASOF)
    expect(verdictOf(r, ok)).toBe('accepted')
    expect(verdictOf(r, soon)).toBe('rejected:rate-limit')
    expect(r.commons).toBe(20)
  })

  it('charges a back-dated payment at witnessed time: it cannot dodge a boundary the witness has passed', () => {
    const p = pool(TWO_PERCENT_A_MONTH, { witnesses: [witness.key], offlineAllowanceSeconds: 30 * 86_400, offlineAmountMax: 5000 })
    p.checkpoint(witness, T0 + 2 * MINUTE)
    // Signed on day 31 but dated day 29, before the boundary, to pay carol before the charge.
    const backDated = p.transfer(alice, carol, 1000, T0 + 29 * DAY)
    p.checkpoint(witness, T0 + 31 * DAY)
    const r = p.replay(ASOF)
    // The payment stands (mutual credit), but alice's 1,000 paid its 20 first: the witness saw it on day 31.
    expect(verdictOf(r, backDated)).toBe('accepted')
    expect(r.balances[alice.key]).toBe(-20)
    expect(r.balances[carol.key]).toBe(1000)
    expect(r.commons).toBe(20)
  })

  it('never charges an uncovered back-dated entry earlier than what was applied before it', () => {
    const p = pool(TWO_PERCENT_A_MONTH, { witnesses: [witness.key] })
    p.checkpoint(witness, T0 + 2 * MINUTE)
    p.admit(actor('dan'), T0 + 31 * DAY)
    p.checkpoint(witness, T0 + 31 * DAY)
    // The demurrage clock reached day 31 with the checkpoint's block; a transfer claiming day 29,
    // not covered yet, is charged at day 31, not at the time it claims.
    const late = p.transfer(alice, carol, 100, T0 + 29 * DAY)
    const r = p.replay(ASOF)
    expect(verdictOf(r, late)).toBe('accepted')
    expect(r.commons).toBe(20)
    expect(r.balances[alice.key]).toBe(880)
  })

  it('keeps sums exact at the largest balances and rates (overflow)', () => {
    const p = new PoolBuilder({ kind: 'issued', minBalance: 0, maxBalance: null, demurrage: { rateNum: DEMURRAGE_RATE_DEN_MAX - 1, rateDen: DEMURRAGE_RATE_DEN_MAX, periodSeconds: DEMURRAGE_PERIOD_SECONDS_MIN, freeBase: 0 } } as never)
    p.admit(alice, T0 + 1)
    for (let i = 0; i < 4; i++) p.issue(alice, 1_000_000_000_000_000, T0 + 2 + i)
    tick(p, T0 + 3 * DAY)
    const r = p.replay(ASOF)
    expect(r.supply).toBe(BALANCE_ABS_MAX)
    expect(r.balances[alice.key]! + r.commons!).toBe(r.supply)
    expect(r.commons).toBeLessThanOrEqual(BALANCE_ABS_MAX)
    expect(Number.isSafeInteger(r.balances[alice.key]!)).toBe(true)
  })

  it('refuses junk demurrage policies at decoding', () => {
    const p = pool()
    const bad = [
      { rateNum: 100, rateDen: 100, periodSeconds: 86_400, freeBase: 0 },
      { rateNum: 0, rateDen: 100, periodSeconds: 86_400, freeBase: 0 },
      { rateNum: 1, rateDen: DEMURRAGE_RATE_DEN_MAX + 1, periodSeconds: 86_400, freeBase: 0 },
      { rateNum: 1, rateDen: 100, periodSeconds: DEMURRAGE_PERIOD_SECONDS_MIN - 1, freeBase: 0 },
      { rateNum: 1, rateDen: 100, periodSeconds: 86_400, freeBase: -1 },
      { rateNum: 1, rateDen: 100, periodSeconds: 86_400 },
      { rateNum: 1, rateDen: 100, periodSeconds: 86_400, freeBase: 0, extra: 1 },
      [1, 100],
    ]
    const good = encodeEntry(p.policy({ demurrage: TWO_PERCENT_A_MONTH }, T0 + DAY))
    for (const demurrage of bad) {
      const line = good.replace(canonicalize(TWO_PERCENT_A_MONTH), canonicalize(demurrage))
      const decoded = decodeEntry(line)
      expect(decoded.ok, JSON.stringify(demurrage)).toBe(false)
      if (!decoded.ok) expect(decoded.detail).toMatch(/demurrage/)
    }
  })

  it('lets a tick carry no body', () => {
    const p = pool()
    const line = encodeEntry(tick(p, T0 + DAY)).replace(`"time":${T0 + DAY}`, `"time":${T0 + DAY},"to":"${alice.key}"`)
    expect(decodeEntry(line)).toMatchObject({ ok: false, detail: 'unexpected field "to" in a tick entry' })
  })

  it('previews a payment with the demurrage due, without charging anyone', () => {
    const q = new PoolBuilder({ kind: 'issued', minBalance: 0, maxBalance: null, demurrage: TWO_PERCENT_A_MONTH } as never)
    q.admit(alice, T0 + 1)
    q.admit(bob, T0 + 2)
    q.issue(alice, 1000, T0 + 3)
    const ledger = new Ledger(q.pool)
    ledger.add(q.entries, ASOF)
    expect(ledger.demurrageDue(alice.key as PublicKeyHex, T0 + 31 * DAY)).toBe(20)
    const probe = new PoolBuilder({ kind: 'issued', minBalance: 0, maxBalance: null, demurrage: TWO_PERCENT_A_MONTH } as never)
    probe.entries.length = 0
    probe.entries.push(...q.entries)
    const pay = probe.transfer(alice, bob, 990, T0 + 31 * DAY)
    expect(ledger.preview(pay)).toMatchObject({ status: 'rejected', reason: 'below-min-balance' })
    expect(ledger.balanceOf(alice.key as PublicKeyHex)).toBe(1000)
    expect(ledger.movements().some((m) => m.demurrage)).toBe(false)
  })
})
