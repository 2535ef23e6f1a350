/** heroes pool create | admit | freeze | issue | transfer | invite | join */
import { writeFileSync } from 'node:fs'
import {
  RATE_LIMIT_SECONDS_DEFAULT, RATE_LIMIT_SECONDS_MAX, POOL_DECIMALS_MAX, encodeEntry, generateSecretKey, isHex,
  publicKeyOf, signEntry, signJoinInvite, toHex, type EntryId, type PoolEntry, type PoolKind,
  type PublicKeyHex,
} from '../../core/index.ts'
import { amountFlag, integerFlag, maxBalanceFlag, minBalanceFlag, parseFlags, publicKeyFlag, required, timeFlag } from '../args.ts'
import { emit, loadAuthor, type AuthorContext } from '../author.ts'
import { readKeyFile } from '../files.ts'
import { UsageError } from '../errors.ts'
import { randomBytes } from 'node:crypto'

const common = { key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' } } as const

export function poolCreate(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    key: { type: 'string' }, type: { type: 'string' }, name: { type: 'string' }, symbol: { type: 'string' },
    decimals: { type: 'string' }, 'min-balance': { type: 'string' }, 'max-balance': { type: 'string' },
    'rate-limit-seconds': { type: 'string' }, time: { type: 'string' },
  })
  const key = readKeyFile(required(values.key, 'key'))
  const kind = required(values.type, 'type')
  if (kind !== 'mutual-credit' && kind !== 'issued') throw new UsageError(`expected --type mutual-credit or issued, got ${JSON.stringify(kind)}`)
  const name = required(values.name, 'name').normalize('NFC')
  const minBalance = minBalanceFlag(values['min-balance']) ?? (kind === 'issued' ? 0 : -10_000)
  if (kind === 'issued' && minBalance !== 0) throw new UsageError(`expected --min-balance 0 for an issued pool (nobody goes below zero), got ${minBalance}`)
  const maxBalance = maxBalanceFlag(values['max-balance'])
  const entry = signEntry<PoolEntry>({
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
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now)
  const minBalance = minBalanceFlag(values['min-balance'])
  const maxBalance = maxBalanceFlag(values['max-balance'])
  return emit(context, 'admit', { member, ...(minBalance !== undefined ? { minBalance } : {}), ...(maxBalance !== undefined ? { maxBalance } : {}), ...(role ? { role } : {}) })
}

export function freeze(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, member: { type: 'string' }, reason: { type: 'string' } })
  const member = publicKeyFlag(values.member, 'member')
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now)
  return emit(context, 'freeze', { member, ...(values.reason ? { reason: values.reason.normalize('NFC') } : {}) })
}

export function issue(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, to: { type: 'string' }, amount: { type: 'string' }, memo: { type: 'string' } })
  const to = publicKeyFlag(values.to, 'to')
  const amount = amountFlag(values.amount)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now)
  return emit(context, 'issue', { to, amount, ...(values.memo ? { memo: values.memo.normalize('NFC') } : {}) }, payeeDeps(context, to))
}

export function transfer(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, to: { type: 'string' }, amount: { type: 'string' }, memo: { type: 'string' } })
  const to = publicKeyFlag(values.to, 'to')
  const amount = amountFlag(values.amount)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now)
  if (to === context.key.publicKey) throw new UsageError('expected --to another member, got the payer itself')
  return emit(context, 'transfer', { to, amount, ...(values.memo ? { memo: values.memo.normalize('NFC') } : {}) }, payeeDeps(context, to))
}

/** A payment relies on its payee being a member: naming that entry orders the payment after it, whatever the clocks say. */
function payeeDeps(context: AuthorContext, to: PublicKeyHex): EntryId[] {
  const since = context.ledger.membershipEntry(to)
  return since ? [since] : []
}

/** Prints the invite entry; writes the one-time invite key (the secret the new member needs) to --invite-key-out. */
export function invite(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, 'invite-key-out': { type: 'string' }, 'min-balance': { type: 'string' }, 'max-balance': { type: 'string' } })
  const out = required(values['invite-key-out'], 'invite-key-out')
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now)
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
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now)
  if (context.seq !== 1) throw new UsageError(`expected a key new to this pool, got one with ${context.seq - 1} entries already`)
  const inviteSig = signJoinInvite(context.pool, inviteId as EntryId, context.key.publicKey, inviteKey.secretKey)
  return emit(context, 'join', { invite: inviteId as EntryId, invitee: inviteKey.publicKey as PublicKeyHex, inviteSig }, [inviteId as EntryId])
}
