/**
 * Several relays under load (issue 14, items 4 and 6), with bench/relay-fanout.ts's
 * light followers spread over them so that every document has followers on
 * every relay, and one publisher on the first relay:
 *
 *   relay_federated_p99_ms          4 relays peered both ways (each --peer every other): p99 of
 *                                   publish → arrival at followers on the other three (cross-relay)
 *   relay_federated_2_p99_ms        the same with 2 relays
 *   relay_postgres_fanout_p99_ms    2 relays on one PostgreSQL (--storage), peered: p99 of every delivery
 *
 * The baseline of each is the same followers on one relay, in the same run
 * (relay_fanout's setup). Relays run in their own processes; PostgreSQL is
 * Debian's, started as the tests start it (sync-server/test/postgres.ts).
 *
 *   node --import tsx bench/relay-federated.ts [--quick]     (--quick: 200 followers for 3 s)
 */
import { pathToFileURL } from 'node:url'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Repo } from '@automerge/automerge-repo'
import { freePort, spawnRelay, type RelayProcess } from '../sync-server/test/relayProcess.ts'
import { startPostgres } from '../sync-server/test/postgres.ts'
import { FOLLOWERS_PER_DOCUMENT, LightFollower, now, openPublisher, PUBLISHES_PER_SECOND, publishFor, RELAY_FLAGS, relayCpuSeconds, sleep } from './relay-fanout.ts'
import { percentile, round, type BenchContext } from './figures.ts'

const log = (line: string): void => void process.stderr.write(`  ${line}\n`)

interface Topology {
  readonly relays: number
  /** A postgres:// URL every relay stores in; undefined: each its own folder. */
  readonly storage?: string
}

interface Outcome {
  /** Deliveries to followers on the publisher's relay, and on the others. */
  readonly local: number[]
  readonly remote: number[]
  readonly expected: number
  readonly relayCpuPercent: number[]
}

