/**
 * heroes sync --relay URL --log LOG [--timeout-seconds N]
 *
 * Merges the pool in LOG with the relay's copy both ways and rewrites LOG as
 * the union: every verified entry of the pool, one canonical line each,
 * sorted by (time, id), no duplicates. A LOG holding only the genesis line
 * fetches the whole pool.
 *
 * Done means: every document derivable from the entries held has been asked
 * for and read (following new members as they appear), and the relay's heads
 * equal ours for each of them, so the relay holds every entry of LOG. Exit 0
 * then; 1 with one line when the relay cannot be reached, refuses, or does not
 * get there in time; 2 for bad flags or a bad LOG.
 */
import { randomUUID } from 'node:crypto'
import { renameSync, writeFileSync } from 'node:fs'
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { ResilientWebSocketClientAdapter } from '../../core/sync/index.ts'
import { WebSocket } from 'ws'
import { encodeEntry, type Entry, type EntryId } from '../../core/index.ts'
import { breakSyncStorms, documentsInSyncWith, MemoryVerifiedStore, PoolSync } from '../../core/sync/index.ts'
import { integerFlag, parseFlags, required } from '../args.ts'
import { RuntimeError, UsageError } from '../errors.ts'
import { readLog } from '../files.ts'

const OPTIONS = {
  relay: { type: 'string' },
  log: { type: 'string' },
  'timeout-seconds': { type: 'string' },
} as const

const TIMEOUT_SECONDS_DEFAULT = 60
const TIMEOUT_SECONDS_MAX = 86_400
/** How often "done" is checked while waiting. */
const POLL_MS = 50
/** Milliseconds without progress after which the connection is made again (see ResilientWebSocketClientAdapter.reconnect). */
const STALL_MS = 15_000

export async function run(argv: string[]): Promise<number> {
  try {
    const summary = await syncLog(argv)
    process.stdout.write(`${summary}\n`)
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`heroes sync: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`heroes sync: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

/** The union both ways; returns the summary line, throws UsageError or RuntimeError (for the gateway service too). */
export async function syncLog(argv: string[]): Promise<string> {
  const { values } = parseFlags(argv, OPTIONS)
  const relayUrl = syncUrlOf(required(values.relay, 'relay'))
  const logPath = required(values.log, 'log')
  const timeoutMs = (integerFlag(values['timeout-seconds'], 'timeout-seconds', 1, TIMEOUT_SECONDS_MAX) ?? TIMEOUT_SECONDS_DEFAULT) * 1000
  const deadline = Date.now() + timeoutMs

  const log = readLog(logPath)
  if (log.malformed.length > 0) {
    const first = log.malformed[0]!
    throw new UsageError(`expected every line of ${logPath} to be an entry, got line ${first.line}: ${first.detail}`)
  }
  const pool = poolOf(log.entries, logPath)

  await reachRelay(relayUrl, Math.min(timeoutMs, 10_000))

  const adapter = new ResilientWebSocketClientAdapter(relayUrl, 1000)
  const closes = watchCloses(adapter)
  const repo = new Repo({ network: [adapter], peerId: `cli-${randomUUID()}` as PeerId })
  breakSyncStorms(repo)
  const store = new MemoryVerifiedStore()
  const sync = new PoolSync({ repo, pool, store })
  // The adapter throws some socket errors from an event handler; turn them into this command's one line.
  let socketError: Error | undefined
  const onUncaught = (error: Error): void => {
    socketError = error
  }
  process.on('uncaughtException', onUncaught)
  try {
    // Wait for the relay's answer before asking for anything: the adapter calls
    // itself ready after 1 s regardless, and a find before the relay answers
    // concludes "unavailable" (PERF-NOTES pitfall 4).
    await until(() => adapter.remotePeerId !== undefined && repo.peers.includes(adapter.remotePeerId), deadline, () => closes.refusal() ?? socketError?.message ?? `expected the relay at ${relayUrl} to answer the sync handshake within ${timeoutMs / 1000} s, got no answer`)
    await sync.start()
    const refused = await sync.publish(log.entries)
    if (refused.length > 0) {
      const first = refused[0]!
      throw new UsageError(`expected every entry of ${logPath} to be valid in pool ${pool}, got ${refused.length} refused (first ${first.entry.id}: ${first.reason})`)
    }
    let lastProgress = ''
    let lastProgressAt = Date.now()
    await until(async () => {
      const failure = closes.refusal() ?? socketError?.message
      if (failure) throw new RuntimeError(failure)
      await sync.settled()
      const relayPeer = adapter.remotePeerId as PeerId
      const progress = documentsInSyncWith(repo, sync.handles().values(), relayPeer)
      const signature = `${progress.documents}/${progress.inSync}/${sync.stats().entries}`
      if (signature !== lastProgress) {
        lastProgress = signature
        lastProgressAt = Date.now()
      } else if (Date.now() - lastProgressAt > STALL_MS) {
        adapter.reconnect()
        lastProgressAt = Date.now()
      }
      return progress.documents > 0 && progress.inSync === progress.documents
    }, deadline, () => {
      const progress = documentsInSyncWith(repo, sync.handles().values(), adapter.remotePeerId as PeerId)
      return `expected the relay to match our ${progress.documents} documents within ${timeoutMs / 1000} s, got ${progress.waiting.length} still differing`
    })
    const entries = await store.all()
    const before = new Set(log.entries.map((entry) => entry.id))
    const fetched = entries.filter((entry) => !before.has(entry.id)).length
    writeLog(logPath, entries)
    const stats = sync.stats()
    const ignored = Object.values(stats.ignored).reduce((sum, count) => sum + count, 0)
    return `synced pool ${pool} with ${relayUrl}: ${entries.length} entries (${fetched} new from the relay), ${stats.documentsFollowed} documents, ${ignored} invalid lines ignored`
  } finally {
    process.off('uncaughtException', onUncaught)
    sync.close()
    closes.stop()
    await repo.shutdown().catch(() => {})
  }
}

/** Accepts ws(s)://host/sync, or http(s)://host or ws(s)://host with no path (the relay's address), which mean its /sync. */
export function syncUrlOf(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`expected --relay a URL like ws://127.0.0.1:8080/sync, got ${JSON.stringify(value)}`)
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`expected --relay a ws://, wss://, http:// or https:// URL, got ${JSON.stringify(value)}`)
  // The relay's one WebSocket endpoint: ws://host:port alone (found by trying it: HTTP 404) means it too.
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/sync'
  return url.toString()
}

