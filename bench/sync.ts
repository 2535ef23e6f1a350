/**
 * Sync and relay figures for `npm run bench`: payment latency between two
 * devices, fan-out to many clients, and a relay restarted after kill -9.
 *
 *   node --import tsx bench/sync.ts [--quick] [--only=latency,fanout,restart] [--clients=1000]
 *
 * Every relay is the real sync-server in its own process on a loopback port;
 * devices live in bench/sync-host.ts processes (several, so that 1,000 client
 * Repos use both cores instead of queueing on one event loop).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toHex } from '../core/index.ts'
import { makePool, type Member } from '../core/sync/test/poolFixture.ts'
import { spawnRelay, type RelayProcess } from '../sync-server/test/relayProcess.ts'
import { percentile, round, type BenchContext } from './figures.ts'
import type { HostCommand, HostedPool, HostReply } from './sync-host.ts'
import { generatePool } from './pool-gen.ts'
import { trustingClient, untilRelayHolds } from './publisher.ts'

/** The relay's own limits raised so that the benchmark measures speed, not refusals. */
const RELAY_LIMITS = ['--messages-per-second-max', '100000', '--connections-max', '10000', '--documents-per-connection-max', '100000']
const HOST = new URL('./sync-host.ts', import.meta.url).pathname
const WARMUP_MS = 1000
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const mb = (bytes: number): number => round(bytes / 2 ** 20, 0)

/** Everything started here, stopped at the end whatever happens. */
class Resources {
  readonly #relays: RelayProcess[] = []
  readonly #hosts: Host[] = []
  readonly #dirs: string[] = []

  async relay(dataDir?: string, port = 0): Promise<{ relay: RelayProcess; dataDir: string }> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'heroes-bench-relay-'))
    if (!dataDir) this.#dirs.push(dir)
    const relay = await spawnRelay(['--port', String(port), '--data-dir', dir, ...RELAY_LIMITS])
    this.#relays.push(relay)
    return { relay, dataDir: dir }
  }

  host(): Host {
    const host = new Host()
    this.#hosts.push(host)
    return host
  }

  async stop(): Promise<void> {
    for (const host of this.#hosts.splice(0)) await host.close()
    for (const relay of this.#relays.splice(0)) await relay.kill('SIGKILL')
    for (const dir of this.#dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  }
}

/** One bench/sync-host.ts process; one command at a time. */
class Host {
  readonly #child: ChildProcess = fork(HOST, [], { execArgv: ['--import', 'tsx', ...(process.env.HEROES_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HEROES_BENCH_PROFILE}`] : [])], stdio: 'inherit' })
  readonly #exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()))

  ask<R extends HostReply>(command: HostCommand): Promise<R> {
    return new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error(`expected a reply to ${command.cmd} from the device host, got its exit`))
      this.#child.once('exit', onExit)
      this.#child.once('message', (reply: HostReply) => {
        this.#child.off('exit', onExit)
        if ('error' in reply) reject(new Error(`device host: ${reply.error}`))
        else resolve(reply as R)
      })
      this.#child.send(command)
    })
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return
    await Promise.race([this.ask({ cmd: 'close' }).catch(() => {}), sleep(10_000)])
    await Promise.race([this.#exited, sleep(5_000)])
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL')
    await this.#exited
  }
}

function hosted(fixture: ReturnType<typeof makePool>, index: number, members: Member[]): HostedPool {
  return { entries: fixture.entries, index, members: members.map((m) => ({ publicKey: m.publicKey, secretKeyHex: toHex(m.secretKey) })) }
}

async function relayProcessFigures(relay: RelayProcess): Promise<{ rssBytes: number; cpuSeconds: number }> {
  const text = await (await fetch(`${relay.httpUrl}/metrics`)).text()
  const read = (name: string): number => Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN)
  return { rssBytes: read('heroes_relay_process_resident_memory_bytes'), cpuSeconds: read('heroes_relay_process_cpu_seconds_total') }
}

/**
 * Pays on a schedule in every host (only devices with keys pay), then gathers
 * the arrivals the `observers` saw until `expected` or a deadline.
 */
