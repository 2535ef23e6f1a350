/**
 * Payment requests, two-step answers and closing an account on offline
 * devices: entries travel by hand (a request link, ingestLines), the clock
 * is injected, and every verdict is core's.
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import { decodeEntry, type Policy } from '../../core/index.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { closeBlockers, canClose } from './close-account.ts'
import { Wallet } from './wallet.ts'
import { community as communityOf, exchange } from './test-community.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 60 }
let clock = Date.UTC(2026, 10, 23, 9)
let dbCount = 0

async function device(): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(`requests-test-${++dbCount}`), sync: new OfflineSyncEngine(), now: () => clock })
}

/** A gatekeeper and two members who joined by invite (test-community.ts), on this file's clock. */
function community(policy: Policy): ReturnType<typeof communityOf> {
  return communityOf(policy, device, (ms) => (clock += ms))
}

describe('a signed payment request', () => {
  let c: Awaited<ReturnType<typeof community>>
  beforeEach(async () => {
    c = await community(POLICY)
  })

  it('is paid by reference from its link alone, offline, and reads paid on both phones', async () => {
    const { pool, alice, bob, bobKey, aliceKey } = c
    clock += 1000
    const made = await bob.makeRequest(pool, 1250, 'Weeding', aliceKey)
    if (!made.ok) throw new Error(`request: ${JSON.stringify(made.refusal)}`)
    expect(bob.pool(pool)?.requestsOpen.map((r) => r.id)).toEqual([made.value])
    expect(bob.pool(pool)?.statement[0]).toMatchObject({ type: 'request', requestStatus: 'open', nominal: 1250, counterparty: aliceKey })
    const payload = bob.requestPayload(pool, made.value)!
    // The request's line alone keeps the QR code small; Alice's phone already holds Bob's join.
    expect(payload.lines.length).toBe(1)
    expect(decodeEntry(payload.lines[0]!)).toMatchObject({ ok: true, entry: { id: made.value, type: 'request', amount: 1250 } })

    expect(await alice.payRequest(pool, made.value)).toMatchObject({ ok: false, refusal: { reason: 'request-unknown' } })
    expect(await alice.takeRequestLink(payload)).toEqual({ ok: true, value: made.value })
    expect(alice.pool(pool)?.requestsToPay.map((r) => r.id)).toEqual([made.value])
    clock += 1000
    const paid = await alice.payRequest(pool, made.value)
    if (!paid.ok) throw new Error(`pay: ${JSON.stringify(paid.refusal)}`)
    expect(alice.pool(pool)).toMatchObject({ balance: -1250 })
    expect(alice.pool(pool)?.requests.get(made.value)).toMatchObject({ status: 'paid', settledBy: paid.value, direction: 'in' })
    expect(alice.pool(pool)?.statement[0]).toMatchObject({ type: 'transfer', pays: made.value, memo: 'Weeding', change: -1250 })
    expect(alice.pool(pool)?.requestsToPay).toEqual([])

    await exchange(pool, alice, bob)
    expect(bob.pool(pool)?.balance).toBe(1250)
    expect(bob.pool(pool)?.requests.get(made.value)?.status).toBe('paid')
    expect(bob.pool(pool)?.requestsOpen).toEqual([])
    expect(bob.pool(pool)?.statement.find((row) => row.id === made.value)?.requestStatus).toBe('paid')
    // Paid once: a second payment is refused before it is signed.
    clock += 61_000
    expect(await alice.payRequest(pool, made.value)).toMatchObject({ ok: false, refusal: { reason: 'request-settled' } })
    expect(bobKey).not.toBe(aliceKey)
  })

  it('is refused by the payer asked, or withdrawn by its requester, and nothing moves', async () => {
    const { pool, alice, bob, aliceKey, gatekeeper } = c
    clock += 1000
    const first = await bob.makeRequest(pool, 300, '', aliceKey)
    if (!first.ok) throw new Error('request')
    await alice.takeRequestLink(bob.requestPayload(pool, first.value)!)
    clock += 1000
    expect((await alice.answer(pool, first.value, 'reject')).ok).toBe(true)
    expect(alice.pool(pool)?.requests.get(first.value)?.status).toBe('rejected')
    await exchange(pool, alice, bob)
    expect(bob.pool(pool)?.requests.get(first.value)?.status).toBe('rejected')

    clock += 1000
    const second = await bob.makeRequest(pool, 400, 'Anyone')
    if (!second.ok) throw new Error('request')
    // Only the requester may withdraw it; a request for anyone cannot be refused by a payer.
    await exchange(pool, gatekeeper, alice, bob)
    clock += 1000
    expect(await gatekeeper.answer(pool, second.value, 'reject')).toMatchObject({ ok: false, refusal: { reason: 'not-party' } })
    expect((await bob.answer(pool, second.value, 'cancel')).ok).toBe(true)
    expect(bob.pool(pool)?.requests.get(second.value)?.status).toBe('cancelled')
    await exchange(pool, gatekeeper, bob)
    clock += 1000
    expect(await gatekeeper.payRequest(pool, second.value)).toMatchObject({ ok: false, refusal: { reason: 'request-settled' } })
    expect(bob.pool(pool)?.balance).toBe(0)
  })

  it('cannot be paid by a member it does not ask, nor by its requester', async () => {
    const { pool, alice, bob, gatekeeper, aliceKey } = c
    clock += 1000
    const made = await bob.makeRequest(pool, 100, '', aliceKey)
    if (!made.ok) throw new Error('request')
    await gatekeeper.takeRequestLink(bob.requestPayload(pool, made.value)!)
    expect(await gatekeeper.payRequest(pool, made.value)).toMatchObject({ ok: false, refusal: { reason: 'request-not-for-you' } })
    expect(await bob.payRequest(pool, made.value)).toMatchObject({ ok: false, refusal: { reason: 'pay-yourself' } })
    expect(await bob.makeRequest(pool, 100, '', bob.pool(pool)!.me)).toMatchObject({ ok: false, refusal: { reason: 'pay-yourself' } })
    expect(alice.pool(pool)?.requests.size).toBe(0)
  })

  it('waits, unpaid, when the phone lacks the requester history, and says so', async () => {
    const { pool, alice, bob, aliceKey } = c
    clock += 1000
    const earlier = await bob.makeRequest(pool, 100, 'one', aliceKey)
    clock += 1000
    const later = await bob.makeRequest(pool, 200, 'two', aliceKey)
    if (!earlier.ok || !later.ok) throw new Error('request')
    // Only the newest request reaches Alice: Bob's entry before it is the earlier request, which she lacks.
    const payload = bob.requestPayload(pool, later.value)!
    expect(await alice.takeRequestLink(payload)).toEqual({ ok: true, value: later.value })
    clock += 1000
    expect(await alice.payRequest(pool, later.value)).toMatchObject({ ok: false, refusal: { reason: 'request-waiting' } })
    expect(alice.pool(pool)?.requestsToPay).toEqual([])
    // A link may carry the requester's earlier entries too; then it can be paid.
    expect(await alice.takeRequestLink({ ...payload, lines: [...payload.lines, bob.entryLine(pool, earlier.value)!] })).toEqual({ ok: true, value: later.value })
    expect((await alice.payRequest(pool, later.value)).ok).toBe(true)
  })

  it('refuses a link whose request line is forged', async () => {
    const { pool, alice, bob, aliceKey } = c
    clock += 1000
    const made = await bob.makeRequest(pool, 100, '', aliceKey)
    if (!made.ok) throw new Error('request')
    const payload = bob.requestPayload(pool, made.value)!
    const forged = payload.lines[0]!.replace('"amount":100', '"amount":1')
    expect(await alice.takeRequestLink({ ...payload, lines: [forged] })).toMatchObject({ ok: false, refusal: { reason: 'request-invalid' } })
  })
})

