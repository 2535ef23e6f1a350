/**
 * The daily digest on real wallets with no network (fake-indexeddb, entries carried by hand, the
 * clock injected): told once a day, by notification when allowed, else on the banner; what was
 * told is not told again after a reload; only a count ever reaches the notifier.
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Policy } from '../../core/index.ts'
import { openWalletDb, type WalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { Wallet } from '../wallet/wallet.ts'
import { MatchDigest, type DigestDue } from './match-digest.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Market', symbol: 'VM', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 1 }
const DAY_MS = 86_400_000
let clock = Date.UTC(2026, 11, 7, 9)
let dbCount = 0

async function device(): Promise<{ wallet: Wallet; db: WalletDb }> {
  const db = await openWalletDb(`digest-test-${++dbCount}`)
  return { wallet: await Wallet.open({ db, sync: new OfflineSyncEngine(), now: () => clock }), db }
}

async function exchange(pool: string, ...wallets: Wallet[]): Promise<void> {
  for (let round = 0; round < 2; round++) for (const from of wallets) for (const to of wallets) if (from !== to) await to.ingestLines(pool, from.poolLines(pool))
}

const draft = (kind: 'offer' | 'want', title: string) => ({ kind, title, description: 'Secret words', tags: '', category: '', price: undefined })

describe('the daily digest of new matches', () => {
  let alice: Wallet
  let bob: Wallet
  let bobDb: WalletDb
  let pool: string

  beforeEach(async () => {
    clock += 7 * DAY_MS
    const gatekeeper = (await device()).wallet
    alice = (await device()).wallet
    ;({ wallet: bob, db: bobDb } = await device())
    const created = await gatekeeper.createPool(POLICY)
    if (!created.ok) throw new Error('pool not created')
    pool = created.value
    for (const member of [alice, bob]) {
      const invite = await gatekeeper.createInvite(pool, 'member')
      if (!invite.ok) throw new Error('invite not created')
      clock += 1000
      expect((await member.joinByInvite(invite.value)).ok).toBe(true)
    }
    await exchange(pool, gatekeeper, alice, bob)
  })

  it('tells a count once a day, on the banner when no notification could, and not again after a reload', async () => {
    const digest = new MatchDigest({ source: bob, db: bobDb, now: () => clock, offsetMinutes: () => 0 }).start()
    await digest.check()
    expect(digest.shown()).toEqual([])
    clock += 1000
    expect((await (await alice.marketplace()).post(pool, draft('offer', 'Fresh bread'))).ok).toBe(true)
    clock += 1000
    expect((await (await bob.marketplace()).post(pool, draft('want', 'Bread'))).ok).toBe(true)
    await exchange(pool, alice, bob)
    await digest.check()
    expect(digest.shown()).toEqual([{ pool, count: 1 }])

    // Another match the same day: no second digest, not even after a reload.
    clock += 1000
    expect((await (await alice.marketplace()).post(pool, draft('offer', 'Rye bread'))).ok).toBe(true)
    await exchange(pool, alice, bob)
    digest.dismiss()
    await digest.check()
    expect(digest.shown()).toEqual([])
    const reloaded = new MatchDigest({ source: bob, db: bobDb, now: () => clock, offsetMinutes: () => 0 }).start()
    await reloaded.check()
    expect(reloaded.shown()).toEqual([])

    // The next day: only the match not told yet.
    clock += DAY_MS
    await reloaded.check()
    expect(reloaded.shown()).toEqual([{ pool, count: 1 }])
  })

  it('hands the notifier the pool and a count, nothing of the listings', async () => {
    const told: DigestDue[] = []
    const digest = new MatchDigest({ source: bob, db: bobDb, now: () => clock, offsetMinutes: () => 0, notify: async (due) => (told.push(due), true) }).start()
    clock += 1000
    expect((await (await alice.marketplace()).post(pool, draft('offer', 'Fresh bread'))).ok).toBe(true)
    clock += 1000
    expect((await (await bob.marketplace()).post(pool, draft('want', 'Bread'))).ok).toBe(true)
    await exchange(pool, alice, bob)
    await digest.check()
    expect(told).toEqual([{ pool, count: 1 }])
    expect(JSON.stringify(told)).not.toMatch(/bread|Secret/i)
    expect(digest.shown()).toEqual([])
  })
})
