/**
 * A Node device against a relay holding a large pool (issue "Performance"):
 *
 *   join_100k_s, join_peak_rss_mb                a fresh device joins a 100k-entry pool and shows
 *                                                balances: every entry fetched and verified, then the
 *                                                Ledger computed over them
 *   catchup_1000_of_100k_ms, catchup_peak_rss_mb the same device, offline while 1,000 entries were
 *                                                published, reconnects and is up to date again
 *                                                (entries verified and held, ledger updated)
 *
 *   node --import tsx bench/catchup.ts [--quick] [--workers N]
 *
 * --quick: a 10k-entry pool instead (same figure names, a note says the size);
 * about 20 s. The full run takes about 2.5 min (generating and writing the
 * pool ~40 s; HEROES_BENCH_CACHE=dir keeps it between runs).
 *
 * Two devices join and catch up in the same run: one parks the complete
 * shards it holds (PoolSync parkCompleteShards) and asks the relay which of
 * them changed when it returns (POST /heads); the baseline follows every
 * document, as devices did before (docs/sync-layout.md, "Catch-up"). The
 * figures are the parking device's, with the baseline's as `baseline`.
 * --quick has no baseline device (a 10k pool has no complete shard).
 *
 * The relay runs in its own process (sync-server/main.ts) over a data
 * directory seeded with the pool's shard documents; a trusting publisher
 * client then follows every document, so the relay holds them all in memory
 * as one serving a live pool does, and later writes the missed entries. The
 * device is bench/relay-device.ts, forked, so its RSS is its own: a Repo in
 * memory (like `heroes sync`), PoolSync with the hybrid verifier a Node client
 * uses (sync-server/native-verify.ts: the reference verdict on every input),
 * and on the join PoolSync's judgeBatch handing each batch of lines to
 * --workers threads (default: cores - 1) that decode and verify them with the
 * same code. The catch-up is judged on the main thread (workers stopped).
 * HEROES_BENCH_TRACE=1 and HEROES_BENCH_PROF=dir: see relay-device.ts.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as Automerge from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import { encodeEntry, type Entry } from '../core/index.ts'
import {
  firstChangeOf, homeDocumentsOf, type SyncDocument,
} from '../core/sync/index.ts'
import { DiskStorageAdapter } from '../sync-server/diskStorage.ts'
import { spawnRelay, type RelayProcess } from '../sync-server/test/relayProcess.ts'
import { round, type BenchContext } from './figures.ts'
import { generatePool } from './pool-gen.ts'
import { trustingClient, untilRelayHolds } from './publisher.ts'

const MISSED = 1000
const RELAY_LIMITS = ['--messages-per-second-max', '100000', '--connections-max', '10000', '--documents-per-connection-max', '100000']
const MB = 1024 * 1024

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const log = (line: string): void => void process.stderr.write(`  ${line}\n`)

type Publisher = Awaited<ReturnType<typeof trustingClient>>

/**
 * Writes the pool's documents straight into a relay's data directory, as
 * PoolSync would have written them (the fixed first change, then the entries),
 * so that the relay starts holding the pool on disk, as after a restart.
 * Publishing 100k entries through a client instead takes minutes of relay CPU.
 */
async function seedRelayStorage(dataDir: string, entries: readonly Entry[]): Promise<number> {
  const storage = new DiskStorageAdapter(join(dataDir, 'automerge'))
  await storage.init()
  const homes = new Map<DocumentId, Entry[]>()
  for (const entry of entries) {
    for (const home of homeDocumentsOf(entry)) {
      let list = homes.get(home)
      if (!list) homes.set(home, (list = []))
      list.push(entry)
    }
  }
  for (const [documentId, list] of homes) {
    const doc = Automerge.change(Automerge.load<SyncDocument>(firstChangeOf(documentId)), (draft) => {
      for (const entry of list) draft.entries[entry.id] = new Automerge.ImmutableString(encodeEntry(entry))
    })
    await storage.save([documentId, 'snapshot', 'seeded'], Automerge.save(doc))
  }
  return homes.size
}

/**
 * The pool (size - MISSED entries), the MISSED entries that follow, and the
 * relay's storage seeded with the former in `dataDir`. HEROES_BENCH_CACHE=dir
 * keeps all three there between runs (generating and seeding 100k takes minutes).
 */
