/**
 * heroes recover request | recover approve (docs/devices.md, Recovery): a new
 * key asks to take over a member's account; gatekeepers approve it.
 */
import type { ApproveEntry, RecoverEntry } from '../../core/index.ts'
import { parseFlags, publicKeyFlag, required } from '../args.ts'
import { emit, loadAuthor } from '../author.ts'
import { findEntry } from './entries.ts'
import { UsageError } from '../errors.ts'

const common = { key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' } } as const

export function recoverCommand(argv: string[], now: number): number {
  if (argv[0] === 'request') return recoverRequest(argv.slice(1), now)
  if (argv[0] === 'approve') return recoverApprove(argv.slice(1), now)
  throw new UsageError(`expected 'recover request' or 'recover approve', got 'recover ${argv[0] ?? ''}'`)
}

/** The new key's first entry: it asks to take over --member's account. */
function recoverRequest(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, member: { type: 'string' } })
  const member = publicKeyFlag(values.member, 'member')
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  if (member === context.key.publicKey) throw new UsageError('expected --member the lost key, got the new key itself')
  if (context.seq !== 1) throw new UsageError(`expected a new key (one with no entries in this pool), got one with ${context.seq - 1}`)
  const since = context.ledger.membershipEntry(member)
  return emit<RecoverEntry>(context, 'recover', { member }, since ? [since] : [])
}

/** A gatekeeper approves the recovery request --entry. */
function recoverApprove(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, entry: { type: 'string' } })
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const request = findEntry(context, values.entry, 'entry', 'recover')
  return emit<ApproveEntry>(context, 'approve', { entry: request.id, key: request.author }, [request.id])
}
