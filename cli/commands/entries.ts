/** heroes pool create | pool update | tick | admit | freeze | issue | transfer | payout | request | accept | reject | cancel | close | invite | join */
import { writeFileSync } from 'node:fs'
import {
  BALANCE_ABS_MAX, DEPS_COUNT_MAX, FEE_BASIS_POINTS_MAX, OFFLINE_ALLOWANCE_SECONDS_DEFAULT, OFFLINE_AMOUNT_MAX_DEFAULT, OFFLINE_COUNT_MAX_DEFAULT,
  ORDER_COUNT_MAX, ORDER_EVERY_SECONDS_MAX, ORDER_EVERY_SECONDS_MIN,
  RATE_LIMIT_SECONDS_DEFAULT, RATE_LIMIT_SECONDS_MAX, POOL_DECIMALS_MAX, encodeEntry, generateSecretKey, isHex,
  publicKeyOf, signJoinInvite, toHex, type Entry, type EntryId, type PolicyEntry, type PoolEntry, type PoolKind, type RequestEntry,
  type PublicKeyHex,
} from '../../core/index.ts'
import { amountFlag, integerFlag, maxBalanceFlag, minBalanceFlag, parseFlags, publicKeyFlag, required, timeFlag } from '../args.ts'
import { actingKey, emit, loadAuthor, signOrRefuse, type AuthorContext } from '../author.ts'
import { FIXED_POLICY_FLAGS, POLICY_FLAGS, POLICY_FLAG_NAMES, demurrageFlags, hourRateFlag, offlineFlags, policyChangeFlags, witnessesFlag } from '../policy-flags.ts'
import { readKeyFile } from '../files.ts'
import { UsageError } from '../errors.ts'
import { randomBytes } from 'node:crypto'

const common = { key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' } } as const

/**
 * The genesis. With --witness (repeatable, the first is the primary) the pool is
 * witnessed, and its offline risk is written out: the flags' values, or core's
 * defaults. Without a witness the offline fields are written only when given.
 */
export function poolCreate(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    ...POLICY_FLAGS, key: { type: 'string' }, type: { type: 'string' }, decimals: { type: 'string' }, time: { type: 'string' },
    'two-step': { type: 'boolean' },
  })
  const key = readKeyFile(required(values.key, 'key'))
  const kind = required(values.type, 'type')
  if (kind !== 'mutual-credit' && kind !== 'issued') throw new UsageError(`expected --type mutual-credit or issued, got ${JSON.stringify(kind)}`)
  const name = required(values.name, 'name').normalize('NFC')
  const minBalance = minBalanceFlag(values['min-balance']) ?? (kind === 'issued' ? 0 : -10_000)
  if (kind === 'issued' && minBalance !== 0) throw new UsageError(`expected --min-balance 0 for an issued pool (nobody goes below zero), got ${minBalance}`)
  const maxBalance = maxBalanceFlag(values['max-balance'])
  const feeBasisPoints = integerFlag(values['fee-basis-points'], 'fee-basis-points', 0, FEE_BASIS_POINTS_MAX)
  const softMinBalance = integerFlag(values['soft-min-balance'], 'soft-min-balance', minBalance, 0)
  const softMaxBalance = integerFlag(values['soft-max-balance'], 'soft-max-balance', 1, maxBalance ?? BALANCE_ABS_MAX)
  const witnesses = witnessesFlag(values.witness, false)
  const offline = offlineFlags(values)
  const witnessed = witnesses !== undefined ? {
    witnesses,
    offlineCountMax: offline.offlineCountMax ?? OFFLINE_COUNT_MAX_DEFAULT,
    offlineAmountMax: offline.offlineAmountMax ?? OFFLINE_AMOUNT_MAX_DEFAULT,
    offlineAllowanceSeconds: offline.offlineAllowanceSeconds ?? OFFLINE_ALLOWANCE_SECONDS_DEFAULT,
  } : {}
  const entry = signOrRefuse<PoolEntry>({
    type: 'pool',
    author: key.publicKey,
    seq: 1,
    prev: null,
    deps: [],
    time: timeFlag(values.time, 'time', now),
    nonce: toHex(randomBytes(16)),
    policy: {
      kind: kind as PoolKind,
      name,
      symbol: (values.symbol ?? name.slice(0, 3).toUpperCase()).normalize('NFC'),
      decimals: integerFlag(values.decimals, 'decimals', 0, POOL_DECIMALS_MAX) ?? 2,
      minBalance,
      maxBalance: maxBalance === undefined ? null : maxBalance,
      rateLimitSeconds: integerFlag(values['rate-limit-seconds'], 'rate-limit-seconds', 0, RATE_LIMIT_SECONDS_MAX) ?? RATE_LIMIT_SECONDS_DEFAULT,
      ...(values['two-step'] ? { twoStep: true } : {}),
      ...(feeBasisPoints ? { feeBasisPoints } : {}),
      ...(softMinBalance !== undefined ? { softMinBalance } : {}),
      ...(softMaxBalance !== undefined ? { softMaxBalance } : {}),
      ...offline,
      ...witnessed,
      ...demurrageFlags(values, false),
      ...hourRateFlag(values),
    },
  }, key.secretKey)
  process.stdout.write(encodeEntry(entry) + '\n')
  return 0
}

