/**
 * The wallet with no network and no browser: IndexedDB from fake-indexeddb,
 * entries carried between devices by hand (ingestLines), the clock injected.
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import { decodeEntry, encodeEntry, type EntryId, type Policy, type PublicKeyHex, type TransferEntry } from '../../core/index.ts'
import { deriveSecretKey } from '../keys/pool-keys.ts'
import { seedOfPhrase } from '../keys/recovery-phrase.ts'
import { authorEntry } from './author-entry.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { Wallet } from './wallet.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 60 }
let clock = Date.UTC(2026, 10, 22, 12)
let dbCount = 0

async function device(): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(`wallet-test-${++dbCount}`), sync: new OfflineSyncEngine(), now: () => clock })
}

/** Carries every entry each device knows to every other (a perfect relay). */
async function exchange(pool: string, ...wallets: Wallet[]): Promise<void> {
  for (let round = 0; round < 2; round++) for (const from of wallets) for (const to of wallets) if (from !== to) await to.ingestLines(pool, from.poolLines(pool))
}

describe('a pool on three offline devices', () => {
  let gatekeeper: Wallet
  let alice: Wallet
  let bob: Wallet
  let pool: string
  let bobKey: string

  beforeEach(async () => {
    clock += 3_600_000
    gatekeeper = await device()
    alice = await device()
    bob = await device()
    const created = await gatekeeper.createPool(POLICY)
    if (!created.ok) throw new Error('pool not created')
    pool = created.value
    const invite = await gatekeeper.createInvite(pool, 'Alice')
    if (!invite.ok) throw new Error('invite not created')
    clock += 1000
    expect(await alice.joinByInvite(invite.value)).toEqual({ ok: true, value: pool })
    const link = gatekeeper.poolLinkPayload(pool)!
    const asked = await bob.addPoolFromLink(link)
    if (!asked.ok) throw new Error('request failed')
    bobKey = asked.value
    expect(bob.pool(pool)?.role).toBe('none')
    clock += 1000
    expect((await gatekeeper.approveJoinRequest(pool, bobKey)).ok).toBe(true)
    await exchange(pool, gatekeeper, alice, bob)
  })

  it('lets an invited member in offline, and an approved request in', () => {
    expect(alice.pool(pool)?.role).toBe('member')
    expect(bob.pool(pool)?.role).toBe('member')
    expect(gatekeeper.pool(pool)?.members).toHaveLength(3)
  })

  it('pays, and every device computes the same balances', async () => {
    clock += 1000
    const paid = await alice.pay(pool, bobKey, 1250, 'Weeding')
    expect(paid.ok).toBe(true)
    expect(alice.pool(pool)?.balance).toBe(-1250)
    expect(alice.pool(pool)?.statement[0]).toMatchObject({ type: 'transfer', change: -1250, delivery: 'device', status: 'accepted', balanceAfter: -1250, memo: 'Weeding' })
    await exchange(pool, gatekeeper, alice, bob)
    expect(bob.pool(pool)?.balance).toBe(1250)
    expect(gatekeeper.pool(pool)?.members.map((m) => m.balance).reduce((a, b) => a + b, 0)).toBe(0)
  })

  it('refuses a payment too soon and says when the next is allowed', async () => {
    clock += 1000
    const first = clock
    expect((await alice.pay(pool, bobKey, 100, '')).ok).toBe(true)
    clock += 59_999
    expect(await alice.pay(pool, bobKey, 100, '')).toMatchObject({ ok: false, refusal: { reason: 'rate-limit', nextAllowedAt: first + 60_000 } })
    expect(alice.pool(pool)?.balance).toBe(-100)
    clock += 1
    expect((await alice.pay(pool, bobKey, 100, '')).ok).toBe(true)
  })

  it('refuses a payment over the credit limit and says how much is possible', async () => {
    clock += 1000
    expect((await alice.pay(pool, bobKey, 2500, '')).ok).toBe(true)
    clock += 61_000
    expect(await alice.pay(pool, bobKey, 7501, '')).toMatchObject({ ok: false, refusal: { reason: 'below-min-balance', payableMax: 7500 } })
    expect((await alice.pay(pool, bobKey, 7500, '')).ok).toBe(true)
  })

  it('refuses a payment over the payee maximum and says how much they can receive', async () => {
    const admitted = await gatekeeper.createInvite(pool, 'Carol')
    if (!admitted.ok) throw new Error('invite')
    const carol = await device()
    expect((await carol.joinByInvite(admitted.value)).ok).toBe(true)
    // The link carried the gatekeeper's short history: Carol is a member at once, offline.
    expect(carol.pool(pool)?.role).toBe('member')
    await exchange(pool, gatekeeper, alice, bob, carol)
    clock += 1000
    expect((await alice.pay(pool, bobKey, 10_000, '')).ok).toBe(true)
    await exchange(pool, gatekeeper, alice, bob, carol)
    clock += 1000
    expect(await carol.pay(pool, bobKey, 10_001, '')).toMatchObject({ ok: false, refusal: { reason: 'above-max-balance', receivableMax: 10_000 } })
  })

  it('keeps a receipt shown face to face, unsettled until the payer history arrives', async () => {
    clock += 1000
    expect((await alice.pay(pool, bobKey, 100, 'first')).ok).toBe(true)
    clock += 61_000
    const second = await alice.pay(pool, bobKey, 250, 'second')
    if (!second.ok) throw new Error('pay')
    const receipt = alice.receiptPayload(pool, second.value)!
    expect(receipt.lines.length).toBeGreaterThan(1)
    await bob.ingestLines(pool, receipt.lines.slice(0, 1))
    expect(bob.pool(pool)?.statement[0]).toMatchObject({ id: second.value, status: 'pending', change: 0, nominal: 250 })
    await bob.ingestLines(pool, receipt.lines)
    expect(bob.pool(pool)?.balance).toBe(350)
  })

  it('lets a member leave at balance zero only', async () => {
    clock += 1000
    expect((await alice.pay(pool, bobKey, 100, '')).ok).toBe(true)
    clock += 1000
    expect(await alice.closeAccount(pool)).toMatchObject({ ok: false, refusal: { reason: 'close-blocked' } })
    await exchange(pool, gatekeeper, alice, bob)
    clock += 61_000
    const gatekeeperCloses = await gatekeeper.closeAccount(pool)
    expect(gatekeeperCloses.ok).toBe(true)
    expect(gatekeeper.pool(pool)?.closed).toBe(true)
  })

  it('ignores a tampered line', async () => {
    clock += 1000
    expect((await alice.pay(pool, bobKey, 100, '')).ok).toBe(true)
    const lines = alice.poolLines(pool).map((line) => line.replace('"amount":100', '"amount":900'))
    const before = bob.pool(pool)?.entryCount
    await bob.ingestLines(pool, lines)
    expect(bob.pool(pool)?.entryCount).toBe(before)
    expect(bob.pool(pool)?.balance).toBe(0)
  })

  it('keeps keys of two pools unlinkable', async () => {
    const other = await gatekeeper.createPool({ ...POLICY, name: 'Market' })
    if (!other.ok) throw new Error('pool')
    const invite = await gatekeeper.createInvite(other.value, 'Alice')
    if (!invite.ok) throw new Error('invite')
    await alice.joinByInvite(invite.value)
    expect(alice.pool(other.value)?.me).not.toBe(alice.pool(pool)?.me)
    expect(gatekeeper.pool(other.value)?.me).not.toBe(gatekeeper.pool(pool)?.me)
  })

  it('restores keys, pools and balance, and signs nothing before the chain head is known', async () => {
    clock += 1000
    await alice.pay(pool, bobKey, 1250, '')
    const snapshot = await alice.snapshot()
    const restored = await device()
    await restored.restore(snapshot)
    expect(restored.pool(pool)?.me).toBe(alice.pool(pool)?.me)
    expect(restored.pool(pool)?.balance).toBe(-1250)
    expect(restored.poolRecord(pool)?.needsChainHead).toBe(true)
    clock += 61_000
    expect(await restored.pay(pool, bobKey, 1, '')).toMatchObject({ ok: false, refusal: { reason: 'needs-chain-head' } })
  })

  it('brings the gatekeeper key back from the phrase and the pool link alone', async () => {
    const restored = await device()
    await restored.restoreFromPhrase(gatekeeper.recoveryPhrase)
    expect((await restored.addPoolFromLink(gatekeeper.poolLinkPayload(pool)!)).ok).toBe(true)
    await restored.ingestLines(pool, gatekeeper.poolLines(pool))
    expect(restored.pool(pool)?.me).toBe(gatekeeper.pool(pool)?.me)
    expect(restored.pool(pool)?.role).toBe('gatekeeper')
  })

  it('lets a newcomer join offline even when the invite link could not carry the gatekeeper history', async () => {
    const invite = await gatekeeper.createInvite(pool, 'Erin')
    if (!invite.ok) throw new Error('invite')
    const { chain, ...withoutChain } = invite.value
    expect(chain?.length).toBeGreaterThan(0)
    const erin = await device()
    expect((await erin.joinByInvite(withoutChain)).ok).toBe(true)
    const join = erin.pool(pool)?.statement.find((row) => row.type === 'join')
    expect(join?.status).toBe('pending')
    await exchange(pool, gatekeeper, erin)
    expect(erin.pool(pool)?.role).toBe('member')
  })

  it('shows a double spend to the gatekeeper with its proof, and lets them freeze the author', async () => {
    clock += 1000
    const paid = await alice.pay(pool, bobKey, 100, 'first')
    if (!paid.ok) throw new Error('pay')
    // A copy of Alice's key on another device signs at the same place in her chain (what a restore without waiting would do).
    const seed = await seedOfPhrase(alice.recoveryPhrase)
    const secretKey = deriveSecretKey(seed, { kind: 'member', pool, index: 0 })
    const aliceKey = alice.pool(pool)!.me
    const lines = alice.poolLines(pool).filter((line) => !line.includes(paid.value))
    const entries = lines.map((line) => decodeEntry(line)).flatMap((d) => (d.ok ? [d.entry] : []))
    const fork = authorEntry<TransferEntry>({ pool: pool as EntryId, entries, secretKey, author: aliceKey as PublicKeyHex, now: clock }, { type: 'transfer', to: bobKey as PublicKeyHex, amount: 200, memo: 'second' })
    await gatekeeper.ingestLines(pool, [...alice.poolLines(pool), encodeEntry(fork)])
    const view = gatekeeper.pool(pool)!
    expect(view.equivocations).toHaveLength(1)
    expect([...view.equivocations[0]!.entries].sort()).toEqual([paid.value, fork.id].sort())
    expect(gatekeeper.entryLine(pool, fork.id)).toBe(encodeEntry(fork))
    expect(view.members.find((m) => m.key === aliceKey)?.frozen).toBe(true)
    // The gatekeeper's freeze names both branch tips, so a witness orders what it saw before the freeze.
    expect(await gatekeeper.freeze(pool, aliceKey, 'double spend')).toMatchObject({ ok: true })
    const freeze = gatekeeper.poolLines(pool).map((line) => decodeEntry(line)).flatMap((d) => (d.ok && d.entry.type === 'freeze' ? [d.entry] : []))
    expect(freeze).toHaveLength(1)
    expect(freeze[0]!.deps).toEqual(expect.arrayContaining([paid.value, fork.id]))
  })

  it('refuses an invitation whose secret does not match', async () => {
    const invite = await gatekeeper.createInvite(pool, 'Dan')
    if (!invite.ok) throw new Error('invite')
    const dan = await device()
    expect(await dan.joinByInvite({ ...invite.value, secret: 'f'.repeat(64) })).toMatchObject({ ok: false, refusal: { reason: 'invite-invalid' } })
    expect(await dan.joinByInvite({ ...invite.value, genesis: invite.value.invite })).toMatchObject({ ok: false, refusal: { reason: 'invite-invalid' } })
  })
})