async function payAndCollect(hosts: Host[], observers: Host[], go: Omit<Extract<HostCommand, { cmd: 'go' }>, 'cmd' | 'startAt' | 'recordFrom'>, arrivalsPerPayment: number) {
  const startAt = Date.now() + 500
  // The first second warms up (JIT, first sync rounds of each shard) and is not recorded.
  const recordFrom = startAt + WARMUP_MS
  // Observers that do not pay still need to know from when to record.
  const everyone = [...new Set([...hosts, ...observers])]
  const replies = await Promise.all(everyone.map((host) =>
    host.ask<Extract<HostReply, { done: 'go' }>>({ cmd: 'go', startAt, recordFrom, ...go, paymentsPerSecond: hosts.includes(host) ? go.paymentsPerSecond : 0 })))
  const paid = replies.reduce((sum, r) => sum + r.paid, 0)
  const recorded = Math.round(paid * (1 - WARMUP_MS / 1000 / go.seconds))
  const expected = recorded * arrivalsPerPayment
  const latencies: number[] = []
  let hostRssBytes = 0
  let hostCpuMicros = 0
  const deadline = Date.now() + 20_000
  for (;;) {
    hostRssBytes = 0
    hostCpuMicros = 0
    for (const host of observers) {
      const collected = await host.ask<Extract<HostReply, { done: 'collect' }>>({ cmd: 'collect' })
      latencies.push(...collected.latencies)
      hostRssBytes += collected.rssBytes
      hostCpuMicros = Math.max(hostCpuMicros, collected.cpuMicros)
    }
    if (latencies.length >= expected || Date.now() > deadline) break
    await sleep(250)
  }
  return { paid, recorded, expected, latencies, elapsedMs: Date.now() - startAt, hostRssBytes, hostCpuMicros }
}

// ---- latency: a payment on device A seen by device B, 20 payments/s ------

/**
 * 20 payments/s in one pool from 4 payer phones (5 each; device A is any of
 * them) in one process, and device B, in another, records when each arrives.
 * Why not all 20 from one phone: automerge-repo throttles each document's sync
 * to one message per 100 ms, and a phone's payments all go to its own shard,
 * so that would measure the throttle (a real member pays at most once a
 * minute). Why not 20 phones: 20 Repos in one process each receiving every
 * payment measure that process's event loop, not the path of a payment.
 */
async function latency({ quick, report }: BenchContext, resources: Resources): Promise<void> {
  const seconds = quick ? 5 : 15
  const paymentsPerSecond = 20
  const payerCount = 4
  const { relay } = await resources.relay()
  const fixture = makePool(payerCount)
  const payers = resources.host()
  const observer = resources.host()
  await payers.ask({ cmd: 'start', syncUrl: relay.syncUrl, pools: [hosted(fixture, 0, fixture.members)], connectAtOnce: payerCount })
  await observer.ask({ cmd: 'start', syncUrl: relay.syncUrl, pools: [hosted(fixture, 0, [fixture.gatekeeper])], connectAtOnce: 1 })
  const before = await relayProcessFigures(relay)
  const run = await payAndCollect([payers], [observer], { seconds, paymentsPerSecond, totalPools: 1, payers: 'rotate' }, 1)
  const after = await relayProcessFigures(relay)
  const relayCpu = round(((after.cpuSeconds - before.cpuSeconds) / (run.elapsedMs / 1000)) * 100, 0)
  const observed = run.latencies.filter((ms) => ms >= 0)
  const note = `${run.latencies.length} of ${run.recorded} payments seen by B after a 1 s warm-up, ${seconds} s in all; ${payerCount} payer devices in one process, B in another, relay in a third (${relayCpu} % of one core); signing → B's onEntries, signature verified`
  report({ name: 'sync_latency_p50_ms', value: percentile(observed, 50), unit: 'ms', note })
  report({ name: 'sync_latency_p99_ms', value: percentile(observed, 99), unit: 'ms', note: `max ${Math.max(...observed)} ms` })
  await payers.close()
  await observer.close()
  await relay.kill('SIGTERM')
}

// ---- fan-out: many clients on many pools ----------------------------------

