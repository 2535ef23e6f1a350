/**
 * Thousands of phones on one relay (issue 14, item 3), with light clients so
 * that the relay, not the clients, is measured:
 *
 *   relay_fanout_p99_ms          p99 of publish → arrival at every follower, 1,000 followers
 *   relay_fanout_knee_clients    the most followers (1,000, 2,000, 3,000, 5,000) whose p99 stays ≤ 1 s
 *
 *   node --import tsx bench/relay-fanout.ts [--quick]
 *
 * A light client is one WebSocket speaking automerge-repo's protocol (join,
 * request, sync) for the one document it follows, with a plain automerge
 * document and sync state: no Repo, no PoolSync, no verification. Ten
 * followers share each document (a pool's shard); one publisher (a Repo)
 * writes 20 changes a second spread over the documents, each carrying its
 * publish time, and every follower records when each arrives. The relay runs
 * in its own process (sync-server/main.ts). --quick: 200 followers for 3 s.
 *
 * bench/sync.ts's fan-out (full Repo clients with PoolSync, in device
 * processes) reports as relay_fanout_repo_*: it measures the clients' machine
 * as much as the relay (docs/performance.md).
 */
import { pathToFileURL } from 'node:url'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Automerge from '@automerge/automerge'
import { cbor, Repo, type DocHandle, type DocumentId, type PeerId } from '@automerge/automerge-repo'
import { WebSocket } from 'ws'
import { firstChangeOf, ResilientWebSocketClientAdapter, shardDocumentId, type SyncDocument } from '../core/sync/index.ts'
import { spawnRelay } from '../sync-server/test/relayProcess.ts'
import { percentile, round, type BenchContext } from './figures.ts'

export const FOLLOWERS_PER_DOCUMENT = 10
export const PUBLISHES_PER_SECOND = 20
const KNEE_P99_MS = 1_000
export const RELAY_FLAGS = ['--messages-per-second-max', '100000', '--connections-max', '10000', '--documents-per-connection-max', '100000']

const log = (line: string): void => void process.stderr.write(`  ${line}\n`)
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
export const now = (): number => performance.timeOrigin + performance.now()

/** A publisher: a Repo on `syncUrl` holding `documents` shard documents, each already on the relay with one change. */
export async function openPublisher(syncUrl: string, label: string, documents: number, author: string): Promise<{ publisher: Repo; ids: DocumentId[]; handles: Array<DocHandle<SyncDocument>> }> {
  const adapter = new ResilientWebSocketClientAdapter(syncUrl, 500)
  const publisher = new Repo({ network: [adapter], peerId: `${label}-${process.pid}` as PeerId })
  while (publisher.peers.length === 0) await sleep(5)
  const ids = Array.from({ length: documents }, (_, i) => shardDocumentId(author.repeat(64) as never, i.toString(16).padStart(64, '0') as never, 0))
  const handles = ids.map((id) => publisher.import<SyncDocument>(firstChangeOf(id), { docId: id }))
  // Every document on the relay before anyone follows it.
  for (const handle of handles) handle.change((doc) => {
    doc.entries['start/x'] = new Automerge.ImmutableString('start')
  })
  await publisher.flush(ids)
  return { publisher, ids, handles }
}

/** Writes PUBLISHES_PER_SECOND changes a second round the documents for `seconds`, each keyed by its publish time; returns how many. */
export async function publishFor(handles: ReadonlyArray<DocHandle<SyncDocument>>, seconds: number): Promise<number> {
  let published = 0
  const deadline = performance.now() + seconds * 1000
  while (performance.now() < deadline) {
    const key = `${published}/${now()}`
    handles[published % handles.length]!.change((doc) => {
      doc.entries[key] = new Automerge.ImmutableString(key)
    })
    published++
    await sleep(1000 / PUBLISHES_PER_SECOND)
  }
  return published
}