export function admit(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, member: { type: 'string' }, 'min-balance': { type: 'string' }, 'max-balance': { type: 'string' }, role: { type: 'string' } })
  const member = publicKeyFlag(values.member, 'member')
  const role = values.role
  if (role !== undefined && role !== 'member' && role !== 'gatekeeper') throw new UsageError(`expected --role member or gatekeeper, got ${JSON.stringify(role)}`)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const minBalance = minBalanceFlag(values['min-balance'])
  const maxBalance = maxBalanceFlag(values['max-balance'])
  return emit(context, 'admit', { member, ...(minBalance !== undefined ? { minBalance } : {}), ...(maxBalance !== undefined ? { maxBalance } : {}), ...(role ? { role } : {}) })
}

export function freeze(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, member: { type: 'string' }, reason: { type: 'string' } })
  const member = publicKeyFlag(values.member, 'member')
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  // Naming the member's branch tips orders what this log shows of its chain before the freeze (Ledger.branchTips).
  const room = DEPS_COUNT_MAX - context.ledger.depsFor(context.key.publicKey).length
  return emit(context, 'freeze', { member, ...(values.reason ? { reason: values.reason.normalize('NFC') } : {}) }, context.ledger.branchTips(member, room))
}

/** An issue; with --request ID it grants a member's token request (amount and payee from it). */
export function issue(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, to: { type: 'string' }, amount: { type: 'string' }, memo: { type: 'string' }, request: { type: 'string' } })
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const { to, amount, request } = paymentTarget(context, values)
  const memo = values.memo ?? request?.memo
  return emit(context, 'issue', { to, amount, ...(memo ? { memo: memo.normalize('NFC') } : {}), ...(request ? { request: request.id } : {}) },
    [...payeeDeps(context, to), ...(request ? [request.id] : [])])
}

/** Payee and amount of a payment: from --to/--amount, or from the request named by --request (which they must then match). */
function paymentTarget(context: AuthorContext, values: { to?: string; amount?: string; request?: string }): { to: PublicKeyHex; amount: number; request?: RequestEntry } {
  if (values.request === undefined) return { to: publicKeyFlag(values.to, 'to'), amount: amountFlag(values.amount) }
  const request = findEntry(context, values.request, 'request', 'request') as RequestEntry
  if (values.to !== undefined && publicKeyFlag(values.to, 'to') !== request.author) throw new UsageError(`expected --to ${request.author} (the request's payee), got ${values.to}`)
  if (values.amount !== undefined && amountFlag(values.amount) !== request.amount) throw new UsageError(`expected --amount ${request.amount} (the request's amount), got ${values.amount}`)
  return { to: request.author, amount: request.amount, request }
}

/**
 * A transfer; with --request ID it pays that request, taking amount and payee from it
 * (an explicit --to or --amount that differs is refused).
 */
export function transfer(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, to: { type: 'string' }, amount: { type: 'string' }, memo: { type: 'string' }, request: { type: 'string' } })
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const { to, amount, request } = paymentTarget(context, values)
  if (to === actingKey(context)) throw new UsageError(`expected --to another member, got the payer itself${context.device ? ' (the member this device signs for)' : ''}`)
  const memo = values.memo ?? request?.memo
  return emit(context, 'transfer', { to, amount, ...(memo ? { memo: memo.normalize('NFC') } : {}), ...(request ? { request: request.id } : {}) },
    [...payeeDeps(context, to), ...(request ? [request.id] : [])])
}

