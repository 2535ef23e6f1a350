/**
 * The relay: a plain automerge-repo peer with storage on disk and limits,
 * reachable over WebSocket at /sync, with /healthz, /metrics, /witness, /mailbox (mailbox.ts) and the
 * PWA's files on the same port. It never needs a key of any pool: it carries
 * documents and cannot tell money from garbage (devices verify everything).
 * Given a witness key, it also signs checkpoints for the pools that name that
 * key (witness.ts), published like any device's entries.
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { join } from 'node:path'
import { Repo, type DocumentId, type PeerId } from '@automerge/automerge-repo'
import { breakSyncStorms, headsDigest, ResilientWebSocketClientAdapter } from '../core/sync/index.ts'
import { WebSocketServer, type WebSocket } from 'ws'
import { CLOSE_CODES } from './closeCodes.ts'
import * as Automerge from '@automerge/automerge'
import { openRelayStorage, type RelayStorage } from './relayStorage.ts'
import { DurableForwarding, type SaveToken } from './durableForwarding.ts'
import { DocumentEviction, guardEmptySaves, guardLoadLeak } from './eviction.ts'
import { GuardedServerAdapter } from './guardedServerAdapter.ts'
import { answerHeadsQuery } from './headsQuery.ts'
import {
  DEFAULT_RELAY_LIMITS, DOCUMENT_MEMORY_BYTES_BASE, DOCUMENT_MEMORY_BYTES_PER_STORED_BYTE, DOCUMENTS_SHARE_OF_MEMORY_BUDGET, DURABLE_HOLD_MS_MAX,
  EVICTION_IDLE_MS_MAX, EVICTION_IDLE_MS_MIN, EVICTION_SWEEP_INTERVAL_MS, HEADS_QUERY_BYTES_MAX, HEADS_REMEMBERED_MAX, MEMORY_BUDGET_MB_DEFAULT, DURABLE_SWEEP_INTERVAL_MS, JOIN_TIMEOUT_MS, KEEP_ALIVE_INTERVAL_MS, PEER_RETRY_INTERVAL_MS,
  PEERS_REMEMBERED_MAX, SAVE_DEBOUNCE_MS, SHUTDOWN_FLUSH_TIMEOUT_MS, type RelayLimits,
} from './limits.ts'
import { createRelayMetrics, type RelayMetrics } from './metrics.ts'
import { PeerDocuments } from './peerDocuments.ts'
import { staticFiles } from './staticFiles.ts'
import { verifyEd25519 } from './native-verify.ts'
import { RelayWitness, WITNESSED_POOLS_FILE_NAME } from './witness.ts'
import { Coordinator, coordinatorSecretOf } from './coordinator.ts'
import { Mailboxes } from './mailbox.ts'
import { PushRelay, type PushOptions } from './push.ts'

export interface RelayOptions {
  /** Loopback unless the operator says otherwise. */
  readonly host?: string
  /** 0 picks a free port. */
  readonly port?: number
  /** Where the relay keeps its state (documents too, unless `storage` names a database); created if missing. */
  readonly dataDir: string
  /**
   * A postgres:// URL: documents live in that database, which several relays may share
   * (sync-server/postgresStorage.ts). Undefined: in DATA_DIR/automerge.
   */
  readonly storage?: string
  /** Other relays to sync with, as ws://host:port/sync URLs. */
  readonly peers?: readonly string[]
  readonly limits?: Partial<RelayLimits>
  /** A directory of static files to serve (the PWA's dist/); skipped when absent. */
  readonly staticDir?: string
  /** Headers added to static responses (for example the PWA's Content-Security-Policy). */
  readonly staticHeaders?: Readonly<Record<string, string>>
  /** One line per event worth an operator's attention. Never given a secret (not even the witness key). */
  readonly log?: (event: string, fields?: Record<string, unknown>) => void
  /** Sign checkpoints with this key for every pool that names it; none: the relay witnesses nothing. */
  readonly witness?: RelayWitnessOptions
  /** Memory the relay aims to stay under, in MiB (MEMORY_BUDGET_MB_DEFAULT); idle documents leave memory to keep it. */
  readonly memoryBudgetMb?: number
  /** Eviction timing, for tests (limits.ts has the defaults). */
  readonly eviction?: { readonly idleMsMin?: number; readonly idleMsMax?: number; readonly sweepIntervalMs?: number }
  /** Web Push to the browsers that follow a witnessed pool (push.ts); false: no /push/ endpoints. */
  readonly push?: PushOptions | false
}

