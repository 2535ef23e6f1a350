/**
 * Bounded memory (issue 14): documents leave the relay's memory and come back
 * from disk, and no byte is lost or changed on the way.
 *
 * The first test pins upstream automerge-repo issue #435 ("removeFromCache
 * replaces the saved doc with empty object"): it shows the wipe on a bare
 * Repo, then the same steps with guardEmptySaves leaving the stored bytes as
 * they were. When upstream fixes #435 the first half fails: then the guard
 * can go (keep the second half).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Automerge from '@automerge/automerge'
import { Repo, type DocumentId, type PeerId } from '@automerge/automerge-repo'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeEntry, generateSecretKey, publicKeyOf, type AdmitEntry, type Entry } from '../../core/index.ts'
import { firstChangeOf, readDocumentLines, shardDocumentId, type SyncDocument } from '../../core/sync/index.ts'
import { makePool, member } from '../../core/sync/test/poolFixture.ts'
import { DiskStorageAdapter, guardEmptySaves, startRelay, type Relay } from '../index.ts'
import { parseRelayFlags } from '../command.ts'
import { USAGE } from '../../cli/main.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { connectClient, ids, waitFor, type TestClient } from './clients.ts'
import { sleep } from './rawClient.ts'
import { poolNaming, checkpointsBy, witnessedBy } from './witnessFixture.ts'

const { dirs, clients } = cleanUpAfterAll()
const relays: Relay[] = []
// After hooks run last-registered first: in-process relays close before cleanUpAfterAll removes their folders.
afterAll(async () => {
  for (const relay of relays) await relay.close()
})

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heroes-eviction-'))
  dirs.push(dir)
  return dir
}

/** Every file under `dir` with its bytes, by path relative to `dir`. */
function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.set(path.slice(dir.length), readFileSync(path))
    }
  }
  walk(dir)
  return files
}

/** Bytes of a document's snapshot and incremental chunks on disk. */
function chunkBytes(dir: string, documentId: DocumentId): { snapshot: number; incremental: number } {
  const root = join(dir, 'automerge', documentId.slice(0, 2), documentId.slice(2))
  const sum = (kind: string): number => {
    try {
      return readdirSync(join(root, kind)).filter((name) => !name.endsWith('.tmp')).reduce((total, name) => total + statSync(join(root, kind, name)).size, 0)
    } catch {
      return 0
    }
  }
  return { snapshot: sum('snapshot'), incremental: sum('incremental') }
}

/** What a document holds on disk, read straight from its chunk files (not through any Repo). */
function storedDocument(dir: string, documentId: DocumentId): Automerge.Doc<SyncDocument> | undefined {
  const root = join(dir, 'automerge', documentId.slice(0, 2), documentId.slice(2))
  const chunks: Buffer[] = []
  for (const kind of ['snapshot', 'incremental']) {
    let names: string[]
    try {
      names = readdirSync(join(root, kind))
    } catch {
      continue
    }
    for (const name of names.sort()) if (!name.endsWith('.tmp')) chunks.push(readFileSync(join(root, kind, name)))
  }
  return chunks.length === 0 ? undefined : Automerge.load<SyncDocument>(Buffer.concat(chunks))
}

async function relayOn(dir: string, options: Parameters<typeof startRelay>[0] extends infer O ? Partial<O> : never = {}): Promise<Relay> {
  const relay = await startRelay({ port: 0, dataDir: dir, ...options })
  relays.push(relay)
  return relay
}

/** Documents the relay holds in memory with content (a document nobody has yet stays as a small 'unavailable' handle). */
function readyDocuments(relay: Relay): number {
  return Object.values(relay.repo.handles).filter((handle) => handle.isReady()).length
}

async function client(relay: Relay, entries: Entry[], pool: string): Promise<TestClient> {
  const connected = await connectClient(relay.syncUrl, pool as never, entries)
  clients.push(connected)
  return connected
}

describe('heroes relay --memory-budget-mb', () => {
  it('defaults to 512, takes a whole number of MiB from 128, and refuses anything else with the range', () => {
    expect(parseRelayFlags([]).memoryBudgetMb).toBe(512)
    expect(parseRelayFlags(['--memory-budget-mb', '128']).memoryBudgetMb).toBe(128)
    expect(parseRelayFlags(['--memory-budget-mb', '4096']).memoryBudgetMb).toBe(4096)
    expect(() => parseRelayFlags(['--memory-budget-mb', '127'])).toThrow('expected --memory-budget-mb from 128 to 1048576, got 127')
    expect(() => parseRelayFlags(['--memory-budget-mb', '1.5'])).toThrow('expected --memory-budget-mb a whole number, got "1.5"')
    expect(USAGE).toContain('[--memory-budget-mb N]')
  })
})