async function preparedPool(size: number, dataDir: string): Promise<{ entries: Entry[]; missed: Entry[] }> {
  const cache = process.env.HEROES_BENCH_CACHE ? join(process.env.HEROES_BENCH_CACHE, `pool-${size}`) : undefined
  const readLines = (file: string): Entry[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Entry)
  if (cache && existsSync(join(cache, 'done'))) {
    cpSync(join(cache, 'automerge'), join(dataDir, 'automerge'), { recursive: true })
    return { entries: readLines(join(cache, 'entries.jsonl')), missed: readLines(join(cache, 'missed.jsonl')) }
  }
  let started = performance.now()
  const generated = generatePool(size - MISSED, 200)
  const missed = Array.from({ length: MISSED }, () => generated.nextTransfer())
  log(`generated ${size} entries in ${round((performance.now() - started) / 1000, 1)} s`)
  started = performance.now()
  const documents = await seedRelayStorage(dataDir, generated.entries)
  log(`wrote ${generated.entries.length} entries in ${documents} documents to the relay's storage in ${round((performance.now() - started) / 1000, 1)} s`)
  if (cache) {
    rmSync(cache, { recursive: true, force: true })
    mkdirSync(cache, { recursive: true })
    cpSync(join(dataDir, 'automerge'), join(cache, 'automerge'), { recursive: true })
    writeFileSync(join(cache, 'entries.jsonl'), generated.entries.map((entry) => encodeEntry(entry) + '\n').join(''))
    writeFileSync(join(cache, 'missed.jsonl'), missed.map((entry) => encodeEntry(entry) + '\n').join(''))
    writeFileSync(join(cache, 'done'), '')
  }
  return { entries: generated.entries, missed }
}

function forkDevice(): { child: ChildProcess; ask(message: Record<string, unknown>): Promise<Record<string, number>> } {
  const child = fork(new URL('./relay-device.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx', ...(process.env.HEROES_BENCH_TRACE ? ['--expose-gc'] : [])], stdio: 'inherit' })
  const ask = (message: Record<string, unknown>): Promise<Record<string, number>> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`expected the device to answer ${String(message.cmd)}, got exit ${code}`))
      child.once('exit', onExit)
      child.once('message', (reply: Record<string, unknown>) => {
        child.off('exit', onExit)
        if (reply.error) reject(new Error(String(reply.error)))
        else resolve(reply as Record<string, number>)
      })
      child.send(message)
    })
  return { child, ask }
}

/** Judge workers for the join: every core but the one the device's main thread (automerge) needs. */
const JOIN_WORKERS_DEFAULT = Math.max(1, availableParallelism() - 1)

