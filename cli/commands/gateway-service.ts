/**
 * heroes gateway run --config FILE [--interval-seconds N] [--max-amount N] [--max-open N]
 *                    [--stop-file FILE] [--metrics-port N] [--poll] [--once [--time T]]
 *
 * The gateway as a service: it holds one key per pool it serves (the keys the
 * gatekeepers named in their trust entries), keeps each pool's log in step with
 * its relay, and runs a round whenever a relay pushes a new entry (gateway-live.ts:
 * one live connection per relay, every served pool's documents followed), and at
 * the latest every --interval-seconds (expiries need a clock). With --poll (and
 * with --once) it runs `heroes sync` of every log each round instead. Each round:
 *
 * - forwards: a prepare paying one of its keys, witnessed (final) in its pool,
 *   whose path goes on to a pool where it holds that pool's gateway key for this
 *   one, gets the next prepare there (core's forwardHop: the amount covers the
 *   rest of the path at today's rates, the expiry leaves the margin); a forward
 *   that cannot be made (a stale quote, no trust left, a limit) refuses the
 *   upstream prepare at once, so its payer is not kept waiting;
 * - settles: once its prepare in the next pool is fulfilled, it fulfils the one
 *   before with the revealed preimage; once that is cancelled, it cancels (refuses)
 *   the one before;
 * - takes back its own prepares whose expiry has passed.
 *
 * Limits: --max-amount (largest prepare it signs, in the next pool's minor units),
 * --max-open (its prepares waiting in one pool). Kill switch: while --stop-file
 * exists it forwards nothing new (settling and taking back, which only lower its
 * risk, go on); SIGTERM or SIGINT stop it after the round. Each action is one JSON
 * line on stdout; --metrics-port serves Prometheus counters at /metrics on 127.0.0.1.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { dirname, resolve } from 'node:path'
import {
  AMOUNT_MAX, encodeEntry, forwardHop, gatewayFor, manifestOf, signEntry, type Entry, type EntryId, type Ledger, type PoolManifest,
  type PrepareEntry, type PublicKeyHex, type ReplayResult, type UnsignedEntry,
} from '../../core/index.ts'
import { integerFlag, parseFlags, required, timeFlag } from '../args.ts'
import { readKeyFile, type KeyFile } from '../files.ts'
import { RuntimeError, UsageError } from '../errors.ts'
import { loadPool } from '../pool.ts'
import { GatewayLive } from './gateway-live.ts'
import { syncLog } from './sync.ts'

export interface GatewayPoolConfig {
  readonly log: string
  readonly key: string
  readonly relay?: string
}

const MAX_OPEN_DEFAULT = 100
const INTERVAL_SECONDS_DEFAULT = 1
/** After a push, wait this long for the rest of a batch (an entry and the checkpoint covering it) before the round. */
const PUSH_SETTLE_MS = 20

/** One pool the service serves: its log judged now, and the key it holds there. */
interface Served {
  readonly config: GatewayPoolConfig
  readonly pool: EntryId
  readonly ledger: Ledger
  readonly result: ReplayResult
  readonly manifest: PoolManifest
  readonly key: KeyFile
}

export interface Action {
  readonly action: 'forward' | 'fulfil' | 'refuse' | 'take-back' | 'not-forwarded'
  readonly pool: EntryId
  /** The prepare acted on (upstream for forward, fulfil and refuse; its own for take-back). */
  readonly prepare: EntryId
  readonly entry?: Entry
  readonly reason?: string
}

export interface RoundLimits {
  readonly maxAmount: number
  readonly maxOpen: number
  readonly stopped: boolean
}

function readConfig(path: string): GatewayPoolConfig[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new UsageError(`expected a JSON config at ${path} ({"pools":[{"log","key","relay"}]}), got an unreadable or missing file`)
  }
  const pools = (parsed as { pools?: unknown } | null)?.pools
  if (!Array.isArray(pools) || pools.length < 2) throw new UsageError(`expected ${path} to list at least two pools under "pools", each {"log","key"} and optionally "relay"`)
  const base = dirname(resolve(path))
  return pools.map((p, i) => {
    const r = p as Record<string, unknown>
    if (typeof r.log !== 'string' || typeof r.key !== 'string' || (r.relay !== undefined && typeof r.relay !== 'string')) {
      throw new UsageError(`expected pools[${i}] in ${path} as {"log": PATH, "key": PATH, "relay": URL}, got ${JSON.stringify(p).slice(0, 80)}`)
    }
    return { log: resolve(base, r.log), key: resolve(base, r.key), ...(r.relay ? { relay: r.relay } : {}) }
  })
}