describe('a two-step pool', () => {
  it('holds a payment until the payee accepts it, and releases it when refused', async () => {
    clock += 3_600_000
    const gatekeeper = await device()
    const alice = await device()
    const bob = await device()
    const created = await gatekeeper.createPool({ ...POLICY, twoStep: true, rateLimitSeconds: 1 })
    if (!created.ok) throw new Error('pool')
    const pool = created.value
    for (const member of [alice, bob]) {
      const invite = await gatekeeper.createInvite(pool, '')
      if (!invite.ok) throw new Error('invite')
      clock += 1000
      expect((await member.joinByInvite(invite.value)).ok).toBe(true)
      await exchange(pool, gatekeeper, alice, bob)
    }
    const bobKey = bob.pool(pool)!.me
    clock += 1000
    const paid = await alice.pay(pool, bobKey, 3000, 'Plants')
    if (!paid.ok) throw new Error(`pay: ${JSON.stringify(paid.refusal)}`)
    expect(alice.pool(pool)).toMatchObject({ balance: 0, held: 3000 })
    expect(alice.pool(pool)?.statement[0]).toMatchObject({ status: 'initiated', awaiting: 'them', change: 0 })
    await exchange(pool, alice, bob)
    expect(bob.pool(pool)?.statement[0]).toMatchObject({ status: 'initiated', awaiting: 'me' })
    clock += 1000
    expect((await bob.answer(pool, paid.value, 'accept')).ok).toBe(true)
    expect(bob.pool(pool)?.balance).toBe(3000)
    await exchange(pool, alice, bob)
    expect(alice.pool(pool)).toMatchObject({ balance: -3000, held: 0 })

    clock += 2000
    const second = await alice.pay(pool, bobKey, 500, '')
    if (!second.ok) throw new Error('pay')
    await exchange(pool, alice, bob)
    clock += 1000
    expect((await bob.answer(pool, second.value, 'reject')).ok).toBe(true)
    await exchange(pool, alice, bob)
    expect(alice.pool(pool)).toMatchObject({ balance: -3000, held: 0 })
    expect(alice.pool(pool)?.statement.find((row) => row.id === second.value)?.status).toBe('rejected')
  })
})

describe('a pool with a levy', () => {
  it('shows the payee what they received after the levy, and the commons what it collected', async () => {
    clock += 3_600_000
    const gatekeeper = await device()
    const alice = await device()
    const bob = await device()
    const created = await gatekeeper.createPool({ ...POLICY, feeBasisPoints: 100, softMinBalance: -5_000 })
    if (!created.ok) throw new Error(`pool: ${JSON.stringify(created.refusal)}`)
    const pool = created.value
    for (const member of [alice, bob]) {
      const invite = await gatekeeper.createInvite(pool, '')
      if (!invite.ok) throw new Error('invite')
      clock += 1000
      expect((await member.joinByInvite(invite.value)).ok).toBe(true)
      await exchange(pool, gatekeeper, alice, bob)
    }
    clock += 1000
    expect((await alice.pay(pool, bob.pool(pool)!.me, 1000, '')).ok).toBe(true)
    await exchange(pool, gatekeeper, alice, bob)
    expect(bob.pool(pool)?.statement[0]).toMatchObject({ change: 990, balanceAfter: 990 })
    expect(bob.pool(pool)?.balance).toBe(990)
    expect(gatekeeper.pool(pool)?.commons).toBe(10)
  })
})
