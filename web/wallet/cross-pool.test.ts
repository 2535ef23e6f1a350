/**
 * Between pools in the wallet (cross-pool.ts), with no network: the payee's
 * request keeps its secret on the phone only, a link whose pool is forged is
 * refused, and a payment with no route signs nothing. The whole path (a real
 * relay, a real gateway service, two phones) is e2e/between-pools.spec.ts.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { decodeEntry, encodeEntry, toHex, fromHex, type Policy } from '../../core/index.ts'
import { sha256Bytes } from '../../core/hash.ts'
import { decodeLink, encodeLink } from '../links/link-codec.ts'
import type { CrossPayload } from '../links/link-payloads.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { CROSS_POOL_SETTINGS_KEY } from './cross-pool.ts'
import { Wallet } from './wallet.ts'
import { community } from './test-community.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Riverside', symbol: 'RIV', decimals: 2, minBalance: -10_000, maxBalance: 200_000, rateLimitSeconds: 0 }
let clock = Date.UTC(2026, 11, 7, 12)
let dbCount = 0

async function device(name = `cross-pool-test-${++dbCount}`) {
  const db = await openWalletDb(name)
  return { db, wallet: await Wallet.open({ db, sync: new OfflineSyncEngine(), now: () => clock }) }
}

async function poolOf(wallet: Wallet, name: string): Promise<string> {
  const made = await wallet.createPool({ ...POLICY, name })
  if (!made.ok) throw new Error(JSON.stringify(made.refusal))
  clock += 1000
  return made.value
}

describe('asking to be paid from another pool', () => {
  it('makes a link naming the pool, the payee and a fresh condition, and keeps the secret on this phone only', async () => {
    const { db, wallet } = await device()
    const pool = await poolOf(wallet, 'Hilltop')
    const cross = await wallet.crossPool()
    const first = await cross.makeRequest(pool, 300, ' Bob ')
    const second = await cross.makeRequest(pool, 300, '')
    if (!first.ok || !second.ok) throw new Error('request')
    expect(first.value).toMatchObject({ kind: 'cross', pool, to: wallet.pool(pool)!.me, amount: 300, name: 'Bob' })
    expect(second.value.condition).not.toBe(first.value.condition)
    expect(second.value).not.toHaveProperty('name')
    // The link carries the condition, never the preimage; the phone's record holds the preimage that hashes to it.
    const link = await encodeLink(first.value, 'https://heroes.example')
    const decoded = await decodeLink(link)
    expect(decoded).toEqual({ ok: true, payload: first.value })
    const kept = (await db.get('settings', CROSS_POOL_SETTINGS_KEY)) as { locks: Record<string, { preimage: string }> }
    const preimage = kept.locks[first.value.condition]!.preimage
    expect(link).not.toContain(preimage)
    expect(JSON.stringify(first.value)).not.toContain(preimage)
    expect(toHex(sha256Bytes(fromHex(preimage, 32)!))).toBe(first.value.condition)
  })

  it('refuses an amount that is not a positive whole number of minor units, and a pool it does not hold', async () => {
    const { wallet } = await device()
    const pool = await poolOf(wallet, 'Hilltop')
    const cross = await wallet.crossPool()
    for (const amount of [0, -1, 1.5, Number.NaN]) expect((await cross.makeRequest(pool, amount, '')).ok, String(amount)).toBe(false)
    expect(await cross.makeRequest('f'.repeat(64), 100, '')).toEqual({ ok: false, refusal: { reason: 'unknown-pool' } })
  })
})

describe('paying a request from another pool', () => {
  async function twoPools() {
    const payee = await device()
    const payer = await device()
    const hilltop = await poolOf(payee.wallet, 'Hilltop')
    const riverside = await poolOf(payer.wallet, 'Riverside')
    const request = await (await payee.wallet.crossPool()).makeRequest(hilltop, 300, 'Bob')
    if (!request.ok) throw new Error('request')
    return { payee, payer, hilltop, riverside, request: request.value }
  }

  it('refuses a link whose pool is forged: a genesis of another pool, or one whose words were changed', async () => {
    const { payer, request } = await twoPools()
    const cross = await payer.wallet.crossPool()
    const other = await device()
    const otherPool = await poolOf(other.wallet, 'Elsewhere')
    const otherGenesis = other.wallet.poolLines(otherPool)[0]!
    expect(await cross.learnPool({ ...request, genesis: otherGenesis })).toEqual({ ok: false, refusal: { reason: 'pool-invalid' } })
    const genesis = decodeEntry(request.genesis)
    if (!genesis.ok || genesis.entry.type !== 'pool') throw new Error('genesis')
    const renamed = encodeEntry({ ...genesis.entry, policy: { ...genesis.entry.policy, name: 'Hilltop Bank' } })
    expect(await cross.learnPool({ ...request, genesis: renamed })).toEqual({ ok: false, refusal: { reason: 'pool-invalid' } })
    expect(await cross.learnPool({ ...request, genesis: 'not a line' })).toEqual({ ok: false, refusal: { reason: 'pool-invalid' } })
  })

  it('offline, before the payee\'s pool has arrived from a relay, says the pool is not known yet and signs nothing', async () => {
    const { payer, riverside, request } = await twoPools()
    const cross = await payer.wallet.crossPool()
    expect((await cross.learnPool(request)).ok).toBe(true)
    expect(cross.quote(request)).toMatchObject({ ok: false, reason: 'unknown-pool' })
    const before = payer.wallet.poolLines(riverside).length
    expect(await cross.pay(request)).toMatchObject({ ok: false, refusal: { reason: 'unknown-pool' } })
    expect(cross.check(request)).toMatchObject({ ok: false, refusal: { reason: 'unknown-pool' } })
    expect(payer.wallet.poolLines(riverside).length).toBe(before)
  })

  it('says a request from the payer\'s own pool is paid with an ordinary payment', async () => {
    const { payee, hilltop } = await twoPools()
    const cross = await payee.wallet.crossPool()
    const own = await cross.makeRequest(hilltop, 100, '')
    if (!own.ok) throw new Error('request')
    expect(cross.quote(own.value as CrossPayload)).toMatchObject({ ok: false, reason: 'same-pool' })
  })
})

describe('a gatekeeper\'s trust in another pool', () => {
  const RATED: Policy = { ...POLICY, hourRate: { num: 1, den: 2 } }
  const PEER = 'c'.repeat(64)
  const GATEWAY = 'd'.repeat(64)

  it('signs a trustline the pool shows with its limit in HOUR and in units, and changes it', async () => {
    const { wallet } = await device()
    const pool = await poolOf(wallet, 'Hilltop')
    const cross = await wallet.crossPool()
    expect(await cross.setTrust(pool, PEER, 10, GATEWAY)).toMatchObject({ ok: false, refusal: { reason: 'no-hour-rate' } })
    const rated = await wallet.createPool({ ...RATED, name: 'Rated' })
    if (!rated.ok) throw new Error('pool')
    clock += 1000
    expect((await cross.setTrust(rated.value, PEER, 10, GATEWAY)).ok).toBe(true)
    // 10 HOUR at ½ HOUR a unit, 2 decimals: 20.00 units.
    expect(cross.trustlines(rated.value)).toMatchObject([{ peer: PEER, gateway: GATEWAY, limitHours: 10, limit: 2000, used: 0, available: 2000 }])
    clock += 1000
    expect((await cross.setTrust(rated.value, PEER, 4, GATEWAY)).ok).toBe(true)
    expect(cross.trustlines(rated.value)).toMatchObject([{ limitHours: 4, limit: 800 }])
  })

  it('refuses a member who is not a gatekeeper, a member as gateway, and malformed input, signing nothing', async () => {
    let now = clock
    const made = await community(RATED, async () => (await device()).wallet, (ms) => (clock = now += ms))
    const { pool, gatekeeper, alice, bobKey } = made
    // Later than Bob's join: an entry at the same millisecond may sort before it (ties go by id).
    clock = now += 1000
    const before = alice.poolLines(pool).length
    expect(await (await alice.crossPool()).setTrust(pool, PEER, 10, GATEWAY)).toMatchObject({ ok: false, refusal: { reason: 'not-authorized' } })
    const cross = await gatekeeper.crossPool()
    expect(await cross.setTrust(pool, PEER, 10, bobKey)).toMatchObject({ ok: false, refusal: { reason: 'invalid-trustline' } })
    for (const [peer, limit, gateway] of [['zz', 10, GATEWAY], [PEER, -1, GATEWAY], [PEER, 1.5, GATEWAY], [PEER, 10, 'GW'], [pool, 10, GATEWAY]] as const) {
      expect(await cross.setTrust(pool, peer, limit, gateway), `${peer} ${limit} ${gateway}`).toMatchObject({ ok: false, refusal: { reason: 'invalid-trustline' } })
    }
    expect(alice.poolLines(pool).length).toBe(before)
    expect(cross.trustlines(pool)).toEqual([])
  })
})

describe('a gatekeeper\'s rate to HOUR after creation', () => {
  it('sets a rate on a pool made without one, changes it, and refuses malformed input and a member who is not a gatekeeper', async () => {
    let now = clock
    const made = await community(POLICY, async () => (await device()).wallet, (ms) => (clock = now += ms))
    const { pool, gatekeeper, alice } = made
    clock = now += 1000
    const cross = await gatekeeper.crossPool()
    expect(gatekeeper.pool(pool)?.policy?.hourRate).toBeUndefined()
    const before = gatekeeper.poolLines(pool).length
    for (const [num, den] of [[0, 1], [1, 0], [1.5, 2], [-1, 2], [1, 1_000_000_001]] as const) {
      expect(await cross.setHourRate(pool, num, den), `${num}/${den}`).toMatchObject({ ok: false, refusal: { reason: 'invalid-policy' } })
    }
    expect(gatekeeper.poolLines(pool).length).toBe(before)
    expect((await cross.setHourRate(pool, 1, 2)).ok).toBe(true)
    expect(gatekeeper.pool(pool)?.policy?.hourRate).toEqual({ num: 1, den: 2 })
    clock = now += 1000
    expect((await cross.setHourRate(pool, 3, 1)).ok).toBe(true)
    expect(gatekeeper.pool(pool)?.policy?.hourRate).toEqual({ num: 3, den: 1 })
    // Everything else in the policy stays as it was.
    expect(gatekeeper.pool(pool)?.policy?.minBalance).toBe(POLICY.minBalance)
    clock = now += 1000
    expect(await (await alice.crossPool()).setHourRate(pool, 5, 1)).toMatchObject({ ok: false, refusal: { reason: 'not-authorized' } })
  })
})

describe('the payee\'s secrets in the backup file', () => {
  it('carries an open request\'s secret to a restored phone, and leaves out one that could never fulfil', async () => {
    const { wallet } = await device()
    const pool = await poolOf(wallet, 'Hilltop')
    const cross = await wallet.crossPool()
    const asked = await cross.makeRequest(pool, 300, 'Bob')
    if (!asked.ok) throw new Error('request')
    const snapshot = await wallet.snapshot()
    const condition = asked.value.condition
    expect(Object.keys(snapshot.hashlocks ?? {})).toEqual([condition])
    // A backup file is JSON: the secret goes through it as text.
    const copied = JSON.parse(JSON.stringify(snapshot)) as typeof snapshot
    const forged = { pool, preimage: 'ab'.repeat(32), amount: 5, at: 0 }
    const restoredDevice = await device()
    await restoredDevice.wallet.restore({ ...copied, hashlocks: { ...copied.hashlocks, ['cd'.repeat(32)]: forged, junk: null as never } })
    const kept = (await restoredDevice.db.get('settings', CROSS_POOL_SETTINGS_KEY)) as { locks: Record<string, { preimage: string; pool: string; amount: number }> }
    expect(Object.keys(kept.locks)).toEqual([condition])
    expect(toHex(sha256Bytes(fromHex(kept.locks[condition]!.preimage, 32)!))).toBe(condition)
    expect(kept.locks[condition]).toMatchObject({ pool, amount: 300 })
  })

  it('restores a backup made before secrets were carried, and one with none, as before', async () => {
    const { wallet } = await device()
    await poolOf(wallet, 'Hilltop')
    const snapshot = await wallet.snapshot()
    expect(snapshot.hashlocks).toBeUndefined()
    const restoredDevice = await device()
    await restoredDevice.wallet.restore(snapshot)
    expect(await restoredDevice.db.get('settings', CROSS_POOL_SETTINGS_KEY)).toBeUndefined()
    expect(restoredDevice.wallet.poolIds()).toEqual(wallet.poolIds())
  })
})

