/**
 * Catch-up that touches only what changed (issue 14): a device parks the
 * complete shards it holds whole, asks the relay in one request (POST /heads)
 * which of them changed while it was away, and opens only those again. It
 * still gets every entry, also one that landed in a shard that was complete,
 * and still mends a parked shard a vandal damaged.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Automerge from '@automerge/automerge'
import { Repo, type DocumentId, type PeerId } from '@automerge/automerge-repo'
import { afterAll, describe, expect, it } from 'vitest'
import { signEntry, type Entry, type TransferEntry } from '../../core/index.ts'
import {
  askRelayForChanges, headsDigest, headsUrlOf, MemoryVerifiedStore, PARK_CHECK_INTERVAL_MS, PoolSync, readDocumentLines, ResilientWebSocketClientAdapter, SHARD_ENTRIES,
  shardDocumentId, type SyncDocument,
} from '../../core/sync/index.ts'
import { makePool, type PoolFixture } from '../../core/sync/test/poolFixture.ts'
import { startRelay, type Relay } from '../index.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { connectClient, ids, waitFor, type TestClient } from './clients.ts'

const { dirs, clients } = cleanUpAfterAll()
const relays: Relay[] = []
afterAll(async () => {
  for (const relay of relays) await relay.close()
})

async function relay(): Promise<Relay> {
  const dir = mkdtempSync(join(tmpdir(), 'heroes-catchup-'))
  dirs.push(dir)
  const started = await startRelay({ port: 0, dataDir: dir })
  relays.push(started)
  return started
}

/** A device that parks complete shards (the clients.ts helper does not). */
async function parkingDevice(syncUrl: string, fixture: PoolFixture): Promise<TestClient> {
  const adapter = new ResilientWebSocketClientAdapter(syncUrl, 200)
  const repo = new Repo({ network: [adapter], peerId: `parking-${Math.random().toString(36).slice(2)}` as PeerId })
  const store = new MemoryVerifiedStore([fixture.genesis])
  const sync = new PoolSync({ repo, pool: fixture.pool, store, parkCompleteShards: true })
  await sync.start()
  const parking = setInterval(() => sync.parkConfirmed(), PARK_CHECK_INTERVAL_MS)
  const device: TestClient = {
    repo, store, sync, adapter,
    async close() {
      clearInterval(parking)
      sync.close()
      await repo.shutdown().catch(() => {})
    },
  }
  clients.push(device)
  return device
}

/** A pool whose first member has signed more than a shard: shard 0 of that member is closed and complete. */
function poolWithAFullShard(): PoolFixture {
  const fixture = makePool(2)
  const [a, b] = fixture.members as [PoolFixture['members'][number], PoolFixture['members'][number]]
  for (let i = 0; i < SHARD_ENTRIES + 4; i++) fixture.transfer(a, b, 1)
  return fixture
}

/** A second entry at `seq` of `author`'s chain: an equivocation, whose home is the shard of that seq. */
function fork(fixture: PoolFixture, seq: number): TransferEntry {
  const author = fixture.members[0]!
  const chain = fixture.entries.filter((entry) => entry.author === author.publicKey).sort((x, y) => x.seq - y.seq)
  const before = chain[seq - 2]!
  const original = chain[seq - 1]!
  return signEntry<TransferEntry>({
    pool: fixture.pool, author: author.publicKey, seq, prev: before.id, deps: [], time: original.time, type: 'transfer', to: fixture.members[1]!.publicKey, amount: 2,
  } as never, author.secretKey)
}

async function relayLines(relay: Relay, documentId: DocumentId): Promise<number> {
  const handle = await relay.repo.find<SyncDocument>(documentId, { allowableStates: ['ready', 'unavailable'] })
  return handle.isReady() ? readDocumentLines(handle.doc(), 10_000).lines.length : 0
}

describe('POST /heads', () => {
  it('names the documents whose digest differs or that the relay does not know, and refuses malformed queries', async () => {
    const server = await relay()
    const fixture = makePool(1)
    const writer = await connectClient(server.syncUrl, fixture.pool)
    clients.push(writer)
    await writer.sync.publish(fixture.entries)
    const shard = shardDocumentId(fixture.pool, fixture.gatekeeper.publicKey, 0)
    await waitFor(async () => (await relayLines(server, shard)) === fixture.entries.length, 10_000, 'the relay to hold the pool')
    const held = headsDigest(Automerge.getHeads((await server.repo.find<SyncDocument>(shard)).doc()))
    const unknown = shardDocumentId(fixture.pool, fixture.members[0]!.publicKey, 9)
    const ask = askRelayForChanges(server.syncUrl, undefined)
    expect(await ask({ [shard]: held })).toEqual([])
    expect(await ask({ [shard]: '0'.repeat(32), [unknown]: held })).toEqual([shard, unknown])
    // After the document left memory the relay still knows its digest from disk.
    expect(await server.eviction.evict(shard)).toBe(true)
    expect(await ask({ [shard]: held })).toEqual([])
    const post = (body: string): Promise<Response> => fetch(headsUrlOf(server.syncUrl), { method: 'POST', body })
    const bad = await post('{"documents": {"x": "y"}}')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toBe('expected document ids in base58, got "x"')
    expect((await post('not json')).status).toBe(400)
    expect((await post(JSON.stringify({ documents: { [shard]: 'zz' } }))).status).toBe(400)
    expect((await fetch(headsUrlOf(server.syncUrl))).status).toBe(405)
    expect((await post('x'.repeat(3 * 1024 * 1024)).catch(() => ({ status: 413 }))).status).toBe(413)
  })
})

