/**
 * `heroes relay --storage postgres://…` against a real PostgreSQL (started
 * here with initdb on a loopback port; see postgres.ts): the adapter keeps
 * what it is given, shares documents and keeps per-relay rows apart; two
 * relays on one database serve each other's clients; two relays compacting
 * one document at once lose nothing; a relay killed mid-sync loses nothing
 * that another relay had acknowledged.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Automerge from '@automerge/automerge'
import type { StorageKey } from '@automerge/automerge-repo'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makePool } from '../../core/sync/test/poolFixture.ts'
import { PostgresStorageAdapter, CHUNKS_TABLE } from '../postgresStorage.ts'
import { startRelay } from '../relay.ts'
import { parseRelayFlags } from '../command.ts'
import { connectClient, ids, waitFor } from './clients.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { startPostgres, type TestPostgres } from './postgres.ts'
import { freePort, spawnRelay } from './relayProcess.ts'

const { dirs, processes, clients } = cleanUpAfterAll()
let postgres: TestPostgres
let databases = 0
/** A fresh empty database per test, so tests never see each other's rows. */
const freshDatabase = (): Promise<string> => postgres.createDatabase(`t${++databases}`)

beforeAll(async () => {
  postgres = await startPostgres()
}, 60_000)
afterAll(async () => {
  await postgres?.stop()
})

async function rowKeys(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ key: string }>(`SELECT key FROM ${CHUNKS_TABLE} ORDER BY key`)).rows.map((row) => row.key)
  } finally {
    await client.end()
  }
}

/** A document saved as three incremental chunks, as automerge-repo writes them. */
function threeChunks(): { chunks: Uint8Array[]; doc: Automerge.Doc<{ n: Record<string, number> }> } {
  let doc = Automerge.from<{ n: Record<string, number> }>({ n: {} })
  const chunks = [Automerge.save(doc)]
  for (let i = 1; i < 3; i++) {
    const before = Automerge.getHeads(doc)
    doc = Automerge.change(doc, (d) => {
      d.n[`k${i}`] = i
    })
    chunks.push(Automerge.saveSince(doc, before))
  }
  return { chunks, doc }
}

