/**
 * Every relay limit triggers just past its value and not at it, and cuts off
 * only the client that broke it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CLOSE_CODES, ConnectionGuard, DEFAULT_RELAY_LIMITS, startRelay, type Relay, type RelayLimits } from '../index.ts'
import { joinOfExactly, openRawClient, randomDocumentId, sleep, syncMessageWithChange } from './rawClient.ts'

const relays: Relay[] = []
const dirs: string[] = []
async function relayWith(limits: Partial<RelayLimits>): Promise<Relay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heroes-limits-'))
  dirs.push(dataDir)
  const relay = await startRelay({ port: 0, dataDir, limits })
  relays.push(relay)
  return relay
}
afterAll(async () => {
  for (const relay of relays) await relay.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A client that keeps to every limit, to show it is not disturbed. */
async function bystanderStillServed(relay: Relay): Promise<void> {
  const client = await openRawClient(relay.syncUrl)
  expect(await client.join()).toMatch(/^relay-/)
  client.socket.close()
}

describe('frame bytes (ws maxPayload)', () => {
  it('accepts a frame of exactly the limit and cuts one byte more with 1009', async () => {
    const relay = await relayWith({ frameBytesMax: 4096 })
    const atLimit = await openRawClient(relay.syncUrl)
    atLimit.sendBytes(joinOfExactly(atLimit.senderId, 4096))
    await expect(atLimit.peer()).resolves.toMatch(/^relay-/)
    const past = await openRawClient(relay.syncUrl)
    past.sendBytes(joinOfExactly(past.senderId, 4097))
    expect((await past.closed).code).toBe(CLOSE_CODES.frameTooLarge)
    expect(atLimit.isOpen()).toBe(true)
    await bystanderStillServed(relay)
  })
})

describe('messages per second per connection', () => {
  it('allows exactly the limit within a second and cuts the next one', async () => {
    const relay = await relayWith({ messagesPerSecondMax: 10 })
    const client = await openRawClient(relay.syncUrl)
    const relayId = await client.join()
    const documentId = await randomDocumentId()
    for (let i = 0; i < 9; i++) client.send({ type: 'doc-unavailable', senderId: client.senderId, targetId: relayId, documentId })
    await sleep(150)
    expect(client.isOpen()).toBe(true)
    client.send({ type: 'doc-unavailable', senderId: client.senderId, targetId: relayId, documentId })
    const closed = await client.closed
    expect(closed.code).toBe(CLOSE_CODES.messagesPerSecond)
    expect(closed.reason).toContain('at most 10 messages per second')
    await bystanderStillServed(relay)
  })
  it('counts a sliding second exactly (unit)', () => {
    const guard = new ConnectionGuard({ ...DEFAULT_RELAY_LIMITS, messagesPerSecondMax: 3 }, { documentBytes: () => 0, totalBytes: () => 0 })
    const garbage = new Uint8Array([0xff])
    // Three in the window are judged on their content (malformed here), the fourth on the rate.
    expect(guard.admit(garbage, 0)).toMatchObject({ reason: 'malformedMessage' })
    expect(guard.admit(garbage, 1)).toMatchObject({ reason: 'malformedMessage' })
    expect(guard.admit(garbage, 999)).toMatchObject({ reason: 'malformedMessage' })
    expect(guard.admit(garbage, 999.5)).toMatchObject({ reason: 'messagesPerSecond' })
    expect(guard.admit(garbage, 1000)).toMatchObject({ reason: 'malformedMessage' })
  })
})

describe('documents per connection', () => {
  it('allows exactly the limit of distinct documents and cuts the next', async () => {
    const relay = await relayWith({ documentsPerConnectionMax: 3 })
    const client = await openRawClient(relay.syncUrl)
    const relayId = await client.join()
    const documents = await Promise.all([0, 1, 2, 3].map(() => randomDocumentId()))
    for (const documentId of documents.slice(0, 3)) client.send({ type: 'doc-unavailable', senderId: client.senderId, targetId: relayId, documentId })
    // The same documents again cost nothing more.
    client.send({ type: 'doc-unavailable', senderId: client.senderId, targetId: relayId, documentId: documents[0] })
    await sleep(150)
    expect(client.isOpen()).toBe(true)
    client.send({ type: 'doc-unavailable', senderId: client.senderId, targetId: relayId, documentId: documents[3] })
    const closed = await client.closed
    expect(closed.code).toBe(CLOSE_CODES.documentsPerConnection)
    await bystanderStillServed(relay)
  })
})

describe('document bytes', () => {
  it('accepts a change that brings a document to exactly the limit and cuts one byte past it', async () => {
    const data = syncMessageWithChange(2000)
    const size = data.byteLength
    const atLimit = await relayWith({ documentBytesMax: size })
    const past = await relayWith({ documentBytesMax: size - 1 })
    const documentId = await randomDocumentId()
    for (const [relay, expectOpen] of [[atLimit, true], [past, false]] as const) {
      const client = await openRawClient(relay.syncUrl)
      const relayId = await client.join()
      client.send({ type: 'sync', senderId: client.senderId, targetId: relayId, documentId, data })
      if (expectOpen) {
        await sleep(200)
        expect(client.isOpen()).toBe(true)
      } else {
        expect((await client.closed).code).toBe(CLOSE_CODES.documentBytes)
      }
      await bystanderStillServed(relay)
    }
  })
})

describe('disk quota', () => {
  it('accepts changes up to exactly the quota and cuts one byte past it', async () => {
    const data = syncMessageWithChange(2000)
    const size = data.byteLength
    const atLimit = await relayWith({ diskBytesMax: size })
    const past = await relayWith({ diskBytesMax: size - 1 })
    for (const [relay, expectOpen] of [[atLimit, true], [past, false]] as const) {
      const client = await openRawClient(relay.syncUrl)
      const relayId = await client.join()
      client.send({ type: 'sync', senderId: client.senderId, targetId: relayId, documentId: await randomDocumentId(), data })
      if (expectOpen) {
        await sleep(200)
        expect(client.isOpen()).toBe(true)
      } else {
        const closed = await client.closed
        expect(closed.code).toBe(CLOSE_CODES.diskFull)
        expect(closed.reason).toContain(`at most ${size - 1} bytes`)
      }
      await bystanderStillServed(relay)
    }
  })
})

describe('connections', () => {
  it('serves exactly the limit of connections and refuses the next at the upgrade', async () => {
    const relay = await relayWith({ connectionsMax: 2 })
    const first = await openRawClient(relay.syncUrl)
    const second = await openRawClient(relay.syncUrl)
    await expect(openRawClient(relay.syncUrl)).rejects.toThrow('HTTP 503')
    expect(first.isOpen() && second.isOpen()).toBe(true)
    first.socket.close()
    await first.closed
    await sleep(50)
    const third = await openRawClient(relay.syncUrl)
    expect(await third.join()).toMatch(/^relay-/)
  })
})
