/**
 * For the wallet's tests (no network, no browser): carrying entries between
 * devices by hand, and a pool of a gatekeeper and two members who joined by
 * invite. Each test file keeps its own clock and device factory.
 */
import { expect } from 'vitest'
import type { Policy } from '../../core/index.ts'
import type { Wallet } from './wallet.ts'

/** Carries every entry each device knows to every other (a perfect relay). */
export async function exchange(pool: string, ...wallets: Wallet[]): Promise<void> {
  for (let round = 0; round < 2; round++) for (const from of wallets) for (const to of wallets) if (from !== to) await to.ingestLines(pool, from.poolLines(pool))
}

/**
 * A gatekeeper and two members who joined by invite; everyone has everything
 * so far. `device` opens a fresh wallet; `tick` moves the test's clock on by ms.
 */
export async function community(policy: Policy, device: () => Promise<Wallet>, tick: (ms: number) => void): Promise<{ pool: string; gatekeeper: Wallet; alice: Wallet; bob: Wallet; aliceKey: string; bobKey: string }> {
  tick(3_600_000)
  const gatekeeper = await device()
  const alice = await device()
  const bob = await device()
  const created = await gatekeeper.createPool(policy)
  if (!created.ok) throw new Error(`pool: ${JSON.stringify(created.refusal)}`)
  const pool = created.value
  for (const member of [alice, bob]) {
    const invite = await gatekeeper.createInvite(pool, '')
    if (!invite.ok) throw new Error('invite')
    tick(1000)
    expect((await member.joinByInvite(invite.value)).ok).toBe(true)
    await exchange(pool, gatekeeper, alice, bob)
  }
  return { pool, gatekeeper, alice, bob, aliceKey: alice.pool(pool)!.me, bobKey: bob.pool(pool)!.me }
}
