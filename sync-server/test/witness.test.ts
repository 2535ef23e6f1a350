/**
 * The relay as a witness (issue 13), with real relay processes: its key at
 * /witness and in its data directory, checkpoints for the pools that name it
 * (and only those), nothing signed while a pool is idle, and a chain that
 * survives a restart without a fork.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { generateSecretKey, publicKeyOf, replay, toHex, type Entry, type PublicKeyHex } from '../../core/index.ts'
import { parseRelayFlags, run as runRelayCommand } from '../command.ts'
import { USAGE } from '../../cli/main.ts'
import { startRelay } from '../index.ts'
import { shardDocumentId } from '../../core/sync/index.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { connectClient, waitFor, type TestClient } from './clients.ts'
import { sleep } from './rawClient.ts'
import { spawnRelay, type RelayProcess } from './relayProcess.ts'
import { checkpointsBy, poolNaming, witnessedBy, type WitnessedPoolFixture } from './witnessFixture.ts'

const { dirs, processes, clients } = cleanUpAfterAll()

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heroes-witness-'))
  dirs.push(dir)
  return dir
}

async function relay(args: string[]): Promise<RelayProcess> {
  const started = await spawnRelay(['--port', '0', ...args])
  processes.push(started)
  return started
}

async function witnessKeyOf(relayProcess: RelayProcess): Promise<PublicKeyHex> {
  const response = await fetch(`${relayProcess.httpUrl}/witness`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await response.json()) as { publicKey: PublicKeyHex }
  expect(Object.keys(body)).toEqual(['publicKey'])
  return body.publicKey
}

async function metric(relayProcess: RelayProcess, name: string): Promise<number> {
  const text = await (await fetch(`${relayProcess.httpUrl}/metrics`)).text()
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)
  if (!match) throw new Error(`expected ${name} in /metrics, got none`)
  return Number(match[1])
}

async function client(relayProcess: RelayProcess, fixture: WitnessedPoolFixture, entries: Entry[] = []): Promise<TestClient> {
  const connected = await connectClient(relayProcess.syncUrl, fixture.pool, entries)
  clients.push(connected)
  return connected
}

/** Waits until `device` holds a checkpoint by `witness` that covers `id`; returns the milliseconds it took. */
async function untilWitnessed(device: TestClient, fixture: WitnessedPoolFixture, witness: PublicKeyHex, id: string, timeoutMs = 15_000): Promise<number> {
  const started = performance.now()
  await waitFor(async () => {
    const entries = await device.store.all()
    const by = witnessedBy(fixture.pool, entries, id as never)
    return by !== undefined && checkpointsBy(entries, witness).some((checkpoint) => checkpoint.id === by)
  }, timeoutMs, `a checkpoint by the relay covering ${id.slice(0, 8)}`)
  return performance.now() - started
}

