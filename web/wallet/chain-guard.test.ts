/**
 * A restored key must not sign until the relay has given its own chain back,
 * and no key signs on top of a head it knows to be stale or forked. Wallets
 * on fake-indexeddb; the relay is a hand-driven sync engine whose only power
 * is to say "your own chain is fetched" after the test carried the entries.
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import { decodeEntry, encodeEntry, type Entry, type EntryId, type Policy, type PublicKeyHex, type TransferEntry } from '../../core/index.ts'
import { deriveSecretKey } from '../keys/pool-keys.ts'
import { seedOfPhrase } from '../keys/recovery-phrase.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import type { PoolFollow, PoolFollowEvents, SyncEngine, SyncStatus } from '../sync/sync-engine.ts'
import { authorEntry } from './author-entry.ts'
import { chainGuard } from './chain-guard.ts'
import { Wallet } from './wallet.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 60 }
let clock = Date.UTC(2026, 10, 24, 12)
let dbCount = 0

/** No network; the test says when the relay would have answered for a device's own chain. */
class HandSyncEngine implements SyncEngine {
  status: SyncStatus = 'offline'
  relayUrl = ''
  readonly followers = new Map<string, PoolFollowEvents>()
  onStatusChange(): () => void {
    return () => undefined
  }
  setRelay(url: string): void {
    this.relayUrl = url
  }
  follow(pool: EntryId, _store: unknown, events: PoolFollowEvents): PoolFollow {
    this.followers.set(pool, events)
    return { publish: () => undefined, stop: () => this.followers.delete(pool) }
  }
  ownChainFetched(pool: string): void {
    const events = this.followers.get(pool)
    if (!events) throw new Error(`expected a follower for pool ${pool}, got none`)
    events.onOwnChainFetched()
  }
}

async function device(name = `chain-guard-test-${++dbCount}`, sync: SyncEngine = new HandSyncEngine()): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(name), sync, now: () => clock })
}

async function exchange(pool: string, ...wallets: Wallet[]): Promise<void> {
  for (let round = 0; round < 2; round++) for (const from of wallets) for (const to of wallets) if (from !== to) await to.ingestLines(pool, from.poolLines(pool))
}

