/**
 * heroes trust | route | hashlock | prepare | fulfil | pay --path | gateway forward|settle:
 * paying between pools (core/paths.ts, core/rules/trustlines.ts, core/rules/hashlocks.ts).
 *
 * A path payment, by hand: the payee makes a secret with `hashlock` and gives the
 * condition; the payer runs `pay --path` (the first prepare, in its own pool);
 * each link's gateway runs `gateway forward` (the next prepare, in the next pool);
 * the payee runs `fulfil`; each gateway, from the payee's side back, runs
 * `gateway settle` (the fulfil in the pool before, with the preimage revealed
 * after it, or a cancel when the hop after it failed). Every command prints one
 * entry for the log of the pool it belongs to; none writes a log.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import {
  PREPARE_EXPIRY_SECONDS_MAX, TRUST_HOURS_MAX, fromHex, findRoute, forwardHop, gatewayFor, isHex, manifestOf, preimageMatches,
  toHex, type EntryId, type FulfilEntry, type Ledger, type PoolManifest, type PrepareEntry, type ReplayResult, type TrustEntry,
} from '../../core/index.ts'
import { sha256Bytes } from '../../core/hash.ts'
import { amountFlag, integerFlag, parseFlags, publicKeyFlag, required, timeFlag } from '../args.ts'
import { emit, loadAuthor } from '../author.ts'
import { readKeyFile } from '../files.ts'
import { RuntimeError, UsageError } from '../errors.ts'
import { loadPool } from '../pool.ts'
import { findEntry } from './entries.ts'

/** Default wait of a path's first hop: the hops' steps plus ten minutes for the payee to answer. */
const PATH_EXPIRY_SECONDS_DEFAULT = 15 * 60

function poolIdFlag(value: string | undefined, flag: string): EntryId {
  const id = required(value, flag)
  if (!isHex(id, 32)) throw new UsageError(`expected --${flag} a pool id (64 hex characters), got ${JSON.stringify(id)}`)
  return id as EntryId
}

/** Each --log judged as of `asOf`: its pool's ledger, replay and manifest. */
interface PoolView {
  readonly log: string
  readonly pool: EntryId
  readonly ledger: Ledger
  readonly result: ReplayResult
  readonly manifest: PoolManifest
}

function loadViews(logs: readonly string[] | undefined, asOf: number): PoolView[] {
  if (!logs || logs.length === 0) throw new UsageError('expected at least one --log LOG, got none')
  const views: PoolView[] = []
  for (const log of logs) {
    const { pool, ledger } = loadPool(log, undefined, asOf)
    if (views.some((v) => v.pool === pool)) throw new UsageError(`expected each pool once among the logs, got pool ${pool} twice (${log})`)
    const result = ledger.result()
    views.push({ log, pool, ledger, result, manifest: manifestOf(result)! })
  }
  return views
}

function viewOf(views: readonly PoolView[], pool: EntryId, why: string): PoolView {
  const view = views.find((v) => v.pool === pool)
  if (!view) throw new UsageError(`expected the log of pool ${pool} among --log (${why}), got none`)
  return view
}

/** heroes trust: a gatekeeper's "this pool trusts pool ID up to N HOUR", naming the gateway key that holds this pool's side. */
export function trustCommand(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' },
    'limit-hours': { type: 'string' }, gateway: { type: 'string' },
  })
  const peer = poolIdFlag(values.pool, 'pool')
  const limitHours = integerFlag(required(values['limit-hours'], 'limit-hours'), 'limit-hours', 0, TRUST_HOURS_MAX)!
  const gateway = publicKeyFlag(values.gateway, 'gateway')
  // --pool names the trusted pool (the contract), so LOG must hold one pool: its own.
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now)
  if (peer === context.pool) throw new UsageError('expected --pool another pool than the one in LOG (a pool does not trust itself)')
  return emit<TrustEntry>(context, 'trust', { peer, limitHours, gateway })
}

