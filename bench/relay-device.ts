/**
 * One device for bench/relay.ts and bench/catchup.ts, in its own process so
 * that its memory is its own. Commands arrive over IPC; each is answered with
 * one message (times in ms, memory in bytes).
 *
 *   fetch   { syncUrl, genesis, expect }          fetch a pool (hybrid verifier), untimed set-up for relay.ts
 *   join    { syncUrl, genesis, expect, workers, park } a fresh device joins: fetch and verify every entry, then
 *                                                 compute the balances (Ledger); lines judged in `workers`
 *                                                 threads through PoolSync's judgeBatch (0: on the main thread);
 *                                                 `park`: PoolSync's parkCompleteShards, and `online` asks the
 *                                                 relay (POST /heads) which parked shards changed before it reconnects
 *   offline {}                                    drop the connection
 *   online  { expect, verifier? }                 reconnect and wait until `expect` entries are held
 *                                                 (and the ledger, if a join made one, has them)
 *   quit    {}                                    exit
 *
 * Verifiers: 'hybrid' is what a Node client uses (OpenSSL behind the
 * pre-checks, sync-server/native-verify.ts: the reference verdict on every
 * input); 'reference' is @noble/ed25519 alone. `online` defaults to the
 * reference (bench/relay.ts's historical figure); bench/catchup.ts asks for
 * 'hybrid'. The device's Repo is in memory, with the storm breaker every Repo
 * of the project installs.
 *
 * Peak RSS is the kernel's high-water mark (VmHWM), reset at the start of a
 * measurement through /proc/self/clear_refs, so a spike between two samples
 * is not missed; where that is unavailable it is sampled every 50 ms.
 *
 * Diagnostics: HEROES_BENCH_TRACE=1 prints progress, memory by kind (after a
 * full GC) and traffic; HEROES_BENCH_PROF=dir writes a CPU profile of each
 * command there; HEROES_BENCH_HEAP=file writes a heap snapshot after the join.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import { Worker } from 'node:worker_threads'
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { Ledger, referenceVerify, SignatureCache, verifyEntrySignature, type Entry, type EntryId, type Verifier } from '../core/index.ts'
import {
  askRelayForChanges, breakSyncStorms, judgeLines, MemoryVerifiedStore, PARK_CHECK_INTERVAL_MS, PoolSync, ResilientWebSocketClientAdapter, type LineJudgement,
} from '../core/sync/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'

type VerifierName = 'hybrid' | 'reference'

type Command =
  | { cmd: 'fetch'; syncUrl: string; genesis: Entry; expect: number }
  | { cmd: 'join'; syncUrl: string; genesis: Entry; expect: number; workers?: number; park?: boolean }
  | { cmd: 'offline' }
  | { cmd: 'online'; expect: number; verifier?: VerifierName }
  | { cmd: 'quit' }

const FAR_FUTURE = Date.UTC(2100, 0)

let repo: Repo | undefined
let relayUrl: string | undefined
let parking = false
let adapter: ResilientWebSocketClientAdapter | undefined
let store: MemoryVerifiedStore | undefined
let sync: PoolSync | undefined
let ledger: Ledger | undefined
let verifier: Verifier = verifyEd25519
const cache = new SignatureCache()
/** Messages received and their bytes (HEROES_BENCH_TRACE). */
const traffic = { messages: 0, bytes: 0 }
/** Entries that arrived since the ledger last took them. */
let unledgered: Entry[] = []

function send(message: Record<string, unknown>): void {
  process.send!(message)
}

/** The kernel's peak RSS since the last reset, or undefined where /proc is not there. */
function highWaterMark(): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/** Peak RSS from now on: the kernel's high-water mark where it can be reset, else samples (each costs a /proc read). */
function peakMeter(): { sample(): void; peak(): number } {
  let sampled = process.memoryUsage.rss()
  let kernel = false
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    kernel = highWaterMark() !== undefined
  } catch {
    kernel = false
  }
  let lastSample = performance.now()
  return {
    sample: () => {
      if (kernel || performance.now() - lastSample < 50) return
      lastSample = performance.now()
      sampled = Math.max(sampled, process.memoryUsage.rss())
    },
    peak: () => Math.max(sampled, (kernel ? highWaterMark() : undefined) ?? process.memoryUsage.rss()),
  }
}