/** Lets the wallet's background work (IndexedDB writes after an event) finish. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

describe('a wallet restored from a backup', () => {
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
    if (!created.ok) throw new Error('pool')
    pool = created.value
    for (const member of [alice, bob]) {
      const invite = await gatekeeper.createInvite(pool, '')
      if (!invite.ok) throw new Error('invite')
      clock += 1000
      expect((await member.joinByInvite(invite.value)).ok).toBe(true)
    }
    await exchange(pool, gatekeeper, alice, bob)
    bobKey = bob.pool(pool)!.me
    clock += 1000
    expect((await alice.pay(pool, bobKey, 100, 'before the backup')).ok).toBe(true)
  })

  it('refuses every signature before its own chain is fetched, signs nothing, and keeps the draft', async () => {
    const snapshot = await alice.snapshot()
    const sync = new HandSyncEngine()
    const restored = await device(undefined, sync)
    await restored.restore(snapshot)
    expect(restored.poolRecord(pool)?.needsChainHead).toBe(true)
    expect(restored.signingBlocked(pool)).toEqual({ reason: 'needs-chain-head' })
    await restored.saveDraft({ pool, to: bobKey, amount: '2.00', memo: 'after the restore' })
    const lines = restored.poolLines(pool)
    const statement = restored.pool(pool)!.statement
    clock += 61_000
    const refused = { ok: false, refusal: { reason: 'needs-chain-head' } }
    expect(await restored.pay(pool, bobKey, 200, 'after the restore')).toEqual(refused)
    expect(await restored.makeRequest(pool, 200, 'a request')).toEqual(refused)
    expect(await restored.answer(pool, statement[0]!.id, 'cancel')).toEqual(refused)
    expect(await restored.closeAccount(pool)).toEqual(refused)
    expect(restored.poolLines(pool)).toEqual(lines)
    expect(restored.pool(pool)!.statement).toEqual(statement)
    expect(await restored.draft(pool)).toEqual({ pool, to: bobKey, amount: '2.00', memo: 'after the restore' })
  })

  it('signs after its own chain is fetched, on top of what the other device signed meanwhile (no fork)', async () => {
    const snapshot = await alice.snapshot()
    // The old phone keeps paying after the backup was made.
    clock += 61_000
    const later = await alice.pay(pool, bobKey, 300, 'after the backup')
    if (!later.ok) throw new Error('pay')
    const sync = new HandSyncEngine()
    const restored = await device(undefined, sync)
    await restored.restore(snapshot)
    // The relay hands over the chain (carried by hand here), then says it is complete.
    await restored.ingestLines(pool, alice.poolLines(pool))
    sync.ownChainFetched(pool)
    await settle()
    expect(restored.poolRecord(pool)?.needsChainHead).toBe(false)
    expect(restored.signingBlocked(pool)).toBeUndefined()
    clock += 61_000
    const paid = await restored.pay(pool, bobKey, 200, 'from the restored phone')
    if (!paid.ok) throw new Error(`pay: ${JSON.stringify(paid.refusal)}`)
    const entry = decodeEntry(restored.entryLine(pool, paid.value)!)
    expect(entry.ok && entry.entry.prev).toBe(later.value)
    await exchange(pool, gatekeeper, alice, bob, restored)
    expect(gatekeeper.pool(pool)?.equivocations).toEqual([])
    expect(gatekeeper.pool(pool)?.members.find((m) => m.key === restored.pool(pool)!.me)).toMatchObject({ balance: -600, frozen: false })
  })

  it('keeps the mark across a reopening until the own chain is fetched, and forgets it after', async () => {
    const name = `chain-guard-test-${++dbCount}`
    const restored = await device(name)
    await restored.restore(await alice.snapshot())
    const sync = new HandSyncEngine()
    const reopened = await device(name, sync)
    expect(reopened.poolRecord(pool)?.needsChainHead).toBe(true)
    clock += 61_000
    expect(await reopened.pay(pool, bobKey, 1, '')).toMatchObject({ ok: false, refusal: { reason: 'needs-chain-head' } })
    sync.ownChainFetched(pool)
    await settle()
    const again = await device(name)
    expect(again.poolRecord(pool)?.needsChainHead).toBe(false)
    expect((await again.pay(pool, bobKey, 1, '')).ok).toBe(true)
  })

  it('marks a pool brought back by its link after a restore from the phrase alone', async () => {
    const sync = new HandSyncEngine()
    const restored = await device(undefined, sync)
    await restored.restoreFromPhrase(gatekeeper.recoveryPhrase)
    expect((await restored.addPoolFromLink(gatekeeper.poolLinkPayload(pool)!)).ok).toBe(true)
    await restored.ingestLines(pool, gatekeeper.poolLines(pool))
    expect(restored.pool(pool)?.role).toBe('gatekeeper')
    expect(await restored.createInvite(pool, 'Carol')).toMatchObject({ ok: false, refusal: { reason: 'needs-chain-head' } })
    sync.ownChainFetched(pool)
    await settle()
    expect((await restored.createInvite(pool, 'Carol')).ok).toBe(true)
  })

  it('refuses to sign on top of its own fork, and says where it is', async () => {
    // Another copy of Alice's key signed a different entry at her next seq; this phone now holds both.
    const seed = await seedOfPhrase(alice.recoveryPhrase)
    const secretKey = deriveSecretKey(seed, { kind: 'member', pool, index: 0 })
    const aliceKey = alice.pool(pool)!.me as PublicKeyHex
    const entries = alice.poolLines(pool).map((line) => decodeEntry(line)).flatMap((d) => (d.ok ? [d.entry] : []))
    clock += 61_000
    const paid = await alice.pay(pool, bobKey, 100, 'here')
    if (!paid.ok) throw new Error('pay')
    const twin = authorEntry<TransferEntry>({ pool: pool as EntryId, entries, secretKey, author: aliceKey, now: clock }, { type: 'transfer', to: bobKey as PublicKeyHex, amount: 200, memo: 'elsewhere' })
    await alice.ingestLines(pool, [encodeEntry(twin)])
    const seq = twin.seq
    expect(alice.signingBlocked(pool)).toEqual({ reason: 'own-fork', detail: String(seq) })
    clock += 61_000
    const lines = alice.poolLines(pool)
    expect(await alice.pay(pool, bobKey, 1, '')).toMatchObject({ ok: false, refusal: { reason: 'own-fork' } })
    expect(alice.poolLines(pool)).toEqual(lines)
  })
})

describe('chainGuard', () => {
  const pool = 'p'.repeat(64) as EntryId
  const me = 'a'.repeat(64) as PublicKeyHex
  const entry = (seq: number, id: string, prev: string | null, author: PublicKeyHex = me): Entry =>
    ({ type: 'close', pool, author, seq, prev, deps: [], time: seq, id, sig: '' }) as unknown as Entry

  it('lets a chain without trouble sign, and an empty one', () => {
    expect(chainGuard({ pool, author: me, needsChainHead: false, entries: [] })).toBeUndefined()
    expect(chainGuard({ pool, author: me, needsChainHead: false, entries: [entry(1, 'x1', null), entry(2, 'x2', 'x1'), entry(1, 'y1', null, 'b'.repeat(64) as PublicKeyHex)] })).toBeUndefined()
  })

  it('refuses while the mark of a restore is on', () => {
    expect(chainGuard({ pool, author: me, needsChainHead: true, entries: [] })).toEqual({ reason: 'needs-chain-head' })
  })

  it('finds two entries at one seq, and a link to an entry this device does not hold', () => {
    expect(chainGuard({ pool, author: me, needsChainHead: false, entries: [entry(1, 'x1', null), entry(2, 'x2', 'x1'), entry(2, 'z2', 'x1')] })).toEqual({ reason: 'own-fork', seq: 2 })
    expect(chainGuard({ pool, author: me, needsChainHead: false, entries: [entry(1, 'x1', null), entry(2, 'x2', 'x1'), entry(3, 'z3', 'z2')] })).toEqual({ reason: 'own-fork', seq: 2 })
  })

  it('lets a chain with a gap sign (the new entry waits; nothing forks)', () => {
    expect(chainGuard({ pool, author: me, needsChainHead: false, entries: [entry(1, 'x1', null), entry(3, 'x3', 'x2')] })).toBeUndefined()
  })
})