async function fanOut({ quick, report }: BenchContext, resources: Resources, clients: number): Promise<void> {
  const perPool = 10
  const pools = Math.max(1, Math.round(clients / perPool))
  const hostCount = quick ? 2 : 4
  const seconds = quick ? 5 : 10
  const { relay } = await resources.relay()
  const hosts = Array.from({ length: hostCount }, () => resources.host())
  const assignments: HostedPool[][] = hosts.map(() => [])
  for (let p = 0; p < pools; p++) {
    const fixture = makePool(perPool - 1)
    assignments[p % hostCount]!.push(hosted(fixture, p, [fixture.gatekeeper, ...fixture.members]))
  }
  const setup = performance.now()
  const started = await Promise.all(hosts.map((host, h) => host.ask<Extract<HostReply, { done: 'start' }>>({ cmd: 'start', syncUrl: relay.syncUrl, pools: assignments[h]!, connectAtOnce: 10 })))
  const connected = started.reduce((sum, s) => sum + s.devices, 0)
  const setupS = round((performance.now() - setup) / 1000, 1)
  process.stderr.write(`  fan-out: ${connected} clients connected and settled in ${setupS} s\n`)
  await sleep(1000)
  const before = await relayProcessFigures(relay)
  const run = await payAndCollect(hosts, hosts, { seconds, paymentsPerSecond: 1, totalPools: pools, payers: 'rotate' }, perPool - 1)
  const after = await relayProcessFigures(relay)
  const relayCpu = round(((after.cpuSeconds - before.cpuSeconds) / (run.elapsedMs / 1000)) * 100, 0)
  report({ name: 'relay_repo_clients', value: connected, unit: 'clients', note: `${pools} pools of ${perPool}, in ${hostCount} device processes; setup ${setupS} s` })
  const note = `${run.latencies.length} of ${run.expected} deliveries after a 1 s warm-up; one payment per pool per second for ${seconds} s; relay RSS ${mb(after.rssBytes)} MB, ${relayCpu} % of one core; device processes ${mb(run.hostRssBytes)} MB in all`
  report({ name: 'relay_fanout_repo_p50_ms', value: percentile(run.latencies, 50), unit: 'ms', note })
  report({ name: 'relay_fanout_repo_p99_ms', value: percentile(run.latencies, 99), unit: 'ms', note })
  if (run.latencies.length < run.expected) process.stderr.write(`  fan-out: only ${run.latencies.length} of ${run.expected} deliveries arrived in time\n`)
  for (const host of hosts) await host.close()
  await relay.kill('SIGTERM')
}

// ---- restart: kill -9, then serve a 10k-entry pool --------------------------

async function restart({ quick, report }: BenchContext, resources: Resources): Promise<void> {
  const size = quick ? 2_000 : 10_000
  const generated = generatePool(size, 200)
  const { relay, dataDir } = await resources.relay()
  const publisher = await trustingClient(relay.syncUrl, generated.pool, [])
  await publisher.sync.publish(generated.entries)
  await untilRelayHolds(publisher)
  await publisher.close()
  // Give the relay's debounced storage writes time to land, as a relay that ran a while would have.
  await sleep(1000)
  await relay.kill('SIGKILL')
  const { relay: again } = await resources.relay(dataDir, relay.port)
  const listeningAt = performance.now()
  const reader = await trustingClient(again.syncUrl, generated.pool, [generated.entries[0]!])
  let firstMs: number | undefined
  reader.sync.onEntries(() => {
    firstMs ??= performance.now() - listeningAt
  })
  while (reader.store.size < generated.entries.length) await sleep(10)
  const allMs = performance.now() - listeningAt
  const sizeNote = `${size.toLocaleString('en')}-entry pool`
  report({ name: 'relay_restart_first_served_ms', value: round(firstMs ?? NaN, 0), unit: 'ms', note: `${sizeNote}: relay listening → a client that connects then receives its first entry; spawn → listening took ${round(again.startMs, 0)} ms (Node + tsx start-up)` })
  report({ name: 'relay_restart_all_served_ms', value: round(allMs, 0), unit: 'ms', note: `${sizeNote}: relay listening → the client holds every entry (verification skipped: measures the relay)` })
  report({ name: 'relay_restart_spawn_to_listening_ms', value: round(again.startMs, 0), unit: 'ms', note: 'process start, tsx, storage open' })
  await reader.close()
  await again.kill('SIGTERM')
}

export async function run(context: BenchContext, options: { only?: string[]; clients?: number } = {}): Promise<void> {
  const resources = new Resources()
  const wanted = (name: string): boolean => !options.only || options.only.includes(name)
  try {
    if (wanted('latency')) await latency(context, resources)
    if (wanted('fanout')) await fanOut(context, resources, options.clients ?? (context.quick ? 100 : 1000))
    if (wanted('restart')) await restart(context, resources)
  } finally {
    await resources.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick')
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')
  const clients = process.argv.find((a) => a.startsWith('--clients='))?.slice('--clients='.length)
  await run({ quick, report: (f) => console.log(JSON.stringify(f)) }, { only, clients: clients ? Number(clients) : undefined })
  process.exit(0)
}
