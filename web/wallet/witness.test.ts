/**
 * Witnessed time in the wallet: confirmed and not yet confirmed payments,
 * what a payee has at risk, the offline allowance and online payments. Wallets
 * on fake-indexeddb, entries carried by hand; the witness is simulated with
 * core's signCheckpoint over everything the devices hold (what a relay
 * witness does), and the sync engine's status is set by the test.
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  Ledger, OFFLINE_AMOUNT_MAX_DEFAULT, OFFLINE_COUNT_MAX_DEFAULT, decodeEntry, encodeEntry, generateSecretKey, publicKeyOf, signCheckpoint,
  type Entry, type EntryId, type Policy, type PublicKeyHex,
} from '../../core/index.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { en } from '../strings/en.ts'
import { plainText } from '../strings/phrase.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { refusalText } from '../ui/refusal-text.ts'
import { policyWithWitness } from './pool-witness.ts'
import { Wallet } from './wallet.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 60 }
let clock = Date.UTC(2026, 11, 7, 12)
let dbCount = 0

interface Device {
  readonly wallet: Wallet
  readonly sync: OfflineSyncEngine
}

async function device(): Promise<Device> {
  const sync = new OfflineSyncEngine('ws://127.0.0.1:8080/sync')
  return { wallet: await Wallet.open({ db: await openWalletDb(`witness-test-${++dbCount}`), sync, now: () => clock }), sync }
}

/** Carries every entry each device knows to every other (a perfect relay). */
async function exchange(pool: string, ...devices: Device[]): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const from of devices) for (const to of devices) if (from !== to) await to.wallet.ingestLines(pool, from.wallet.poolLines(pool))
  }
}

/** The witness: one checkpoint over everything the devices hold, at the witness's clock, handed to every device. */
async function witness(secretKey: Uint8Array, pool: string, devices: Device[], at = clock): Promise<Entry> {
  const lines = new Set(devices.flatMap((d) => d.wallet.poolLines(pool)))
  const entries = [...lines].map((line) => decodeEntry(line)).flatMap((d) => (d.ok ? [d.entry] : []))
  const ledger = new Ledger(pool as EntryId)
  ledger.add(entries, at)
  const checkpoint = signCheckpoint(ledger, secretKey, at)
  if (!checkpoint) throw new Error('expected something new for the witness to cover, got nothing')
  for (const d of devices) await d.wallet.ingestLines(pool, [encodeEntry(checkpoint)])
  return checkpoint
}

/** The deps of one entry a device signed. */
function depsOf(d: Device, pool: string, id: string): readonly string[] {
  const decoded = decodeEntry(d.wallet.entryLine(pool, id)!)
  if (!decoded.ok) throw new Error('expected the entry line to decode')
  return decoded.entry.deps
}

async function poolOf(policy: Policy, ...members: Device[]): Promise<{ pool: string; gatekeeper: Device }> {
  const gatekeeper = await device()
  const created = await gatekeeper.wallet.createPool(policy)
  if (!created.ok) throw new Error('pool not created')
  const pool = created.value
  for (const member of members) {
    const invite = await gatekeeper.wallet.createInvite(pool, '')
    if (!invite.ok) throw new Error('invite not created')
    clock += 1000
    expect((await member.wallet.joinByInvite(invite.value)).ok).toBe(true)
  }
  await exchange(pool, gatekeeper, ...members)
  return { pool, gatekeeper }
}

