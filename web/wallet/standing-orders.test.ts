/**
 * Money over time in the wallet, with no network and no browser: a repeating
 * payment collected by the payee's phone when due, stopped by the payer; a
 * payment on a later date; a period the payer cannot pay; and demurrage as its
 * own statement lines. IndexedDB from fake-indexeddb, entries carried between
 * devices by hand, the clock injected.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import type { Policy } from '../../core/index.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { Wallet } from './wallet.ts'
import { community, exchange } from './test-community.ts'

const DAY_MS = 86_400_000
const WEEK_S = 7 * 86_400
const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -10_000, maxBalance: 200_000, rateLimitSeconds: 60 }
let clock = Date.UTC(2026, 10, 22, 12)
let dbCount = 0

async function device(): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(`orders-test-${++dbCount}`), sync: new OfflineSyncEngine(), now: () => clock })
}

/** A gatekeeper, Alice and Bob (test-community.ts), on this file's clock; then a second on. */
async function poolOfThree(policy: Policy = POLICY): Promise<{ pool: string; gatekeeper: Wallet; alice: Wallet; bob: Wallet }> {
  const made = await community(policy, device, (ms) => (clock += ms))
  clock += 1000
  return made
}

describe('a repeating payment', () => {
  it('is collected by the payee’s phone when due, once a period, until the payer stops it', async () => {
    const { pool, gatekeeper, alice, bob } = await poolOfThree()
    const bobKey = bob.pool(pool)!.me
    const made = await alice.orders.create(pool, bobKey, 500, 'rent', { everySeconds: WEEK_S, count: 10 })
    expect(made.ok).toBe(true)
    expect(alice.pool(pool)!.orders).toMatchObject([{ direction: 'out', counterparty: bobKey, amount: 500, everySeconds: WEEK_S, count: 10, paid: 0, status: 'active' }])
    await exchange(pool, alice, bob)
    clock += 1000
    // The first payment is due at once: Bob's phone collects it, and a second run collects nothing more.
    expect(await bob.orders.collectDue()).toBe(1)
    expect(await bob.orders.collectDue()).toBe(0)
    await exchange(pool, gatekeeper, alice, bob)
    expect(alice.pool(pool)!.balance).toBe(-500)
    expect(bob.pool(pool)!.balance).toBe(500)
    expect(alice.pool(pool)!.statement[0]).toMatchObject({ type: 'collect', change: -500, nominal: -500, counterparty: bobKey, memo: 'rent', balanceAfter: -500 })
    expect(bob.pool(pool)!.statement[0]).toMatchObject({ type: 'collect', change: 500, counterparty: alice.pool(pool)!.me, balanceAfter: 500 })
    expect(bob.pool(pool)!.orders[0]).toMatchObject({ direction: 'in', paid: 1, nextDueAt: expect.any(Number) })

    // A week later, the second; two weeks on with the app closed, both missed ones at once.
    clock += 7 * DAY_MS
    expect(await bob.orders.collectDue()).toBe(1)
    clock += 14 * DAY_MS
    expect(await bob.orders.collectDue()).toBe(2)
    await exchange(pool, alice, bob)
    expect(alice.pool(pool)!.balance).toBe(-2000)

    // Alice stops it: no later period is paid, however long Bob's phone waits.
    const order = alice.pool(pool)!.orders[0]!.id
    clock += 1000
    expect((await alice.orders.stop(pool, order)).ok).toBe(true)
    await exchange(pool, alice, bob)
    clock += 30 * DAY_MS
    expect(await bob.orders.collectDue()).toBe(0)
    expect(bob.pool(pool)!.orders[0]).toMatchObject({ status: 'revoked', paid: 4, nextDueAt: null })
    expect(bob.pool(pool)!.balance).toBe(2000)
  })

  it('refuses a plan the validator would not take, and a payment to oneself', async () => {
    const { pool, alice, bob } = await poolOfThree()
    const bobKey = bob.pool(pool)!.me
    expect(await alice.orders.create(pool, bobKey, 500, '', { everySeconds: 5 })).toMatchObject({ ok: false, refusal: { reason: 'order-invalid' } })
    expect(await alice.orders.create(pool, bobKey, 500, '', { everySeconds: WEEK_S, count: 0 })).toMatchObject({ ok: false, refusal: { reason: 'order-invalid' } })
    expect(await alice.orders.create(pool, bobKey, 500, '', { start: clock - DAY_MS })).toMatchObject({ ok: false, refusal: { reason: 'order-invalid' } })
    expect(await alice.orders.create(pool, alice.pool(pool)!.me, 500, '', { everySeconds: WEEK_S })).toMatchObject({ ok: false, refusal: { reason: 'pay-yourself' } })
    expect(alice.pool(pool)!.orders).toEqual([])
  })

  it('asks again a day later for a period the payer could not pay, not on every tick', async () => {
    const { pool, alice, bob } = await poolOfThree()
    const bobKey = bob.pool(pool)!.me
    // 80.00 a week against a credit line of 100.00: the second week cannot be paid.
    expect((await alice.orders.create(pool, bobKey, 8_000, '', { everySeconds: WEEK_S })).ok).toBe(true)
    await exchange(pool, alice, bob)
    clock += 1000
    expect(await bob.orders.collectDue()).toBe(1)
    clock += 7 * DAY_MS
    expect(await bob.orders.collectDue()).toBe(0)
    clock += 3_600_000
    expect(await bob.orders.collectDue()).toBe(0)
    // Alice is paid in the meantime; a day after the refused try, Bob's phone asks again, and it goes through.
    clock += 1000
    expect((await bob.pay(pool, alice.pool(pool)!.me, 9_000, '')).ok).toBe(true)
    clock += DAY_MS
    expect(await bob.orders.collectDue()).toBe(1)
    expect(bob.pool(pool)!.statement.filter((row) => row.type === 'collect').map((row) => row.change)).toEqual([8_000, 8_000])
  })
})