async function waitForCount(count: number, meter: { sample(): void }): Promise<number> {
  const started = performance.now()
  let last = -1
  let lastAt = performance.now()
  while ((store?.size ?? 0) < count) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    meter.sample()
    if (store!.size !== last && process.env.HEROES_BENCH_TRACE) process.stderr.write(`${(performance.now() - started).toFixed(0)} ms: ${store!.size} (external ${Math.round(process.memoryUsage().external / 2 ** 20)} MB, ${traffic.messages} messages in, ${Math.round(traffic.bytes / 1024)} KB)\n`)
    // A sync that lost a message stalls until the next connection (see ResilientWebSocketClientAdapter.reconnect).
    if (store!.size !== last) {
      last = store!.size
      lastAt = performance.now()
    } else if (performance.now() - lastAt > 5000) {
      process.stderr.write(`(device stalled at ${last} entries; reconnecting) ${JSON.stringify(sync?.stats())}\n`)
      adapter!.reconnect()
      lastAt = performance.now()
    }
  }
  return performance.now() - started
}

/** A device: Repo (memory only, like the CLI), PoolSync, and a connection to the relay. */
async function connect(syncUrl: string, genesis: Entry, options: { judgeBatch?: JudgePool['judge']; park?: boolean } = {}): Promise<void> {
  relayUrl = syncUrl
  parking = options.park ?? false
  adapter = new ResilientWebSocketClientAdapter(syncUrl, 500)
  repo = new Repo({ network: [adapter], peerId: `bench-device-${process.pid}` as PeerId })
  breakSyncStorms(repo)
  store = new MemoryVerifiedStore([genesis])
  sync = new PoolSync({
    repo, pool: genesis.id as EntryId, store, signatureCache: cache, verifier: (s, m, k) => verifier(s, m, k),
    ...(options.judgeBatch ? { judgeBatch: options.judgeBatch } : {}),
    ...(options.park ? { parkCompleteShards: true } : {}),
  })
  // Core keeps no timer: this process looks for confirmed complete shards to park.
  if (options.park) setInterval(() => sync?.parkConfirmed(), PARK_CHECK_INTERVAL_MS).unref()
  if (process.env.HEROES_BENCH_TRACE) {
    repo.networkSubsystem.on('message', (message: { type: string; data?: Uint8Array }) => {
      traffic.messages++
      traffic.bytes += message.data?.byteLength ?? 0
    })
  }
  sync.onEntries((entries) => {
    if (ledger) for (const entry of entries) unledgered.push(entry)
  })
  // Wait for the relay's answer before asking for anything (a find before it concludes "unavailable").
  for (let i = 0; i < 250 && !(adapter.remotePeerId && repo.peers.length > 0); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  await sync.start()
}

/** MB by kind, after a full garbage collection where the process allows one (HEROES_BENCH_TRACE); external includes automerge's wasm memory. */
function memoryFigures(): Record<string, number> {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const usage = process.memoryUsage()
  const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024)
  return { rss: mb(usage.rss), heapUsed: mb(usage.heapUsed), heapTotal: mb(usage.heapTotal), external: mb(usage.external), gc: gc ? 1 : 0 }
}

// ---- judging in worker threads (join) -----------------------------------------

/**
 * The worker: core/sync's judgeLines (decode, check the id, verify) with the
 * hybrid verifier, on lines sent by the device. Plain CommonJS evaluated as a
 * worker; it registers tsx itself to load the TypeScript sources.
 */