describe('a witnessed pool', () => {
  const witnessSecret = generateSecretKey()
  const witnessKey = publicKeyOf(witnessSecret) as PublicKeyHex
  let gatekeeper: Device
  let alice: Device
  let bob: Device
  let pool: string
  let bobKey: string
  let all: Device[]

  beforeEach(async () => {
    clock += 3_600_000
    alice = await device()
    bob = await device()
    ;({ pool, gatekeeper } = await poolOf(policyWithWitness(POLICY, witnessKey), alice, bob))
    all = [gatekeeper, alice, bob]
    bobKey = bob.wallet.pool(pool)!.me
    clock += 1000
    await witness(witnessSecret, pool, all)
  })

  it('shows a payment not yet confirmed, at risk for the payee, then confirmed once a checkpoint covers it', async () => {
    clock += 1000
    const paid = await alice.wallet.pay(pool, bobKey, 1250, 'Weeding')
    if (!paid.ok) throw new Error('pay')
    await exchange(pool, ...all)
    expect(alice.wallet.pool(pool)!.statement[0]).toMatchObject({ id: paid.value, confirmation: 'unconfirmed' })
    expect(alice.wallet.pool(pool)!.statement[0]!.atRisk).toBeUndefined()
    const received = bob.wallet.pool(pool)!
    expect(received.witnessed).toBe(true)
    expect(received.statement[0]).toMatchObject({ id: paid.value, change: 1250, confirmation: 'unconfirmed', atRisk: true })
    expect(received.unconfirmedIncoming).toBe(1250)
    expect(received.unconfirmedCount).toBe(1)

    clock += 1000
    const checkpoint = await witness(witnessSecret, pool, all)
    for (const d of [alice, bob]) {
      const view = d.wallet.pool(pool)!
      expect(view.statement.find((row) => row.id === paid.value)).toMatchObject({ confirmation: 'confirmed' })
      expect(view.statement.find((row) => row.id === paid.value)!.atRisk).toBeUndefined()
      expect(view.unconfirmedIncoming).toBe(0)
      expect(view.unconfirmedCount).toBe(0)
    }
    // The wallet's row says what core's ledger says: witnessedBy names the checkpoint.
    const ledger = new Ledger(pool as EntryId)
    ledger.add(bob.wallet.poolLines(pool).map((line) => decodeEntry(line)).flatMap((d) => (d.ok ? [d.entry] : [])), clock)
    expect(ledger.witnessedBy(paid.value as EntryId)).toBe(checkpoint.id)

    // A later payment is not yet confirmed, and the earlier one stays confirmed.
    clock += 61_000
    const later = await alice.wallet.pay(pool, bobKey, 300, 'Seeds')
    if (!later.ok) throw new Error('pay')
    await exchange(pool, ...all)
    const rows = bob.wallet.pool(pool)!.statement
    expect(rows.find((row) => row.id === later.value)).toMatchObject({ confirmation: 'unconfirmed', atRisk: true })
    expect(rows.find((row) => row.id === paid.value)).toMatchObject({ confirmation: 'confirmed' })
    expect(bob.wallet.pool(pool)!.unconfirmedIncoming).toBe(300)
  })

  it('counts offline payments against the allowance, and resets it once an online payment is covered', async () => {
    const max = { countMax: OFFLINE_COUNT_MAX_DEFAULT, amountMax: OFFLINE_AMOUNT_MAX_DEFAULT }
    expect(alice.wallet.witnessStatus(pool)).toMatchObject({ witnessed: true, allowance: { countLeft: max.countMax, amountLeft: max.amountMax, ...max } })
    // Offline: the payments do not name the checkpoint, and each counts.
    for (const amount of [100, 250]) {
      clock += 61_000
      const paid = await alice.wallet.pay(pool, bobKey, amount, '')
      if (!paid.ok) throw new Error('pay')
      expect(depsOf(alice, pool, paid.value).some((dep) => dep === alice.wallet.witnessStatus(pool)?.checkpoint)).toBe(false)
    }
    expect(alice.wallet.witnessStatus(pool)?.allowance).toMatchObject({ countLeft: max.countMax - 2, amountLeft: max.amountMax - 350 })
    await exchange(pool, ...all)
    clock += 1000
    const checkpoint = await witness(witnessSecret, pool, all)
    // Covered, but offline payments stay counted until the member pays online (its chain seen witnessed).
    expect(alice.wallet.witnessStatus(pool)).toMatchObject({ allowance: { countLeft: max.countMax - 2 } })
    expect(alice.wallet.witnessStatus(pool)?.checkpoint).toBeUndefined()

    // Back online: the witness covers Alice's chain head, so the next payment names its checkpoint.
    alice.sync.status = 'online'
    expect(alice.wallet.witnessStatus(pool)?.checkpoint).toBe(checkpoint.id)
    clock += 61_000
    const online = await alice.wallet.pay(pool, bobKey, 400, 'online')
    if (!online.ok) throw new Error(`pay: ${JSON.stringify(online.refusal)}`)
    expect(depsOf(alice, pool, online.value)).toContain(checkpoint.id)
    // Not covered yet: it counts as offline until a checkpoint covers it promptly (the strict view).
    expect(alice.wallet.witnessStatus(pool)?.allowance).toMatchObject({ countLeft: max.countMax - 3, amountLeft: max.amountMax - 750 })
    expect(alice.wallet.witnessStatus(pool)?.checkpoint).toBeUndefined()
    await exchange(pool, ...all)
    clock += 5000
    await witness(witnessSecret, pool, all)
    expect(alice.wallet.witnessStatus(pool)?.allowance).toEqual({ countLeft: max.countMax, amountLeft: max.amountMax, ...max })
    expect(alice.wallet.pool(pool)!.statement.find((row) => row.id === online.value)).toMatchObject({ confirmation: 'confirmed' })
  })

  it('refuses a payment past the offline cap with the figures, and takes it online', async () => {
    clock += 61_000
    expect((await alice.wallet.pay(pool, bobKey, 4000, '')).ok).toBe(true)
    clock += 61_000
    const refused = await alice.wallet.pay(pool, bobKey, 1500, 'too much offline')
    expect(refused).toMatchObject({
      ok: false,
      refusal: { reason: 'offline-cap', offline: { countLeft: OFFLINE_COUNT_MAX_DEFAULT - 1, amountLeft: OFFLINE_AMOUNT_MAX_DEFAULT - 4000 } },
    })
    if (refused.ok) throw new Error('expected a refusal')
    const words = plainText(refusalText(en, refused.refusal, alice.wallet.pool(pool)!.policy, clock))
    expect(words).toContain('you can pay at most \u206810.00 HRS\u2069 more (this pool allows \u206850.00 HRS\u2069 in all)')
    // Online but the head not covered yet: still judged offline, still refused.
    alice.sync.status = 'online'
    expect((await alice.wallet.pay(pool, bobKey, 1500, '')).ok).toBe(false)
    await exchange(pool, ...all)
    clock += 1000
    await witness(witnessSecret, pool, all)
    const online = await alice.wallet.pay(pool, bobKey, 1500, 'online now')
    expect(online.ok).toBe(true)
  })

  it('says when the allowance is used up, with the pool’s caps', async () => {
    for (let i = 0; i < OFFLINE_COUNT_MAX_DEFAULT; i++) {
      clock += 61_000
      expect((await alice.wallet.pay(pool, bobKey, 100, '')).ok).toBe(true)
    }
    expect(alice.wallet.witnessStatus(pool)?.allowance).toMatchObject({ countLeft: 0 })
    clock += 61_000
    const refused = await alice.wallet.pay(pool, bobKey, 100, '')
    if (refused.ok) throw new Error('expected a refusal')
    expect(plainText(refusalText(en, refused.refusal, alice.wallet.pool(pool)!.policy, clock))).toContain('(5 payments, \u206850.00 HRS\u2069 in all)')
  })
})

