/**
 * Relay benchmark (not a test): prints figures for docs/relay.md.
 *
 *   node --import tsx bench/relay.ts                 # 200 clients on 20 pools, 10k and 100k catch-up
 *   node --import tsx bench/relay.ts --clients 1000  # fan-out with 1,000 clients on 100 pools
 *   node --import tsx bench/relay.ts --only fanout|restart|catchup [--skip-100k] [--seconds 15]
 *
 * The relay runs in its own process (its RSS and CPU come from its /metrics);
 * the clients of the fan-out share this process and one signature cache, so
 * that the relay, not client verification, is what is measured.
 */
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { SignatureCache, type Entry, type TransferEntry } from '../core/index.ts'
import { MemoryVerifiedStore, PoolSync, ResilientWebSocketClientAdapter } from '../core/sync/index.ts'
import { makePool, type Member } from '../core/sync/test/poolFixture.ts'
import { spawnRelay, type RelayProcess } from '../sync-server/test/relayProcess.ts'
import { generatePool } from './pool-gen.ts'
import { untilRelayHolds } from './publisher.ts'

const { values: flags } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    'clients-per-pool': { type: 'string', default: '10' },
    seconds: { type: 'string', default: '15' },
    only: { type: 'string' },
    'skip-100k': { type: 'boolean', default: false },
    'only-100k': { type: 'boolean', default: false },
  },
})
const CLIENTS = Number(flags.clients)
const PER_POOL = Number(flags['clients-per-pool'])
const POOLS = Math.max(1, Math.round(CLIENTS / PER_POOL))
const SECONDS = Number(flags.seconds)
const RELAY_LIMITS = ['--messages-per-second-max', '100000', '--connections-max', '10000', '--documents-per-connection-max', '100000']

const dirs: string[] = []
const relays: RelayProcess[] = []
const trustAll = (): boolean => true

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function freshRelay(dataDir?: string, port = 0): Promise<{ relay: RelayProcess; dataDir: string }> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'heroes-bench-relay-'))
  if (!dataDir) dirs.push(dir)
  const relay = await spawnRelay(['--port', String(port), '--data-dir', dir, ...RELAY_LIMITS])
  relays.push(relay)
  return { relay, dataDir: dir }
}

async function relayProcessFigures(relay: RelayProcess): Promise<{ rssBytes: number; cpuSeconds: number }> {
  const text = await (await fetch(`${relay.httpUrl}/metrics`)).text()
  const read = (name: string): number => Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN)
  return { rssBytes: read('heroes_relay_process_resident_memory_bytes'), cpuSeconds: read('heroes_relay_process_cpu_seconds_total') }
}

/** A client Repo + PoolSync; `verifier` trusting for publishers of generated pools. */
async function client(syncUrl: string, pool: Entry['pool'], entries: Entry[], options: { cache?: SignatureCache; trusting?: boolean } = {}) {
  const adapter = new ResilientWebSocketClientAdapter(syncUrl, 1000)
  const repo = new Repo({ network: [adapter], peerId: `bench-${Math.random().toString(36).slice(2)}` as PeerId })
  const store = new MemoryVerifiedStore(entries)
  const sync = new PoolSync({ repo, pool, store, signatureCache: options.cache, verifier: options.trusting ? trustAll : undefined })
  for (let i = 0; i < 100 && !(adapter.remotePeerId && repo.peers.length > 0); i++) await sleep(20)
  await sync.start()
  return { adapter, repo, store, sync, close: async () => (sync.close(), await repo.shutdown().catch(() => {})) }
}

// ---- fan-out ----------------------------------------------------------------

async function fanOut(): Promise<void> {
  console.log(`\n## Fan-out: ${POOLS * PER_POOL} clients on ${POOLS} pools, one payment per pool per second for ${SECONDS} s`)
  const { relay } = await freshRelay()
  const cache = new SignatureCache()
  const latencies: number[] = []
  let expected = 0
  const pools: Array<{ fixture: ReturnType<typeof makePool>; devices: Array<{ member: Member; sync: PoolSync; close(): Promise<void> }> }> = []
  const setupStarted = performance.now()
  for (let p = 0; p < POOLS; p++) {
    const fixture = makePool(PER_POOL - 1)
    const members = [fixture.gatekeeper, ...fixture.members]
    // The members of one pool connect together; pools one after the other.
    const devices = await Promise.all(members.map(async (member) => {
      const device = await client(relay.syncUrl, fixture.pool, fixture.entries, { cache })
      device.sync.onEntries((entries) => {
        const now = Date.now()
        for (const entry of entries) if (entry.type === 'transfer' && entry.author !== member.publicKey) latencies.push(now - entry.time)
      })
      return { member, sync: device.sync, close: device.close }
    }))
    pools.push({ fixture, devices })
  }
  await Promise.all(pools.flatMap((pool) => pool.devices.map((device) => device.sync.settled())))
  await sleep(2000)
  console.log(`setup: ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`)
  const before = await relayProcessFigures(relay)
  const started = performance.now()
  for (let second = 0; second < SECONDS; second++) {
    const tick = performance.now()
    for (let p = 0; p < pools.length; p++) {
      const { fixture, devices } = pools[p]!
      const from = devices[(second + p) % devices.length]!
      const to = devices[(second + p + 1) % devices.length]!
      const payment = fixture.next<TransferEntry>(from.member, { type: 'transfer', to: to.member.publicKey, amount: 1 }, Date.now())
      expected += devices.length - 1
      void from.sync.publish([payment])
      // Spread the pools' payments over the second.
      await sleep(Math.max(0, (1000 / pools.length) - 1))
    }
    await sleep(Math.max(0, 1000 - (performance.now() - tick)))
  }
  const deadline = Date.now() + 10_000
  while (latencies.length < expected && Date.now() < deadline) await sleep(100)
  const elapsed = (performance.now() - started) / 1000
  const after = await relayProcessFigures(relay)
  const sorted = [...latencies].sort((a, b) => a - b)
  console.log(`deliveries: ${latencies.length} of ${expected}`)
  console.log(`payment → arrival at the other members: p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms`)
  console.log(`relay: RSS ${mb(after.rssBytes)}, CPU ${(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100).toFixed(0)}% of one core during the payments`)
  for (const pool of pools) for (const device of pool.devices) await device.close()
  await relay.kill('SIGTERM')
}

