/**
 * Which pool of a log a command acts on, and what of the log it may trust.
 *
 * A log is a file anyone may have appended to. Commands build only on the
 * validly signed entries of ONE pool: a forged line must not become the head
 * of an author's chain, and lines of another pool, however many, must not
 * decide which pool is meant. The pool is the one validly signed genesis in
 * the log, or `--pool ID` when there are several. Lines that are not used
 * (undecodable, badly signed, of another pool) are named in one notice.
 */
import {
  Ledger, SignatureCache, choosePool, isHex, verifyEntrySignature, type Entry, type EntryId,
} from '../core/index.ts'
import { readLog, type ReadLog } from './files.ts'
import { UsageError, notice } from './errors.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'

/** A line of the log that no command uses, and why: malformed, bad-signature, wrong-pool (or another refusal of the ledger). */
export interface IgnoredLine {
  readonly line: number
  readonly reason: string
}

export interface LoadedPool {
  readonly pool: EntryId
  /** The pool judged as of `asOf`, fed every line of the log (it keeps only the validly signed entries of its pool). */
  readonly ledger: Ledger
  /** The validly signed entries of the pool: all a command may build on. */
  readonly entries: Entry[]
  /** Lines not used, by line number. */
  readonly ignored: IgnoredLine[]
  readonly malformed: ReadLog['malformed']
}

/** A log that holds no entry at all, for `replay` (which prints an empty result for it). */
export interface NoPool {
  readonly pool: undefined
  readonly ignored: IgnoredLine[]
  readonly malformed: ReadLog['malformed']
}

export interface LoadPoolOptions {
  /**
   * For `replay`, an auditor's view: `--pool` may name a pool whose genesis
   * the log lacks, and a log without any validly signed genesis is judged
   * as it always was (the pool most of its entries name).
   */
  readonly auditor?: boolean
}

/** How many pools an error lists, and how many line numbers a notice lists per kind, before `…`. */
const POOLS_LISTED_MAX = 4
const LINES_LISTED_MAX = 5

/**
 * Reads LOG and judges the pool chosen by `poolFlag` (or its only genesis) as
 * of `asOf`. Reports ignored lines on stderr. Throws a UsageError when the log
 * holds no pool, several pools and no `--pool`, or not the pool named.
 */
export function loadPool(logPath: string, poolFlag: string | undefined, asOf: number): LoadedPool
export function loadPool(logPath: string, poolFlag: string | undefined, asOf: number, options: LoadPoolOptions): LoadedPool | NoPool
export function loadPool(logPath: string, poolFlag: string | undefined, asOf: number, options: LoadPoolOptions = {}): LoadedPool | NoPool {
  if (poolFlag !== undefined && !isHex(poolFlag, 32)) throw new UsageError(`expected --pool a pool id (64 hex characters), got ${JSON.stringify(poolFlag)}`)
  const log = readLog(logPath)
  const cache = new SignatureCache()
  const geneses = new Map<EntryId, string>()
  for (const entry of log.entries) {
    if (entry.type === 'pool' && !geneses.has(entry.id) && verifyEntrySignature(entry, cache, verifyEd25519)) geneses.set(entry.id, entry.policy.name)
  }

  let pool: EntryId | undefined
  if (poolFlag !== undefined) {
    pool = poolFlag as EntryId
    if (!geneses.has(pool) && !options.auditor) {
      throw new UsageError(`expected --pool one of the pools in ${logPath} (${geneses.size === 0 ? 'it holds none' : listPools(geneses)}), got ${pool}`)
    }
  } else if (geneses.size === 1) {
    pool = [...geneses.keys()][0]!
  } else if (geneses.size > 1) {
    throw new UsageError(`${logPath} holds ${geneses.size} pools; pass --pool ID: ${listPools(geneses)}`)
  } else if (options.auditor) {
    pool = choosePool(log.entries, { verifier: verifyEd25519, cache })
  } else {
    throw new UsageError(`expected ${logPath} to hold a pool (its genesis entry first), got `
      + (log.entries.length === 0 ? 'no entries' : `no validly signed genesis among ${log.entries.length} entries`))
  }

  const malformed = log.malformed
  if (pool === undefined) {
    const ignored = malformed.map(({ line }) => ({ line, reason: 'malformed' }))
    reportIgnored(logPath, ignored)
    return { pool, ignored, malformed }
  }
  const ledger = new Ledger(pool, { verifier: verifyEd25519, cache })
  ledger.add(log.entries, asOf)
  const ignored = ignoredLines(log, ledger, cache)
  reportIgnored(logPath, ignored)
  return { pool, ledger, entries: [...ledger.entries()], ignored, malformed }
}

/** Every line the ledger did not take: malformed ones, and entries it refused (another pool, a bad signature). */
function ignoredLines(log: ReadLog, ledger: Ledger, cache: SignatureCache): IgnoredLine[] {
  const ignored: IgnoredLine[] = log.malformed.map(({ line }) => ({ line, reason: 'malformed' }))
  for (let i = 0; i < log.entries.length; i++) {
    const entry = log.entries[i]!
    const held = ledger.entry(entry.id)
    if (held) {
      // The ledger holds a valid copy; this line may still be a forged signature over the same content.
      if (held.sig === entry.sig || verifyEntrySignature(entry, cache, verifyEd25519)) continue
      ignored.push({ line: log.lines[i]!, reason: 'bad-signature' })
    } else {
      const verdict = ledger.verdict(entry.id)
      ignored.push({ line: log.lines[i]!, reason: verdict?.reason ?? (entry.pool !== ledger.pool ? 'wrong-pool' : 'bad-signature') })
    }
  }
  return ignored.sort((a, b) => a.line - b.line)
}

function listPools(geneses: ReadonlyMap<EntryId, string>): string {
  const listed = [...geneses].slice(0, POOLS_LISTED_MAX).map(([id, name]) => `${id} ${JSON.stringify(name)}`)
  if (geneses.size > POOLS_LISTED_MAX) listed.push(`and ${geneses.size - POOLS_LISTED_MAX} more`)
  return listed.join(', ')
}

const KIND_ORDER = ['malformed', 'bad-signature', 'wrong-pool']

/** One line on stderr: `ignored 3 lines of LOG: 1 malformed (line 4), 2 bad-signature (lines 7, 9)`. */
export function reportIgnored(logPath: string, ignored: readonly IgnoredLine[]): void {
  if (ignored.length === 0) return
  const byReason = new Map<string, number[]>()
  for (const { line, reason } of ignored) {
    let lines = byReason.get(reason)
    if (!lines) byReason.set(reason, (lines = []))
    lines.push(line)
  }
  const rank = (reason: string) => (KIND_ORDER.includes(reason) ? KIND_ORDER.indexOf(reason) : KIND_ORDER.length)
  const kinds = [...byReason].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)).map(([reason, lines]) => {
    const shown = lines.slice(0, LINES_LISTED_MAX).join(', ') + (lines.length > LINES_LISTED_MAX ? ', …' : '')
    return `${lines.length} ${reason} (line${lines.length === 1 ? '' : 's'} ${shown})`
  })
  notice(`ignored ${ignored.length} line${ignored.length === 1 ? '' : 's'} of ${logPath}: ${kinds.join(', ')}`)
}