function load(configs: readonly GatewayPoolConfig[], now: number): Served[] {
  return configs.map((config) => {
    const { pool, ledger } = loadPool(config.log, undefined, now)
    const result = ledger.result()
    return { config, pool, ledger, result, manifest: manifestOf(result)!, key: readKeyFile(config.key) }
  })
}

/** Entries of `author` in a ledger matching `test` (the service's memory is its logs: nothing is done twice). */
function signed(ledger: Ledger, author: PublicKeyHex, test: (entry: Entry) => boolean): boolean {
  for (const entry of ledger.entries()) if (entry.author === author && test(entry)) return true
  return false
}

/** Signs `author`'s next entry in a served pool, checks it against the pool and adds it to the ledger; undefined when the pool would refuse it. */
function sign(served: Served, now: number, type: Entry['type'], body: Record<string, unknown>, deps: EntryId[]): { entry?: Entry; reason?: string } {
  const head = served.ledger.chainHead(served.key.publicKey)
  const time = Math.max(now, head.time)
  if (time > served.ledger.asOf) served.ledger.add([], time)
  const unsigned = {
    ...body, type, pool: served.pool, author: served.key.publicKey, seq: head.seq, prev: head.prev, time,
    deps: [...new Set([...served.ledger.depsFor(served.key.publicKey), ...deps])].sort(),
  } as unknown as UnsignedEntry
  const entry = signEntry<Entry>(unsigned as never, served.key.secretKey)
  const verdict = served.ledger.preview(entry)
  if (verdict?.status === 'rejected') return { reason: `${verdict.reason}: ${verdict.detail ?? ''}` }
  served.ledger.add([entry], time)
  return { entry }
}

/** One round over the pools as their logs stand: what to sign, in order. Pure but for reading keys (done by the caller). */
export function planRound(pools: readonly Served[], now: number, limits: RoundLimits): Action[] {
  const actions: Action[] = []
  const byPool = new Map(pools.map((s) => [s.pool, s]))
  const manifests = pools.map((s) => s.manifest)
  for (const here of pools) {
    const me = here.key.publicKey
    for (const [id, state] of Object.entries(here.result.prepares ?? {})) {
      const prepareId = id as EntryId
      // Our own prepares past their expiry: take the hold back.
      if (state.from === me && state.status === 'expired') {
        if (signed(here.ledger, me, (e) => e.type === 'cancel' && e.entry === prepareId)) continue
        const made = sign(here, now, 'cancel', { entry: prepareId }, [prepareId])
        if (made.entry) actions.push({ action: 'take-back', pool: here.pool, prepare: prepareId, entry: made.entry })
        continue
      }
      if (state.to !== me || state.status !== 'prepared' || !state.path) continue
      if (signed(here.ledger, me, (e) => (e.type === 'fulfil' || e.type === 'cancel') && e.entry === prepareId)) continue
      const nextId = state.path.pools[state.path.pools.indexOf(here.pool) + 1]
      const next = nextId === undefined ? undefined : byPool.get(nextId)
      if (!next || gatewayFor(next.manifest, here.pool) !== next.key.publicKey) continue
      const mine = Object.values(next.result.prepares ?? {}).find((p) => p.condition === state.condition && p.from === next.key.publicKey)
      // Claim upstream only once the downstream fulfil is final (a checkpoint covers it): an uncovered one may
      // still be covered after its expiry, and refused, and the payer would have paid a payee paid nothing
      // (found by the simulation, docs/simulation.md finding 11).
      if (mine?.status === 'fulfilled' && !(mine.settledBy && next.ledger.witnessedBy(mine.settledBy))) continue
      if (mine?.status === 'fulfilled') {
        const made = sign(here, now, 'fulfil', { entry: prepareId, preimage: mine.preimage }, [prepareId])
        actions.push({ action: 'fulfil', pool: here.pool, prepare: prepareId, ...(made.entry ? { entry: made.entry } : { reason: made.reason }) })
        continue
      }
      if (mine?.status === 'cancelled') {
        const made = sign(here, now, 'cancel', { entry: prepareId }, [prepareId])
        actions.push({ action: 'refuse', pool: here.pool, prepare: prepareId, ...(made.entry ? { entry: made.entry } : { reason: made.reason }) })
        continue
      }
      if (mine || signed(next.ledger, next.key.publicKey, (e) => e.type === 'prepare' && e.condition === state.condition)) continue
      // Forward only what is final where it was paid: a witnessed prepare no late fork can void.
      if (!here.ledger.witnessedBy(prepareId)) continue
      if (limits.stopped) {
        actions.push({ action: 'not-forwarded', pool: here.pool, prepare: prepareId, reason: 'stopped' })
        continue
      }
      const refuse = (reason: string): void => {
        const made = sign(here, now, 'cancel', { entry: prepareId }, [prepareId])
        actions.push({ action: 'not-forwarded', pool: here.pool, prepare: prepareId, reason, ...(made.entry ? { entry: made.entry } : {}) })
      }
      const forward = forwardHop(manifests, here.ledger.entry(prepareId) as PrepareEntry, now)
      if (!forward.ok) {
        refuse(`${forward.reason}: ${forward.detail}`)
        continue
      }
      if (forward.hop.amount > limits.maxAmount) {
        refuse(`limit: ${forward.hop.amount} is more than --max-amount ${limits.maxAmount}`)
        continue
      }
      const open = Object.values(next.result.prepares ?? {}).filter((p) => p.from === next.key.publicKey && p.status === 'prepared').length
      if (open >= limits.maxOpen) {
        refuse(`limit: ${open} prepares open in pool ${next.pool}, --max-open ${limits.maxOpen}`)
        continue
      }
      const since = next.ledger.membershipEntry(forward.hop.to)
      const made = sign(next, now, 'prepare', {
        to: forward.hop.to, amount: forward.hop.amount, condition: state.condition, expires: forward.hop.expires, path: forward.path,
      }, since ? [since] : [])
      if (made.entry) actions.push({ action: 'forward', pool: next.pool, prepare: prepareId, entry: made.entry })
      else refuse(made.reason ?? 'refused')
    }
  }
  return actions
}