export async function run({ quick, report, workers = JOIN_WORKERS_DEFAULT }: BenchContext & { workers?: number }): Promise<void> {
  const size = quick ? 10_000 : 100_000
  const label = `${size / 1000}k`
  const note = quick ? `${label}-entry pool (quick), not 100k` : undefined
  const withNote = (extra?: string): { note?: string } => {
    const text = [note, extra].filter(Boolean).join('; ')
    return text ? { note: text } : {}
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'heroes-bench-catchup-'))
  let relay: RelayProcess | undefined
  let publisher: Publisher | undefined
  let device: ReturnType<typeof forkDevice> | undefined
  let baseline: ReturnType<typeof forkDevice> | undefined
  try {
    let started = performance.now()
    const { entries, missed } = await preparedPool(size, dataDir)
    log(`pool of ${size} entries generated and written to the relay's storage in ${round((performance.now() - started) / 1000, 1)} s`)
    relay = await spawnRelay(['--port', '0', '--data-dir', dataDir, ...RELAY_LIMITS])
    // The publisher holds the pool (trusting: it made it) and follows every document, so the relay
    // has them all in memory, as a relay serving a live pool does; later it writes the missed entries.
    started = performance.now()
    publisher = await trustingClient(relay.syncUrl, entries[0]!.id)
    await publisher.sync.publish(entries)
    await untilRelayHolds(publisher, (inSync, documents) => log(`(publisher stalled at ${inSync}/${documents} documents; reconnecting)`))
    log(`publisher in place (relay warm) in ${round((performance.now() - started) / 1000, 1)} s`)

    // Two devices: one parks the complete shards it holds and asks the relay which changed when it returns
    // (POST /heads, docs/sync-layout.md "Catch-up"); the baseline follows every document, as before.
    // --quick: a 10k pool has no complete shard (50 entries a member), so parking changes nothing: no baseline device.
    baseline = quick ? undefined : forkDevice()
    const joinedAll = baseline ? await baseline.ask({ cmd: 'join', syncUrl: relay.syncUrl, genesis: entries[0], expect: entries.length, workers }) : undefined
    if (joinedAll) log(`baseline device (follows every document): join ${round(joinedAll.ms! / 1000, 2)} s, RSS peak ${round(joinedAll.peakRssBytes! / MB, 0)} MB`)
    const against = (value: number, base: number | undefined, digits = 0): { baseline?: number; ratio?: number } =>
      base === undefined ? {} : { baseline: round(base, digits), ratio: round(value / base, 2) }
    device = forkDevice()
    const joined = await device.ask({ cmd: 'join', syncUrl: relay.syncUrl, genesis: entries[0], expect: entries.length, workers, park: true })
    log(`join: ${entries.length} entries, ${joined.documents} documents, ${joined.members} balances; fetched and verified in ${round(joined.fetchMs! / 1000, 2)} s, ledger ${round(joined.ledgerMs!, 0)} ms; RSS peak ${round(joined.peakRssBytes! / MB, 0)} MB, after ${round(joined.rssBytes! / MB, 0)} MB`)
    const how = `hybrid verifier${workers > 0 ? `, lines judged in ${workers} worker thread${workers > 1 ? 's' : ''}` : ''}`
    report({ name: 'join_100k_s', value: round(joined.ms! / 1000, 2), unit: 's', ...against(joined.ms! / 1000, joinedAll && joinedAll.ms! / 1000, 2), ...withNote(`fresh Node device parking complete shards, ${how}: fetch + verify ${entries.length} entries, then Ledger; baseline: a device following every document, same run`) })
    report({ name: 'join_fetch_100k_s', value: round(joined.fetchMs! / 1000, 2), unit: 's', ...withNote('of which: until every entry is verified and held') })
    report({ name: 'join_ledger_100k_ms', value: round(joined.ledgerMs!, 0), unit: 'ms', ...withNote('of which: Ledger over every entry (verdicts cached)') })
    report({ name: 'join_peak_rss_mb', value: round(joined.peakRssBytes! / MB, 0), unit: 'MB', ...against(joined.peakRssBytes! / MB, joinedAll && joinedAll.peakRssBytes! / MB), ...withNote('device process, kernel high-water mark; baseline: the device following every document') })

    const away = await device.ask({ cmd: 'offline' })
    await baseline?.ask({ cmd: 'offline' })
    log(`parking device offline with ${away.parked} complete shards parked, ${away.followed} documents followed`)
    started = performance.now()
    await publisher.sync.publish(missed)
    await untilRelayHolds(publisher, (inSync, documents) => log(`(publisher stalled at ${inSync}/${documents} documents; reconnecting)`))
    log(`published ${MISSED} more entries in ${round(performance.now() - started, 0)} ms while the devices were offline`)
    const caught = await device.ask({ cmd: 'online', expect: size, verifier: 'hybrid' })
    log(`catch-up: ${round(caught.ms!, 0)} ms (entries held after ${round(caught.fetchMs!, 0)} ms), ${caught.reopened} of ${caught.parked! + caught.reopened!} parked shards reopened; RSS ${round(caught.rssBeforeBytes! / MB, 0)} MB → peak ${round(caught.peakRssBytes! / MB, 0)} MB`)
    const caughtAll = baseline ? await baseline.ask({ cmd: 'online', expect: size, verifier: 'hybrid' }) : undefined
    if (caughtAll) log(`baseline catch-up: ${round(caughtAll.ms!, 0)} ms; RSS ${round(caughtAll.rssBeforeBytes! / MB, 0)} MB → peak ${round(caughtAll.peakRssBytes! / MB, 0)} MB`)
    report({ name: 'catchup_1000_of_100k_ms', value: round(caught.ms!, 0), unit: 'ms', ...against(caught.ms!, caughtAll?.ms), ...withNote(`reconnect → 1,000 missed entries verified (hybrid), held and in the ledger; ${caught.parked} complete shards parked, ${caught.reopened} reopened after POST /heads; baseline: the device following every document`) })
    report({ name: 'catchup_peak_rss_mb', value: round(caught.peakRssBytes! / MB, 0), unit: 'MB', ...against(caught.peakRssBytes! / MB, caughtAll && caughtAll.peakRssBytes! / MB), ...withNote(`device process, kernel high-water mark during the catch-up (${round(caught.rssBeforeBytes! / MB, 0)} MB before); baseline: the device following every document`) })
  } finally {
    for (const forked of [device, baseline]) {
      if (!forked || forked.child.exitCode !== null) continue
      const exited = new Promise((resolve) => forked.child.once('exit', resolve))
      forked.child.send({ cmd: 'quit' })
      await Promise.race([exited, sleep(5000)])
      forked.child.kill('SIGKILL')
    }
    await publisher?.close()
    await relay?.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick')
  const at = process.argv.indexOf('--workers')
  const workers = at > 0 ? Number(process.argv[at + 1]) : undefined
  await run({ quick, report: (figure) => console.log(JSON.stringify(figure)), ...(workers !== undefined ? { workers } : {}) })
  process.exit(0)
}
