/**
 * heroes relay [--host 127.0.0.1] [--port 8080] [--data-dir DIR] [--peer ws://…/sync]…
 *              [--static-dir DIR] [--header "Name: value"]… [limit flags]
 *              [--witness-key FILE] [--checkpoint-interval-seconds N] [--memory-budget-mb N]
 *              [--storage postgres://USER@HOST:PORT/DB]
 *
 * Runs a relay until SIGTERM or SIGINT, then writes every document to disk and
 * exits 0. Prints one line when it listens (tests read the port from it), and
 * one JSON line per event on stderr.
 *
 * The relay witnesses every pool that names its key: `--witness-key FILE` (a
 * `heroes keygen` file), else DIR/witness-key.json, made on the first start
 * (mode 0600) and reused afterwards. GET /witness says which public key it is.
 *
 * `--memory-budget-mb N` (default 512): past their share of it, the documents
 * used least recently leave memory and load again from disk when asked for
 * (sync-server/eviction.ts); /metrics has `heroes_relay_memory_budget_bytes`.
 *
 * `--storage postgres://…`: documents live in that PostgreSQL database, which
 * several relay processes behind one address may share (give each its own
 * --data-dir and --peer the others for live changes); sync-server/postgresStorage.ts.
 * Without it they live in DIR/automerge.
 */
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { integerFlag, parseFlags } from '../node/flags.ts'
import { UsageError } from '../node/errors.ts'
import { readKeyFile } from '../node/keyFile.ts'
import {
  CHECKPOINT_INTERVAL_SECONDS_DEFAULT, CHECKPOINT_INTERVAL_SECONDS_MAX, DEFAULT_RELAY_LIMITS, isPostgresUrl, loadOrCreateWitnessKey, MEMORY_BUDGET_MB_DEFAULT,
  MEMORY_BUDGET_MB_MIN, startRelay,
  type Relay, type RelayLimits,
} from './index.ts'

const LIMIT_FLAGS = {
  'frame-bytes-max': 'frameBytesMax',
  'messages-per-second-max': 'messagesPerSecondMax',
  'documents-per-connection-max': 'documentsPerConnectionMax',
  'document-bytes-max': 'documentBytesMax',
  'disk-bytes-max': 'diskBytesMax',
  'connections-max': 'connectionsMax',
} as const satisfies Record<string, keyof RelayLimits>

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  peer: { type: 'string', multiple: true },
  'static-dir': { type: 'string' },
  header: { type: 'string', multiple: true },
  'witness-key': { type: 'string' },
  'checkpoint-interval-seconds': { type: 'string' },
  'memory-budget-mb': { type: 'string' },
  storage: { type: 'string' },
  ...Object.fromEntries(Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' }])),
} as const

export interface RelayCommandOptions {
  host: string
  port: number
  dataDir: string
  peers: string[]
  staticDir: string | undefined
  headers: Record<string, string>
  limits: RelayLimits
  /** A key file as `heroes keygen` writes it; undefined: DATA_DIR/witness-key.json, made when missing. */
  witnessKeyFile: string | undefined
  checkpointIntervalSeconds: number
  /** MiB the relay aims to stay under; idle documents leave memory past their share of it. */
  memoryBudgetMb: number
  /** A postgres:// URL where documents live; undefined: DATA_DIR/automerge. */
  storage: string | undefined
}

/** Reads the relay's flags; throws UsageError saying what was expected and what came. */
export function parseRelayFlags(argv: string[], defaults: { port?: number; dataDir?: string; staticDir?: string } = {}): RelayCommandOptions {
  let parsed: { values: Record<string, string | string[] | undefined> }
  try {
    parsed = parseFlags(argv, OPTIONS as never) as typeof parsed
  } catch (error) {
    const unknown = /Unknown option '([^']+)'/.exec((error as Error).message)
    if (unknown) throw new UsageError(`expected flags among ${Object.keys(OPTIONS).map((flag) => `--${flag}`).join(' ')}, got ${unknown[1]}`)
    throw error
  }
  const { values } = parsed
  const host = (values.host as string | undefined) ?? '127.0.0.1'
  const port = integerFlag(values.port as string | undefined, 'port', 0, 65_535) ?? defaults.port ?? 8080
  const dataDir = (values['data-dir'] as string | undefined) ?? defaults.dataDir ?? join('data', 'relay')
  const peers = (values.peer as string[] | undefined) ?? []
  for (const peer of peers) {
    if (!/^wss?:\/\/[^\s]+$/.test(peer)) throw new UsageError(`expected --peer a ws:// or wss:// URL (for example ws://127.0.0.1:8081/sync), got ${JSON.stringify(peer)}`)
  }
  const headers: Record<string, string> = {}
  for (const header of (values.header as string[] | undefined) ?? []) {
    const match = /^([A-Za-z0-9-]+):\s*(.+)$/.exec(header)
    if (!match) throw new UsageError(`expected --header "Name: value", got ${JSON.stringify(header)}`)
    headers[match[1]!] = match[2]!
  }
  const limits: Record<string, number> = { ...DEFAULT_RELAY_LIMITS }
  for (const [flag, key] of Object.entries(LIMIT_FLAGS)) {
    const value = integerFlag(values[flag] as string | undefined, flag, 1, Number.MAX_SAFE_INTEGER)
    if (value !== undefined) limits[key] = value
  }
  const witnessKeyFile = values['witness-key'] as string | undefined
  if (witnessKeyFile === '') throw new UsageError('expected --witness-key a key file (from heroes keygen), got nothing')
  const checkpointIntervalSeconds = integerFlag(values['checkpoint-interval-seconds'] as string | undefined, 'checkpoint-interval-seconds', 1, CHECKPOINT_INTERVAL_SECONDS_MAX)
    ?? CHECKPOINT_INTERVAL_SECONDS_DEFAULT
  // Up to 1 TiB: the budget is multiplied into bytes, which must stay a safe integer.
  const memoryBudgetMb = integerFlag(values['memory-budget-mb'] as string | undefined, 'memory-budget-mb', MEMORY_BUDGET_MB_MIN, 1024 * 1024) ?? MEMORY_BUDGET_MB_DEFAULT
  const storage = values.storage as string | undefined
  if (storage !== undefined && !isPostgresUrl(storage)) {
    throw new UsageError(`expected --storage a PostgreSQL URL (postgres://user@host:5432/database), got ${JSON.stringify(storage.replace(/\/\/[^@/]*@/, '//…@'))}`)
  }
  return {
    host, port, dataDir, peers, staticDir: (values['static-dir'] as string | undefined) ?? defaults.staticDir, headers, limits: limits as unknown as RelayLimits,
    witnessKeyFile, checkpointIntervalSeconds, memoryBudgetMb, storage,
  }
}