// ---- restart ----------------------------------------------------------------

/** Publishes a generated pool through one trusting client and waits until the relay holds all of it. */
async function publishPool(relay: RelayProcess, entries: Entry[]) {
  const publisher = await client(relay.syncUrl, entries[0]!.pool, [], { trusting: true })
  await publisher.sync.publish(entries)
  await untilRelayHolds(publisher, async (inSync, documents) => {
    const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text()
    const pick = metrics.split('\n').filter((line) => /^heroes_relay_(held_messages|messages_total|limit_hits_total|connections )/.test(line)).join(', ')
    console.log(`(publisher stalled at ${inSync}/${documents} documents; reconnecting; relay: ${pick})`)
  })
  return publisher
}

async function restart(): Promise<void> {
  console.log('\n## Restart after kill -9, 10k-entry pool')
  const generated = generatePool(10_000, 200)
  const { relay, dataDir } = await freshRelay()
  const publishStarted = performance.now()
  const publisher = await publishPool(relay, generated.entries)
  console.log(`published 10k entries in ${((performance.now() - publishStarted) / 1000).toFixed(1)} s`)
  await sleep(500)
  await publisher.close()
  await relay.kill('SIGKILL')
  const spawned = performance.now()
  const { relay: again } = await freshRelay(dataDir, relay.port)
  const listening = performance.now() - spawned
  const reader = await client(again.syncUrl, generated.pool, [generated.entries[0]!], { trusting: true })
  let first: number | undefined
  reader.sync.onEntries(() => {
    first ??= performance.now() - spawned
  })
  while (reader.store.size < generated.entries.length) await sleep(20)
  const all = performance.now() - spawned
  console.log(`spawn → listening ${listening.toFixed(0)} ms (Node + tsx start-up included); spawn → first entry served ${first?.toFixed(0)} ms; → all 10k served ${all.toFixed(0)} ms`)
  await reader.close()
  await again.kill('SIGTERM')
}

// ---- catch-up ---------------------------------------------------------------

async function catchUp(size: number): Promise<void> {
  console.log(`\n## Catch-up: a device that missed 1,000 entries of a ${size.toLocaleString('en')}-entry pool`)
  const generated = generatePool(size - 1000, 200)
  const { relay } = await freshRelay()
  const publishStarted = performance.now()
  const publisher = await publishPool(relay, generated.entries)
  console.log(`published ${generated.entries.length} entries in ${((performance.now() - publishStarted) / 1000).toFixed(1)} s`)
  const device = fork(new URL('./relay-device.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const ask = (message: Record<string, unknown>): Promise<Record<string, number>> =>
    new Promise((resolve, reject) => {
      device.once('message', (reply: Record<string, unknown>) => (reply.error ? reject(new Error(String(reply.error))) : resolve(reply as Record<string, number>)))
      device.send(message)
    })
  const fetched = await ask({ cmd: 'fetch', syncUrl: relay.syncUrl, genesis: generated.entries[0], expect: generated.entries.length })
  console.log(`device fetched ${generated.entries.length} entries (${fetched.documents} documents) in ${(fetched.ms! / 1000).toFixed(1)} s (native verify), RSS ${mb(fetched.rssBytes!)}`)
  await ask({ cmd: 'offline' })
  const missed: Entry[] = []
  for (let i = 0; i < 1000; i++) missed.push(generated.nextTransfer())
  await publisher.sync.publish(missed)
  await untilRelayHolds(publisher, async (inSync, documents) => {
    const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text()
    const pick = metrics.split('\n').filter((line) => /^heroes_relay_(held_messages|messages_total|limit_hits_total|connections )/.test(line)).join(', ')
    console.log(`(publisher stalled at ${inSync}/${documents} documents; reconnecting; relay: ${pick})`)
  })
  const caught = await ask({ cmd: 'online', expect: size })
  console.log(`catch-up of 1,000 entries: ${(caught.ms! / 1000).toFixed(2)} s (reference verify), RSS ${mb(caught.rssBeforeBytes!)} → peak ${mb(caught.peakRssBytes!)}`)
  const figures = await relayProcessFigures(relay)
  console.log(`relay RSS holding the pool: ${mb(figures.rssBytes)}`)
  device.kill('SIGKILL')
  await publisher.close()
  await relay.kill('SIGTERM')
}

try {
  const only = flags.only
  if (!only || only === 'fanout') await fanOut()
  if (!only || only === 'restart') await restart()
  if (!only || only === 'catchup') {
    if (!flags['only-100k']) await catchUp(10_000)
    if (!flags['skip-100k']) await catchUp(100_000)
  }
} finally {
  for (const relay of relays) await relay.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
