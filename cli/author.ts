/**
 * What every entry-making command shares: read the key and the log, find
 * the author's place in its chain, sign, check with the validator, print.
 */
import {
  chainHead, encodeEntry, signEntry, type Entry, type EntryId, type Ledger, type PublicKeyHex, type UnsignedEntry,
} from '../core/index.ts'
import { readKeyFile, type KeyFile } from './files.ts'
import { UsageError } from './errors.ts'
import { timeFlag } from './args.ts'
import { loadPool } from './pool.ts'

export interface AuthorContext {
  readonly key: KeyFile
  readonly pool: EntryId
  readonly ledger: Ledger
  /** The pool's validly signed entries (nothing forged, nothing of another pool). */
  readonly entries: Entry[]
  readonly seq: number
  readonly prev: EntryId | null
  readonly time: number
  /** When the key is a device certified in LOG (core/rules/devices.ts): the member it signs for, and its certificate. */
  readonly device?: { readonly member: PublicKeyHex; readonly certificate: EntryId }
}

/** The member a device key signs for, and the certificate LOG holds for it; undefined for any other key. */
export function deviceOf(ledger: Ledger, key: PublicKeyHex): AuthorContext['device'] {
  const member = ledger.memberOfDevice(key)
  const certificate = member && ledger.member(member)?.devices?.find((d) => d.key === key)?.certificate
  return member && certificate ? { member, certificate: certificate as EntryId } : undefined
}

/**
 * Loads what an author needs to add one entry to the pool in LOG (the one
 * named by `poolFlag`, or its only genesis): the chain head comes from the
 * author's validly signed entries of that pool only, so a forged line cannot
 * become the `prev` of a new entry.
 */
export function loadAuthor(keyPath: string, logPath: string, timeText: string | undefined, now: number, poolFlag?: string): AuthorContext {
  const key = readKeyFile(keyPath)
  const explicit = timeText !== undefined
  let time = timeFlag(timeText, 'time', now)
  const { pool, ledger, entries } = loadPool(logPath, poolFlag, Math.max(now, time))
  const head = chainHead(entries, pool, key.publicKey)
  if (time < head.time) {
    if (explicit) throw new UsageError(`expected --time at or after ${new Date(head.time).toISOString()} (the author's previous entry), got ${timeText}`)
    time = head.time // a clock behind the chain must not break it
    ledger.add([], time) // judged from the head on, so that the new entry can be checked after it
  }
  const device = deviceOf(ledger, key.publicKey as PublicKeyHex)
  return { key, pool, ledger, entries, seq: head.seq, prev: head.prev, time, ...(device ? { device } : {}) }
}

/** The key that acts: the member a device key signs for, or the key itself. */
export function actingKey(context: AuthorContext): PublicKeyHex {
  return context.device?.member ?? (context.key.publicKey as PublicKeyHex)
}

type Body<E extends Entry> = Omit<UnsignedEntry<E>, 'pool' | 'author' | 'seq' | 'prev' | 'deps' | 'time' | 'type'>

/** Signs the next entry of the author's chain and prints it as one line; warns on stderr if the validator would refuse it. */
export function emit<E extends Entry>(context: AuthorContext, type: E['type'], body: Body<E>, extraDeps: EntryId[] = []): number {
  const author = context.key.publicKey as PublicKeyHex
  // A device names what credits its member, and on its first entry its certificate, so it sorts after both.
  const device = context.device
  const own = context.ledger.depsFor(author, device?.member ?? author)
  const certificate = device && context.seq === 1 ? [device.certificate] : []
  const deps = [...new Set([...own, ...certificate, ...extraDeps])].sort() as EntryId[]
  const unsigned = {
    ...body,
    type,
    pool: context.pool,
    author: context.key.publicKey as PublicKeyHex,
    seq: context.seq,
    prev: context.prev,
    deps,
    time: context.time,
  } as unknown as UnsignedEntry<E>
  const entry = signOrRefuse<E>(unsigned, context.key.secretKey)
  printChecked(context.ledger, entry)
  return 0
}

/**
 * signEntry, with an entry the decoder would call malformed (a name too long,
 * a control character in a memo) refused as the user's input: one line, exit 2,
 * nothing printed on stdout.
 */
export function signOrRefuse<E extends Entry>(unsigned: Parameters<typeof signEntry<E>>[0], secretKey: Uint8Array): E {
  try {
    return signEntry<E>(unsigned, secretKey)
  } catch (error) {
    const message = error instanceof TypeError ? error.message : ''
    const malformed = 'got one that decodes as malformed: '
    if (!message.includes(malformed)) throw error
    throw new UsageError(`expected flags that make a well-formed ${unsigned.type} entry, got one every device would refuse: ${message.slice(message.indexOf(malformed) + malformed.length)}`)
  }
}

/** What the pool would say of an entry, when the ledger cannot preview it. */
export type Fallback = () => { reason: string; detail: string } | undefined

/**
 * Prints the entry as one line, then a warning on stderr when the validator
 * would refuse it. `fallback` answers when the ledger cannot judge the entry
 * as if it came last (say, entries dated after it).
 */
export function printChecked(ledger: Ledger, entry: Entry, fallback?: Fallback): void {
  process.stdout.write(encodeEntry(entry) + '\n')
  let verdict
  try {
    verdict = ledger.preview(entry)
  } catch (error) {
    const problem = fallback?.()
    if (problem) process.stderr.write(`warning: the pool will reject this ${entry.type}: ${problem.reason} (${problem.detail})\n`)
    // The entry is made and printed; only the advice failed (say, a date past the last one there is).
    else process.stderr.write(`warning: could not check this ${entry.type} against the pool: ${(error as Error).message.split('\n')[0]}\n`)
    return
  }
  const problem = verdict ? (verdict.status === 'rejected' ? { reason: verdict.reason!, detail: verdict.detail ?? '' } : undefined) : fallback?.()
  if (problem) process.stderr.write(`warning: the pool will reject this ${entry.type}: ${problem.reason} (${problem.detail})\n`)
}