describe('upstream automerge-repo #435 and the guard against it', () => {
  async function storeOneDocument(dir: string, guarded: boolean): Promise<{ repo: Repo; documentId: DocumentId; before: Map<string, Buffer> }> {
    const repo = new Repo({ storage: new DiskStorageAdapter(dir), peerId: `evict-${guarded}` as PeerId, saveDebounceRate: 10 })
    if (guarded) guardEmptySaves(repo)
    const documentId = shardDocumentId('p'.repeat(64) as never, 'a'.repeat(64) as never, 0)
    const handle = repo.import<SyncDocument>(firstChangeOf(documentId), { docId: documentId })
    handle.change((doc) => {
      doc.entries['x'] = new Automerge.ImmutableString('a line that must survive')
    })
    await repo.flush([documentId])
    await sleep(100)
    return { repo, documentId, before: filesUnder(dir) }
  }

  it('a bare Repo: removeFromCache overwrites the stored document with an empty one (the bug, still upstream in 2.5.6)', async () => {
    const dir = dataDir()
    const { repo, documentId, before } = await storeOneDocument(dir, false)
    await repo.removeFromCache(documentId)
    await sleep(300)
    expect(filesUnder(dir)).not.toEqual(before)
    const stored = new Repo({ storage: new DiskStorageAdapter(dir), peerId: 'evict-reader' as PeerId })
    const found = await stored.find<SyncDocument>(documentId, { allowableStates: ['ready', 'unavailable'] }).catch(() => undefined)
    expect(found?.isReady() ? readDocumentLines(found.doc(), 10).lines : []).toEqual([])
    await stored.shutdown()
  })

  it('with guardEmptySaves: removeFromCache leaves every stored byte as it was, and the document loads again whole', async () => {
    const dir = dataDir()
    const { repo, documentId, before } = await storeOneDocument(dir, true)
    await repo.removeFromCache(documentId)
    await sleep(300)
    expect(filesUnder(dir)).toEqual(before)
    const again = await repo.find<SyncDocument>(documentId)
    expect(readDocumentLines(again.doc(), 10).lines).toEqual([['x', 'a line that must survive']])
    await repo.shutdown()
  })
})