async function measure(followers: number, seconds: number, topology: Topology): Promise<Outcome> {
  const ports = await Promise.all(Array.from({ length: topology.relays }, () => freePort()))
  const dirs = ports.map(() => mkdtempSync(join(tmpdir(), 'heroes-bench-federated-')))
  const relays: RelayProcess[] = []
  const opened: LightFollower[] = []
  let publisher: Repo | undefined
  try {
    for (const [i, port] of ports.entries()) {
      const peers = ports.filter((_, j) => j !== i).flatMap((other) => ['--peer', `ws://127.0.0.1:${other}/sync`])
      const storage = topology.storage ? ['--storage', topology.storage] : []
      relays.push(await spawnRelay(['--port', String(port), '--data-dir', dirs[i]!, ...RELAY_FLAGS, ...storage, ...peers]))
    }
    const documents = Math.ceil(followers / FOLLOWERS_PER_DOCUMENT)
    const opening = await openPublisher(relays[0]!.syncUrl, 'bench-federated-publisher', documents, 'e')
    publisher = opening.publisher
    const { ids, handles } = opening
    await sleep(1000 + 500 * topology.relays)
    const local: number[] = []
    const remote: number[] = []
    let publishing = false
    const started = performance.now()
    for (let i = 0; i < followers; i++) {
      // Follower i follows document i mod D; its replica number picks the relay, so each document has followers on every relay.
      const relayIndex = Math.floor(i / documents) % topology.relays
      const into = relayIndex === 0 ? local : remote
      opened.push(await LightFollower.open(relays[relayIndex]!.syncUrl, `fed-${process.pid}-${topology.relays}-${i}`, ids[i % documents]!, (publishedAt) => {
        if (publishing) into.push(now() - publishedAt)
      }))
      if (i % 500 === 499) await sleep(50)
    }
    await sleep(2000 + followers)
    log(`${followers} followers over ${topology.relays} relay(s)${topology.storage ? ' on one PostgreSQL' : ''} connected in ${round((performance.now() - started) / 1000, 1)} s`)
    publishing = true
    const cpuBefore = await Promise.all(relays.map((relay) => relayCpuSeconds(relay.child.pid!)))
    const cpuStarted = performance.now()
    const published = await publishFor(handles, seconds)
    await sleep(5000)
    const elapsed = (performance.now() - cpuStarted) / 1000
    const cpu = await Promise.all(relays.map(async (relay, i) => (((await relayCpuSeconds(relay.child.pid!)) - cpuBefore[i]!) / elapsed) * 100))
    publishing = false
    // A delivery that never came counts as the whole wait, so a loss raises the p99 instead of vanishing.
    const expectedLocal = published * Math.ceil(FOLLOWERS_PER_DOCUMENT / topology.relays)
    const expected = published * FOLLOWERS_PER_DOCUMENT
    const wait = 5000 + seconds * 1000
    const missing = Math.max(0, expected - local.length - remote.length)
    const missingLocal = Math.max(0, expectedLocal - local.length)
    return {
      local: [...local, ...Array.from({ length: Math.min(missing, missingLocal) }, () => wait)],
      remote: [...remote, ...Array.from({ length: Math.max(0, missing - missingLocal) }, () => wait)],
      expected, relayCpuPercent: cpu,
    }
  } finally {
    for (const follower of opened) follower.close()
    await publisher?.shutdown().catch(() => {})
    for (const relay of relays) await relay.kill('SIGKILL')
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
}

function describe(outcome: Outcome): string {
  const all = [...outcome.local, ...outcome.remote]
  return `p50 ${round(percentile(all, 50), 0)} ms, p99 ${round(percentile(all, 99), 0)} ms (on the publisher's relay ${round(percentile(outcome.local, 99), 0)} ms, `
    + `on the others ${outcome.remote.length > 0 ? round(percentile(outcome.remote, 99), 0) : '—'} ms), ${all.length} of ${outcome.expected} delivered, relays at ${outcome.relayCpuPercent.map((c) => round(c, 0)).join('/')} % of a core`
}

export async function run({ quick, report }: BenchContext): Promise<void> {
  const followers = quick ? 200 : 1000
  const seconds = quick ? 3 : 10
  const alone = await measure(followers, seconds, { relays: 1 })
  const baseline = round(percentile(alone.local, 99), 0)
  log(`1 relay: ${describe(alone)}`)
  for (const relays of [2, 4]) {
    const outcome = await measure(followers, seconds, { relays })
    log(`${relays} relays: ${describe(outcome)}`)
    const p99 = round(percentile(outcome.remote, 99), 0)
    report({
      name: relays === 4 ? 'relay_federated_p99_ms' : `relay_federated_${relays}_p99_ms`, value: p99, unit: 'ms', baseline, ratio: round(p99 / Math.max(1, baseline), 2),
      note: `${followers} light followers over ${relays} relays peered both ways, one publisher on the first, ${PUBLISHES_PER_SECOND} changes/s for ${seconds} s: p99 of deliveries on the other relays (cross-relay); ${describe(outcome)}; baseline: the same followers on one relay, same run`,
    })
  }
  const postgres = await startPostgres('bench', { fsync: true })
  try {
    const outcome = await measure(followers, seconds, { relays: 2, storage: postgres.url })
    log(`2 relays on one PostgreSQL: ${describe(outcome)}`)
    const p99 = round(percentile([...outcome.local, ...outcome.remote], 99), 0)
    report({
      name: 'relay_postgres_fanout_p99_ms', value: p99, unit: 'ms', baseline, ratio: round(p99 / Math.max(1, baseline), 2),
      note: `${followers} light followers over 2 relays with --storage on one PostgreSQL (Debian's, fsync on), peered: p99 of every delivery; ${describe(outcome)}; baseline: the same followers on one relay with its data folder, same run`,
    })
  } finally {
    await postgres.stop()
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run({ quick: process.argv.includes('--quick'), report: (figure) => console.log(JSON.stringify(figure)) })
  process.exit(0)
}
