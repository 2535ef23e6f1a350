/**
 * Arrivals on real wallets with no network (fake-indexeddb, entries carried by hand, the clock
 * injected): a payment, a request and a two-step payment are noticed once, counted unseen until the
 * pool is looked at, and the watermark survives a reload; what was there before, and what a restored
 * key catches up on, is never news. The watermark's own edges are tested without wallets below.
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Policy } from '../../core/index.ts'
import { openWalletDb, type WalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { Wallet } from '../wallet/wallet.ts'
import { Arrivals } from './arrivals.ts'
import type { Arrival } from './arrivals-of.ts'
import { idbWatermarkStore } from './idb-watermark-store.ts'
import { baseline, isNoticed, markSeen, notice, NOTICED_WINDOW_MS, prune, readWatermark } from './watermark.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 1 }
let clock = Date.UTC(2026, 11, 7, 12)
let dbCount = 0

async function device(): Promise<{ wallet: Wallet; db: WalletDb }> {
  const db = await openWalletDb(`arrivals-test-${++dbCount}`)
  return { wallet: await Wallet.open({ db, sync: new OfflineSyncEngine(), now: () => clock }), db }
}

async function exchange(pool: string, ...wallets: Wallet[]): Promise<void> {
  for (let round = 0; round < 2; round++) for (const from of wallets) for (const to of wallets) if (from !== to) await to.ingestLines(pool, from.poolLines(pool))
}

describe('arrivals between two members', () => {
  let alice: Wallet
  let bob: Wallet
  let bobDb: WalletDb
  let pool: string
  let bobKey: string
  let told: Arrival[]
  let arrivals: Arrivals

  beforeEach(async () => {
    clock += 3_600_000
    alice = (await device()).wallet
    ;({ wallet: bob, db: bobDb } = await device())
    const created = await alice.createPool(POLICY)
    if (!created.ok) throw new Error(`pool not created: ${JSON.stringify(created)}`)
    pool = created.value
    const invite = await alice.createInvite(pool, 'Bob')
    if (!invite.ok) throw new Error('invite not created')
    clock += 1000
    expect((await bob.joinByInvite(invite.value)).ok).toBe(true)
    bobKey = bob.pool(pool)!.me
    await exchange(pool, alice, bob)
    told = []
    arrivals = await Arrivals.open({ source: bob, store: idbWatermarkStore(bobDb), now: () => clock, onFresh: (fresh) => told.push(...fresh) })
  })

  it('tells a payment once, counts it unseen until the pool is opened, and keeps that across a reload', async () => {
    clock += 2000
    expect((await alice.pay(pool, bobKey, 500, 'bread')).ok).toBe(true)
    await exchange(pool, alice, bob)
    expect(told).toMatchObject([{ pool, kind: 'payment', amount: 500, from: alice.pool(pool)!.me }])
    expect(arrivals.unseen(pool)).toHaveLength(1)
    expect(arrivals.allUnseen()).toHaveLength(1)
    bob.tick()
    expect(told).toHaveLength(1)

    // Reopened (a reload): still unseen, and not told again.
    const again: Arrival[] = []
    const reopened = await Arrivals.open({ source: bob, store: idbWatermarkStore(bobDb), now: () => clock, onFresh: (fresh) => again.push(...fresh) })
    expect(reopened.unseen(pool).map((a) => a.amount)).toEqual([500])
    expect(again).toEqual([])

    reopened.markSeen(pool)
    expect(reopened.unseen(pool)).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 50))
    const third = await Arrivals.open({ source: bob, store: idbWatermarkStore(bobDb), now: () => clock })
    expect(third.unseen(pool)).toEqual([])
  })

  it('tells a request asking this member, and drops it from the unseen once it is paid', async () => {
    clock += 2000
    const asked = await alice.makeRequest(pool, 300, 'eggs', bobKey)
    if (!asked.ok) throw new Error('request not made')
    await exchange(pool, alice, bob)
    expect(told).toMatchObject([{ kind: 'request', id: asked.value, amount: 300 }])
    expect(arrivals.unseen(pool)).toHaveLength(1)
    clock += 2000
    expect((await bob.payRequest(pool, asked.value)).ok).toBe(true)
    expect(arrivals.unseen(pool)).toEqual([])
  })

  it('does not tell what this member sends, nor what was there before it started noticing', async () => {
    clock += 2000
    expect((await bob.pay(pool, alice.pool(pool)!.me, 100, '')).ok).toBe(true)
    expect(told).toEqual([])
    clock += 2000
    expect((await alice.pay(pool, bobKey, 700, '')).ok).toBe(true)
    await exchange(pool, alice, bob)
    // A fresh device profile's watermark: the payment already there is history, not news.
    const db = await openWalletDb(`arrivals-test-${++dbCount}`)
    const late = await Arrivals.open({ source: bob, store: idbWatermarkStore(db), now: () => clock })
    expect(late.unseen(pool)).toEqual([])
  })
})

describe('the watermark', () => {
  const now = Date.UTC(2026, 11, 7)
  const arrival = (id: string, time: number): Arrival => ({ id, pool: 'p', kind: 'payment', time, from: 'k', amount: 1 })

  it('counts a baseline as noticed and seen', () => {
    const mark = baseline([arrival('a', now - 1000)], now)
    expect(isNoticed(mark, arrival('a', now - 1000))).toBe(true)
    expect(mark.unseen).toEqual([])
  })

  it('notices an offline payment dated before later ones, when it arrives after them', () => {
    let mark = baseline([], now)
    mark = notice(mark, [arrival('later', now - 1000)], now).mark
    const result = notice(mark, [arrival('earlier', now - 5000), arrival('later', now - 1000)], now)
    expect(result.fresh.map((a) => a.id)).toEqual(['earlier'])
    expect(result.mark.unseen).toEqual(['later', 'earlier'])
    expect(markSeen(result.mark).unseen).toEqual([])
  })

  it('forgets ids once the window has passed them, and treats anything dated before it as noticed', () => {
    let mark = notice(baseline([], now), [arrival('x', now)], now).mark
    mark = prune(mark, now + NOTICED_WINDOW_MS + 1)
    expect(mark.noticed).toEqual([])
    expect(isNoticed(mark, arrival('x', now))).toBe(true)
    expect(isNoticed(mark, arrival('old-offline', now))).toBe(true)
    expect(isNoticed(mark, arrival('new', now + NOTICED_WINDOW_MS + 2))).toBe(false)
  })

  it('reads back only what has its shape', () => {
    expect(readWatermark(null)).toBeUndefined()
    expect(readWatermark({ upTo: 'x', noticed: [], unseen: [] })).toBeUndefined()
    expect(readWatermark({ upTo: 1, noticed: [['a', 2], ['b'], 7], unseen: ['a', 3] })).toEqual({ upTo: 1, noticed: [['a', 2]], unseen: ['a'] })
  })
})
