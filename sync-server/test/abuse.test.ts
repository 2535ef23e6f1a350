/**
 * An oversized frame, random bytes, a flood of messages and a document full of
 * garbage neither crash the relay nor disturb the clients that behave.
 */
import { mkdtempSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import * as Automerge from '@automerge/automerge'
import { Repo } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import { makePool } from '../../core/sync/test/poolFixture.ts'
import { ResilientWebSocketClientAdapter, shardDocumentId, type SyncDocument } from '../../core/sync/index.ts'
import { CLOSE_CODES } from '../index.ts'
import { connectClient, waitFor } from './clients.ts'
import { openRawClient, randomDocumentId, sleep } from './rawClient.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { spawnRelay } from './relayProcess.ts'

const { dirs, processes, clients } = cleanUpAfterAll()

describe('abuse on one connection', () => {
  it('leaves the relay up and every other client served', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heroes-abuse-'))
    dirs.push(dataDir)
    const relay = await spawnRelay(['--port', '0', '--data-dir', dataDir, '--frame-bytes-max', '65536', '--messages-per-second-max', '200'])
    processes.push(relay)
    const fixture = makePool(2)
    const [alice, bob] = fixture.members as [typeof fixture.members[0], typeof fixture.members[0]]
    const gate = await connectClient(relay.syncUrl, fixture.pool)
    const member = await connectClient(relay.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(gate, member)
    await gate.sync.publish(fixture.entries)
    await waitFor(async () => (await member.store.all()).length === fixture.entries.length, 15_000, 'the member to fetch the pool')

    // 1. An oversized frame.
    const big = await openRawClient(relay.syncUrl)
    big.sendBytes(randomBytes(65_537))
    expect((await big.closed).code).toBe(CLOSE_CODES.frameTooLarge)

    // 2. Random bytes: inside a WebSocket, and raw on the TCP port.
    const noise = await openRawClient(relay.syncUrl)
    noise.sendBytes(randomBytes(3000))
    expect((await noise.closed).code).toBe(CLOSE_CODES.malformedMessage)
    await new Promise<void>((resolve) => {
      const socket = connect(relay.port, '127.0.0.1', () => socket.end(randomBytes(5000)))
      socket.on('error', () => resolve())
      socket.on('close', () => resolve())
    })
    const frames = await openRawClient(relay.syncUrl)
    frames.socket.on('error', () => {})
    ;(frames.socket as unknown as { _socket: { write(bytes: Uint8Array): void } })._socket.write(randomBytes(2000))
    await frames.closed

    // 3. A flood of messages.
    const flood = await openRawClient(relay.syncUrl)
    const relayId = await flood.join()
    const documentId = await randomDocumentId()
    for (let i = 0; i < 5000 && flood.isOpen(); i++) flood.send({ type: 'doc-unavailable', senderId: flood.senderId, targetId: relayId, documentId })
    expect((await flood.closed).code).toBe(CLOSE_CODES.messagesPerSecond)

    // 4. Sync messages whose changes are garbage bytes (they decode as sync messages, not as changes).
    const forger = await openRawClient(relay.syncUrl)
    const forgerRelayId = await forger.join()
    const change = Automerge.getAllChanges(Automerge.change(Automerge.init<Record<string, number>>(), (d) => {
      d.a = 1
    }))[0]!
    const flipped = new Uint8Array(change)
    flipped[flipped.length - 3]! ^= 0xff
    for (const changes of [[randomBytes(300)], [flipped], [change.slice(0, 20)]]) {
      const data = Automerge.encodeSyncMessage({ heads: [], need: [], have: [], changes })
      forger.send({ type: 'sync', senderId: forger.senderId, targetId: forgerRelayId, documentId: await randomDocumentId(), data })
    }
    await sleep(300)

    // 5. A document full of garbage, written into the gatekeeper's own shard.
    const vandal = new Repo({ network: [new ResilientWebSocketClientAdapter(relay.syncUrl, 200)] })
    const shard = await vandal.find<SyncDocument>(shardDocumentId(fixture.pool, fixture.gatekeeper.publicKey, 0))
    for (let batch = 0; batch < 5; batch++) {
      shard.change((doc) => {
        for (let i = 0; i < 200; i++) doc.entries[`junk-${batch}-${i}`] = new Automerge.ImmutableString(randomBytes(40).toString('hex'))
      })
    }
    await waitFor(() => gate.sync.stats().ignored.malformed >= 1000, 15_000, 'the gatekeeper to judge the garbage')
    await vandal.shutdown().catch(() => {})

    // The relay is up and the members still pay each other.
    expect(relay.child.exitCode).toBeNull()
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200)
    const payment = fixture.transfer(alice, bob, 9)
    await member.sync.publish([payment])
    await waitFor(() => gate.store.has(payment.id), 10_000, 'the payment to reach the gatekeeper')
    expect((await gate.store.all()).length).toBe(fixture.entries.length)
    const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text()
    expect(metrics).toMatch(/heroes_relay_limit_hits_total\{limit="messagesPerSecond"\} 1/)
    expect(metrics).toMatch(/heroes_relay_refused_frames_total\{reason="too-large"\} 1/)
    await sleep(10)
  }, 60_000)
})