/** Headers the PWA's build asks for (its Content-Security-Policy), from dist/headers.json when present. */
export function buildHeaders(staticDir: string | undefined): Record<string, string> {
  if (!staticDir) return {}
  const file = join(staticDir, 'headers.json')
  if (!existsSync(file)) return {}
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter((pair): pair is [string, string] => typeof pair[1] === 'string'))
  } catch {
    return {}
  }
}

/** The witness key: --witness-key FILE, else the data directory's own (made on the first start). Never logs the secret. */
function witnessKeyOf(options: RelayCommandOptions, log: (event: string, fields?: Record<string, unknown>) => void): Uint8Array {
  if (options.witnessKeyFile !== undefined) {
    const key = readKeyFile(options.witnessKeyFile)
    log('witness-key', { publicKey: key.publicKey, file: options.witnessKeyFile })
    return key.secretKey
  }
  const key = loadOrCreateWitnessKey(options.dataDir)
  log('witness-key', { publicKey: key.publicKey, file: key.path, created: key.created })
  if (key.readableByOthers) log('witness-key-readable-by-others', { file: key.path, detail: 'expected mode 0600: chmod 600 it' })
  return key.secretKey
}

/** Starts a relay with parsed options and runs it until a signal; resolves with the exit code. */
export async function runRelay(options: RelayCommandOptions): Promise<number> {
  const log = (event: string, fields?: Record<string, unknown>): void => {
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), event, ...fields }) + '\n')
  }
  let secretKey: Uint8Array
  try {
    secretKey = witnessKeyOf(options, log)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    process.stderr.write(`heroes relay: ${code && !(error instanceof UsageError) ? `cannot make or read the witness key in ${options.dataDir}: ${code}` : (error as Error).message}\n`)
    return error instanceof UsageError ? 2 : 1
  }
  let relay: Relay
  try {
    relay = await startRelay({
      host: options.host, port: options.port, dataDir: options.dataDir, peers: options.peers, limits: options.limits,
      staticDir: options.staticDir, staticHeaders: { ...buildHeaders(options.staticDir), ...options.headers },
      log,
      witness: { secretKey, checkpointIntervalMs: options.checkpointIntervalSeconds * 1000 },
      memoryBudgetMb: options.memoryBudgetMb,
      ...(options.storage !== undefined ? { storage: options.storage } : {}),
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const storageFailed = (error as Error).message.startsWith("expected the relay's storage")
    process.stderr.write(`heroes relay: ${storageFailed ? (error as Error).message : `cannot listen on ${options.host}:${options.port}: ${code ?? (error as Error).message}`}\n`)
    return 1
  }
  process.stdout.write(`relay listening on ${relay.httpUrl} (WebSocket ${relay.syncUrl}, data in ${options.storage === undefined ? options.dataDir : `${relay.storage.describe()} and ${options.dataDir}`}, witness ${relay.witness!.publicKey})\n`)
  return await new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      process.stderr.write(JSON.stringify({ time: new Date().toISOString(), event: 'signal', signal }) + '\n')
      process.off('SIGTERM', onTerm)
      process.off('SIGINT', onInt)
      relay.close().then(() => resolve(0), () => resolve(1))
    }
    const onTerm = (): void => stop('SIGTERM')
    const onInt = (): void => stop('SIGINT')
    process.on('SIGTERM', onTerm)
    process.on('SIGINT', onInt)
  })
}

export async function run(argv: string[]): Promise<number> {
  let options: RelayCommandOptions
  try {
    options = parseRelayFlags(argv)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`heroes relay: ${error.message}\n`)
      return 2
    }
    throw error
  }
  return runRelay(options)
}