describe('PostgresStorageAdapter', () => {
  it('keeps, lists and removes what it is given; a prefix is a prefix of whole segments', async () => {
    const url = await freshDatabase()
    const storage = new PostgresStorageAdapter(url, 'node-a')
    await storage.init()
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
    await storage.save(['doc1', 'incremental', 'h1'], bytes('one'))
    await storage.save(['doc1', 'incremental', 'h2'], bytes('two'))
    await storage.save(['doc10', 'incremental', 'h1'], bytes('other document'))
    expect(new TextDecoder().decode(await storage.load(['doc1', 'incremental', 'h1']))).toBe('one')
    expect(await storage.load(['doc1', 'incremental', 'missing'])).toBeUndefined()
    const listed = await storage.loadRange(['doc1', 'incremental'])
    expect(listed.map((chunk) => chunk.key)).toEqual([['doc1', 'incremental', 'h1'], ['doc1', 'incremental', 'h2']])
    // "doc1" is not a prefix of "doc10": whole segments only.
    expect((await storage.loadRange(['doc1'])).map((chunk) => chunk.key.join('/'))).toEqual(['doc1/incremental/h1', 'doc1/incremental/h2'])
    expect(storage.documentBytes('doc1' as never)).toBe(6)
    await storage.remove(['doc1', 'incremental', 'h1'])
    expect(await storage.load(['doc1', 'incremental', 'h1'])).toBeUndefined()
    await storage.removeRange(['doc1'])
    expect(await storage.loadRange(['doc1'])).toEqual([])
    expect((await storage.loadRange(['doc10'])).length).toBe(1)
    await expect(storage.save(['doc1', 'a/b'], bytes('x'))).rejects.toThrow(/without "\/"/)
    await expect(storage.load([] as unknown as StorageKey)).rejects.toThrow(/non-empty segments/)
    await storage.close()
    // What it counted survives a restart (counted again from the table).
    const again = new PostgresStorageAdapter(url, 'node-a')
    await again.init()
    expect(again.documentBytes('doc10' as never)).toBe(14)
    await again.close()
  }, 30_000)

  it("shares documents between relays, and keeps each relay's storage id and sync states its own", async () => {
    const url = await freshDatabase()
    const a = new PostgresStorageAdapter(url, 'node-a')
    const b = new PostgresStorageAdapter(url, 'node-b')
    await a.init()
    await b.init()
    await a.save(['storage-adapter-id'], new TextEncoder().encode('id-of-a'))
    await b.save(['storage-adapter-id'], new TextEncoder().encode('id-of-b'))
    await a.save(['doc', 'sync-state', 'peer1'], new Uint8Array([1]))
    await b.save(['doc', 'sync-state', 'peer1'], new Uint8Array([2]))
    await a.save(['doc', 'incremental', 'h'], new Uint8Array([9, 9]))
    expect(new TextDecoder().decode(await a.load(['storage-adapter-id']))).toBe('id-of-a')
    expect(new TextDecoder().decode(await b.load(['storage-adapter-id']))).toBe('id-of-b')
    expect(await a.load(['doc', 'sync-state', 'peer1'])).toEqual(new Uint8Array([1]))
    expect(await b.load(['doc', 'sync-state', 'peer1'])).toEqual(new Uint8Array([2]))
    expect(await b.load(['doc', 'incremental', 'h'])).toEqual(new Uint8Array([9, 9]))
    expect((await b.loadRange(['doc', 'sync-state'])).map((chunk) => chunk.key)).toEqual([['doc', 'sync-state', 'peer1']])
    await a.close()
    await b.close()
  }, 30_000)

  it('compacts a document on load in one transaction, and two relays compacting at once while a third writes lose nothing', async () => {
    const url = await freshDatabase()
    const writer = new PostgresStorageAdapter(url, 'writer')
    const a = new PostgresStorageAdapter(url, 'node-a')
    const b = new PostgresStorageAdapter(url, 'node-b')
    for (const storage of [writer, a, b]) await storage.init()
    const first = threeChunks()
    const chunks = first.chunks
    let doc = first.doc
    for (const [i, chunk] of chunks.entries()) await writer.save(['doc', 'incremental', `c${i}`], chunk)
    // Both load at once while the writer adds more changes, as three relays on one database would.
    const more: Promise<void>[] = []
    for (let i = 3; i < 13; i++) {
      const before = Automerge.getHeads(doc)
      doc = Automerge.change(doc, (d) => {
        d.n[`k${i}`] = i
      })
      more.push(writer.save(['doc', 'incremental', `c${i}`], Automerge.saveSince(doc, before)))
    }
    const loads = await Promise.all([a.loadRange(['doc', 'snapshot']), b.loadRange(['doc', 'snapshot']), ...more])
    for (const loaded of loads.slice(0, 2) as Array<Array<{ data?: Uint8Array }>>) {
      expect(loaded.length).toBe(1)
      expect(Object.keys(Automerge.load<{ n: Record<string, number> }>(loaded[0]!.data!).n).length).toBeGreaterThanOrEqual(2)
    }
    expect(a.compactions + b.compactions).toBeGreaterThan(0)
    // Whatever the interleaving, every change is still in the table.
    const fresh = new PostgresStorageAdapter(url, 'reader')
    await fresh.init()
    const all = [...(await fresh.loadRange(['doc', 'snapshot']))]
    const merged = Automerge.load<{ n: Record<string, number> }>(Buffer.concat(all.map((chunk) => chunk.data!)))
    expect(merged.n).toEqual(doc.n)
    expect((await rowKeys(url)).filter((key) => key.startsWith('doc/')).length).toBe(1)
    for (const storage of [writer, a, b, fresh]) await storage.close()
  }, 30_000)

  it('says what it expected when the database is not there', async () => {
    const port = await freePort()
    const relay = startRelay({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'heroes-pg-down-')), storage: `postgres://heroes@127.0.0.1:${port}/nowhere` })
    await expect(relay).rejects.toThrow(/expected the relay's storage postgres:\/\/127\.0\.0\.1:\d+\/nowhere to open, got .*ECONNREFUSED/)
  }, 30_000)

  it('--storage takes a postgres:// URL and nothing else, and never echoes a password', () => {
    expect(parseRelayFlags(['--storage', 'postgres://heroes@127.0.0.1:5432/relay']).storage).toBe('postgres://heroes@127.0.0.1:5432/relay')
    expect(parseRelayFlags([]).storage).toBeUndefined()
    expect(() => parseRelayFlags(['--storage', 'mysql://root:hunter2@db/x'])).toThrow(/expected --storage a PostgreSQL URL .*got "mysql:\/\/…@db\/x"/)
    expect(() => parseRelayFlags(['--storage', 'mysql://root:hunter2@db/x'])).not.toThrow(/hunter2/)
  })
})