describe('a device that parks complete shards', () => {
  it('after a long absence gets every entry, also one that landed in a shard that was complete, opening only the changed shards', async () => {
    const server = await relay()
    const fixture = poolWithAFullShard()
    const writer = await connectClient(server.syncUrl, fixture.pool)
    clients.push(writer)
    await writer.sync.publish(fixture.entries)
    const device = await parkingDevice(server.syncUrl, fixture)
    const full = shardDocumentId(fixture.pool, fixture.members[0]!.publicKey, 0)
    await waitFor(async () => (await device.store.all()).length === fixture.entries.length, 20_000, 'the device to hold the pool')
    await waitFor(() => device.sync.parked().has(full), 10_000, 'the complete shard to be parked')
    expect(device.sync.handles().has(full)).toBe(false)
    device.adapter.disconnect()

    // Away: new payments (in open shards) and an equivocation in the shard that was complete.
    const later: Entry[] = []
    for (let i = 0; i < 5; i++) later.push(fixture.transfer(fixture.members[1]!, fixture.members[0]!, 1))
    const equivocation = fork(fixture, 5)
    later.push(equivocation)
    await writer.sync.publish(later)
    await waitFor(async () => (await relayLines(server, full)) === SHARD_ENTRIES + 1, 10_000, 'the equivocation on the relay')

    const reopened = await device.sync.checkParked(askRelayForChanges(server.syncUrl, device.repo.peerId))
    expect(reopened).toBe(1)
    device.adapter.connect(device.repo.peerId!, { isEphemeral: true })
    await waitFor(async () => (await device.store.all()).length === fixture.entries.length + 1, 20_000, 'the device to catch up')
    expect(ids(await device.store.all())).toEqual(ids([...fixture.entries, equivocation]))
    expect(await device.store.has(equivocation.id)).toBe(true)
  }, 60_000)

  it('mends a parked shard that a vandal damaged while it was away, and one damaged while it is online', async () => {
    const server = await relay()
    const fixture = poolWithAFullShard()
    const writer = await connectClient(server.syncUrl, fixture.pool)
    await writer.sync.publish(fixture.entries)
    const device = await parkingDevice(server.syncUrl, fixture)
    const full = shardDocumentId(fixture.pool, fixture.members[0]!.publicKey, 0)
    await waitFor(async () => (await device.store.all()).length === fixture.entries.length, 20_000, 'the device to hold the pool')
    await waitFor(() => device.sync.parked().has(full), 10_000, 'the complete shard to be parked')
    // Nobody else holds the pool now: only the device can mend.
    await writer.close()

    const vandalise = async (count: number): Promise<void> => {
      const handle = await server.repo.find<SyncDocument>(full)
      handle.change((doc) => {
        for (const key of Object.keys(doc.entries).slice(0, count)) delete doc.entries[key]
      })
      await waitFor(async () => (await relayLines(server, full)) === SHARD_ENTRIES - count, 5_000, 'the vandalism on the relay')
    }

    device.adapter.disconnect()
    await vandalise(10)
    expect(await device.sync.checkParked(askRelayForChanges(server.syncUrl, device.repo.peerId))).toBe(1)
    device.adapter.connect(device.repo.peerId!, { isEphemeral: true })
    await waitFor(async () => (await relayLines(server, full)) === SHARD_ENTRIES, 20_000, 'the device to write the deleted entries back')
    await waitFor(() => device.sync.parked().has(full), 10_000, 'the mended shard to be parked again')

    // Online this time: the relay sends the change, the device takes the shard back and mends it.
    await vandalise(3)
    await waitFor(async () => (await relayLines(server, full)) === SHARD_ENTRIES, 20_000, 'the online device to write them back')
    expect(device.sync.stats().documentsUnparked).toBeGreaterThanOrEqual(2)
  }, 60_000)
})
