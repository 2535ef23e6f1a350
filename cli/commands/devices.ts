/**
 * heroes device add | device revoke (docs/devices.md): the member key
 * certifies a device key, or removes a device from a cutoff in its chain.
 */
import { BALANCE_ABS_MAX, DEVICE_NAME_CHARS_MAX, type DeviceEntry, type EntryId, type RevokeEntry } from '../../core/index.ts'
import { integerFlag, parseFlags, publicKeyFlag, required } from '../args.ts'
import { emit, loadAuthor, type AuthorContext } from '../author.ts'
import { UsageError } from '../errors.ts'

const common = { key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' }, device: { type: 'string' } } as const

export function deviceCommand(argv: string[], now: number): number {
  if (argv[0] === 'add') return deviceAdd(argv.slice(1), now)
  if (argv[0] === 'revoke') return deviceRevoke(argv.slice(1), now)
  throw new UsageError(`expected 'device add' or 'device revoke', got 'device ${argv[0] ?? ''}'`)
}

/** The member key certifies PUBKEY as one of its devices, with a name and an optional spending cap. */
function deviceAdd(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, name: { type: 'string' }, 'spend-cap': { type: 'string' } })
  const device = publicKeyFlag(values.device, 'device')
  const name = values.name?.normalize('NFC').trim()
  if (name !== undefined && (name.length === 0 || name.length > DEVICE_NAME_CHARS_MAX)) {
    throw new UsageError(`expected --name of 1 to ${DEVICE_NAME_CHARS_MAX} characters, got ${name.length}`)
  }
  const spendCap = integerFlag(values['spend-cap'], 'spend-cap', 0, BALANCE_ABS_MAX)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  if (device === context.key.publicKey) throw new UsageError('expected --device another key than --key (the device signs with its own key)')
  if (context.device) throw new UsageError(`expected --key the member key, got a device of ${context.device.member}: only the member key certifies devices`)
  return emit<DeviceEntry>(context, 'device', { device, ...(name ? { name } : {}), ...(spendCap !== undefined ? { spendCap } : {}) })
}

/**
 * Removes PUBKEY from a cutoff: its chain up to --after-seq (default: the
 * device's last entry that LOG holds) stands, every other entry of it is
 * void. The revocation names the cutoff entry, so it sorts after that chain.
 */
function deviceRevoke(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, 'after-seq': { type: 'string' } })
  const device = publicKeyFlag(values.device, 'device')
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  if (device === context.key.publicKey) throw new UsageError('expected --device another key than --key (a device is removed by its member key or another of its devices)')
  const head = context.ledger.chainHead(device)
  const last = head.seq - 1
  const afterSeq = integerFlag(values['after-seq'], 'after-seq', 0, Number.MAX_SAFE_INTEGER) ?? last
  if (afterSeq > last) throw new UsageError(`expected --after-seq at most ${last} (the device's last entry in ${values.log}), got ${afterSeq}`)
  const afterEntry = afterSeq === 0 ? undefined : entryAt(context, head.prev!, afterSeq)
  return emit<RevokeEntry>(context, 'revoke', { device, afterSeq, ...(afterEntry ? { afterEntry } : {}) }, afterEntry ? [afterEntry] : [])
}

/** The device's entry at `seq` on the chain that ends at `head` (the branch LOG follows at a fork). */
function entryAt(context: AuthorContext, head: EntryId, seq: number): EntryId {
  let entry = context.ledger.entry(head)
  while (entry && entry.seq > seq && entry.prev !== null) entry = context.ledger.entry(entry.prev)
  if (!entry || entry.seq !== seq) throw new UsageError(`expected the device's entry at seq ${seq} in the log, got a gap in its chain there`)
  return entry.id
}

