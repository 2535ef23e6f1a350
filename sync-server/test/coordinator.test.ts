/**
 * The relay as a coordinator of standing orders (issue 18), with a real relay
 * process: its key at /coordinator (derived from its witness key, so the same
 * after a restart), the payments of an order that names it collected with no
 * payee's phone online, each period once, covered by its own checkpoints, and
 * nothing collected for an order that does not name it; and the same for
 * the order a payer makes by accepting a recurring request (rent, dues) that
 * names the relay as its coordinator.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chainHead, replay, signEntry, type AcceptEntry, type CollectEntry, type Entry, type EntryId, type OrderEntry, type PublicKeyHex, type RequestEntry } from '../../core/index.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { connectClient, waitFor, type TestClient } from './clients.ts'
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

/**
 * `author`'s next entry, signed at the head of its chain, a second in the past (the relay judges at its clock),
 * and after every entry the fixture holds: the fixture dates its admissions a second in the past too, and an
 * entry signed within a millisecond or two of them would otherwise sort before its author's admission and be
 * refused (not-member), which made the recurring-request case fail on a fast run.
 */
function sign<E extends Entry>(fixture: WitnessedPoolFixture, author: Member, body: Record<string, unknown>, deps: EntryId[] = []): E {
  const head = chainHead(fixture.entries, fixture.pool, author.publicKey)
  const latest = Math.max(...fixture.entries.map((entry) => entry.time))
  const entry = signEntry<E>({
    pool: fixture.pool, author: author.publicKey, seq: head.seq, prev: head.prev, deps, time: Math.max(Date.now() - 1000, head.time, latest + 1), ...body,
  } as never, author.secretKey)
  fixture.entries.push(entry)
  return entry
}

/** The payer's order. */
function order(fixture: WitnessedPoolFixture, payer: Member, body: Record<string, unknown>): OrderEntry {
  return sign<OrderEntry>(fixture, payer, { type: 'order', ...body })
}

/** A fresh device that knows only the genesis (the payee's phone never online) waits for a collect by the relay, covered by its checkpoint. */
async function collectSeen(relayProcess: RelayProcess, fixture: WitnessedPoolFixture): Promise<{ collect: CollectEntry; entries: Entry[]; device: TestClient }> {
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
  return { collect: collect as CollectEntry, entries: await device.store.all(), device }
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
    const { collect, entries } = await collectSeen(relayProcess, fixture)
    expect(collect).toMatchObject({ author: keys.coordinator, order: named.id, period: 0 } satisfies Partial<CollectEntry>)
    const result = replay(entries, { asOf: Date.now() })
    expect(result.entries.find((entry) => entry.id === collect.id)).toMatchObject({ status: 'accepted' })
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

  it('collects for the order a payer made by accepting a recurring request that names it, once per period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heroes-coordinator-'))
    dirs.push(dir)
    const relayProcess = await relay(dir)
    const keys = await keysOf(relayProcess)
    const fixture = poolNaming([keys.witness], 2)
    const [alice, bob] = fixture.members as [Member, Member]
    // Bob asks alice for dues every minute, twice, the relay coordinating; alice accepts: the first period is due at once.
    const dues = sign<RequestEntry>(fixture, bob, { type: 'request', amount: 9, from: alice.publicKey, everySeconds: 60, count: 2, coordinator: keys.coordinator, memo: 'dues' })
    const accepted = sign<AcceptEntry>(fixture, alice, { type: 'accept', entry: dues.id }, [dues.id])
    const payer = await connectClient(relayProcess.syncUrl, fixture.pool, [])
    clients.push(payer)
    await payer.sync.publish(fixture.entries)
    await waitFor(async () => witnessedBy(fixture.pool, await payer.store.all(), accepted.id) !== undefined, 45_000, 'the accept witnessed')
    await payer.close()

    const { collect, entries, device } = await collectSeen(relayProcess, fixture)
    expect(collect).toMatchObject({ author: keys.coordinator, order: accepted.id, period: 0 } satisfies Partial<CollectEntry>)
    const result = replay(entries, { asOf: Date.now() })
    expect(result.entries.find((entry) => entry.id === collect.id)).toMatchObject({ status: 'accepted' })
    expect(result.requests?.[dues.id]).toMatchObject({ status: 'accepted', settledBy: accepted.id, orders: [accepted.id] })
    expect(result.orders?.find((o) => o.id === accepted.id)).toMatchObject({ payer: alice.publicKey, payee: bob.publicKey, amount: 9, request: dues.id, coordinator: keys.coordinator })
    expect(result.balances[bob.publicKey]).toBe(9)
    expect(result.balances[alice.publicKey]).toBe(-9)
    // Period 0 once: the relay's next rounds find it paid (a collect for period 1 only once it falls due, a minute on).
    expect(entries.filter((entry) => entry.type === 'collect' && entry.period === 0)).toHaveLength(1)
    // The phone first, so that it does not try to reconnect to a relay that is gone.
    await device.close()
    expect(await relayProcess.kill('SIGTERM')).toBe(0)
  }, 150_000)
})