describe('a payment on a later date', () => {
  it('waits for its date, then the payee’s phone collects it; cancelled, it never is', async () => {
    const { pool, alice, bob } = await poolOfThree()
    const bobKey = bob.pool(pool)!.me
    expect((await alice.orders.create(pool, bobKey, 300, 'gift', { start: clock + 3 * DAY_MS })).ok).toBe(true)
    expect((await alice.orders.create(pool, bobKey, 200, 'other', { start: clock + 3 * DAY_MS })).ok).toBe(true)
    await exchange(pool, alice, bob)
    expect(bob.pool(pool)!.orders.map((row) => row.everySeconds)).toEqual([null, null])
    expect(alice.pool(pool)!.statement[0]).toMatchObject({ type: 'order', schedule: 'once', change: 0 })
    clock += DAY_MS
    expect(await bob.orders.collectDue()).toBe(0)
    const other = alice.pool(pool)!.orders.find((row) => row.memo === 'other')!.id
    expect((await alice.orders.stop(pool, other)).ok).toBe(true)
    await exchange(pool, alice, bob)
    clock += 2 * DAY_MS
    expect(await bob.orders.collectDue()).toBe(1)
    expect(bob.pool(pool)!.balance).toBe(300)
    expect(bob.pool(pool)!.orders.map((row) => [row.memo, row.status])).toEqual(expect.arrayContaining([['gift', 'finished'], ['other', 'revoked']]))
  })
})

describe('a pool with demurrage', () => {
  it('shows each charge as its own statement line, and the balance after each line adds up', async () => {
    // 2 % per 30 days on what is held above 0.
    const { pool, gatekeeper, alice, bob } = await poolOfThree({ ...POLICY, demurrage: { rateNum: 2, rateDen: 100, periodSeconds: 30 * 86_400, freeBase: 0 } })
    expect((await alice.pay(pool, bob.pool(pool)!.me, 10_000, '')).ok).toBe(true)
    await exchange(pool, gatekeeper, alice, bob)
    clock += 31 * DAY_MS
    // Bob spends a little: touching his account charges the month's demurrage first.
    expect((await bob.pay(pool, alice.pool(pool)!.me, 100, '')).ok).toBe(true)
    await exchange(pool, gatekeeper, alice, bob)
    const view = bob.pool(pool)!
    const charge = view.statement.find((row) => row.type === 'demurrage')
    expect(charge).toMatchObject({ change: -200, counterparty: null, status: 'accepted' })
    expect(view.balance).toBe(10_000 - 200 - 100)
    expect(view.statement[0]!.balanceAfter).toBe(view.balance)
    expect(gatekeeper.pool(pool)!.demurrageCollected).toBe(200)
    // Alice is in debt: never charged.
    expect(alice.pool(pool)!.statement.some((row) => row.type === 'demurrage')).toBe(false)
  })
})