function poolOf(entries: readonly Entry[], logPath: string): EntryId {
  const pools = new Set(entries.map((entry) => entry.pool))
  if (pools.size === 0) throw new UsageError(`expected ${logPath} to hold at least the pool's genesis line, got no entries`)
  if (pools.size > 1) throw new UsageError(`expected ${logPath} to hold one pool, got entries of ${pools.size} pools`)
  const pool = [...pools][0]!
  if (!entries.some((entry) => entry.type === 'pool' && entry.id === pool)) {
    throw new UsageError(`expected ${logPath} to hold the genesis entry of pool ${pool}, got none`)
  }
  return pool
}

/** One plain WebSocket handshake first, so an unreachable or refusing relay gives one clear line. */
async function reachRelay(url: string, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs })
    const fail = (why: string): void => {
      socket.removeAllListeners()
      socket.on('error', () => {})
      socket.terminate()
      reject(new RuntimeError(`cannot reach the relay at ${url}: ${why}`))
    }
    socket.on('open', () => {
      socket.close(1000)
      resolve()
    })
    socket.on('unexpected-response', (_request, response) => fail(`HTTP ${response.statusCode}${response.headers['x-heroes-limit'] ? ` (${String(response.headers['x-heroes-limit'])})` : ''}`))
    socket.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message))
  })
}

/** Remembers the first close the relay sent with a reason (a limit it enforced). */
function watchCloses(adapter: ResilientWebSocketClientAdapter): { refusal(): string | undefined; stop(): void } {
  let refusal: string | undefined
  const watched = new WeakSet<object>()
  const timer = setInterval(() => {
    const socket = adapter.socket as unknown as { on?: WebSocket['on'] } | undefined
    if (!socket || watched.has(socket) || typeof socket.on !== 'function') return
    watched.add(socket)
    ;(socket as WebSocket).on('close', (code: number, reason: Buffer) => {
      if (code >= 4000 || code === 1009) refusal ??= `the relay closed the connection: ${code} ${reason.toString()}`
    })
  }, 10)
  return { refusal: () => refusal, stop: () => clearInterval(timer) }
}

async function until(condition: () => boolean | Promise<boolean>, deadline: number, timeoutMessage: () => string): Promise<void> {
  for (;;) {
    if (await condition()) return
    if (Date.now() > deadline) throw new RuntimeError(timeoutMessage())
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** Sorted by (time, id), one canonical line each, written to a temporary file and renamed over LOG. */
function writeLog(path: string, entries: Entry[]): void {
  const sorted = [...entries].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, sorted.map((entry) => encodeEntry(entry) + '\n').join(''))
  renameSync(temporary, path)
}