describe('a relay that evicts documents', () => {
  it('evicts and reloads documents while writes arrive, and stores exactly what the writer wrote', async () => {
    const dir = dataDir()
    // Eviction by hand below, as fast as it can go; the sweep would wait for idle documents.
    const relay = await relayOn(dir, { eviction: { sweepIntervalMs: 3_600_000 } })
    const fixture = makePool(3)
    const writer = await client(relay, [], fixture.pool)
    await writer.sync.publish(fixture.entries)
    let writing = true
    let evicted = 0
    const evictor = (async () => {
      while (writing) {
        for (const documentId of Object.keys(relay.repo.handles) as DocumentId[]) {
          if (await relay.eviction.evict(documentId)) evicted++
        }
        await sleep(5)
      }
    })()
    for (let i = 0; i < 150; i++) {
      const from = fixture.members[i % 3]!
      await writer.sync.publish([fixture.transfer(from, fixture.members[(i + 1) % 3]!, 1)])
      await sleep(i % 10 === 0 ? 120 : 8)
    }
    // Until the relay holds what the writer holds in every document (each loaded again from disk, if evicted).
    const homes = writer.sync.homeDocuments()
    await waitFor(async () => {
      for (const documentId of homes) {
        const mine = writer.repo.handles[documentId]!
        const theirs = await relay.repo.find<SyncDocument>(documentId)
        if (Automerge.getHeads(theirs.doc()).join() !== Automerge.getHeads(mine.doc() as Automerge.Doc<unknown>).join()) return false
      }
      return true
    }, 20_000, 'the relay to hold every change the writer made')
    writing = false
    await evictor
    expect(evicted).toBeGreaterThan(20)
    // Then the gatekeeper's shard grows by one small save at a time until its increments on disk outweigh its
    // snapshot: the state in which upstream's unload (#435) compacts the emptied document over the real one and
    // deletes the real chunks. The evictions below then happen in exactly that state.
    const gatekeeperShard = shardDocumentId(fixture.pool, fixture.gatekeeper.publicKey, 0)
    for (let i = 0; i < 200; i++) {
      const admit = fixture.next<AdmitEntry>(fixture.gatekeeper, { type: 'admit', member: member().publicKey })
      await writer.sync.publish([admit])
      await waitFor(() => (storedDocument(dir, gatekeeperShard)?.entries[admit.id] !== undefined), 10_000, 'the admit on the relay\'s disk')
      const { snapshot, incremental } = chunkBytes(dir, gatekeeperShard)
      if (incremental > snapshot) break
    }
    expect(chunkBytes(dir, gatekeeperShard).incremental).toBeGreaterThan(chunkBytes(dir, gatekeeperShard).snapshot)
    await waitFor(async () => {
      for (const documentId of homes) {
        const mine = writer.repo.handles[documentId]!
        const theirs = await relay.repo.find<SyncDocument>(documentId)
        if (Automerge.getHeads(theirs.doc()).join() !== Automerge.getHeads(mine.doc() as Automerge.Doc<unknown>).join()) return false
      }
      return true
    }, 20_000, 'the relay to hold the last changes')
    // The writer leaves (nobody could mend a wiped document any more), and everything is evicted once more.
    const writerHeads = new Map(homes.map((documentId) => [documentId, Automerge.getHeads(writer.repo.handles[documentId]!.doc() as Automerge.Doc<unknown>).sort()]))
    await writer.close()
    for (const documentId of Object.keys(relay.repo.handles) as DocumentId[]) if (await relay.eviction.evict(documentId)) evicted++
    expect(relay.eviction.evictions()).toBe(evicted)
    await sleep(300)
    await relay.close()
    // Straight from the files: every line byte for byte, the same heads as the writer's documents.
    const expected = new Map(fixture.entries.map((entry) => [entry.id as string, encodeEntry(entry)]))
    const found = new Map<string, string>()
    for (const documentId of homes) {
      const stored = storedDocument(dir, documentId)
      expect(stored, `document ${documentId} on disk`).toBeDefined()
      expect(Automerge.getHeads(stored!).sort()).toEqual(writerHeads.get(documentId))
      for (const [key, line] of readDocumentLines(stored!, 4096).lines) found.set(key, line)
    }
    expect(found).toEqual(expected)
  }, 60_000)

  it('under a small budget, lets idle documents go, serves them again from disk, and stays usable for their followers', async () => {
    const dir = dataDir()
    // 1 KiB: every idle document is over budget.
    const relay = await relayOn(dir, { memoryBudgetMb: 1 / 1024, eviction: { idleMsMin: 200, sweepIntervalMs: 50 } })
    const fixture = makePool(4)
    for (let i = 0; i < 40; i++) fixture.transfer(fixture.members[i % 4]!, fixture.members[(i + 1) % 4]!, 1)
    const writer = await client(relay, [], fixture.pool)
    const reader = await client(relay, [fixture.genesis], fixture.pool)
    await writer.sync.publish(fixture.entries)
    await waitFor(async () => (await reader.store.all()).length === fixture.entries.length, 15_000, 'the reader to get the pool')
    await waitFor(() => readyDocuments(relay) === 0, 10_000, 'every idle document to leave memory')
    const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text()
    expect(metrics).toMatch(/^heroes_relay_memory_budget_bytes 1024$/m)
    expect(Number(/^heroes_relay_evictions_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThanOrEqual(5)
    // A follower still connected gets a new entry written into an evicted document.
    const late = fixture.transfer(fixture.members[0]!, fixture.members[1]!, 7)
    await writer.sync.publish([late])
    await waitFor(async () => (await reader.store.has(late.id)), 10_000, 'the connected reader to get an entry written into an evicted document')
    // A newcomer gets the whole pool, loaded from disk.
    await waitFor(() => readyDocuments(relay) === 0, 10_000, 'the documents to leave memory again')
    const newcomer = await client(relay, [fixture.genesis], fixture.pool)
    await waitFor(async () => (await newcomer.store.all()).length === fixture.entries.length, 15_000, 'a newcomer to get the whole pool from disk')
    expect(ids(await newcomer.store.all())).toEqual(ids(fixture.entries))
  }, 60_000)

  it('keeps witnessing a pool that names it while it evicts everything else', async () => {
    const dir = dataDir()
    const secretKey = generateSecretKey()
    const witnessKey = publicKeyOf(secretKey)
    const relay = await relayOn(dir, { memoryBudgetMb: 1 / 1024, eviction: { idleMsMin: 100, sweepIntervalMs: 50 }, witness: { secretKey, checkpointIntervalMs: 300 } })
    const witnessed = poolNaming([witnessKey], 2)
    const other = makePool(2)
    const device = await client(relay, [], witnessed.pool)
    const bystander = await client(relay, [], other.pool)
    await device.sync.publish(witnessed.entries)
    await bystander.sync.publish(other.entries)
    for (let round = 0; round < 3; round++) {
      const payment = witnessed.transfer(witnessed.members[round % 2]!, witnessed.members[(round + 1) % 2]!, 1)
      await device.sync.publish([payment])
      await waitFor(async () => {
        const held = await device.store.all()
        const by = witnessedBy(witnessed.pool, held, payment.id)
        return by !== undefined && checkpointsBy(held, witnessKey).some((checkpoint) => checkpoint.id === by)
      }, 30_000, `a checkpoint covering payment ${round + 1}`)
      // Meanwhile the other pool's documents come and go.
      await bystander.sync.publish([other.transfer(other.members[0]!, other.members[1]!, 1)])
      await sleep(400)
    }
    expect(relay.eviction.evictions()).toBeGreaterThan(0)
    for (const documentId of Object.keys(relay.repo.handles) as DocumentId[]) {
      if (!relay.witness!.holds(documentId)) continue
      expect(relay.repo.handles[documentId]!.isReady() || relay.repo.handles[documentId]!.state === 'unavailable').toBe(true)
    }
    expect(checkpointsBy(await device.store.all(), witnessKey).length).toBeGreaterThanOrEqual(3)
  }, 60_000)
})