/** Prometheus counters, by action. */
class Metrics {
  readonly counts = new Map<string, number>()
  rounds = 0
  syncFailures = 0
  pushed = 0
  count(action: Action): void {
    const key = action.action === 'not-forwarded' || action.entry ? action.action : `${action.action}_failed`
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
  }
  text(stopped: boolean): string {
    const lines = [
      '# HELP heroes_gateway_actions_total Entries the gateway signed (or could not), by action.',
      '# TYPE heroes_gateway_actions_total counter',
      ...[...this.counts].sort().map(([action, n]) => `heroes_gateway_actions_total{action="${action}"} ${n}`),
      '# TYPE heroes_gateway_rounds_total counter', `heroes_gateway_rounds_total ${this.rounds}`,
      '# TYPE heroes_gateway_sync_failures_total counter', `heroes_gateway_sync_failures_total ${this.syncFailures}`,
      '# HELP heroes_gateway_pushed_entries_total Entries a relay pushed on a live connection that were new to the logs.',
      '# TYPE heroes_gateway_pushed_entries_total counter', `heroes_gateway_pushed_entries_total ${this.pushed}`,
      '# TYPE heroes_gateway_stopped gauge', `heroes_gateway_stopped ${stopped ? 1 : 0}`,
    ]
    return lines.join('\n') + '\n'
  }
}