/**
 * heroes pool update: a gatekeeper's policy entry changing only the fields named
 * (any gatekeeper for limits, levy and offline risk; only the creator for
 * witnesses, which the validator enforces and this command warns about).
 * Kind, decimals and two-step are fixed when the pool is created.
 */
export function poolUpdate(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, ...POLICY_FLAGS, ...FIXED_POLICY_FLAGS })
  for (const flag of Object.keys(FIXED_POLICY_FLAGS) as (keyof typeof FIXED_POLICY_FLAGS)[]) {
    if (values[flag] !== undefined) throw new UsageError(`expected only fields a pool may change (${POLICY_FLAG_NAMES.join(', ')}), got --${flag}, which is fixed when the pool is created`)
  }
  const policy = policyChangeFlags(values)
  if (Object.keys(policy).length === 0) throw new UsageError(`expected at least one field to change (${POLICY_FLAG_NAMES.join(', ')}), got none`)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  return emit<PolicyEntry>(context, 'policy', { policy })
}

/**
 * heroes tick: a gatekeeper's or a witness's entry that charges every account
 * its demurrage up to T, so dormant accounts pay and the commons shows it.
 * A witness should tick with a key other than its checkpoint key: a tick in
 * the primary's chain would stop its checkpoints counting (coverage.ts).
 */
export function tick(argv: string[], now: number): number {
  const { values } = parseFlags(argv, common)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  if (context.ledger.policy?.witnesses?.[0] === context.key.publicKey) {
    throw new UsageError("expected a key other than the primary witness's: a tick in its chain would stop its checkpoints counting")
  }
  return emit(context, 'tick', {})
}

/** heroes payout: a gatekeeper pays a member out of the pool's commons (the levies collected), in the open. */
export function payout(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, to: { type: 'string' }, amount: { type: 'string' }, memo: { type: 'string' } })
  const to = publicKeyFlag(values.to, 'to')
  const amount = amountFlag(values.amount)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  return emit(context, 'payout', { to, amount, ...(values.memo ? { memo: values.memo.normalize('NFC') } : {}) }, payeeDeps(context, to))
}

/**
 * heroes request --from PUBKEY --amount N [--memo M]: a payee asks for a payment. With --every-seconds
 * it is a recurring request (rent, dues; core/rules/recurring.ts): the payer accepts it once
 * (heroes accept --entry ID) and the payee collects each period with 'order run'.
 */
export function requestPayment(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    ...common, from: { type: 'string' }, amount: { type: 'string' }, memo: { type: 'string' },
    'every-seconds': { type: 'string' }, count: { type: 'string' }, until: { type: 'string' }, start: { type: 'string' }, coordinator: { type: 'string' },
  })
  const from = values.from === undefined ? undefined : publicKeyFlag(values.from, 'from')
  const amount = amountFlag(values.amount)
  const everySeconds = integerFlag(values['every-seconds'], 'every-seconds', ORDER_EVERY_SECONDS_MIN, ORDER_EVERY_SECONDS_MAX)
  const count = integerFlag(values.count, 'count', 1, ORDER_COUNT_MAX)
  const until = values.until === undefined ? undefined : timeFlag(values.until, 'until', 0)
  const start = values.start === undefined ? undefined : timeFlag(values.start, 'start', 0)
  const coordinator = values.coordinator === undefined ? undefined : publicKeyFlag(values.coordinator, 'coordinator')
  if (everySeconds === undefined) {
    const named = (['count', 'until', 'start', 'coordinator'] as const).find((flag) => values[flag] !== undefined)
    if (named) throw new UsageError(`expected --${named} only with --every-seconds (a recurring request)`)
  }
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  if (from === actingKey(context)) throw new UsageError('expected --from another member, got the requester itself')
  if (coordinator !== undefined && coordinator === actingKey(context)) throw new UsageError('expected --coordinator a key other than the requester\'s')
  if (until !== undefined && until < (start ?? context.time)) throw new UsageError('expected --until at or after the first payment (--start, or the request\'s own time)')
  const recurring = everySeconds === undefined ? {} : {
    everySeconds, ...(count !== undefined ? { count } : {}), ...(until !== undefined ? { until } : {}), ...(start !== undefined ? { start } : {}),
    ...(coordinator ? { coordinator } : {}),
  }
  return emit(context, 'request', { amount, ...(from ? { from } : {}), ...(values.memo ? { memo: values.memo.normalize('NFC') } : {}), ...recurring }, from ? payeeDeps(context, from) : [])
}