describe('closing an account', () => {
  it('is blocked by an open request and an unanswered payment, then allowed at zero', async () => {
    const { pool, alice, bob, aliceKey } = await community({ ...POLICY, twoStep: true, rateLimitSeconds: 1 })
    clock += 1000
    const asked = await bob.makeRequest(pool, 100, '', aliceKey)
    if (!asked.ok) throw new Error('request')
    expect(closeBlockers(bob.pool(pool)!)).toEqual({ incoming: 0, requests: 1 })
    clock += 1000
    expect(await bob.closeAccount(pool)).toMatchObject({ ok: false, refusal: { reason: 'close-blocked' } })
    expect((await bob.answer(pool, asked.value, 'cancel')).ok).toBe(true)
    await exchange(pool, alice, bob)

    clock += 1000
    const sent = await alice.pay(pool, bob.pool(pool)!.me, 500, '')
    if (!sent.ok) throw new Error('pay')
    expect(closeBlockers(alice.pool(pool)!)).toEqual({ held: 500, incoming: 0, requests: 0 })
    await exchange(pool, alice, bob)
    expect(closeBlockers(bob.pool(pool)!)).toEqual({ incoming: 1, requests: 0 })
    clock += 1000
    expect(await bob.closeAccount(pool)).toMatchObject({ ok: false, refusal: { reason: 'close-blocked' } })
    expect((await bob.answer(pool, sent.value, 'reject')).ok).toBe(true)
    expect(canClose(closeBlockers(bob.pool(pool)!))).toBe(true)
    clock += 1000
    expect((await bob.closeAccount(pool)).ok).toBe(true)
    expect(bob.pool(pool)?.closed).toBe(true)
  })
})