/** heroes route: the route for N minor units to arrive in the target pool, from the manifests in the logs given. */
export function routeCommand(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    log: { type: 'string', multiple: true }, 'from-pool': { type: 'string' }, 'to-pool': { type: 'string' }, amount: { type: 'string' },
    'as-of': { type: 'string' },
  })
  const from = poolIdFlag(values['from-pool'], 'from-pool')
  const to = poolIdFlag(values['to-pool'], 'to-pool')
  const amount = amountFlag(values.amount)
  const views = loadViews(values.log, timeFlag(values['as-of'], 'as-of', now))
  const route = findRoute(views.map((v) => v.manifest), from, to, amount)
  if (!route.ok) throw new RuntimeError(`no route: ${route.reason} (${route.detail})`)
  process.stdout.write(JSON.stringify({ route: route.route, sourceAmount: route.sourceAmount, targetAmount: route.targetAmount }) + '\n')
  return 0
}

/** heroes hashlock: a fresh secret preimage written to --preimage-out (0600); prints its condition, for the payer. */
export function hashlockCommand(argv: string[]): number {
  const { values } = parseFlags(argv, { 'preimage-out': { type: 'string' } })
  const out = required(values['preimage-out'], 'preimage-out')
  const preimage = toHex(randomBytes(32))
  const condition = toHex(sha256Bytes(fromHex(preimage, 32)!))
  writeFileSync(out, JSON.stringify({ preimage, condition }) + '\n', { mode: 0o600, flag: 'wx' })
  process.stdout.write(JSON.stringify({ condition }) + '\n')
  return 0
}

function conditionFlag(value: string | undefined): string {
  const condition = required(value, 'condition')
  if (!isHex(condition, 32)) throw new UsageError(`expected --condition a SHA-256 (64 lower-case hex characters), got ${JSON.stringify(condition)}`)
  return condition
}

/** heroes prepare: one hashlocked hold in LOG's pool, by hand (a path's hops come from pay --path and gateway forward). */
export function prepareCommand(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' },
    to: { type: 'string' }, amount: { type: 'string' }, condition: { type: 'string' }, expires: { type: 'string' }, memo: { type: 'string' },
  })
  const to = publicKeyFlag(values.to, 'to')
  const amount = amountFlag(values.amount)
  const condition = conditionFlag(values.condition)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const expires = timeFlag(required(values.expires, 'expires'), 'expires', now)
  if (expires <= context.time) throw new UsageError(`expected --expires after the prepare's time ${new Date(context.time).toISOString()}, got ${values.expires}`)
  const since = context.ledger.membershipEntry(to)
  return emit<PrepareEntry>(context, 'prepare', { to, amount, condition, expires, ...(values.memo ? { memo: values.memo.normalize('NFC') } : {}) }, since ? [since] : [])
}

/** The preimage from --preimage HEX or --preimage-file FILE (as `hashlock` writes it). */
function preimageFlags(values: { preimage?: string; 'preimage-file'?: string }): string {
  if (values.preimage !== undefined && values['preimage-file'] !== undefined) throw new UsageError('expected --preimage or --preimage-file, got both')
  if (values['preimage-file'] !== undefined) return readPreimageFile(values['preimage-file'])
  const preimage = required(values.preimage, 'preimage')
  if (!isHex(preimage, 32)) throw new UsageError('expected --preimage as 64 lower-case hex characters (32 bytes)')
  return preimage
}

function readPreimageFile(path: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new UsageError(`expected a preimage file at ${path} (from heroes hashlock), got an unreadable or missing file`)
  }
  const preimage = (parsed as { preimage?: unknown } | null)?.preimage
  if (!isHex(preimage, 32)) throw new UsageError(`expected ${path} to hold "preimage" as 64 hex characters`)
  return preimage
}

/** heroes fulfil: the payee of a prepare reveals the preimage and takes the amount. */
export function fulfilCommand(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' },
    entry: { type: 'string' }, preimage: { type: 'string' }, 'preimage-file': { type: 'string' },
  })
  const preimage = preimageFlags(values)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const target = findEntry(context, values.entry, 'entry', 'prepare') as PrepareEntry
  if (!preimageMatches(preimage, target.condition)) throw new UsageError(`expected the preimage of condition ${target.condition}, got one that hashes to ${toHex(sha256Bytes(fromHex(preimage, 32)!))}`)
  return emit<FulfilEntry>(context, 'fulfil', { entry: target.id, preimage }, [target.id])
}