describe('a witnessed two-step pool', () => {
  it('confirms a two-step payment when the accept that moved the money is covered, not before', async () => {
    clock += 3_600_000
    const secretKey = generateSecretKey()
    const alice = await device()
    const bob = await device()
    const { pool, gatekeeper } = await poolOf(policyWithWitness({ ...POLICY, twoStep: true }, publicKeyOf(secretKey) as PublicKeyHex), alice, bob)
    const all = [gatekeeper, alice, bob]
    clock += 1000
    const sent = await alice.wallet.pay(pool, bob.wallet.pool(pool)!.me, 700, '')
    if (!sent.ok) throw new Error('pay')
    await exchange(pool, ...all)
    clock += 1000
    await witness(secretKey, pool, all)
    // Covered while on hold: nothing moved yet, so nothing to confirm.
    expect(bob.wallet.pool(pool)!.statement.find((row) => row.id === sent.value)).toMatchObject({ status: 'initiated', awaiting: 'me' })
    expect(bob.wallet.pool(pool)!.statement.find((row) => row.id === sent.value)!.confirmation).toBeUndefined()
    clock += 1000
    expect((await bob.wallet.answer(pool, sent.value, 'accept')).ok).toBe(true)
    await exchange(pool, ...all)
    expect(bob.wallet.pool(pool)!.statement.find((row) => row.id === sent.value)).toMatchObject({ status: 'accepted', change: 700, confirmation: 'unconfirmed', atRisk: true })
    expect(alice.wallet.pool(pool)!.statement.find((row) => row.id === sent.value)).toMatchObject({ status: 'accepted', confirmation: 'unconfirmed' })
    clock += 1000
    await witness(secretKey, pool, all)
    for (const d of [alice, bob]) expect(d.wallet.pool(pool)!.statement.find((row) => row.id === sent.value)).toMatchObject({ confirmation: 'confirmed' })
    expect(bob.wallet.pool(pool)!.unconfirmedIncoming).toBe(0)
  })
})