export interface RelayWitnessOptions {
  readonly secretKey: Uint8Array
  /** Least milliseconds between two checkpoints of one pool. */
  readonly checkpointIntervalMs: number
  /** WITNESSED_POOLS_MAX unless a test says otherwise. */
  readonly poolsMax?: number
  /** The clock checkpoints carry (Date.now unless a test says otherwise). */
  readonly now?: () => number
}

export interface Relay {
  readonly host: string
  readonly port: number
  /** http://host:port */
  readonly httpUrl: string
  /** ws://host:port/sync */
  readonly syncUrl: string
  readonly repo: Repo
  readonly storage: RelayStorage
  readonly metrics: RelayMetrics
  readonly limits: RelayLimits
  /** The witness, when the relay was given a key. */
  readonly witness: RelayWitness | undefined
  /** Web Push (push.ts), unless turned off. */
  readonly push: PushRelay | undefined
  /** Takes idle documents out of memory (they load again from disk on demand). */
  readonly eviction: DocumentEviction
  /** Open client connections. */
  connectionCount(): number
  /** Writes what is in memory to disk (documents that are ready; pitfall 5). */
  flush(): Promise<void>
  /** Flushes, closes every connection and the port. */
  close(): Promise<void>
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const host = options.host ?? '127.0.0.1'
  const limits: RelayLimits = { ...DEFAULT_RELAY_LIMITS, ...options.limits }
  const log = options.log ?? (() => {})
  // The storage hooks and metrics need the adapter and the Repo, which need the storage: tied up once all exist.
  const late: { adapter?: GuardedServerAdapter; repo?: Repo; witness?: RelayWitness; eviction?: DocumentEviction } = {}
  const forwarding = new DurableForwarding({
    currentHeads: (documentId) => {
      const handle = late.repo?.handles[documentId as DocumentId]
      return handle?.isReady() ? Automerge.getHeads(handle.doc() as Automerge.Doc<unknown>) : undefined
    },
    holdMsMax: DURABLE_HOLD_MS_MAX,
    onTimeout: () => metrics.limitHits.inc({ limit: 'durableHoldTimeout' }),
  })
  // The heads digest of what is on disk, per document, for POST /heads after a document left memory.
  const storedDigests = new Map<DocumentId, string>()
  const rememberDigest = (documentId: DocumentId, heads: readonly string[]): void => {
    storedDigests.delete(documentId)
    if (storedDigests.size >= HEADS_REMEMBERED_MAX) storedDigests.delete(storedDigests.keys().next().value!)
    storedDigests.set(documentId, headsDigest(heads))
  }
  const storage = await openRelayStorage(options.storage, options.dataDir, {
    onSaving: (documentId) => forwarding.saving(documentId),
    onSaved: (documentId, token) => {
      late.adapter?.pendingBytes.delete(documentId)
      forwarding.saved(documentId, token as SaveToken)
      const heads = (token as SaveToken).heads
      if (heads !== undefined) rememberDigest(documentId, heads)
      late.witness?.noteDocument(documentId)
    },
    onLoaded: (documentId, heads) => {
      forwarding.loaded(documentId, heads)
      rememberDigest(documentId, heads)
      late.witness?.noteDocument(documentId)
    },
  })
  try {
    await storage.init()
  } catch (error) {
    await storage.close().catch(() => {})
    throw new Error(`expected the relay's storage ${storage.describe()} to open, got ${(error as Error).message}`, { cause: error })
  }
  const sweeper = setInterval(() => forwarding.sweep(), DURABLE_SWEEP_INTERVAL_MS)
  sweeper.unref()

  const memoryBudgetBytes = (options.memoryBudgetMb ?? MEMORY_BUDGET_MB_DEFAULT) * 1024 * 1024
  const metrics = createRelayMetrics({
    documents: () => (late.repo ? Object.keys(late.repo.handles).length : 0),
    storedBytes: () => storage.totalBytes(),
    heldMessages: () => forwarding.heldCount(),
    witnessedPools: () => late.witness?.poolCount() ?? 0,
    memoryBudgetBytes: () => memoryBudgetBytes,
    documentsMemoryBytes: () => late.eviction?.estimatedBytes() ?? 0,
  })

