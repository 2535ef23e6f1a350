/**
 * The relay as a coordinator of standing orders (issue 18), with a real relay
 * process: its key at /coordinator (derived from its witness key, so the same
 * after a restart), the payments of an order that names it collected with no
 * payee's phone online, each period once, covered by its own checkpoints, and
 * nothing collected for an order that does not name it.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chainHead, replay, signEntry, type CollectEntry, type Entry, type OrderEntry, type PublicKeyHex } from '../../core/index.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { connectClient, waitFor } from './clients.ts'
import { spawnRelay, type RelayProcess } from './relayProcess.ts'
import { poolNaming, witnessedBy, type Member, type WitnessedPoolFixture } from './witnessFixture.ts'

const { dirs, processes, clients } = cleanUpAfterAll()

async function relay(dir: string): Promise<RelayProcess> {
  const started = await spawnRelay(['--port', '0', '--data-dir', dir, '--checkpoint-interval-seconds', '1'])
  processes.push(started)
  return started
}

async function keysOf(relayProcess: RelayProcess): Promise<{ coordinator: PublicKeyHex; witness: PublicKeyHex }> {
  const response = await fetch(`${relayProcess.httpUrl}/coordinator`)
  expect(response.status).toBe(200)
  expect(response.headers.get('access-control-allow-origin')).toBe('*')
  const body = (await response.json()) as { publicKey: PublicKeyHex; witness: PublicKeyHex }
  expect(Object.keys(body)).toEqual(['publicKey', 'witness'])
  const witness = (await (await fetch(`${relayProcess.httpUrl}/witness`)).json()) as { publicKey: PublicKeyHex }
  expect(body.witness).toBe(witness.publicKey)
  expect(body.publicKey).not.toBe(body.witness)
  return { coordinator: body.publicKey, witness: body.witness }
}

/** The payer's order, signed at the head of its chain, a second in the past (the relay judges at its clock). */
function order(fixture: WitnessedPoolFixture, payer: Member, body: Record<string, unknown>): OrderEntry {
  const head = chainHead(fixture.entries, fixture.pool, payer.publicKey)
  const entry = signEntry<OrderEntry>({
    type: 'order', pool: fixture.pool, author: payer.publicKey, seq: head.seq, prev: head.prev, deps: [], time: Math.max(Date.now() - 1000, head.time), ...body,
  } as never, payer.secretKey)
  fixture.entries.push(entry)
  return entry
}

describe('the relay as a coordinator', () => {
  it('collects, for an order that names it, each payment due once, with the payee offline; and nothing for another order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heroes-coordinator-'))
    dirs.push(dir)
    const relayProcess = await relay(dir)
    const keys = await keysOf(relayProcess)
    const fixture = poolNaming([keys.witness], 3)
    const [alice, bob, carol] = fixture.members as [Member, Member, Member]
    // Every minute, 3 times, from now: the first payment is due at once.
    const named = order(fixture, alice, { to: bob.publicKey, amount: 7, everySeconds: 60, count: 3, coordinator: keys.coordinator })
    const other = order(fixture, carol, { to: bob.publicKey, amount: 5, everySeconds: 60 })
    const payer = await connectClient(relayProcess.syncUrl, fixture.pool, [])
    clients.push(payer)
    await payer.sync.publish(fixture.entries)
    // Until the relay holds the orders (its checkpoint covers them), then the payer's phone goes too.
    await waitFor(async () => witnessedBy(fixture.pool, await payer.store.all(), other.id) !== undefined, 45_000, 'the orders witnessed')
    await payer.close()

    // Bob's phone was never online: a fresh device that knows only the genesis finds the payment collected and witnessed.
    const device = await connectClient(relayProcess.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(device)
    let collect: Entry | undefined
    await waitFor(async () => {
      const entries = await device.store.all()
      collect = entries.find((entry) => entry.type === 'collect')
      return collect !== undefined && witnessedBy(fixture.pool, entries, collect.id) !== undefined
    }, 45_000, 'a collect by the relay, covered by its checkpoint').catch((error: unknown) => {
      console.log(relayProcess.stderr().split('\n').filter((line) => /coordinator|witness-/.test(line)).slice(-8).join('\n'))
      throw error
    })
    expect(collect).toMatchObject({ author: keys.coordinator, order: named.id, period: 0 } satisfies Partial<CollectEntry>)
    const entries = await device.store.all()
    const result = replay(entries, { asOf: Date.now() })
    expect(result.entries.find((entry) => entry.id === collect!.id)).toMatchObject({ status: 'accepted' })
    expect(result.balances[bob.publicKey]).toBe(7)
    expect(result.balances[alice.publicKey]).toBe(-7)
    expect(result.orders?.find((o) => o.id === named.id)).toMatchObject({ paid: 1, status: 'active' })
    // One collect for period 0, none for the order that names no coordinator (its payee collects).
    expect(entries.filter((entry) => entry.type === 'collect')).toHaveLength(1)
    expect(result.orders?.find((o) => o.id === other.id)).toMatchObject({ paid: 0 })
    expect(relayProcess.stderr()).toContain('"coordinator-collected"')
    const metrics = await (await fetch(`${relayProcess.httpUrl}/metrics`)).text()
    expect(metrics).toMatch(/^heroes_relay_collects_signed_total 1$/m)

    // A restart keeps the same coordinator key (derived from the witness key kept in the data directory).
    expect(await relayProcess.kill('SIGTERM')).toBe(0)
    const again = await relay(dir)
    expect((await keysOf(again)).coordinator).toBe(keys.coordinator)
    await again.kill('SIGTERM')
  }, 150_000)
})