describe('a pool without a witness', () => {
  it('says every payment is unconfirmed (no witness), nothing at risk apart, no allowance, no checkpoint named', async () => {
    clock += 3_600_000
    const alice = await device()
    const bob = await device()
    const { pool, gatekeeper } = await poolOf(POLICY, alice, bob)
    alice.sync.status = 'online'
    clock += 1000
    const paid = await alice.wallet.pay(pool, bob.wallet.pool(pool)!.me, 500, '')
    if (!paid.ok) throw new Error('pay')
    await exchange(pool, gatekeeper, alice, bob)
    const view = bob.wallet.pool(pool)!
    expect(view.witnessed).toBe(false)
    expect(view.statement[0]).toMatchObject({ id: paid.value, confirmation: 'no-witness' })
    expect(view.statement[0]!.atRisk).toBeUndefined()
    expect(view.unconfirmedIncoming).toBe(0)
    expect(alice.wallet.witnessStatus(pool)).toEqual({ witnessed: false })
  })

  it('gets a witness later: the creator names one, and payments covered after it are confirmed', async () => {
    clock += 3_600_000
    const alice = await device()
    const bob = await device()
    const { pool, gatekeeper } = await poolOf(POLICY, alice, bob)
    expect(gatekeeper.wallet.pool(pool)!.creator).toBe(true)
    expect(alice.wallet.pool(pool)!.creator).toBe(false)
    // No relay answers at this address: a clear refusal, and nothing signed.
    const before = gatekeeper.wallet.poolLines(pool).length
    const unreachable = await gatekeeper.wallet.addWitness(pool)
    expect(unreachable).toMatchObject({ ok: false, refusal: { reason: 'no-relay-witness' } })
    expect(plainText(refusalText(en, (unreachable as unknown as { refusal: never }).refusal, POLICY, clock))).toMatch(/relay cannot be reached/)
    expect(gatekeeper.wallet.poolLines(pool)).toHaveLength(before)
    // A member who is not the creator cannot name a witness: the validator refuses before anything is kept.
    const witnessSecret = generateSecretKey()
    const witnessKey = publicKeyOf(witnessSecret)
    expect(await alice.wallet.addWitness(pool, witnessKey)).toMatchObject({ ok: false })
    clock += 1000
    expect(await gatekeeper.wallet.addWitness(pool, witnessKey)).toMatchObject({ ok: true })
    await exchange(pool, gatekeeper, alice, bob)
    expect(bob.wallet.pool(pool)!.policy!.witnesses).toEqual([witnessKey])
    expect(bob.wallet.pool(pool)!.witnessed).toBe(true)
    clock += 60_000
    const paid = await alice.wallet.pay(pool, bob.wallet.pool(pool)!.me, 500, '')
    if (!paid.ok) throw new Error('pay')
    await exchange(pool, gatekeeper, alice, bob)
    clock += 1000
    await witness(witnessSecret, pool, [gatekeeper, alice, bob])
    expect(bob.wallet.pool(pool)!.statement[0]).toMatchObject({ id: paid.value, confirmation: 'confirmed' })
  })
})