describe('relays on one database', () => {
  it('serve each other’s clients, and a relay started later on the database has everything', async () => {
    const url = await freshDatabase()
    const [portA, portB] = [await freePort(), await freePort()]
    const dirA = mkdtempSync(join(tmpdir(), 'heroes-pg-a-'))
    const dirB = mkdtempSync(join(tmpdir(), 'heroes-pg-b-'))
    dirs.push(dirA, dirB)
    const a = await spawnRelay(['--port', String(portA), '--data-dir', dirA, '--storage', url, '--peer', `ws://127.0.0.1:${portB}/sync`])
    const b = await spawnRelay(['--port', String(portB), '--data-dir', dirB, '--storage', url, '--peer', `ws://127.0.0.1:${portA}/sync`])
    processes.push(a, b)
    expect(a.stderr()).toMatch(/"storage":"postgres:\/\/127\.0\.0\.1:\d+\/t\d+"/)

    const fixture = makePool(3)
    const [alice, bob] = fixture.members as [typeof fixture.members[0], typeof fixture.members[0]]
    const onA = await connectClient(a.syncUrl, fixture.pool)
    clients.push(onA)
    await onA.sync.publish(fixture.entries)
    const onB = await connectClient(b.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(onB)
    await waitFor(async () => (await onB.store.all()).length === fixture.entries.length, 30_000, 'a client of relay B to fetch what was published on A')
    await onB.sync.publish([fixture.transfer(alice, bob, 5)])
    await waitFor(async () => (await onA.store.all()).length === fixture.entries.length, 30_000, 'a client of relay A to get what was published on B')

    // Both stop; a third relay on the same database, with no peer and an empty folder of its own, serves it all.
    expect(await a.kill('SIGTERM')).toBe(0)
    expect(await b.kill('SIGTERM')).toBe(0)
    const dirC = mkdtempSync(join(tmpdir(), 'heroes-pg-c-'))
    dirs.push(dirC)
    const c = await spawnRelay(['--port', '0', '--data-dir', dirC, '--storage', url])
    processes.push(c)
    const late = await connectClient(c.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(late)
    await waitFor(async () => ids(await late.store.all()).join() === ids(fixture.entries).join(), 30_000, 'a newcomer on relay C to fetch the whole pool from the database')
  }, 120_000)

  it('lose nothing another relay acknowledged when one is killed mid-sync', async () => {
    const url = await freshDatabase()
    const [portA, portB] = [await freePort(), await freePort()]
    const dirA = mkdtempSync(join(tmpdir(), 'heroes-pg-ka-'))
    const dirB = mkdtempSync(join(tmpdir(), 'heroes-pg-kb-'))
    dirs.push(dirA, dirB)
    const a = await spawnRelay(['--port', String(portA), '--data-dir', dirA, '--storage', url, '--peer', `ws://127.0.0.1:${portB}/sync`])
    const b = await spawnRelay(['--port', String(portB), '--data-dir', dirB, '--storage', url, '--peer', `ws://127.0.0.1:${portA}/sync`])
    processes.push(a, b)

    const fixture = makePool(4)
    const members = fixture.members
    const onA = await connectClient(a.syncUrl, fixture.pool)
    clients.push(onA)
    const onB = await connectClient(b.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(onB)
    await onA.sync.publish(fixture.entries)
    await waitFor(async () => (await onB.store.all()).length === fixture.entries.length, 30_000, 'relay B to pass on the pool')
    const before = fixture.entries.length
    // Payments keep coming on A; A dies in the middle of them.
    for (let i = 0; i < 30; i++) {
      await onA.sync.publish([fixture.transfer(members[i % 4]!, members[(i + 1) % 4]!, 1 + i)])
      if (i === 15) await a.kill('SIGKILL')
    }
    // What B's client holds came through B, which forwards a change only once it is in the database.
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const seenOnB = ids(await onB.store.all())
    expect(seenOnB.length).toBeGreaterThanOrEqual(before)
    expect(await b.kill('SIGKILL')).toBeNull()
    const dirC = mkdtempSync(join(tmpdir(), 'heroes-pg-kc-'))
    dirs.push(dirC)
    const c = await spawnRelay(['--port', '0', '--data-dir', dirC, '--storage', url])
    processes.push(c)
    const late = await connectClient(c.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(late)
    await waitFor(async () => {
      const have = new Set(ids(await late.store.all()))
      return seenOnB.every((id) => have.has(id))
    }, 30_000, 'every entry a client of B saw to be in the database after both relays died')
  }, 120_000)
})