/**
 * heroes accept|reject|cancel --entry ID: answers a two-step transfer or a request. Accepting a
 * recurring request makes the accept a standing order; cancelling that accept ends it (payer or payee).
 */
export function answer(type: 'accept' | 'reject' | 'cancel') {
  return (argv: string[], now: number): number => {
    const { values } = parseFlags(argv, { ...common, entry: { type: 'string' }, ...(type === 'reject' ? { memo: { type: 'string' } } : {}) })
    const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
    const target = findEntry(context, values.entry, 'entry')
    const orders = type === 'cancel' ? ', or, to cancel, a standing order, scheduled payment, accepted recurring request or prepare' : ''
    const cancellable = type === 'cancel' && (target.type === 'order' || target.type === 'prepare' || (target.type === 'accept' && context.ledger.orders().some((o) => o.id === target.id)))
    if (target.type !== 'transfer' && target.type !== 'request' && !cancellable) throw new UsageError(`expected --entry a transfer or request${orders}, got a ${target.type}`)
    const memo = (values as { memo?: string }).memo
    return emit(context, type, { entry: target.id, ...(memo ? { memo: memo.normalize('NFC') } : {}) }, [target.id])
  }
}

/** heroes close: leaves the pool (only at balance zero with nothing in flight). */
export function close(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common })
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  return emit(context, 'close', {})
}

export function findEntry(context: AuthorContext, id: string | undefined, flag: string, type?: Entry['type']): Entry {
  const wanted = required(id, flag)
  if (!isHex(wanted, 32)) throw new UsageError(`expected --${flag} an entry id (64 hex characters), got ${JSON.stringify(wanted)}`)
  const entry = context.ledger.entry(wanted as EntryId)
  if (!entry) throw new UsageError(`expected --${flag} an entry of the pool in the log, got ${wanted}, which it does not hold`)
  if (type && entry.type !== type) throw new UsageError(`expected --${flag} a ${type}, got a ${entry.type}`)
  return entry
}

/** A payment relies on its payee being a member: naming that entry orders the payment after it, whatever the clocks say. */
export function payeeDeps(context: AuthorContext, to: PublicKeyHex): EntryId[] {
  const since = context.ledger.membershipEntry(to)
  return since ? [since] : []
}

/** Prints the invite entry; writes the one-time invite key (the secret the new member needs) to --invite-key-out. */
export function invite(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, 'invite-key-out': { type: 'string' }, 'min-balance': { type: 'string' }, 'max-balance': { type: 'string' } })
  const out = required(values['invite-key-out'], 'invite-key-out')
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const inviteSecret = generateSecretKey()
  const invitee = publicKeyOf(inviteSecret)
  const minBalance = minBalanceFlag(values['min-balance'])
  const maxBalance = maxBalanceFlag(values['max-balance'])
  writeFileSync(out, JSON.stringify({ publicKey: invitee, secretKey: toHex(inviteSecret) }) + '\n', { mode: 0o600, flag: 'wx' })
  return emit(context, 'invite', { invitee, ...(minBalance !== undefined ? { minBalance } : {}), ...(maxBalance !== undefined ? { maxBalance } : {}) })
}

/** Joins with a one-time invite: --key is the new member's key, --invite-key the invite's secret. */
export function join(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, invite: { type: 'string' }, 'invite-key': { type: 'string' } })
  const inviteId = required(values.invite, 'invite')
  if (!isHex(inviteId, 32)) throw new UsageError(`expected --invite an entry id (64 hex characters), got ${JSON.stringify(inviteId)}`)
  const inviteKey = readKeyFile(required(values['invite-key'], 'invite-key'))
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  if (context.seq !== 1) throw new UsageError(`expected a key new to this pool, got one with ${context.seq - 1} entries already`)
  const inviteSig = signJoinInvite(context.pool, inviteId as EntryId, context.key.publicKey, inviteKey.secretKey)
  return emit(context, 'join', { invite: inviteId as EntryId, invitee: inviteKey.publicKey as PublicKeyHex, inviteSig }, [inviteId as EntryId])
}
