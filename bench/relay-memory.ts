/**
 * A relay holding many pools in bounded memory (issue 14, item 2):
 *
 *   relay_1m_entries_rss_mb          peak RSS of a relay holding 1,000 pools × 1,000 entries on disk
 *                                    while clients touch random pools (every document of each), with
 *                                    the default --memory-budget-mb 512; baseline: the same touches on
 *                                    a relay that never evicts, in the same run
 *   relay_cold_pool_first_entry_ms   median time from asking for a pool not touched since the relay
 *                                    started to holding its first entry (the genesis shard), on the
 *                                    evicting relay; baseline: the same on the relay that never evicts
 *
 *   node --import tsx bench/relay-memory.ts [--quick] [--touches N]
 *
 * The pools are generated once (signed natively, ~2 min for 1M entries) and
 * written as shard documents into a fixture folder under .tmp/ at the
 * repository's root (`.tmp/bench-relay-<pools>x<entries>/`), reused by later
 * runs; each run links the files into a fresh data directory (`cp -al`: the
 * relay replaces files by rename and never writes into one, so the fixture
 * stays as it was). 500 touches (about 5 minutes); --quick: 100 pools, 100 touches, --memory-budget-mb 192
 * (100k entries fit 512 MB without an eviction).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as Automerge from '@automerge/automerge'
import { Repo, type DocumentId, type PeerId } from '@automerge/automerge-repo'
import { encodeEntry, type Entry } from '../core/index.ts'
import { firstChangeOf, homeDocumentsOf, readDocumentLines, ResilientWebSocketClientAdapter, shardDocumentId, type SyncDocument } from '../core/sync/index.ts'
import { DiskStorageAdapter } from '../sync-server/diskStorage.ts'
import { spawnRelay, type RelayProcess } from '../sync-server/test/relayProcess.ts'
import { median, percentile, round, type BenchContext } from './figures.ts'
import { generatePool } from './pool-gen.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ENTRIES_PER_POOL = 1000
const MEMBERS_PER_POOL = 4
const TOUCHES_IN_FLIGHT = 4
const RELAY_LIMITS = ['--messages-per-second-max', '100000', '--connections-max', '10000', '--documents-per-connection-max', '100000']
const MB = 1024 * 1024
/** A budget no run reaches: the relay that never evicts. */
const NO_BUDGET_MB = 1024 * 1024

const log = (line: string): void => void process.stderr.write(`  ${line}\n`)
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface FixturePool {
  readonly pool: string
  /** The gatekeeper's first shard, which holds the genesis. */
  readonly first: DocumentId
  readonly documents: DocumentId[]
}

/** The fixture folder for `pools` pools, generated when missing. */
export async function fixture(pools: number): Promise<{ dir: string; pools: FixturePool[] }> {
  const dir = join(ROOT, '.tmp', `bench-relay-${pools}x${ENTRIES_PER_POOL}`)
  const manifest = join(dir, 'pools.json')
  if (existsSync(manifest)) return { dir, pools: JSON.parse(readFileSync(manifest, 'utf8')) as FixturePool[] }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const storage = new DiskStorageAdapter(join(dir, 'automerge'))
  await storage.init()
  const started = performance.now()
  const made: FixturePool[] = []
  for (let index = 0; index < pools; index++) {
    const generated = generatePool(ENTRIES_PER_POOL, MEMBERS_PER_POOL, Date.UTC(2026, 0, 1), { nonce: index.toString(16).padStart(32, '0') })
    const homes = new Map<DocumentId, Entry[]>()
    for (const entry of generated.entries) {
      for (const home of homeDocumentsOf(entry)) {
        let list = homes.get(home)
        if (!list) homes.set(home, (list = []))
        list.push(entry)
      }
    }
    for (const [documentId, list] of homes) {
      let doc = Automerge.clone(Automerge.load<SyncDocument>(firstChangeOf(documentId)))
      // Changes of 100 entries, as a device catching up would write them.
      for (let start = 0; start < list.length; start += 100) {
        doc = Automerge.change(doc, (draft) => {
          for (const entry of list.slice(start, start + 100)) draft.entries[entry.id] = new Automerge.ImmutableString(encodeEntry(entry))
        })
      }
      await storage.save([documentId, 'snapshot', 'seeded'], Automerge.save(doc))
    }
    const genesis = generated.entries[0]!
    made.push({ pool: generated.pool, first: shardDocumentId(generated.pool, genesis.author, 0), documents: [...homes.keys()] })
    if ((index + 1) % 100 === 0) log(`fixture: ${index + 1} of ${pools} pools in ${round((performance.now() - started) / 1000, 0)} s`)
  }
  writeFileSync(manifest, JSON.stringify(made) + '\n')
  log(`fixture: ${pools} pools × ${ENTRIES_PER_POOL} entries generated into ${dir} in ${round((performance.now() - started) / 1000, 1)} s (reused by later runs)`)
  return { dir, pools: made }
}

/** The kernel's figures for a process, in bytes: resident now and its high-water mark. */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

async function metric(relay: RelayProcess, name: string): Promise<number> {
  const text = await (await fetch(`${relay.httpUrl}/metrics`)).text()
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
}