/** One follower: a socket, and for its document a plain automerge document and sync state. */
export class LightFollower {
  readonly #socket: WebSocket
  readonly #peerId: string
  readonly #documentId: DocumentId
  #relay: string | undefined
  #doc = Automerge.init<SyncDocument>()
  #state = Automerge.initSyncState()
  readonly #seen = new Set<string>()

  private constructor(socket: WebSocket, peerId: string, documentId: DocumentId, onArrival: (publishedAt: number) => void) {
    this.#socket = socket
    this.#peerId = peerId
    this.#documentId = documentId
    socket.on('message', (data: ArrayBuffer) => {
      const message = cbor.decode(new Uint8Array(data)) as { type: string; senderId: string; documentId?: string; data?: Uint8Array }
      if (message.type === 'peer') {
        this.#relay = message.senderId
        this.#ask('request')
      } else if (message.type === 'sync' && message.documentId === this.#documentId && message.data) {
        ;[this.#doc, this.#state] = Automerge.receiveSyncMessage(this.#doc, this.#state, message.data)
        const entries = (this.#doc as { entries?: Record<string, Automerge.ImmutableString> }).entries ?? {}
        for (const key of Object.keys(entries)) {
          if (this.#seen.has(key)) continue
          this.#seen.add(key)
          const publishedAt = Number(key.split('/')[1])
          if (Number.isFinite(publishedAt)) onArrival(publishedAt)
        }
        this.#ask('sync')
      }
    })
  }

  static async open(url: string, peerId: string, documentId: DocumentId, onArrival: (publishedAt: number) => void): Promise<LightFollower> {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    socket.binaryType = 'arraybuffer'
    socket.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    const follower = new LightFollower(socket, peerId, documentId, onArrival)
    socket.send(cbor.encode({ type: 'join', senderId: peerId, peerMetadata: { isEphemeral: true }, supportedProtocolVersions: ['1'] }))
    return follower
  }

  #ask(type: 'request' | 'sync'): void {
    const [state, data] = Automerge.generateSyncMessage(this.#doc, this.#state)
    this.#state = state
    if (!data || this.#socket.readyState !== WebSocket.OPEN) return
    this.#socket.send(cbor.encode({ type, senderId: this.#peerId, targetId: this.#relay, documentId: this.#documentId, data }))
  }

  close(): void {
    this.#socket.terminate()
  }
}

export interface Step {
  readonly followers: number
  readonly p50: number
  readonly p99: number
  readonly delivered: number
  readonly expected: number
  readonly relayCpuPercent: number
  /** The server's peak resident memory (VmHWM) by the end, MiB. */
  readonly rssMb: number
}

export async function relayCpuSeconds(pid: number): Promise<number> {
  const { readFileSync } = await import('node:fs')
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** A sync server under measurement, in a process of its own. */
export interface ServerUnderTest {
  readonly syncUrl: string
  readonly pid: number
  stop(): Promise<void>
}

/** The Heroes relay (sync-server/main.ts) on a fresh data folder. */
export async function startHeroesRelay(): Promise<ServerUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heroes-bench-fanout-'))
  const relay = await spawnRelay(['--port', '0', '--data-dir', dataDir, ...RELAY_FLAGS])
  return {
    syncUrl: relay.syncUrl, pid: relay.child.pid!,
    async stop() {
      await relay.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Peak resident memory of a process so far (VmHWM), in MiB. */
export async function peakRssMb(pid: number): Promise<number> {
  const { readFileSync } = await import('node:fs')
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : Number.NaN
}

/** `followers` light followers on a server from `start`, one publisher writing for `seconds`. */
export async function measure(followers: number, seconds: number, start: () => Promise<ServerUnderTest> = startHeroesRelay): Promise<Step> {
  const relay = await start()
  const documents = Math.ceil(followers / FOLLOWERS_PER_DOCUMENT)
  const opened: LightFollower[] = []
  let publisher: Repo | undefined
  try {
    const { publisher: opening, ids, handles } = await openPublisher(relay.syncUrl, 'bench-publisher', documents, 'f')
    publisher = opening
    await sleep(1000)
    const latencies: number[] = []
    let publishing = false
    const onArrival = (publishedAt: number): void => {
      if (publishing) latencies.push(now() - publishedAt)
    }
    const started = performance.now()
    for (let i = 0; i < followers; i++) {
      opened.push(await LightFollower.open(relay.syncUrl, `light-${process.pid}-${followers}-${i}`, ids[i % documents]!, onArrival))
      if (i % 500 === 499) await sleep(50)
    }
    await sleep(2000 + followers) // the first syncs settle
    log(`${followers} followers on ${documents} documents connected in ${round((performance.now() - started) / 1000, 1)} s`)
    publishing = true
    const cpuBefore = await relayCpuSeconds(relay.pid)
    const cpuStarted = performance.now()
    const published = await publishFor(handles, seconds)
    await sleep(5000) // late arrivals count, up to 5 s after the last publish
    const cpu = ((await relayCpuSeconds(relay.pid)) - cpuBefore) / ((performance.now() - cpuStarted) / 1000)
    const rssMb = await peakRssMb(relay.pid)
    publishing = false
    const expected = published * FOLLOWERS_PER_DOCUMENT
    // Deliveries that never came count as the wait itself, so a lost message raises the p99 instead of vanishing.
    const missing = Math.max(0, expected - latencies.length)
    const all = [...latencies, ...Array.from({ length: missing }, () => 5000 + seconds * 1000)]
    return { followers, p50: percentile(all, 50), p99: percentile(all, 99), delivered: latencies.length, expected, relayCpuPercent: cpu * 100, rssMb }
  } finally {
    for (const follower of opened) follower.close()
    await publisher?.shutdown().catch(() => {})
    await relay.stop()
  }
}

export async function run({ quick, report }: BenchContext): Promise<void> {
  const sizes = quick ? [200] : [1000, 2000, 3000, 5000]
  const seconds = quick ? 3 : 10
  const steps: Step[] = []
  for (const followers of sizes) {
    const step = await measure(followers, seconds)
    steps.push(step)
    log(`${followers} followers: p50 ${round(step.p50, 0)} ms, p99 ${round(step.p99, 0)} ms, ${step.delivered} of ${step.expected} delivered, relay ${round(step.relayCpuPercent, 0)} % of a core`)
    if (step.p99 > KNEE_P99_MS) break
  }
  const first = steps[0]!
  report({
    name: 'relay_fanout_p99_ms', value: round(first.p99, 0), unit: 'ms',
    note: `relay_clients ${first.followers} light followers (${FOLLOWERS_PER_DOCUMENT} a document), ${PUBLISHES_PER_SECOND} changes/s for ${seconds} s; p50 ${round(first.p50, 0)} ms; ${first.delivered} of ${first.expected} delivered; relay ${round(first.relayCpuPercent, 0)} % of a core${quick ? ' (quick: not 1,000 clients)' : ''}`,
  })
  report({ name: 'relay_fanout_p50_ms', value: round(first.p50, 0), unit: 'ms', note: `relay_clients ${first.followers} light followers` })
  report({ name: 'relay_clients', value: first.followers, unit: 'clients', note: 'light followers (bench/relay-fanout.ts)' })
  const knee = steps.filter((step) => step.p99 <= KNEE_P99_MS).at(-1)?.followers ?? 0
  report({
    name: 'relay_fanout_knee_clients', value: knee, unit: 'clients',
    note: `most followers measured (${steps.map((step) => `${step.followers}: p99 ${round(step.p99, 0)} ms`).join(', ')}) whose p99 stays ≤ ${KNEE_P99_MS} ms${steps.every((step) => step.p99 <= KNEE_P99_MS) ? '; not reached within the sizes tried' : ''}`,
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run({ quick: process.argv.includes('--quick'), report: (figure) => console.log(JSON.stringify(figure)) })
  process.exit(0)
}
