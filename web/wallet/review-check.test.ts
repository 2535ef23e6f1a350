/**
 * The review step asks the validator first (Payments.check through EntrySigner.judge): the same
 * refusal and figures as paying, and nothing kept. And the statement says why a row's balance
 * after changed: an earlier payment arrived later (pool-book.ts).
 */
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Policy } from '../../core/index.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { Wallet } from './wallet.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -1_000, maxBalance: 20_000, rateLimitSeconds: 60 }
let clock = Date.UTC(2026, 11, 7, 14)
let dbCount = 0

async function device(): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(`review-test-${++dbCount}`), sync: new OfflineSyncEngine(), now: () => clock })
}

async function carry(pool: string, from: Wallet, to: Wallet): Promise<void> {
  await to.ingestLines(pool, from.poolLines(pool))
}

describe('review checks first, and balance-after changes explained', () => {
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
    for (const member of [alice, bob]) {
      const invite = await gatekeeper.createInvite(pool, '')
      if (!invite.ok) throw new Error('invite not created')
      clock += 1000
      await member.joinByInvite(invite.value)
    }
    bobKey = bob.pool(pool)!.me
    for (const a of [gatekeeper, alice, bob]) for (const b of [gatekeeper, alice, bob]) if (a !== b) await carry(pool, a, b)
  })

  it('refuses over the limit with the payable amount, signs nothing, and says ok to what would go through', async () => {
    clock += 1000
    const lines = alice.poolLines(pool).length
    expect(alice.checkPayment(pool, bobKey, 1_001, '')).toEqual({ ok: false, refusal: expect.objectContaining({ reason: 'below-min-balance', payableMax: 1_000 }) })
    expect(alice.checkPayment(pool, bobKey, 1_000, 'fine')).toEqual({ ok: true, value: undefined })
    expect(alice.poolLines(pool)).toHaveLength(lines)
  })

  it('refuses a second payment inside the rate window with the time it becomes possible, as paying would', async () => {
    clock += 1000
    expect((await alice.pay(pool, bobKey, 100, '')).ok).toBe(true)
    clock += 10_000
    const review = alice.checkPayment(pool, bobKey, 100, '')
    const paid = await alice.pay(pool, bobKey, 100, '')
    expect(review.ok).toBe(false)
    expect(paid.ok).toBe(false)
    if (!review.ok && !paid.ok) {
      expect(review.refusal).toEqual(paid.refusal)
      expect(review.refusal).toMatchObject({ reason: 'rate-limit', nextAllowedAt: clock - 10_000 + 60_000 })
    }
    expect(alice.checkPayment(pool, alice.pool(pool)!.me, 1, '')).toEqual({ ok: false, refusal: { reason: 'pay-yourself' } })
  })

  it('explains a balance after that changed because an earlier payment arrived later', async () => {
    clock += 1000
    expect((await alice.pay(pool, bobKey, 500, 'first')).ok).toBe(true)
    clock += 60_000
    expect((await gatekeeper.pay(pool, bobKey, 700, 'second')).ok).toBe(true)
    await carry(pool, gatekeeper, bob)
    const before = bob.pool(pool)!.statement.find((row) => row.memo === 'second')!
    expect(before).toMatchObject({ balanceAfter: 700 })
    expect(before.balanceAfterWas).toBeUndefined()
    await carry(pool, alice, bob)
    const after = bob.pool(pool)!.statement.find((row) => row.memo === 'second')!
    expect(after).toMatchObject({ balanceAfter: 1200, balanceAfterWas: 700 })
    expect(bob.pool(pool)!.statement.find((row) => row.memo === 'first')!.balanceAfterWas).toBeUndefined()
  })
})
