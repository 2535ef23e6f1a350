/**
 * A peer that deletes, alters or adds garbage to a shared document changes
 * nobody's balance, and what it deleted comes back.
 */
import * as Automerge from '@automerge/automerge'
import { Repo } from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import { describe, expect, it } from 'vitest'
import { replay, type Entry } from '../../core/index.ts'
import { shardDocumentId, type SyncDocument } from '../../core/sync/index.ts'
import { inProcessRelay } from './inProcessRelay.ts'
import { connectClient, ids, waitFor, type TestClient } from './clients.ts'
import { makePool } from '../../core/sync/test/poolFixture.ts'

const balancesOf = async (client: TestClient, pool: string): Promise<Record<string, number>> =>
  replay(await client.store.all(), { asOf: 4e12, pool: pool as never }).balances

describe('a vandal in a shared document', () => {
  const shared = inProcessRelay('heroes-vandal-')
  const toClose = shared.toClose

  it('changes no balance, and deleted entries are published again', async () => {
    const fixture = makePool(2)
    fixture.transfer(fixture.members[0]!, fixture.members[1]!, 40)
    fixture.transfer(fixture.members[1]!, fixture.members[0]!, 15)
    const gate = await connectClient(shared.relay.syncUrl, fixture.pool)
    toClose.push(gate)
    await gate.sync.publish(fixture.entries)
    const bob = await connectClient(shared.relay.syncUrl, fixture.pool, [fixture.genesis])
    toClose.push(bob)
    await waitFor(async () => (await bob.store.all()).length === fixture.entries.length, 10_000, 'bob to fetch the pool')
    const before = await balancesOf(bob, fixture.pool)

    // The vandal: a plain Repo that knows the gatekeeper's shard id.
    const vandalRepo = new Repo({ network: [new WebSocketClientAdapter(shared.relay.syncUrl, 200)] })
    toClose.push({ close: () => vandalRepo.shutdown().catch(() => {}) })
    const shard = shardDocumentId(fixture.pool, fixture.gatekeeper.publicKey, 0)
    const handle = await vandalRepo.find<SyncDocument>(shard)
    const victims = fixture.entries.filter((e: Entry) => e.author === fixture.gatekeeper.publicKey).slice(1, 3)
    handle.change((doc) => {
      delete doc.entries[victims[0]!.id]
      doc.entries[victims[1]!.id] = new Automerge.ImmutableString('{"forged":true}')
      doc.entries.garbage = new Automerge.ImmutableString('x'.repeat(100))
    })
    // Every follower repairs the shard: the deleted and altered entries are back.
    await waitFor(() => {
      const entries = handle.doc().entries
      return entries[victims[0]!.id]?.val !== undefined && entries[victims[1]!.id]?.val !== '{"forged":true}'
    }, 10_000, 'the shard to be repaired')

    // A newcomer who only knows the genesis still gets everything.
    const carol = await connectClient(shared.relay.syncUrl, fixture.pool, [fixture.genesis])
    toClose.push(carol)
    await waitFor(async () => (await carol.store.all()).length === fixture.entries.length, 10_000, 'carol to fetch the pool')
    expect(ids(await carol.store.all())).toEqual(ids(fixture.entries))
    expect(await balancesOf(bob, fixture.pool)).toEqual(before)
    expect(await balancesOf(gate, fixture.pool)).toEqual(before)
    expect(await balancesOf(carol, fixture.pool)).toEqual(before)
    const ignored = gate.sync.stats().ignored
    expect(ignored.malformed).toBeGreaterThanOrEqual(2)
    expect(gate.sync.stats().entriesWritten).toBeGreaterThan(fixture.entries.length - 1)
  }, 30_000)

  it('cannot make a device drop the entries map: a replaced map is rebuilt', async () => {
    const fixture = makePool(1)
    const gate = await connectClient(shared.relay.syncUrl, fixture.pool)
    toClose.push(gate)
    await gate.sync.publish(fixture.entries)
    await gate.sync.settled()
    const shardOnRelay = shardDocumentId(fixture.pool, fixture.gatekeeper.publicKey, 0)
    await waitFor(() => shared.relay.repo.handles[shardOnRelay]?.isReady() === true, 10_000, 'the relay to hold the shard')
    const vandalRepo = new Repo({ network: [new WebSocketClientAdapter(shared.relay.syncUrl, 200)] })
    toClose.push({ close: () => vandalRepo.shutdown().catch(() => {}) })
    const shard = shardDocumentId(fixture.pool, fixture.gatekeeper.publicKey, 0)
    const handle = await vandalRepo.find<{ entries: unknown }>(shard)
    handle.change((doc) => {
      doc.entries = 'nothing here' as never
    })
    await waitFor(() => {
      const entries = handle.doc().entries as Record<string, unknown>
      return typeof entries === 'object' && Object.keys(entries).length === fixture.entries.filter((e) => e.author === fixture.gatekeeper.publicKey).length
    }, 10_000, 'the entries map to be rebuilt')
    expect((await gate.store.all()).length).toBe(fixture.entries.length)
  }, 30_000)
})