async function syncPool(config: GatewayPoolConfig, metrics: Metrics): Promise<void> {
  if (!config.relay) return
  try {
    await syncLog(['--relay', config.relay, '--log', config.log, '--timeout-seconds', '20'])
  } catch (error) {
    metrics.syncFailures++
    process.stderr.write(`heroes gateway: sync of ${config.log} with ${config.relay} failed: ${(error as Error).message.split('\n')[0]}\n`)
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    config: { type: 'string' }, 'interval-seconds': { type: 'string' }, 'max-amount': { type: 'string' }, 'max-open': { type: 'string' },
    'stop-file': { type: 'string' }, 'metrics-port': { type: 'string' }, once: { type: 'boolean' }, time: { type: 'string' }, poll: { type: 'boolean' },
  })
  if (values.time !== undefined && !values.once) throw new UsageError('expected --time only with --once (a service signs at its clock)')
  const clock = (): number => (values.time !== undefined ? timeFlag(values.time, 'time', Date.now()) : Date.now())
  const configs = readConfig(required(values.config, 'config'))
  const intervalMs = (integerFlag(values['interval-seconds'], 'interval-seconds', 1, 3600) ?? INTERVAL_SECONDS_DEFAULT) * 1000
  const maxAmount = integerFlag(values['max-amount'], 'max-amount', 1, AMOUNT_MAX) ?? AMOUNT_MAX
  const maxOpen = integerFlag(values['max-open'], 'max-open', 1, 1_000) ?? MAX_OPEN_DEFAULT
  const metricsPort = integerFlag(values['metrics-port'], 'metrics-port', 0, 65_535)
  const stopFile = values['stop-file']
  for (const config of configs) readKeyFile(config.key) // a bad key file is the user's error, before anything runs
  const pools = load(configs, clock())
  if (new Set(pools.map((p) => p.pool)).size !== pools.length) throw new UsageError('expected each pool once in the config')
  for (const p of pools) {
    const serves = Object.values(p.result.trustlines ?? {}).some((line) => line.gateway === p.key.publicKey)
    if (!serves) process.stderr.write(`heroes gateway: warning: no trustline of pool ${p.pool} names ${p.key.publicKey} (yet)\n`)
  }

  const metrics = new Metrics()
  const stopped = (): boolean => stopFile !== undefined && existsSync(stopFile)
  let server: Server | undefined
  if (metricsPort !== undefined) {
    server = createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end()
        return
      }
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics.text(stopped()))
    })
    await new Promise<void>((done, fail) => {
      server!.once('error', (error) => fail(new RuntimeError(`cannot listen on 127.0.0.1:${metricsPort}: ${error.message}`)))
      server!.listen(metricsPort, '127.0.0.1', done)
    })
    const address = server.address()
    process.stderr.write(`heroes gateway: metrics on http://127.0.0.1:${typeof address === 'object' && address ? address.port : metricsPort}/metrics\n`)
  }
  let stopping = false
  // A round is due: a relay pushed an entry, the timer ran out, or a signal asks to stop.
  let wake: (() => void) | undefined
  /** Woken while a round ran: the next wait ends at once. */
  let pending = false
  const woken = (): void => {
    const resolve = wake
    wake = undefined
    if (resolve) resolve()
    else pending = true
  }
  const stop = (): void => {
    stopping = true
    woken()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  // Live unless asked to poll: every pool needs a relay, and a one-shot round has nothing to wait for.
  const live = !values.poll && !values.once && configs.every((config) => config.relay) ? new GatewayLive(() => setTimeout(woken, PUSH_SETTLE_MS)) : undefined
  try {
    if (live) {
      // Caught up once the slow, confirmed way; from then on the relays push.
      for (const config of configs) await syncPool(config, metrics)
      for (const config of configs) await live.follow(config.log, config.relay!)
      process.stderr.write(`heroes gateway: live on ${new Set(configs.map((c) => c.relay)).size} relay(s), a round on every new entry and every ${intervalMs / 1000} s\n`)
    }
    for (;;) {
      if (!live) for (const config of configs) await syncPool(config, metrics)
      const now = clock()
      const served = load(configs, now)
      const actions = planRound(served, now, { maxAmount, maxOpen, stopped: stopped() })
      const changed = new Map<GatewayPoolConfig, Entry[]>()
      for (const action of actions) {
        metrics.count(action)
        if (action.entry) {
          const where = served.find((s) => s.pool === action.entry!.pool)!
          appendFileSync(where.config.log, encodeEntry(action.entry) + '\n')
          changed.set(where.config, [...(changed.get(where.config) ?? []), action.entry])
        }
        process.stdout.write(JSON.stringify({
          action: action.action, pool: action.pool, prepare: action.prepare, ...(action.entry ? { entry: action.entry.id } : {}), ...(action.reason ? { reason: action.reason } : {}),
        }) + '\n')
      }
      for (const [config, entries] of changed) {
        if (live) await live.publish(entries[0]!.pool, entries)
        else await syncPool(config, metrics)
      }
      metrics.rounds++
      if (live) metrics.pushed = live.stats.pushed
      if (values.once || stopping) return 0
      if (!pending) {
        let timer: ReturnType<typeof setTimeout> | undefined
        await new Promise<void>((done) => {
          wake = done
          timer = setTimeout(woken, intervalMs)
        })
        clearTimeout(timer)
      }
      pending = false
      if (stopping) return 0
    }
  } finally {
    process.off('SIGTERM', stop)
    process.off('SIGINT', stop)
    await live?.close()
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()))
  }
}
