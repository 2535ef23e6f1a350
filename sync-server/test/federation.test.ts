/**
 * Two relays peered with each other converge, a pool survives the loss of one,
 * and the survivor still stops cleanly.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makePool } from '../../core/sync/test/poolFixture.ts'
import { connectClient, ids, waitFor } from './clients.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { freePort, spawnRelay } from './relayProcess.ts'

const { dirs, processes, clients } = cleanUpAfterAll()

describe('two peered relays', () => {
  it('converge, and the survivor keeps serving when one dies', async () => {
    const [portA, portB] = [await freePort(), await freePort()]
    const dirA = mkdtempSync(join(tmpdir(), 'heroes-fed-a-'))
    const dirB = mkdtempSync(join(tmpdir(), 'heroes-fed-b-'))
    dirs.push(dirA, dirB)
    const a = await spawnRelay(['--port', String(portA), '--data-dir', dirA, '--peer', `ws://127.0.0.1:${portB}/sync`])
    const b = await spawnRelay(['--port', String(portB), '--data-dir', dirB, '--peer', `ws://127.0.0.1:${portA}/sync`])
    processes.push(a, b)

    const fixture = makePool(3)
    const [alice, bob, carol] = fixture.members as [typeof fixture.members[0], typeof fixture.members[0], typeof fixture.members[0]]
    const onA = await connectClient(a.syncUrl, fixture.pool)
    clients.push(onA)
    await onA.sync.publish(fixture.entries)
    const onB = await connectClient(b.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(onB)
    await waitFor(async () => (await onB.store.all()).length === fixture.entries.length, 20_000, 'a client of relay B to fetch what was published on A')
    await onB.sync.publish([fixture.transfer(alice, bob, 5)])
    await waitFor(async () => (await onA.store.all()).length === fixture.entries.length, 20_000, 'a client of relay A to get what was published on B')

    await a.kill('SIGKILL')
    await onB.sync.publish([fixture.transfer(bob, carol, 2)])
    const late = await connectClient(b.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(late)
    await waitFor(async () => ids(await late.store.all()).join() === ids(fixture.entries).join(), 20_000, 'a newcomer on B to fetch the whole pool after A died')
    expect(b.child.exitCode).toBeNull()
    const health = await fetch(`${b.httpUrl}/healthz`)
    expect(health.status).toBe(200)
    // Its peer is gone and it keeps dialling it; SIGTERM still ends it (upstream's scheduled reconnect
    // used to outlive the Repo's shutdown: core/sync/clientAdapter.ts).
    const exit = await Promise.race([b.kill('SIGTERM'), new Promise((resolve) => setTimeout(() => resolve('still running 15 s after SIGTERM'), 15_000))])
    expect(exit).toBe(0)
  }, 90_000)
})