describe('a recurring request', () => {
  it('is asked by the payee, accepted once by the payer, collected each period by the payee’s phone, and ended by either', async () => {
    const { pool, gatekeeper, alice, bob } = await poolOfThree()
    const aliceKey = alice.pool(pool)!.me
    const bobKey = bob.pool(pool)!.me
    const asked = await bob.orders.ask(pool, 700, 'rent', aliceKey, { everySeconds: WEEK_S, count: 3 })
    expect(asked.ok).toBe(true)
    if (!asked.ok) return
    await exchange(pool, alice, bob)
    expect(alice.pool(pool)!.requestsToPay).toMatchObject([{ id: asked.value, everySeconds: WEEK_S, count: 3, amount: 700, direction: 'in', status: 'open' }])
    clock += 1000
    const accepted = await alice.orders.accept(pool, asked.value)
    expect(accepted.ok).toBe(true)
    if (!accepted.ok) return
    // Accepted once: no longer asked of Alice; in both Scheduled lists, the order's id the accept's.
    expect(alice.pool(pool)!.requestsToPay).toEqual([])
    expect(alice.pool(pool)!.requests.get(asked.value)).toMatchObject({ status: 'accepted', acceptedByMe: accepted.value })
    expect(alice.pool(pool)!.orders).toMatchObject([{ id: accepted.value, direction: 'out', counterparty: bobKey, amount: 700, everySeconds: WEEK_S, count: 3, request: asked.value, status: 'active' }])
    expect((await alice.orders.accept(pool, asked.value)).ok).toBe(false)
    await exchange(pool, alice, bob)
    clock += 1000
    expect(await bob.orders.collectDue()).toBe(1)
    clock += 7 * DAY_MS
    expect(await bob.orders.collectDue()).toBe(1)
    await exchange(pool, gatekeeper, alice, bob)
    expect(alice.pool(pool)!.balance).toBe(-1400)
    expect(bob.pool(pool)!.orders).toMatchObject([{ direction: 'in', counterparty: aliceKey, paid: 2, request: asked.value, nextDueAt: expect.any(Number) }])
    // Bob, who asked, ends it: the third week is never collected.
    clock += 1000
    expect((await bob.orders.stop(pool, accepted.value)).ok).toBe(true)
    await exchange(pool, alice, bob)
    clock += 14 * DAY_MS
    expect(await bob.orders.collectDue()).toBe(0)
    expect(alice.pool(pool)!.orders[0]).toMatchObject({ status: 'revoked', paid: 2 })
    expect(bob.pool(pool)!.balance).toBe(1400)
  })

  it('refuses a bad plan and asking oneself before signing', async () => {
    const { pool, alice } = await poolOfThree()
    expect(await alice.orders.ask(pool, 500, '', undefined, { everySeconds: 5 })).toMatchObject({ ok: false, refusal: { reason: 'order-invalid' } })
    expect(await alice.orders.ask(pool, 500, '', alice.pool(pool)!.me, { everySeconds: WEEK_S })).toMatchObject({ ok: false, refusal: { reason: 'pay-yourself' } })
  })
})

describe('demurrage set from the gatekeeper console', () => {
  it('a gatekeeper signs it and turns it off; a member cannot; a bad rule is refused before signing', async () => {
    const { pool, gatekeeper, alice, bob } = await poolOfThree()
    const rule = { rateNum: 20_000, rateDen: 1_000_000, periodSeconds: 30 * 86_400, freeBase: 1000 }
    expect((await gatekeeper.orders.setDemurrage(pool, rule)).ok).toBe(true)
    expect(gatekeeper.pool(pool)!.policy?.demurrage).toEqual(rule)
    await exchange(pool, gatekeeper, alice, bob)
    expect(alice.pool(pool)!.policy?.demurrage).toEqual(rule)
    expect(await alice.orders.setDemurrage(pool, null)).toMatchObject({ ok: false, refusal: { reason: 'not-authorized' } })
    expect(await gatekeeper.orders.setDemurrage(pool, { ...rule, periodSeconds: 3600 })).toMatchObject({ ok: false, refusal: { reason: 'demurrage-invalid' } })
    expect(await gatekeeper.orders.setDemurrage(pool, { ...rule, rateNum: 1_000_000 })).toMatchObject({ ok: false, refusal: { reason: 'demurrage-invalid' } })
    clock += 1000
    expect((await gatekeeper.orders.setDemurrage(pool, null)).ok).toBe(true)
    expect(gatekeeper.pool(pool)!.policy?.demurrage ?? null).toBeNull()
  })
})
