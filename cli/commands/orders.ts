/**
 * heroes order create | order revoke | order run, and heroes schedule: standing
 * orders and scheduled payments (core/rules/orders.ts).
 */
import {
  ORDER_COLLECT_RETRY_SECONDS, ORDER_COUNT_MAX, ORDER_EVERY_SECONDS_MAX, ORDER_EVERY_SECONDS_MIN, encodeEntry, periodsToCollect, type CollectEntry, type EntryId, type OrderEntry,
  type PublicKeyHex, type UnsignedEntry,
} from '../../core/index.ts'
import { amountFlag, integerFlag, parseFlags, publicKeyFlag, required, timeFlag } from '../args.ts'
import { emit, loadAuthor, signOrRefuse } from '../author.ts'
import { UsageError } from '../errors.ts'
import { findEntry, payeeDeps } from './entries.ts'

const common = { key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' } } as const

/** Payments one `order run` prints per order at most (a long-dormant order is caught up over several runs). */
const RUN_PAYMENTS_PER_ORDER_MAX = 100

function optionalTime(value: string | undefined, flag: string): number | undefined {
  return value === undefined ? undefined : timeFlag(value, flag, 0)
}

/** heroes order create: pay --amount to --to every --every-seconds, from --start, at most --count times or until --until. */
export function orderCreate(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    ...common, to: { type: 'string' }, amount: { type: 'string' }, 'every-seconds': { type: 'string' }, count: { type: 'string' },
    until: { type: 'string' }, start: { type: 'string' }, memo: { type: 'string' }, coordinator: { type: 'string' },
  })
  const to = publicKeyFlag(values.to, 'to')
  const amount = amountFlag(values.amount)
  const everySeconds = integerFlag(required(values['every-seconds'], 'every-seconds'), 'every-seconds', ORDER_EVERY_SECONDS_MIN, ORDER_EVERY_SECONDS_MAX)!
  const count = integerFlag(values.count, 'count', 1, ORDER_COUNT_MAX)
  const until = optionalTime(values.until, 'until')
  const start = optionalTime(values.start, 'start')
  const coordinator = values.coordinator === undefined ? undefined : publicKeyFlag(values.coordinator, 'coordinator')
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  if (to === context.key.publicKey) throw new UsageError('expected --to another member, got the payer itself')
  if (until !== undefined && until < (start ?? context.time)) throw new UsageError('expected --until at or after the first payment (--start, or the order\'s own time)')
  return emit<OrderEntry>(context, 'order', {
    to, amount, everySeconds, ...(count !== undefined ? { count } : {}), ...(until !== undefined ? { until } : {}), ...(start !== undefined ? { start } : {}),
    ...(values.memo ? { memo: values.memo.normalize('NFC') } : {}), ...(coordinator ? { coordinator } : {}),
  }, payeeDeps(context, to))
}

/** heroes schedule: one payment of --amount to --to that takes effect at --at; `heroes cancel --entry ID` withdraws it until then. */
export function schedule(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, to: { type: 'string' }, amount: { type: 'string' }, at: { type: 'string' }, memo: { type: 'string' }, coordinator: { type: 'string' } })
  const to = publicKeyFlag(values.to, 'to')
  const amount = amountFlag(values.amount)
  const at = timeFlag(required(values.at, 'at'), 'at', 0)
  const coordinator = values.coordinator === undefined ? undefined : publicKeyFlag(values.coordinator, 'coordinator')
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  if (to === context.key.publicKey) throw new UsageError('expected --to another member, got the payer itself')
  return emit<OrderEntry>(context, 'order', { to, amount, start: at, ...(values.memo ? { memo: values.memo.normalize('NFC') } : {}), ...(coordinator ? { coordinator } : {}) }, payeeDeps(context, to))
}

/** heroes order revoke --entry ID: the payer's cancel of its standing order. */
export function orderRevoke(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, entry: { type: 'string' } })
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const target = findEntry(context, values.entry, 'entry', 'order')
  return emit(context, 'cancel', { entry: target.id }, [target.id])
}

/**
 * heroes order run: one collect line per payment due by T that the holder of
 * FILE may sign (as payee or coordinator), by core's periodsToCollect: none
 * for a period a collect in LOG stands for (accepted or waiting), so a second
 * run after appending prints nothing; a period whose collects were all refused
 * (the payer could not pay then) again only once the last try is
 * ORDER_COLLECT_RETRY_SECONDS old. The validator pays a period at most once in any case.
 */
export function orderRun(argv: string[], now: number): number {
  const { values } = parseFlags(argv, common)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const me = context.key.publicKey as PublicKeyHex
  let seq = context.seq
  let prev = context.prev
  let deps: EntryId[] = context.ledger.depsFor(me)
  const due = periodsToCollect(context.ledger, me, context.time, { retryMs: ORDER_COLLECT_RETRY_SECONDS * 1000, perOrderMax: RUN_PAYMENTS_PER_ORDER_MAX })
  for (const { order, period } of due) {
    const unsigned = {
      type: 'collect', pool: context.pool, author: me, seq, prev, deps: [...new Set([...deps, order])].sort(), time: context.time, order, period,
    } as unknown as UnsignedEntry<CollectEntry>
    const entry = signOrRefuse<CollectEntry>(unsigned, context.key.secretKey)
    process.stdout.write(encodeEntry(entry) + '\n')
    seq++
    prev = entry.id
    deps = []
  }
  return 0
}

export function orderCommand(argv: string[], now: number): number {
  if (argv[0] === 'create') return orderCreate(argv.slice(1), now)
  if (argv[0] === 'revoke') return orderRevoke(argv.slice(1), now)
  if (argv[0] === 'run') return orderRun(argv.slice(1), now)
  throw new UsageError(`expected 'order create', 'order revoke' or 'order run', got 'order ${argv[0] ?? ''}'`)
}
