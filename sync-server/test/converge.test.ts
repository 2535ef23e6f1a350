import { describe, expect, it } from 'vitest'
import { replay } from '../../core/index.ts'
import { makePool } from '../../core/sync/test/poolFixture.ts'
import { inProcessRelay } from './inProcessRelay.ts'
import { connectClient, ids, waitFor, type TestClient } from './clients.ts'

describe('three clients on one relay', () => {
  const shared = inProcessRelay<TestClient>('heroes-relay-')
  const clients = shared.toClose

  it('converge on the same entries and balances', async () => {
    const fixture = makePool(3)
    const [alice, bob, carol] = fixture.members as [typeof fixture.members[0], typeof fixture.members[0], typeof fixture.members[0]]
    // The gatekeeper's device holds the pool so far; the others know only the genesis.
    const gate = await connectClient(shared.relay.syncUrl, fixture.pool, [])
    clients.push(gate)
    await gate.sync.publish(fixture.entries)
    const a = await connectClient(shared.relay.syncUrl, fixture.pool, [fixture.genesis])
    const b = await connectClient(shared.relay.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(a, b)
    await waitFor(async () => (await a.store.all()).length === fixture.entries.length && (await b.store.all()).length === fixture.entries.length, 15_000, 'a and b to fetch the pool')
    // Each pays from its own device.
    await a.sync.publish([fixture.transfer(alice, bob, 7)])
    await b.sync.publish([fixture.transfer(bob, carol, 3)])
    await gate.sync.publish([fixture.transfer(carol, alice, 1)])
    const all = ids(fixture.entries)
    for (const client of clients) await waitFor(async () => ids(await client.store.all()).join() === all.join(), 15_000, 'every client to hold every entry')
    const balances = await Promise.all(clients.map(async (client) => replay(await client.store.all(), { asOf: 4e12, pool: fixture.pool }).balances))
    expect(balances[1]).toEqual(balances[0])
    expect(balances[2]).toEqual(balances[0])
    expect(balances[0]![alice.publicKey]).toBe(-6)
  }, 40_000)
})
