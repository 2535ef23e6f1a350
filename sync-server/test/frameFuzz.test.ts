/**
 * Fuzzing the relay's frame handling: random bytes and mutated real frames
 * (join, sync, request, doc-unavailable) into ConnectionGuard.admit, the one
 * place where a client's bytes are judged before automerge-repo sees them.
 * Never a throw; every verdict is well formed with a reason; whatever passes
 * is a CBOR map of a carried type whose data (for sync and request) decodes as
 * an automerge sync message. Then a real relay process takes a few hundred
 * mutated frames on its socket and still serves a client that behaves.
 * Seeded (sfc32 from sim/prng.ts): a failure names its seed and case.
 */
import * as Automerge from '@automerge/automerge'
import { cbor, type DocumentId } from '@automerge/automerge-repo'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Prng } from '../../sim/prng.ts'
import { makePool } from '../../core/sync/test/poolFixture.ts'
import { ConnectionGuard, type GuardVerdict } from '../connectionGuard.ts'
import { DEFAULT_RELAY_LIMITS } from '../limits.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { connectClient, waitFor } from './clients.ts'
import { openRawClient, randomDocumentId } from './rawClient.ts'
import { spawnRelay } from './relayProcess.ts'

const SEED = 20261122
const { dirs, processes, clients } = cleanUpAfterAll()

const nothingStored = { documentBytes: () => 0, totalBytes: () => 0 }

/** Real frames a client sends, CBOR-encoded as automerge-repo's WebSocket adapter does. */
function sampleFrames(documentId: DocumentId): Uint8Array[] {
  let doc = Automerge.init<{ entries: Record<string, Automerge.ImmutableString> }>()
  doc = Automerge.change(doc, (d) => {
    d.entries = { a: new Automerge.ImmutableString('{"line":1}') }
  })
  const [, syncMessage] = Automerge.generateSyncMessage(doc, Automerge.initSyncState())
  const data = syncMessage!
  const senderId = 'fuzz-peer'
  const targetId = 'relay-1'
  return [
    { type: 'join', senderId, peerMetadata: { isEphemeral: true }, supportedProtocolVersions: ['1'] },
    { type: 'sync', senderId, targetId, documentId, data },
    { type: 'request', senderId, targetId, documentId, data },
    { type: 'doc-unavailable', senderId, targetId, documentId },
    { type: 'ephemeral', senderId, targetId, documentId, data: new Uint8Array([1, 2, 3]), count: 1, sessionId: 's' },
  ].map((message) => cbor.encode(message))
}

function mutateBytes(bytes: Uint8Array, prng: Prng): Uint8Array {
  let out = Uint8Array.from(bytes)
  for (let round = prng.int(1, 4); round > 0; round--) {
    const at = prng.int(0, Math.max(0, out.length - 1))
    switch (prng.int(0, 6)) {
      case 0: // flip a bit
        out[at] = out[at]! ^ (1 << prng.int(0, 7))
        break
      case 1: // set an interesting byte (CBOR heads: maps, arrays, long lengths, break, tags)
        out[at] = prng.pick([0x00, 0x18, 0x1b, 0x40, 0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xd8, 0xf4, 0xf6, 0xf7, 0xff])
        break
      case 2: // delete a span
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + prng.int(1, 16))])
        break
      case 3: // duplicate a span
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at, at + prng.int(1, 32)), ...out.subarray(at)])
        break
      case 4: // truncate
        out = out.subarray(0, at)
        break
      case 5: // random bytes inserted
        out = Uint8Array.from([...out.subarray(0, at), ...Array.from({ length: prng.int(1, 8) }, () => prng.int(0, 255)), ...out.subarray(at)])
        break
      default: // swap two bytes
      {
        const other = prng.int(0, Math.max(0, out.length - 1))
        const kept = out[at]!
        out[at] = out[other]!
        out[other] = kept
      }
    }
  }
  return out
}

function randomBytes(prng: Prng, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => prng.int(0, 255))
}

/** The frame passed: it must be a carried message whose data, where it has some, decodes. */
function expectSoundPass(bytes: Uint8Array, what: string): void {
  const message = cbor.decode(bytes) as Record<string, unknown>
  expect(['join', 'sync', 'request', 'doc-unavailable'], what).toContain(message.type)
  if (message.type === 'sync' || message.type === 'request') {
    expect(() => Automerge.decodeSyncMessage(message.data as Uint8Array), what).not.toThrow()
  }
}

function expectWellFormed(verdict: GuardVerdict, what: string): void {
  if (verdict.ok) return
  if (verdict.drop) expect(verdict.why.length, what).toBeGreaterThan(0)
  else {
    expect(verdict.reason, what).toBeTruthy()
    expect(verdict.detail.length, what).toBeGreaterThan(0)
  }
}

describe('relay frame handling under fuzzing', () => {
  it('judges random and mutated frames without throwing, and passes only sound ones', async () => {
    const documentId = (await randomDocumentId()) as DocumentId
    const samples = sampleFrames(documentId)
    const prng = new Prng(SEED, 'frame-fuzz')
    const limits = DEFAULT_RELAY_LIMITS
    let passed = 0
    let cut = 0
    for (let i = 0; i < 4_000; i++) {
      // A fresh connection that has joined, so that mutations of every type get past the join rule.
      const guard = new ConnectionGuard(limits, nothingStored)
      expect(guard.admit(samples[0]!, i * 1_000).ok).toBe(true)
      const kind = prng.int(0, 9)
      const bytes = kind === 0 ? randomBytes(prng, prng.int(0, 600)) : mutateBytes(prng.pick(samples), prng)
      const what = `seed ${SEED}, case ${i}`
      let verdict: GuardVerdict | undefined
      expect(() => (verdict = guard.admit(bytes, i * 1_000 + 1)), what).not.toThrow()
      expectWellFormed(verdict!, what)
      if (verdict!.ok) {
        passed++
        expectSoundPass(bytes, what)
      } else if (!verdict!.drop) cut++
    }
    // The generator must reach both sides of the guard.
    expect(passed).toBeGreaterThan(50)
    expect(cut).toBeGreaterThan(1_000)
  })

  it('a real relay takes mutated frames on its socket and still serves a client that behaves', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heroes-frame-fuzz-'))
    dirs.push(dataDir)
    const relay = await spawnRelay(['--port', '0', '--data-dir', dataDir])
    processes.push(relay)
    const documentId = (await randomDocumentId()) as DocumentId
    const samples = sampleFrames(documentId)
    const prng = new Prng(SEED, 'frame-fuzz-live')
    let connections = 0
    for (let c = 0; c < 12; c++) {
      const raw = await openRawClient(relay.syncUrl)
      connections++
      await raw.join()
      for (let i = 0; i < 30 && raw.isOpen(); i++) raw.sendBytes(mutateBytes(prng.pick(samples.slice(1)), prng))
      raw.socket.close()
    }
    expect(connections).toBe(12)
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200)
    const fixture = makePool(1)
    const gate = await connectClient(relay.syncUrl, fixture.pool)
    const member = await connectClient(relay.syncUrl, fixture.pool, [fixture.genesis])
    clients.push(gate, member)
    await gate.sync.publish(fixture.entries)
    await waitFor(async () => (await member.store.all()).length === fixture.entries.length, 15_000, 'a behaving client to be served after the fuzzing')
  }, 60_000)
})