  const peerDocuments = new PeerDocuments(PEERS_REMEMBERED_MAX, limits.documentsPerConnectionMax)
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.frameBytesMax, perMessageDeflate: false })
  const adapter = new GuardedServerAdapter(wss, {
    limits,
    // The quota counts documents only, not the storage id file.
    stored: { documentBytes: (id) => storage.documentBytes(id), totalBytes: () => storage.documentsBytes() },
    keepAliveIntervalMs: KEEP_ALIVE_INTERVAL_MS,
    forward: (documentId, send) => forwarding.forward(documentId, send),
    events: {
      accepted: (bytes, peerId, documentId) => {
        if (documentId !== undefined) late.eviction?.touch(documentId as DocumentId)
        if (peerId !== undefined && documentId !== undefined) peerDocuments.note(peerId, documentId)
        metrics.messages.inc({ direction: 'in' })
        metrics.messageBytes.inc({ direction: 'in' }, bytes)
      },
      dropped: () => metrics.refusedFrames.inc({ reason: 'not-carried' }),
      cut: (reason, detail) => {
        if (reason === 'malformedMessage') metrics.refusedFrames.inc({ reason: 'malformed' })
        else metrics.limitHits.inc({ limit: reason })
        log('client-cut', { reason, detail })
      },
      sent: (bytes) => {
        metrics.messages.inc({ direction: 'out' })
        metrics.messageBytes.inc({ direction: 'out' }, bytes)
      },
    },
  })

  const peerAdapters = (options.peers ?? []).map((url) => new ResilientWebSocketClientAdapter(url, PEER_RETRY_INTERVAL_MS))
  const isPeerRelay = (peerId: PeerId): boolean => peerAdapters.some((peer) => peer.remotePeerId === peerId)
  const repo = new Repo({
    storage,
    network: [adapter, ...peerAdapters],
    peerId: `relay-${randomUUID()}` as PeerId,
    // Saves soon after a change: forwarding waits for them (DurableForwarding).
    saveDebounceRate: SAVE_DEBOUNCE_MS,
    shareConfig: {
      // Peer relays get everything, so a pool survives the loss of one relay. Clients get what they
      // asked for; announcing to a returning client the documents it had touched makes automerge-repo
      // restart their sync with a reset state (see PeerDocuments).
      announce: async (peerId, documentId) => isPeerRelay(peerId) || (documentId !== undefined && peerDocuments.touched(peerId, documentId)),
      access: async () => true,
    },
  })
  late.adapter = adapter
  late.repo = repo
  // Unloading a handle must never save its emptied document over the real one (upstream #435; eviction.ts).
  guardEmptySaves(repo)
  // and an evicted document must not stay in the heap through upstream's loader (eviction.ts).
  guardLoadLeak(repo)
  const push = options.push === false ? undefined : new PushRelay({ ...options.push, dataDir: options.dataDir, log })
  const coordinator = options.witness ? new Coordinator(coordinatorSecretOf(options.witness.secretKey)) : undefined
  const witness = options.witness && new RelayWitness({
    repo,
    coordinator,
    onCollect: () => metrics.collectsSigned.inc(),
    secretKey: options.witness.secretKey,
    checkpointIntervalMs: options.witness.checkpointIntervalMs,
    poolsMax: options.witness.poolsMax,
    now: options.witness.now,
    stateFile: join(options.dataDir, WITNESSED_POOLS_FILE_NAME),
    verifier: verifyEd25519,
    log,
    onCheckpoint: () => metrics.checkpointsSigned.inc(),
    onRefused: () => metrics.limitHits.inc({ limit: 'witnessedPools' }),
    onPoolChanged: (pool) => push?.poolChanged(pool),
  })
  late.witness = witness
  const eviction = new DocumentEviction({
    repo,
    documentBudgetBytes: memoryBudgetBytes * DOCUMENTS_SHARE_OF_MEMORY_BUDGET,
    processMemory: { budgetBytes: memoryBudgetBytes, residentBytes: () => process.memoryUsage.rss() },
    idleMsMin: options.eviction?.idleMsMin ?? EVICTION_IDLE_MS_MIN,
    idleMsMax: options.eviction?.idleMsMax ?? EVICTION_IDLE_MS_MAX,
    estimateBytes: (documentId) => DOCUMENT_MEMORY_BYTES_BASE + storage.documentBytes(documentId) * DOCUMENT_MEMORY_BYTES_PER_STORED_BYTE,
    settled: (documentId) => forwarding.settled(documentId),
    pinned: (documentId) => witness?.holds(documentId) ?? false,
    onEvicted: () => metrics.evictions.inc(),
    log,
  })
  late.eviction = eviction
  const evictionTimer = setInterval(() => {
    eviction.sweep().catch((error: unknown) => log('eviction-error', { message: error instanceof Error ? error.message : String(error) }))
  }, options.eviction?.sweepIntervalMs ?? EVICTION_SWEEP_INTERVAL_MS)
  evictionTimer.unref()
  // A client that lost a frame asks forever for a change automerge believes it sent (stormBreaker.ts).
  // A client whose own stale state keeps the storm going is disconnected: its reconnect resets it.
  breakSyncStorms(repo, {
    onStubbornStorm: (peerId, documentId) => adapter.disconnectPeer(peerId, 'syncStorm', `the same sync message for ${documentId} kept coming after resets`),
  })
  repo.on('doc-metrics', (event) => {
    if (event.type === 'receive-sync-message') {
      metrics.syncLatency.observe(event.durationMillis / 1000)
      // Peer relays' messages do not pass the guard: this is where they count as use.
      eviction.touch(event.documentId)
    } else if (event.type === 'doc-loaded') {
      metrics.documentLoad.observe(event.durationMillis / 1000)
      eviction.touch(event.documentId)
    }
  })

  const sockets = new Set<WebSocket>()
  wss.on('connection', (socket: WebSocket) => {
    sockets.add(socket)
    metrics.connections.set(sockets.size)
    metrics.connectionsTotal.inc()
    // ws reports bad frames (too large, invalid opcodes, random bytes) as 'error'; unheard, it would crash the process.
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        metrics.refusedFrames.inc({ reason: 'too-large' })
        metrics.limitHits.inc({ limit: 'frameBytes' })
        log('client-cut', { reason: 'frameBytes', detail: `at most ${limits.frameBytesMax} bytes per frame` })
      } else {
        metrics.refusedFrames.inc({ reason: 'malformed' })
      }
    })
    const joinTimer = setTimeout(() => {
      if (adapter.guardOf(socket).peerId === undefined) socket.close(CLOSE_CODES.malformedMessage, 'malformedMessage: expected join within 10 s')
    }, JOIN_TIMEOUT_MS)
    joinTimer.unref()
    socket.on('close', () => {
      clearTimeout(joinTimer)
      sockets.delete(socket)
      metrics.connections.set(sockets.size)
    })
  })

  /** What a sync would give now: the heads in memory, else those last loaded from or saved to disk. */
  const digestOf = (documentId: DocumentId): string | undefined => {
    const handle = repo.handles[documentId]
    if (handle?.isReady()) return headsDigest(Automerge.getHeads(handle.doc() as Automerge.Doc<unknown>))
    return handle ? undefined : storedDigests.get(documentId)
  }

  const serveStatic = options.staticDir && existsSync(options.staticDir)
    ? staticFiles({ root: options.staticDir, headers: options.staticHeaders })
    : undefined

  const mailboxes = new Mailboxes(options.dataDir)

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch((error: unknown) => {
      log('http-error', { message: error instanceof Error ? error.message : String(error) })
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      response.end('internal error\n')
    })
  })

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = (request.url ?? '/').split('?')[0]
    if (pathname === '/healthz') {
      const body = JSON.stringify({ ok: true, connections: sockets.size, documents: Object.keys(repo.handles).length, storedBytes: storage.totalBytes() })
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
      response.end(body + '\n')
      return
    }
    if (pathname === '/witness' && witness) {
      // Public by nature (it is in every pool that names this relay); any origin may read it, e.g. an app creating a pool.
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' })
      response.end(JSON.stringify({ publicKey: witness.publicKey }) + '\n')
      return
    }
    if (pathname === '/coordinator' && coordinator && witness) {
      // The key an order names for this relay to collect its payments (coordinator.ts), and the witness it goes with.
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' })
      response.end(JSON.stringify({ publicKey: coordinator.publicKey, witness: witness.publicKey }) + '\n')
      return
    }
    if (pathname === '/heads') {
      // Any origin: a PWA served elsewhere asks its relay. A plain-text body needs no preflight; answer one anyway.
      const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type' }
      if (request.method === 'OPTIONS') {
        response.writeHead(204, cors)
        response.end()
        return
      }
      if (request.method !== 'POST') {
        response.writeHead(405, { ...cors, Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' })
        response.end('expected POST with {"peer", "documents"}\n')
        return
      }
      const text = await readBody(request, HEADS_QUERY_BYTES_MAX)
      const result = text === undefined
        ? { status: 413 as const, error: `expected a body of at most ${HEADS_QUERY_BYTES_MAX} bytes` }
        : answerHeadsQuery(text, digestOf, (peerId, documentId) => peerDocuments.forget(peerId, documentId))
      response.writeHead(result.status, { ...cors, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
      response.end(JSON.stringify(result.status === 200 ? result.answer : { error: result.error }) + '\n')
      return
    }
    if (await mailboxes.handle(request, response, pathname ?? '/')) return
    if (push && (await push.handle(request, response, pathname ?? '/'))) return
    if (pathname === '/metrics') {
      const body = await metrics.registry.metrics()
      response.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' })
      response.end(body)
      return
    }
    if (serveStatic && (await serveStatic(request, response))) return
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
    response.end(`not found: ${pathname}\n`)
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const pathname = (request.url ?? '/').split('?')[0]
    if (pathname !== '/sync') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    if (sockets.size >= limits.connectionsMax) {
      metrics.limitHits.inc({ limit: 'connections' })
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nX-Heroes-Limit: connections-max ${limits.connectionsMax}\r\n\r\n`)
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  await adapter.whenConnected
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080)
  const urlHost = host.includes(':') ? `[${host}]` : host
  log('relay-started', { host, port, dataDir: options.dataDir, storage: storage.describe(), peers: options.peers ?? [], storedBytes: storage.totalBytes(), ...(witness ? { witness: witness.publicKey } : {}) })
  // After listening: resuming pools reads their documents, which should not delay the port.
  if (witness) await witness.start()

  const flush = async (): Promise<void> => {
    const ready = Object.values(repo.handles).filter((handle) => handle.isReady()).map((handle) => handle.documentId as DocumentId)
    if (ready.length > 0) await repo.flush(ready)
  }

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      server.close()
      clearInterval(evictionTimer)
      // No checkpoint starts once closing began; the state file is written.
      await witness?.close()
      await push?.close()
      try {
        await withTimeout(flush(), SHUTDOWN_FLUSH_TIMEOUT_MS)
      } catch (error) {
        log('flush-failed', { message: error instanceof Error ? error.message : String(error) })
      }
      for (const socket of sockets) socket.close(1001, 'relay shutting down')
      for (const peer of peerAdapters) peer.disconnect()
      wss.close()
      try {
        await withTimeout(repo.shutdown(), SHUTDOWN_FLUSH_TIMEOUT_MS)
      } catch {
        // shutdown flushes every handle, and throws on ones still loading (pitfall 5); we flushed the ready ones above
      }
      for (const socket of sockets) socket.terminate()
      await storage.close()
      clearInterval(sweeper)
      forwarding.sweep()
      server.closeAllConnections()
      log('relay-stopped', {})
    })()
    return closing
  }

  return {
    host, port, httpUrl: `http://${urlHost}:${port}`, syncUrl: `ws://${urlHost}:${port}/sync`,
    repo, storage, metrics, limits, witness, push, eviction,
    connectionCount: () => sockets.size,
    flush, close,
  }
}

/** The request's body as text, or undefined past `bytesMax` (the rest is not read). */
async function readBody(request: IncomingMessage, bytesMax: number): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of request) {
    bytes += (chunk as Buffer).byteLength
    if (bytes > bytesMax) {
      request.destroy()
      return undefined
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`expected to finish within ${ms} ms, got no answer`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error instanceof Error ? error : new Error(String(error)))
      },
    )
  })
}
