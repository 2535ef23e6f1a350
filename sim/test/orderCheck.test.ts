/**
 * The standing-order check (checks.ts orderProblems, issue 18): it passes a
 * real history of a recurring request (accepted, collected by the payee and
 * by the coordinator, one period asked for twice) and fails when a period is
 * paid twice, when an order's count of payments disagrees with its collects,
 * when a collect moves other money than its order says, and when an order
 * makes someone pay a request asked of someone else. The broken cases tamper
 * with the real ledger's answers (the real ledger never does any of this).
 */
import { describe, expect, it } from 'vitest'
import { Ledger, type Entry, type EntryId, type ReplayResult } from '../../core/index.ts'
import { MINUTE, PoolBuilder, T0, actor } from '../../core/test/fixtures.ts'
import { orderProblems } from '../checks.ts'

const alice = actor('alice')
const bob = actor('bob')
const carol = actor('carol')
const relay = actor('relay')
const DAY = 24 * 60 * MINUTE

/** Bob asks alice for 100 rent a day, three times, relay coordinating; alice accepts; bob and relay both collect period 1. */
function history() {
  const p = new PoolBuilder({ kind: 'issued', minBalance: 0, maxBalance: null } as never)
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  p.admit(carol, T0 + 3)
  p.issue(alice, 1000, T0 + 4)
  const rent = p.sign(bob, 'request', { amount: 100, everySeconds: 86_400, count: 3, from: alice.key, coordinator: relay.key, memo: 'rent' }, { time: T0 + MINUTE })
  const yes = p.sign(alice, 'accept', { entry: rent.id }, { time: T0 + 2 * MINUTE, deps: [rent.id] })
  const collect = (by: typeof bob, period: number, time: number) => p.sign(by, 'collect', { order: yes.id, period }, { time, deps: [yes.id] })
  const c0 = collect(bob, 0, T0 + 3 * MINUTE)
  const c1 = collect(relay, 1, T0 + DAY + 3 * MINUTE)
  const again = collect(bob, 1, T0 + DAY + 4 * MINUTE)
  const ledger = new Ledger(p.pool)
  ledger.add(p.entries, T0 + 3 * DAY)
  const byId = new Map<EntryId, Entry>(p.entries.map((e) => [e.id, e]))
  return { ledger, byId, rent, yes, c0, c1, again }
}

/** The real ledger with its result passed through `change`. */
function tampered(ledger: Ledger, change: (result: ReplayResult) => ReplayResult) {
  const result = change(structuredClone(ledger.result()))
  return { result: () => result, movements: () => ledger.movements() }
}

describe('the standing-order check', () => {
  it('passes a real recurring request: accepted, collected by payee and coordinator, a period asked twice refused once', () => {
    const { ledger, byId, again } = history()
    expect(ledger.verdict(again.id)?.reason).toBe('order-period-paid')
    expect(orderProblems(ledger, byId)).toEqual([])
  })

  it('catches a period paid twice and a count of payments that disagrees with the collects', () => {
    const { ledger, byId, again } = history()
    const twice = orderProblems(tampered(ledger, (r) => ({ ...r, entries: r.entries.map((v) => (v.id === again.id ? { ...v, status: 'accepted', reason: undefined } : v)) as never })), byId)
    expect(twice.some((p) => p.startsWith('period 1 of') && p.includes('paid twice'))).toBe(true)
    expect(twice.some((p) => p.includes('says 2 paid, 3 accepted collect(s)'))).toBe(true)
  })

  it('catches a collect that moves other money than its order says', () => {
    const { ledger, byId, c0 } = history()
    const movements = ledger.movements().map((m) => (m.entry === c0.id ? { ...m, amount: 150 } : m))
    const problems = orderProblems({ result: () => ledger.result(), movements: () => movements }, byId)
    expect(problems.some((p) => p.includes(`collect ${c0.id.slice(0, 8)} moved 150`))).toBe(true)
  })

  it('catches an order that makes someone pay a request asked of another, or changes its terms', () => {
    const { ledger, byId, yes } = history()
    const problems = orderProblems(tampered(ledger, (r) => ({ ...r, orders: r.orders!.map((o) => (o.id === yes.id ? { ...o, payer: carol.key, amount: 90 } : o)) })), byId)
    expect(problems.some((p) => p.includes('is not the accept of its payer'))).toBe(true)
    expect(problems.some((p) => p.includes('does not keep the terms'))).toBe(true)
    expect(problems.some((p) => p.includes('asked of'))).toBe(true)
  })
})