describe('the relay as a witness', () => {
  it('serves its key at /witness, keeps it in its data directory (mode 0600) and reuses it after a restart', async () => {
    const dir = dataDir()
    const first = await relay(['--data-dir', dir])
    const key = await witnessKeyOf(first)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    const file = join(dir, 'witness-key.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; secretKey: string }
    expect(Object.keys(stored).sort()).toEqual(['publicKey', 'secretKey'])
    expect(stored.publicKey).toBe(key)
    expect(publicKeyOf(Uint8Array.from(Buffer.from(stored.secretKey, 'hex')))).toBe(key)
    expect(await first.kill('SIGTERM')).toBe(0)
    expect(first.stderr()).not.toContain(stored.secretKey)

    const second = await relay(['--data-dir', dir])
    expect(await witnessKeyOf(second)).toBe(key)
    expect(second.stderr()).toContain('"created":false')
    expect(second.stderr()).not.toContain(stored.secretKey)
    await second.kill('SIGTERM')

    // --witness-key FILE: that key, and none made in the data directory.
    const other = dataDir()
    const secretKey = generateSecretKey()
    const keyFile = join(other, 'gk.json')
    writeFileSync(keyFile, JSON.stringify({ publicKey: publicKeyOf(secretKey), secretKey: toHex(secretKey) }))
    const third = await relay(['--data-dir', join(other, 'relay'), '--witness-key', keyFile])
    expect(await witnessKeyOf(third)).toBe(publicKeyOf(secretKey))
    expect(existsSync(join(other, 'relay', 'witness-key.json'))).toBe(false)
    await third.kill('SIGTERM')
  }, 30_000)

  it('checkpoints a pool whose genesis names it, and only such pools; a fresh client sees the transfer witnessed', async () => {
    const relayProcess = await relay(['--data-dir', dataDir()])
    const key = await witnessKeyOf(relayProcess)
    // Pools that do not name the relay: one names another witness, one none at all.
    const elsewhere = poolNaming([publicKeyOf(generateSecretKey())])
    const unwitnessed = poolNaming([])
    for (const fixture of [elsewhere, unwitnessed]) {
      fixture.transfer(fixture.members[0]!, fixture.members[1]!, 3)
      await (await client(relayProcess, fixture)).sync.publish(fixture.entries)
    }

    const fixture = poolNaming([key])
    const transfer = fixture.transfer(fixture.members[0]!, fixture.members[1]!, 5)
    const gate = await client(relayProcess, fixture)
    await gate.sync.publish(fixture.entries)
    const firstMs = await untilWitnessed(gate, fixture, key, transfer.id)

    // A newcomer that knows only the genesis fetches the pool and the checkpoint, and core says the transfer is witnessed.
    const newcomer = await client(relayProcess, fixture, [fixture.genesis])
    await untilWitnessed(newcomer, fixture, key, transfer.id)
    const result = replay(await newcomer.store.all(), { asOf: Date.now() })
    const verdict = result.entries.find((entry) => entry.id === transfer.id)!
    expect(verdict.status).toBe('accepted')
    const checkpoint = checkpointsBy(await newcomer.store.all(), key).find((entry) => entry.id === verdict.witnessed)!
    expect(checkpoint).toBeDefined()
    expect(result.entries.find((entry) => entry.id === checkpoint.id)!.status).toBe('accepted')
    expect(result.witnesses.find((witness) => witness.key === key)).toMatchObject({ primary: true, named: true })

    // The next payment, within the interval of the last checkpoint: covered once the interval (5 s) has passed.
    const second = fixture.transfer(fixture.members[1]!, fixture.members[0]!, 2)
    await gate.sync.publish([second])
    const secondMs = await untilWitnessed(newcomer, fixture, key, second.id)
    console.info(`witness: entry → checkpoint at a client ${firstMs.toFixed(0)} ms (relay idle), ${secondMs.toFixed(0)} ms (within the 5 s interval)`)

    // Nothing for the others: no checkpoint document of the relay's in their pools, and one pool witnessed.
    for (const other of [elsewhere, unwitnessed]) {
      const handle = await gate.repo.find(shardDocumentId(other.pool, key, 0), { allowableStates: ['ready', 'unavailable'] })
      expect(handle.isReady() ? Object.keys((handle.doc() as { entries?: object }).entries ?? {}) : []).toEqual([])
      expect(relayProcess.stderr()).not.toContain(other.pool.slice(0, 12))
    }
    expect(await metric(relayProcess, 'heroes_relay_witnessed_pools')).toBe(1)
    expect(await metric(relayProcess, 'heroes_relay_checkpoints_signed_total')).toBe(checkpointsBy(await newcomer.store.all(), key).length)
    await relayProcess.kill('SIGTERM')
  }, 30_000)

  it('with --checkpoint-interval-seconds 1 signs nothing while the pool is idle, and a new checkpoint after a new entry', async () => {
    const relayProcess = await relay(['--data-dir', dataDir(), '--checkpoint-interval-seconds', '1'])
    const key = await witnessKeyOf(relayProcess)
    const fixture = poolNaming([key])
    const first = fixture.transfer(fixture.members[0]!, fixture.members[1]!, 5)
    const gate = await client(relayProcess, fixture)
    await gate.sync.publish(fixture.entries)
    await untilWitnessed(gate, fixture, key, first.id)
    const signed = await metric(relayProcess, 'heroes_relay_checkpoints_signed_total')
    const held = checkpointsBy(await gate.store.all(), key).length
    expect(signed).toBeGreaterThanOrEqual(1)

    await sleep(3_000)
    expect(await metric(relayProcess, 'heroes_relay_checkpoints_signed_total')).toBe(signed)
    expect(checkpointsBy(await gate.store.all(), key).length).toBe(held)

    const next = fixture.transfer(fixture.members[1]!, fixture.members[0]!, 1)
    await gate.sync.publish([next])
    const ms = await untilWitnessed(gate, fixture, key, next.id)
    expect(await metric(relayProcess, 'heroes_relay_checkpoints_signed_total')).toBe(signed + 1)
    const chain = checkpointsBy(await gate.store.all(), key)
    expect(chain.map((checkpoint) => checkpoint.seq)).toEqual(chain.map((_, i) => i + 1))
    console.info(`witness: idle relay, new entry → its checkpoint at the client in ${ms.toFixed(0)} ms (interval 1 s)`)
    await relayProcess.kill('SIGTERM')
  }, 30_000)

  it('starts when a policy entry names it, stops when another drops it', async () => {
    const relayProcess = await relay(['--data-dir', dataDir(), '--checkpoint-interval-seconds', '1'])
    const key = await witnessKeyOf(relayProcess)
    const fixture = poolNaming([])
    const before = fixture.transfer(fixture.members[0]!, fixture.members[1]!, 5)
    const gate = await client(relayProcess, fixture)
    await gate.sync.publish(fixture.entries)
    await gate.sync.settled()
    await sleep(500)
    expect(await metric(relayProcess, 'heroes_relay_witnessed_pools')).toBe(0)

    await gate.sync.publish([fixture.witnesses([key])])
    await untilWitnessed(gate, fixture, key, before.id)
    expect(await metric(relayProcess, 'heroes_relay_witnessed_pools')).toBe(1)

    await gate.sync.publish([fixture.witnesses([])])
    await waitFor(async () => (await metric(relayProcess, 'heroes_relay_witnessed_pools')) === 0, 10_000, 'the relay to stop witnessing')
    expect(relayProcess.stderr()).toContain('"event":"witness-stopped"')
    const signed = await metric(relayProcess, 'heroes_relay_checkpoints_signed_total')
    await gate.sync.publish([fixture.transfer(fixture.members[1]!, fixture.members[0]!, 1)])
    await sleep(2_000)
    expect(await metric(relayProcess, 'heroes_relay_checkpoints_signed_total')).toBe(signed)
    await relayProcess.kill('SIGTERM')
  }, 30_000)

  it('resumes its pools after kill -9 and continues its chain without a fork', async () => {
    const dir = dataDir()
    const first = await relay(['--data-dir', dir, '--checkpoint-interval-seconds', '1'])
    const key = await witnessKeyOf(first)
    const fixture = poolNaming([key])
    const t1 = fixture.transfer(fixture.members[0]!, fixture.members[1]!, 5)
    const gate = await client(first, fixture)
    await gate.sync.publish(fixture.entries)
    await untilWitnessed(gate, fixture, key, t1.id)
    await sleep(200)
    await first.kill('SIGKILL')

    const second = await relay(['--data-dir', dir, '--checkpoint-interval-seconds', '1'])
    // Resumed from the state file, before any device touched the pool's documents.
    await waitFor(async () => (await metric(second, 'heroes_relay_witnessed_pools')) === 1, 10_000, 'the pool resumed')
    const reader = await client(second, fixture, [fixture.genesis])
    const t2 = fixture.transfer(fixture.members[1]!, fixture.members[0]!, 1)
    await reader.sync.publish([t2])
    await untilWitnessed(reader, fixture, key, t2.id)
    const entries = await reader.store.all()
    const chain = checkpointsBy(entries, key)
    expect(chain.map((checkpoint) => checkpoint.seq)).toEqual(chain.map((_, i) => i + 1))
    const result = replay(entries, { asOf: Date.now() })
    expect(result.equivocations).toEqual([])
    expect(result.witnesses.find((witness) => witness.key === key)?.faulty).toBeUndefined()
    await second.kill('SIGTERM')
  }, 30_000)
})

describe('the witness, bounded and quiet', () => {
  it('witnesses at most poolsMax pools, refuses the next one once until a place is free, and logs no pool content', async () => {
    const events: Array<{ event: string; fields: Record<string, unknown> }> = []
    const secretKey = generateSecretKey()
    const key = publicKeyOf(secretKey)
    const inProcess = await startRelay({
      port: 0, dataDir: dataDir(), witness: { secretKey, checkpointIntervalMs: 1000, poolsMax: 1 },
      log: (event, fields = {}) => events.push({ event, fields }),
    })
    try {
      const first = poolNaming([key])
      const t = first.transfer(first.members[0]!, first.members[1]!, 7)
      const a = await connectClient(inProcess.syncUrl, first.pool)
      clients.push(a)
      await a.sync.publish(first.entries)
      await untilWitnessed(a, first, key, t.id)
      const second = poolNaming([key])
      second.transfer(second.members[0]!, second.members[1]!, 9)
      const b = await connectClient(inProcess.syncUrl, second.pool)
      clients.push(b)
      await b.sync.publish(second.entries)
      await waitFor(() => events.some((e) => e.event === 'witness-refused'), 10_000, 'the second pool refused')
      expect(inProcess.witness!.pools()).toEqual([first.pool])
      const metrics = await inProcess.metrics.registry.metrics()
      expect(metrics).toMatch(/heroes_relay_limit_hits_total\{limit="witnessedPools"\} 1$/m)
      expect(metrics).toMatch(/^heroes_relay_witnessed_pools 1$/m)
      // Another change in the refused pool is not refused (nor logged) again.
      await b.sync.publish([second.transfer(second.members[1]!, second.members[0]!, 1)])
      await sleep(500)
      expect(events.filter((e) => e.event === 'witness-refused')).toHaveLength(1)
      // The first pool drops the relay: its place goes to the pool refused.
      await a.sync.publish([first.witnesses([])])
      await untilWitnessed(b, second, key, second.entries.at(-1)!.id)
      expect(inProcess.witness!.pools()).toEqual([second.pool])
      // Logs name pools by a short id only: no entry, amount, member key or full pool id.
      const logged = JSON.stringify(events)
      for (const entry of [...first.entries, ...second.entries]) {
        expect(logged).not.toContain(entry.id)
        expect(logged).not.toContain(entry.author)
      }
      expect(logged).not.toContain(toHex(secretKey))
    } finally {
      await inProcess.close()
    }
  }, 30_000)

  it('reads its flags: an interval from 1 s, and a key file that must exist', async () => {
    expect(USAGE).toContain('[--witness-key FILE] [--checkpoint-interval-seconds N]')
    expect(parseRelayFlags([]).checkpointIntervalSeconds).toBe(5)
    expect(parseRelayFlags(['--checkpoint-interval-seconds', '1']).checkpointIntervalSeconds).toBe(1)
    expect(() => parseRelayFlags(['--checkpoint-interval-seconds', '0'])).toThrow('expected --checkpoint-interval-seconds from 1 to 86400, got 0')
    expect(parseRelayFlags(['--witness-key', 'k.json']).witnessKeyFile).toBe('k.json')
    let stderr = ''
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
    let code: number
    try {
      code = await runRelayCommand(['--port', '0', '--data-dir', dataDir(), '--witness-key', join(dataDir(), 'missing.json')])
    } finally {
      spy.mockRestore()
    }
    expect(code).toBe(2)
    expect(stderr).toMatch(/^heroes relay: expected a key file at .*missing\.json, got no such file\n$/)
  })
})