/**
 * heroes pay --path: the payer's first prepare of a path payment, in its own pool
 * (the first --log, or --from-pool), to that pool's gateway for the next pool on the route.
 */
export function payCommand(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    path: { type: 'boolean' }, key: { type: 'string' }, log: { type: 'string', multiple: true }, time: { type: 'string' },
    'from-pool': { type: 'string' }, 'to-pool': { type: 'string' }, to: { type: 'string' }, amount: { type: 'string' },
    condition: { type: 'string' }, 'expires-seconds': { type: 'string' }, memo: { type: 'string' },
  })
  if (!values.path) throw new UsageError('expected --path (a payment to a member of another pool; within one pool use heroes transfer)')
  const payee = publicKeyFlag(values.to, 'to')
  const target = poolIdFlag(values['to-pool'], 'to-pool')
  const amount = amountFlag(values.amount)
  const condition = conditionFlag(values.condition)
  const wait = integerFlag(values['expires-seconds'], 'expires-seconds', 1, PREPARE_EXPIRY_SECONDS_MAX) ?? PATH_EXPIRY_SECONDS_DEFAULT
  const time = timeFlag(values.time, 'time', now)
  const views = loadViews(values.log, time)
  const source = values['from-pool'] !== undefined ? viewOf(views, poolIdFlag(values['from-pool'], 'from-pool'), 'the payer\'s pool') : views[0]!
  const route = findRoute(views.map((v) => v.manifest), source.pool, target, amount)
  if (!route.ok) throw new RuntimeError(`no route: ${route.reason} (${route.detail})`)
  const context = loadAuthor(required(values.key, 'key'), source.log, values.time, now)
  const gateway = gatewayFor(source.manifest, route.route[1]!)!
  return emit<PrepareEntry>(context, 'prepare', {
    to: gateway, amount: route.sourceAmount, condition, expires: context.time + wait * 1000,
    path: { pools: route.route, payee, amount }, ...(values.memo ? { memo: values.memo.normalize('NFC') } : {}),
  })
}

/** heroes gateway forward|settle: one step of a link's gateway, printed as one entry. */
export async function gatewayCommand(argv: string[], now: number): Promise<number> {
  const [mode, ...rest] = argv
  if (mode === 'forward') return gatewayForward(rest, now)
  if (mode === 'settle') return gatewaySettle(rest, now)
  if (mode === 'run') {
    // The service syncs with relays: automerge is loaded only here.
    const { tolerateAutomergeTimeouts } = await import('../../sync-server/unhandled.ts')
    tolerateAutomergeTimeouts()
    return (await import('./gateway-service.ts')).run(rest)
  }
  throw new UsageError(`expected 'gateway forward', 'gateway settle' or 'gateway run', got 'gateway ${mode ?? ''}'`)
}

const GATEWAY_FLAGS = { key: { type: 'string' }, log: { type: 'string', multiple: true }, time: { type: 'string' }, entry: { type: 'string' } } as const

/** The prepare --entry names, with the view of the log that holds it, as judged there. */
function findPrepare(views: readonly PoolView[], id: string | undefined): { view: PoolView; prepare: PrepareEntry } {
  const wanted = required(id, 'entry')
  if (!isHex(wanted, 32)) throw new UsageError(`expected --entry an entry id (64 hex characters), got ${JSON.stringify(wanted)}`)
  for (const view of views) {
    const entry = view.ledger.entry(wanted as EntryId)
    if (!entry) continue
    if (entry.type !== 'prepare') throw new UsageError(`expected --entry a prepare, got a ${entry.type}`)
    return { view, prepare: entry }
  }
  throw new UsageError(`expected --entry a prepare in one of the logs given, got ${wanted}, which none holds`)
}