/** A small deterministic generator, so both relays see the same touches. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let clientCounter = 0

/** One client touches one pool: connects, asks for the genesis shard (timed), then every other document. */
async function touch(syncUrl: string, pool: FixturePool): Promise<number> {
  const adapter = new ResilientWebSocketClientAdapter(syncUrl, 1000)
  const repo = new Repo({ network: [adapter], peerId: `bench-memory-${process.pid}-${clientCounter++}` as PeerId })
  try {
    while (repo.peers.length === 0) await sleep(2)
    const started = performance.now()
    const first = await repo.find<SyncDocument>(pool.first)
    if (readDocumentLines(first.doc(), 1).lines.length === 0) throw new Error(`expected the genesis shard of ${pool.pool.slice(0, 12)} to hold entries, got none`)
    const ms = performance.now() - started
    await Promise.all(pool.documents.filter((id) => id !== pool.first).map((id) => repo.find(id)))
    return ms
  } finally {
    await repo.shutdown().catch(() => {})
  }
}

interface Measured {
  readonly peakRssBytes: number
  readonly endRssBytes: number
  readonly coldFirstMs: number[]
  readonly evictions: number
  readonly documentsInMemory: number
  readonly seconds: number
}

async function measure(fixtureDir: string, pools: FixturePool[], touches: number, budgetMb: number): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heroes-bench-memory-'))
  let relay: RelayProcess | undefined
  try {
    const linked = spawnSync('cp', ['-al', join(fixtureDir, 'automerge'), join(dataDir, 'automerge')])
    if (linked.status !== 0) throw new Error(`expected cp -al to link the fixture, got ${linked.stderr.toString()}`)
    relay = await spawnRelay(['--port', '0', '--data-dir', dataDir, '--memory-budget-mb', String(budgetMb), ...RELAY_LIMITS])
    const pid = relay.child.pid!
    let peak = rssOf(pid).rss
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid).rss)
    }, 100)
    const next = random(14)
    const order = Array.from({ length: touches }, () => pools[Math.floor(next() * pools.length)]!)
    const touched = new Set<string>()
    const coldFirstMs: number[] = []
    const started = performance.now()
    let at = 0
    const worker = async (): Promise<void> => {
      while (at < order.length) {
        const pool = order[at++]!
        const cold = !touched.has(pool.pool)
        touched.add(pool.pool)
        const ms = await touch(relay!.syncUrl, pool)
        if (cold) coldFirstMs.push(ms)
        if (at % 100 === 0) log(`  ${at} touches, relay RSS ${round(rssOf(pid).rss / MB, 0)} MB`)
      }
    }
    await Promise.all(Array.from({ length: TOUCHES_IN_FLIGHT }, worker))
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    const now = rssOf(pid)
    return {
      peakRssBytes: Math.max(peak, now.peak), endRssBytes: now.rss, coldFirstMs, seconds,
      evictions: await metric(relay, 'heroes_relay_evictions_total'),
      documentsInMemory: await metric(relay, 'heroes_relay_documents'),
    }
  } finally {
    await relay?.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function run({ quick, report, touches }: BenchContext & { touches?: number }): Promise<void> {
  const poolCount = quick ? 100 : 1000
  const count = touches ?? (quick ? 100 : 500)
  const { dir, pools } = await fixture(poolCount)
  const size = `${poolCount} pools × ${ENTRIES_PER_POOL} entries (${poolCount * ENTRIES_PER_POOL} on disk)`
  // Quick: 100k entries fit 512 MB without evicting anything; a smaller budget still exercises eviction.
  const budgetMb = quick ? 192 : 512
  const bounded = await measure(dir, pools, count, budgetMb)
  log(`budget ${budgetMb} MB: peak RSS ${round(bounded.peakRssBytes / MB, 0)} MB, ${bounded.evictions} evictions, ${bounded.documentsInMemory} documents in memory at the end, ${count} touches in ${round(bounded.seconds, 1)} s`)
  const unbounded = await measure(dir, pools, count, NO_BUDGET_MB)
  log(`no budget: peak RSS ${round(unbounded.peakRssBytes / MB, 0)} MB, ${unbounded.documentsInMemory} documents in memory at the end, ${count} touches in ${round(unbounded.seconds, 1)} s`)
  const note = `${size}${quick ? ' (quick: not 1M)' : ''}; ${count} touches of random pools, ${TOUCHES_IN_FLIGHT} at a time, each every document of the pool`
  report({
    name: 'relay_1m_entries_rss_mb', value: round(bounded.peakRssBytes / MB, 0), unit: 'MB',
    baseline: round(unbounded.peakRssBytes / MB, 0), ratio: round(bounded.peakRssBytes / unbounded.peakRssBytes, 2),
    note: `${note}; relay peak RSS with --memory-budget-mb ${budgetMb} (${bounded.evictions} evictions) vs a relay that never evicts`,
  })
  const coldMedian = median(bounded.coldFirstMs)
  const baselineMedian = median(unbounded.coldFirstMs)
  report({
    name: 'relay_cold_pool_first_entry_ms', value: round(coldMedian, 1), unit: 'ms', baseline: round(baselineMedian, 1), ratio: round(coldMedian / baselineMedian, 2),
    note: `median of ${bounded.coldFirstMs.length} first touches (p95 ${round(percentile(bounded.coldFirstMs, 95), 0)} ms), ${TOUCHES_IN_FLIGHT} in flight; connected client asks for the genesis shard → holds its first line; baseline: the relay that never evicts`,
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick')
  const at = process.argv.indexOf('--touches')
  const touches = at > 0 ? Number(process.argv[at + 1]) : undefined
  await run({ quick, report: (figure) => console.log(JSON.stringify(figure)), ...(touches !== undefined ? { touches } : {}) })
  process.exit(0)
}