const JUDGE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
;(async () => {
  const { register } = await import(workerData.tsx)
  register()
  const { verifyEntrySignature } = await import(workerData.core)
  const { judgeLines } = await import(workerData.ingest)
  const { verifyEd25519 } = await import(workerData.native)
  const verify = (entry) => verifyEntrySignature(entry, undefined, verifyEd25519)
  parentPort.on('message', ({ id, lines, pool }) => {
    const accepted = []
    const ignored = []
    // One line at a time, so that each verdict keeps its line's index.
    lines.forEach((pair, i) => {
      const judgement = judgeLines([pair], pool, verify, () => false)
      if (judgement.accepted.length > 0) accepted.push([i, judgement.accepted[0].entry])
      else ignored.push([i, judgement.ignored[0].reason])
    })
    parentPort.postMessage({ id, accepted, ignored })
  })
  parentPort.postMessage({ ready: true })
})()
`

type JudgeReply = { id: number; accepted: Array<[number, Entry]>; ignored: Array<[number, LineJudgement['ignored'][number]['reason']]> }

/**
 * Worker threads that judge lines for PoolSync's judgeBatch option: the same
 * judgeLines with the same hybrid verifier, so the same verdicts as judging
 * here; the device's main thread keeps automerge and the bookkeeping.
 */
class JudgePool {
  readonly #workers: Worker[] = []
  readonly #waiting = new Map<number, { resolve: (reply: JudgeReply) => void; reject: (error: Error) => void }>()
  #nextId = 0
  #closed = false

  static async start(count: number): Promise<JudgePool> {
    const pool = new JudgePool()
    const workerData = {
      tsx: import.meta.resolve('tsx/esm/api'),
      core: new URL('../core/index.ts', import.meta.url).href,
      ingest: new URL('../core/sync/ingest.ts', import.meta.url).href,
      native: new URL('../sync-server/native-verify.ts', import.meta.url).href,
    }
    await Promise.all(Array.from({ length: count }, async () => {
      const worker = new Worker(JUDGE_WORKER, { eval: true, workerData })
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject)
        worker.on('message', (message: JudgeReply | { ready: true }) => {
          if ('ready' in message) return resolve()
          pool.#waiting.get(message.id)?.resolve(message)
          pool.#waiting.delete(message.id)
        })
      })
      // A worker that dies fails what it was asked (PoolSync then judges those lines itself).
      worker.on('exit', () => pool.#failAll(new Error('a judge worker exited')))
      pool.#workers.push(worker)
    }))
    return pool
  }

  /** PoolSync's judgeBatch: the lines split across the workers, the judgement put back together in order. */
  readonly judge = async (lines: ReadonlyArray<readonly [string, string]>, pool: EntryId): Promise<LineJudgement> => {
    // Stopped after the join: a catch-up's few lines are judged here, as PoolSync would without this option.
    if (this.#closed) return judgeLines(lines, pool, (entry) => verifyEntrySignature(entry, cache, verifier), () => false)
    const parts = Math.min(this.#workers.length, Math.ceil(lines.length / 32))
    const size = Math.ceil(lines.length / parts)
    const replies = await Promise.all(Array.from({ length: parts }, (_, p) => {
      const id = this.#nextId++
      return new Promise<JudgeReply & { offset: number }>((resolve, reject) => {
        this.#waiting.set(id, { resolve: (reply) => resolve({ ...reply, offset: p * size }), reject })
        this.#workers[p]!.postMessage({ id, lines: lines.slice(p * size, (p + 1) * size), pool })
      })
    }))
    const judgement: LineJudgement = { accepted: [], ignored: [] }
    for (const { offset, accepted, ignored } of replies) {
      for (const [i, entry] of accepted) judgement.accepted.push({ key: lines[offset + i]![0], line: lines[offset + i]![1], entry })
      for (const [i, reason] of ignored) judgement.ignored.push({ key: lines[offset + i]![0], line: lines[offset + i]![1], reason })
    }
    return judgement
  }

  #failAll(error: Error): void {
    for (const { reject } of this.#waiting.values()) reject(error)
    this.#waiting.clear()
  }

  async close(): Promise<void> {
    this.#closed = true
    await Promise.all(this.#workers.map((worker) => worker.terminate()))
  }
}

// ---- commands ----------------------------------------------------------------

/** HEROES_BENCH_PROF=dir: a CPU profile of each measured command, written there as <cmd>.cpuprofile. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.HEROES_BENCH_PROF
  if (!dir) return work()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 500 })
  await session.post('Profiler.start')
  try {
    return await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile))
    session.disconnect()
  }
}

process.on('message', (command: Command) => {
  void profiled(command.cmd, async () => {
    if (command.cmd === 'fetch') {
      verifier = verifyEd25519
      await connect(command.syncUrl, command.genesis)
      const ms = await waitForCount(command.expect, { sample: () => {} })
      send({ done: 'fetch', ms, rssBytes: process.memoryUsage.rss(), documents: sync!.stats().documentsFollowed })
    } else if (command.cmd === 'join') {
      verifier = verifyEd25519
      const meter = peakMeter()
      const started = performance.now()
      const workers = command.workers ?? 0
      const pool = workers > 0 ? await JudgePool.start(workers) : undefined
      await connect(command.syncUrl, command.genesis, { ...(pool ? { judgeBatch: pool.judge } : {}), park: command.park ?? false })
      await waitForCount(command.expect, meter)
      const fetchedMs = performance.now() - started
      await pool?.close()
      // Shows balances: the ledger over every verified entry (verdicts come from the cache PoolSync filled).
      const ledgerStarted = performance.now()
      ledger = new Ledger(command.genesis.id as EntryId, { cache, verifier })
      ledger.add(await store!.all(), FAR_FUTURE)
      const balances = ledger.result().balances
      const ledgerMs = performance.now() - ledgerStarted
      meter.sample()
      if (process.env.HEROES_BENCH_TRACE) process.stderr.write(`memory after join: ${JSON.stringify(memoryFigures())}\n`)
      if (process.env.HEROES_BENCH_HEAP) writeHeapSnapshot(process.env.HEROES_BENCH_HEAP)
      send({
        done: 'join', ms: performance.now() - started, fetchMs: fetchedMs, ledgerMs, peakRssBytes: meter.peak(), rssBytes: process.memoryUsage.rss(),
        members: Object.keys(balances).length, documents: sync!.stats().documentsFollowed, parked: sync!.parked().size,
      })
    } else if (command.cmd === 'quit') {
      process.exit(0)
    } else if (command.cmd === 'offline') {
      // A parking device parks each complete shard once the relay confirms it (checked every second): let that finish.
      let parked = -1
      for (let steady = 0, i = 0; parking && steady < 3 && i < 60; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000))
        steady = sync!.parked().size === parked ? steady + 1 : 0
        parked = sync!.parked().size
      }
      adapter!.disconnect()
      send({ done: 'offline', parked: sync!.parked().size, followed: sync!.handles().size })
    } else if (command.cmd === 'online') {
      verifier = (command.verifier ?? 'reference') === 'reference' ? referenceVerify : verifyEd25519
      const rssBefore = process.memoryUsage.rss()
      const meter = peakMeter()
      const started = performance.now()
      // One request: which parked shards changed while away; only those are opened again.
      const reopened = sync!.parked().size > 0 ? await sync!.checkParked(askRelayForChanges(relayUrl!, repo!.peerId)) : 0
      adapter!.connect(repo!.peerId, { isEphemeral: true })
      await waitForCount(command.expect, meter)
      const fetchedMs = performance.now() - started
      if (ledger) {
        const fresh = unledgered
        unledgered = []
        ledger.add(fresh, FAR_FUTURE)
        ledger.result()
      }
      meter.sample()
      if (process.env.HEROES_BENCH_TRACE) process.stderr.write(`memory after catch-up: ${JSON.stringify(memoryFigures())}\n`)
      send({
        done: 'online', ms: performance.now() - started, fetchMs: fetchedMs, rssBeforeBytes: rssBefore, peakRssBytes: meter.peak(),
        parked: sync!.parked().size, reopened, followed: sync!.handles().size,
      })
    }
  }).catch((error: unknown) => send({ error: error instanceof Error ? error.message : String(error) }))
})