/**
 * gateway forward: for an accepted, open prepare paying this link's gateway in
 * the pool before, the prepare in the next pool of its path, signed with the
 * next pool's gateway key (--key), checked by core's forwardHop: the amount
 * covers the rest of the path at today's rates, the expiry leaves the margin.
 */
function gatewayForward(argv: string[], now: number): number {
  const { values } = parseFlags(argv, GATEWAY_FLAGS)
  const time = timeFlag(values.time, 'time', now)
  const views = loadViews(values.log, time)
  const { view, prepare } = findPrepare(views, values.entry)
  const state = view.result.prepares?.[prepare.id]
  if (!state) throw new RuntimeError(`the prepare is not accepted in its pool (${view.ledger.verdict(prepare.id)?.reason ?? 'pending'}): nothing to forward`)
  if (state.status !== 'prepared') throw new RuntimeError(`the prepare is ${state.status}: nothing to forward`)
  const next = forwardHop(views.map((v) => v.manifest), prepare, time)
  if (!next.ok) throw new RuntimeError(`refusing to forward: ${next.reason} (${next.detail})`)
  const key = readKeyFile(required(values.key, 'key'))
  if (key.publicKey !== next.hop.from) throw new UsageError(`expected --key the gateway of pool ${next.hop.pool} for pool ${prepare.pool} (${next.hop.from}), got ${key.publicKey}`)
  const context = loadAuthor(required(values.key, 'key'), viewOf(views, next.hop.pool, 'the next hop').log, values.time, now)
  const since = context.ledger.membershipEntry(next.hop.to)
  return emit<PrepareEntry>(context, 'prepare', { to: next.hop.to, amount: next.hop.amount, condition: prepare.condition, expires: next.hop.expires, path: next.path }, since ? [since] : [])
}

/**
 * gateway settle: for a prepare paying this gateway (--key) in the pool before,
 * look at the hop after it (same condition, in the next pool of the path, paid
 * by this link's other gateway): fulfilled there, print the fulfil here with the
 * preimage it revealed; cancelled there, print a cancel here (a payee may refuse
 * at any time, which frees the payer's hold at once); still open, exit 1.
 */
function gatewaySettle(argv: string[], now: number): number {
  const { values } = parseFlags(argv, GATEWAY_FLAGS)
  const time = timeFlag(values.time, 'time', now)
  const views = loadViews(values.log, time)
  const { view, prepare } = findPrepare(views, values.entry)
  const key = readKeyFile(required(values.key, 'key'))
  if (prepare.to !== key.publicKey) throw new UsageError(`expected --key the prepare's payee ${prepare.to}, got ${key.publicKey}`)
  const pools = prepare.path?.pools ?? []
  const nextPool = pools[pools.indexOf(prepare.pool) + 1]
  if (!prepare.path || nextPool === undefined) throw new UsageError('expected --entry a prepare with a next hop on its path')
  const next = viewOf(views, nextPool, 'the hop after it')
  const from = gatewayFor(next.manifest, prepare.pool)
  const hop = Object.entries(next.result.prepares ?? {}).find(([, p]) => p.condition === prepare.condition && p.from === from)
  if (!hop) throw new RuntimeError(`no hop after it in pool ${nextPool} yet`)
  const [, downstream] = hop
  const context = loadAuthor(required(values.key, 'key'), view.log, values.time, now)
  if (downstream.status === 'fulfilled') {
    // Only a fulfil a checkpoint covers is final there (docs/simulation.md finding 11).
    const covered = next.result.entries.find((v) => v.id === downstream.settledBy)?.witnessed
    if (!covered) throw new RuntimeError('the hop after it is fulfilled, but no checkpoint covers that fulfil yet: nothing to settle yet')
    return emit<FulfilEntry>(context, 'fulfil', { entry: prepare.id, preimage: downstream.preimage! }, [prepare.id])
  }
  if (downstream.status === 'cancelled') return emit(context, 'cancel', { entry: prepare.id }, [prepare.id])
  throw new RuntimeError(`the hop after it is ${downstream.status}: nothing to settle yet`)
}
