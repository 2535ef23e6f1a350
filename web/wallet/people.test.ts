/**
 * Names on three offline devices (people.ts): the gatekeeper's invite label until a name is
 * signed, the signed name everywhere after, a local nickname winning on its device, and text a
 * member types cleaned to what core signs.
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Policy } from '../../core/index.ts'
import { shortKey } from '../lib/short-key.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { initialsOf, signableText } from './people.ts'
import { Wallet } from './wallet.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 60 }
let clock = Date.UTC(2026, 11, 7, 12)
let dbCount = 0

async function device(): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(`people-test-${++dbCount}`), sync: new OfflineSyncEngine(), now: () => clock })
}

async function exchange(pool: string, ...wallets: Wallet[]): Promise<void> {
  for (let round = 0; round < 2; round++) for (const from of wallets) for (const to of wallets) if (from !== to) await to.ingestLines(pool, from.poolLines(pool))
}

describe('people: who a key is', () => {
  let gatekeeper: Wallet
  let alice: Wallet
  let bob: Wallet
  let pool: string
  let aliceKey: string
  let bobKey: string

  beforeEach(async () => {
    clock += 3_600_000
    gatekeeper = await device()
    alice = await device()
    bob = await device()
    const created = await gatekeeper.createPool(POLICY)
    if (!created.ok) throw new Error('pool not created')
    pool = created.value
    const invite = await gatekeeper.createInvite(pool, 'Alice (bakery)')
    if (!invite.ok) throw new Error('invite not created')
    await gatekeeper.rememberInvite({ id: JSON.parse(invite.value.invite).id, pool, label: 'Alice (bakery)', link: '', createdAt: clock })
    clock += 1000
    await alice.joinByInvite(invite.value)
    aliceKey = alice.pool(pool)!.me
    const asked = await bob.addPoolFromLink(gatekeeper.poolLinkPayload(pool)!)
    if (!asked.ok) throw new Error('request failed')
    bobKey = asked.value
    await gatekeeper.recordJoinRequest({ pool, member: bobKey, name: 'Bob from the request', state: 'waiting', at: clock })
    clock += 1000
    await gatekeeper.approveJoinRequest(pool, bobKey)
    await exchange(pool, gatekeeper, alice, bob)
  })

  it('shows the gatekeeper its invite label and request name until the member signs a name; others see the fingerprint', () => {
    expect(gatekeeper.people.person(pool, aliceKey)).toMatchObject({ name: 'Alice (bakery)', source: 'label', fingerprint: shortKey(aliceKey) })
    expect(gatekeeper.people.person(pool, bobKey)).toMatchObject({ name: 'Bob from the request', source: 'label' })
    expect(bob.people.person(pool, aliceKey)).toMatchObject({ name: undefined, source: 'none' })
  })

  it('shows a signed name on every device once it arrives, over the label; a nickname wins on its own device only', async () => {
    clock += 1000
    const signed = await alice.people.sign(pool, { name: '  Alice Baker ', bio: 'Bread on Saturdays', initials: 'AB' })
    expect(signed.ok).toBe(true)
    await exchange(pool, gatekeeper, alice, bob)
    for (const wallet of [gatekeeper, bob]) expect(wallet.people.person(pool, aliceKey)).toMatchObject({ name: 'Alice Baker', source: 'profile', profile: { bio: 'Bread on Saturdays', initials: 'AB' } })
    expect(alice.people.person(pool, aliceKey)).toMatchObject({ name: 'Alice Baker', source: 'profile' })
    expect(alice.people.own(pool)?.name).toBe('Alice Baker')
    // The profile is not a statement row.
    expect(alice.pool(pool)!.statement.some((row) => row.type === 'profile')).toBe(false)

    await bob.setContact(pool, aliceKey, 'Auntie')
    expect(bob.nameOf(pool, aliceKey)).toBe('Auntie')
    expect(gatekeeper.nameOf(pool, aliceKey)).toBe('Alice Baker')
  })

  it('signs what core takes: direction and invisible marks dropped, cut to the limit; an empty name refused before signing', async () => {
    clock += 1000
    const signed = await bob.people.sign(pool, { name: '\u202eBob\u200b' + 'b'.repeat(60) })
    expect(signed.ok && signed.value.name).toBe('Bob' + 'b'.repeat(37))
    expect(await bob.people.sign(pool, { name: ' \u200f ' })).toEqual({ ok: false, refusal: { reason: 'profile-name-empty' } })
  })

  it('keeps a name unknown to a pool the member never signed it in: pools stay unlinkable', async () => {
    const other = await gatekeeper.createPool({ ...POLICY, name: 'Other' })
    if (!other.ok) throw new Error('pool not created')
    clock += 1000
    await alice.people.sign(pool, { name: 'Alice' })
    expect(gatekeeper.people.own(other.value)).toBeUndefined()
    expect(alice.people.own(other.value)).toBeUndefined()
  })

  it('removes a pool card from this device only: its rows leave IndexedDB, the others still hold the pool', async () => {
    const name = `people-test-remove-${++dbCount}`
    const mine = await Wallet.open({ db: await openWalletDb(name), sync: new OfflineSyncEngine(), now: () => clock })
    await mine.addPoolFromLink(gatekeeper.poolLinkPayload(pool)!)
    await mine.ingestLines(pool, gatekeeper.poolLines(pool))
    await mine.setContact(pool, aliceKey, 'Al')
    expect(mine.poolIds()).toEqual([pool])
    expect(await mine.removePool(pool)).toEqual({ ok: true, value: undefined })
    expect(mine.poolIds()).toEqual([])
    const db = await openWalletDb(name)
    for (const store of ['entries', 'contacts', 'delivery'] as const) expect(await db.getAllFromIndex(store, 'by-pool', pool)).toEqual([])
    expect(await db.get('pools', pool)).toBeUndefined()
    const reopened = await Wallet.open({ db, sync: new OfflineSyncEngine(), now: () => clock })
    expect(reopened.poolIds()).toEqual([])
    expect(gatekeeper.pool(pool)!.members).toHaveLength(3)
    expect(await mine.removePool(pool)).toEqual({ ok: false, refusal: { reason: 'unknown-pool' } })
  })

  it('makes initials from a name and cleans text without splitting a surrogate pair', () => {
    expect(initialsOf('alice mary baker smith')).toBe('AMB')
    expect(initialsOf('Zoë')).toBe('Z')
    expect(signableText('a'.repeat(39) + '😀', 40)).toBe('a'.repeat(39))
  })
})
