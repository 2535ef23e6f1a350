/**
 * kill -9 in the middle of a sync loses nothing that had reached another
 * client, and SIGTERM flushes and exits cleanly.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Entry } from '../../core/index.ts'
import { makePool } from '../../core/sync/test/poolFixture.ts'
import { connectClient, ids, waitFor } from './clients.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { spawnRelay } from './relayProcess.ts'
import { sleep } from './rawClient.ts'

const { dirs, processes, clients } = cleanUpAfterAll()

describe('a relay killed with SIGKILL mid-sync', () => {
  it('still serves, after a restart on the same folder, every entry another client had received', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heroes-durability-'))
    dirs.push(dataDir)
    const first = await spawnRelay(['--port', '0', '--data-dir', dataDir])
    processes.push(first)
    const fixture = makePool(4)
    const gate = await connectClient(first.syncUrl, fixture.pool)
    const bob = await connectClient(first.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(gate, bob)
    await gate.sync.publish(fixture.entries)
    // Payments keep flowing while the relay dies.
    let writing = true
    const writer = (async () => {
      for (let i = 0; writing && i < 400; i++) {
        const batch: Entry[] = []
        for (let j = 0; j < 3; j++) batch.push(fixture.transfer(fixture.members[(i + j) % 4]!, fixture.members[(i + j + 1) % 4]!, 1))
        await gate.sync.publish(batch)
        await sleep(10)
      }
    })()
    await waitFor(async () => (await bob.store.all()).length > 120, 20_000, 'bob to receive a good part of the pool')
    await first.kill('SIGKILL')
    const seenByBob = ids(await bob.store.all())
    writing = false
    await writer
    await gate.close()
    await bob.close()

    const second = await spawnRelay(['--port', String(first.port), '--data-dir', dataDir])
    processes.push(second)
    const carol = await connectClient(second.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(carol)
    const started = performance.now()
    await waitFor(async () => {
      const held = new Set(ids(await carol.store.all()))
      return seenByBob.every((id) => held.has(id))
    }, 20_000, `carol to fetch all ${seenByBob.length} entries bob had seen`)
    console.info(`restart: relay up in ${second.startMs.toFixed(0)} ms; carol had bob's ${seenByBob.length} entries after ${(performance.now() - started).toFixed(0)} ms`)
    await second.kill('SIGKILL')
  }, 60_000)

  it('flushes on SIGTERM and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heroes-sigterm-'))
    dirs.push(dataDir)
    const relay = await spawnRelay(['--port', '0', '--data-dir', dataDir])
    processes.push(relay)
    const fixture = makePool(2)
    const gate = await connectClient(relay.syncUrl, fixture.pool)
    clients.push(gate)
    await gate.sync.publish(fixture.entries)
    await gate.sync.settled()
    await sleep(300)
    expect(await relay.kill('SIGTERM')).toBe(0)
    expect(relay.stderr()).toContain('"event":"relay-stopped"')
    const again = await spawnRelay(['--port', '0', '--data-dir', dataDir])
    processes.push(again)
    const carol = await connectClient(again.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(carol)
    await waitFor(async () => (await carol.store.all()).length === fixture.entries.length, 15_000, 'carol to fetch the pool after a clean restart')
  }, 40_000)
})
