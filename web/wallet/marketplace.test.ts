/**
 * The marketplace in the wallet, offline (fake-indexeddb, entries carried by
 * hand): posting, offline search and matches on the other phone, the "new
 * since the last visit" watermark, withdrawing, and favourites kept on the
 * device and in the backup, never in the pool.
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Policy } from '../../core/index.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { Wallet } from './wallet.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Market', symbol: 'VM', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 1 }
let clock = Date.UTC(2026, 11, 7, 12)
let dbCount = 0

async function device(): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(`market-test-${++dbCount}`), sync: new OfflineSyncEngine(), now: () => clock })
}

async function exchange(pool: string, ...wallets: Wallet[]): Promise<void> {
  for (let round = 0; round < 2; round++) for (const from of wallets) for (const to of wallets) if (from !== to) await to.ingestLines(pool, from.poolLines(pool))
}

describe('the marketplace on two offline phones', () => {
  let gatekeeper: Wallet
  let alice: Wallet
  let bob: Wallet
  let pool: string

  beforeEach(async () => {
    clock += 3_600_000
    gatekeeper = await device()
    alice = await device()
    bob = await device()
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

  it('finds an offer on the other phone, matches a want with it, marks it new once, and drops it when withdrawn', async () => {
    const aliceMarket = await alice.marketplace()
    const bobMarket = await bob.marketplace()
    expect(await bob.marketplace()).toBe(bobMarket)
    clock += 1000
    const offer = await aliceMarket.post(pool, { kind: 'offer', title: 'Légumes Bio', description: 'Every Friday', tags: 'vegetables, organic', category: '', price: 500 })
    if (!offer.ok) throw new Error(`offer refused: ${JSON.stringify(offer.refusal)}`)
    await exchange(pool, alice, bob)
    expect(bobMarket.search(pool, 'legumes-bio').map((l) => l.id)).toEqual([offer.value])
    expect(bobMarket.search(pool, 'vegetalbes').map((l) => l.title)).toEqual(['Légumes Bio'])
    expect(bobMarket.search(pool, 'tables')).toEqual([])

    clock += 1000
    const want = await bobMarket.post(pool, { kind: 'want', title: 'Fresh vegetables', description: '', tags: '', category: '', price: undefined })
    expect(want.ok).toBe(true)
    const firstVisit = await bobMarket.favourites.seen(pool)
    expect(firstVisit.size).toBe(0)
    const matches = bobMarket.matches(pool, firstVisit)
    expect(matches).toHaveLength(1)
    expect(matches[0]).toMatchObject({ theirs: offer.value, fresh: true })
    await bobMarket.favourites.markSeen(pool, matches.map((m) => m.pair))
    clock += 1000
    expect(bobMarket.matches(pool, await bobMarket.favourites.seen(pool))[0]!.fresh).toBe(false)

    // Only its author withdraws it; then it is gone on both phones.
    expect((await bobMarket.withdraw(pool, offer.value)).ok).toBe(false)
    clock += 1000
    expect((await aliceMarket.withdraw(pool, offer.value)).ok).toBe(true)
    await exchange(pool, alice, bob)
    expect(bobMarket.search(pool, 'legumes')).toEqual([])
    expect(bobMarket.matches(pool, new Set())).toEqual([])
  })

  it('edits a listing: the other phone shows the new version under the same id, and only the author may edit', async () => {
    const aliceMarket = await alice.marketplace()
    const bobMarket = await bob.marketplace()
    clock += 1000
    const offer = await aliceMarket.post(pool, { kind: 'offer', title: 'Bread', description: 'Sourdough', tags: 'bakery', category: '', price: 300 })
    if (!offer.ok) throw new Error('offer refused')
    await exchange(pool, alice, bob)
    clock += 1000
    // Bob signs an edit of Alice's listing: refused, nothing kept.
    expect(await bobMarket.post(pool, { kind: 'offer', title: 'Mine now', description: '', tags: '', category: '', price: 1 }, offer.value)).toMatchObject({ ok: false, refusal: { reason: 'not-listing-author' } })
    clock += 1000
    const edited = await aliceMarket.post(pool, { kind: 'offer', title: 'Bread and rolls', description: '', tags: 'bakery, rolls', category: '', price: 350 }, offer.value)
    if (!edited.ok) throw new Error(`edit refused: ${JSON.stringify(edited.refusal)}`)
    await exchange(pool, alice, bob)
    const seen = bobMarket.listings(pool)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ id: offer.value, title: 'Bread and rolls', tags: ['bakery', 'rolls'], price: 350, version: edited.value })
    expect(seen[0]!.description).toBeUndefined()
    expect(bobMarket.search(pool, 'rolls').map((l) => l.id)).toEqual([offer.value])
    expect(bobMarket.search(pool, 'sourdough')).toEqual([])
  })

  it('refuses a listing with a category the gatekeepers did not sign, and keeps nothing of it', async () => {
    const market = await alice.marketplace()
    clock += 1000
    const refused = await market.post(pool, { kind: 'offer', title: 'Cakes', description: '', tags: '', category: 'Bakery', price: undefined })
    expect(refused).toMatchObject({ ok: false, refusal: { reason: 'unknown-category' } })
    expect(market.listings(pool)).toEqual([])
  })

  it('lists in the directory only members who signed a profile, by fuzzy name and by category', async () => {
    clock += 1000
    expect((await gatekeeper.marketplace()).directory(pool)).toEqual([])
    const signedAlice = await alice.people.sign(pool, { name: 'Alice Dupré', bio: 'Vegetables and honey' })
    expect(signedAlice.ok).toBe(true)
    clock += 1000
    const categories = await gatekeeper.marketplace()
    expect(categories.categories(pool)).toEqual([])
    await exchange(pool, gatekeeper, alice, bob)
    const market = await bob.marketplace()
    const listed = market.directory(pool)
    expect(listed.map((e) => e.name)).toEqual(['Alice Dupré'])
    expect(listed[0]).toMatchObject({ key: alice.pool(pool)!.me, bio: 'Vegetables and honey', listings: 0, categories: [] })
    expect(market.directory(pool, 'dupre').map((e) => e.name)).toEqual(['Alice Dupré'])
    expect(market.directory(pool, 'alise').map((e) => e.name)).toEqual(['Alice Dupré'])
    expect(market.directory(pool, 'honey').map((e) => e.name)).toEqual(['Alice Dupré'])
    expect(market.directory(pool, 'bob')).toEqual([])
    expect(market.directory(pool, '', 'Food')).toEqual([])
  })

  it('keeps favourites on the device and in the backup, never in the pool', async () => {
    const market = await bob.marketplace()
    const aliceKey = alice.pool(pool)!.me
    expect(await market.favourites.toggle(pool, aliceKey)).toBe(true)
    expect(await market.favourites.of(pool)).toEqual([aliceKey])
    expect(bob.poolLines(pool).some((line) => line.includes('favourite'))).toBe(false)
    const snapshot = await bob.snapshot()
    expect(snapshot.favourites).toEqual({ [pool]: [aliceKey] })
    const restored = await device()
    await restored.restore(snapshot)
    expect(await (await restored.marketplace()).favourites.of(pool)).toEqual([aliceKey])
    // A damaged backup's favourites are dropped, not trusted.
    const other = await device()
    await other.restore({ ...snapshot, favourites: { [pool]: ['not a key', aliceKey], 'bad pool': [aliceKey] } as never })
    expect(await (await other.marketplace()).favourites.all()).toEqual({ [pool]: [aliceKey] })
    expect(await market.favourites.toggle(pool, aliceKey)).toBe(false)
  })
})