describe('a two-step payment refused, sent again and accepted', () => {
  it('moves balances only on the accept', async () => {
    const { pool, alice, bob, bobKey } = await community({ ...POLICY, twoStep: true, rateLimitSeconds: 1 })
    clock += 1000
    const first = await alice.pay(pool, bobKey, 700, 'Drill')
    if (!first.ok) throw new Error('pay')
    await exchange(pool, alice, bob)
    expect(bob.pool(pool)?.transfersWaiting).toMatchObject([{ id: first.value, awaiting: 'me', nominal: 700 }])
    expect(alice.pool(pool)?.transfersWaiting).toMatchObject([{ id: first.value, awaiting: 'them', nominal: -700 }])
    clock += 1000
    expect((await bob.answer(pool, first.value, 'reject')).ok).toBe(true)
    await exchange(pool, alice, bob)
    expect(alice.pool(pool)).toMatchObject({ balance: 0, held: 0, transfersWaiting: [] })
    expect(alice.pool(pool)?.statement.find((row) => row.id === first.value)).toMatchObject({ status: 'rejected', reason: 'rejected-by-payee' })

    clock += 2000
    const again = await alice.pay(pool, bobKey, 700, 'Drill')
    if (!again.ok) throw new Error('pay')
    expect(alice.pool(pool)).toMatchObject({ balance: 0, held: 700 })
    await exchange(pool, alice, bob)
    expect(bob.pool(pool)?.balance).toBe(0)
    clock += 1000
    expect((await bob.answer(pool, again.value, 'accept')).ok).toBe(true)
    await exchange(pool, alice, bob)
    expect(alice.pool(pool)).toMatchObject({ balance: -700, held: 0 })
    expect(bob.pool(pool)).toMatchObject({ balance: 700 })
  })
})

describe('statements as CSV', () => {
  it('exports one member’s statement, filtered, and the whole pool for its gatekeeper only', async () => {
    const { pool, alice, bob, gatekeeper, bobKey } = await community(POLICY)
    clock += 1000
    expect((await alice.pay(pool, bobKey, 1250, '=SUM(A1)')).ok).toBe(true)
    await exchange(pool, gatekeeper, alice, bob)
    const csv = alice.statementCsv(pool)!
    expect(csv.split('\r\n')[0]).toBe('time,entry,type,counterparty,amount,fee,memo,balance')
    expect(csv).toContain(`${bobKey},-12.50,0.00,'=SUM(A1),-12.50`)
    expect(alice.statementCsv(pool, { from: clock + 1 })!.trim().split('\r\n')).toHaveLength(1)
    expect(alice.poolCsv(pool)).toBeUndefined()
    expect(gatekeeper.poolCsv(pool)!.trim().split('\r\n')).toHaveLength(2)
  })
})
