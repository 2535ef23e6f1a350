/**
 * `replay(entries, { asOf })`: the pure function every device and auditor
 * runs over a pool's log. Same set in, same result out, whatever the order
 * and however often an entry repeats.
 */
import type { Entry, EntryId } from './entry.ts'
import { Ledger, type LedgerOptions, type ReplayResult } from './ledger.ts'
import { SignatureCache, verifyEntrySignature } from './verify.ts'

export interface ReplayOptions extends LedgerOptions {
  /** Judge the log as of this time (ms since 1970): later entries are pending. */
  readonly asOf: number
  /** The pool to judge; by default the one the log is about (see choosePool). */
  readonly pool?: EntryId
}

export function replay(entries: Iterable<Entry>, options: ReplayOptions): ReplayResult {
  const list = [...entries]
  const cache = options.cache ?? new SignatureCache()
  const pool = options.pool ?? choosePool(list, { ...options, cache })
  if (pool === undefined) {
    return { pool: null, policy: null, balances: {}, members: {}, entries: [], equivocations: [], witnesses: [], listings: {}, categories: [] }
  }
  const ledger = new Ledger(pool, { ...options, cache })
  ledger.add(list, options.asOf)
  return ledger.result()
}

/**
 * Which pool a log is about, decided from the set alone: the validly signed
 * genesis entry that most entries name, else the pool id most entries name;
 * ties go to the lower id. An auditor who knows the pool passes it instead.
 */
export function choosePool(entries: readonly Entry[], options: LedgerOptions = {}): EntryId | undefined {
  const counts = new Map<EntryId, number>()
  const seen = new Set<EntryId>()
  for (const entry of entries) {
    if (seen.has(entry.id)) continue
    seen.add(entry.id)
    counts.set(entry.pool, (counts.get(entry.pool) ?? 0) + 1)
  }
  const geneses = new Set<EntryId>()
  for (const entry of entries) {
    if (entry.type === 'pool' && !geneses.has(entry.id) && verifyEntrySignature(entry, options.cache, options.verifier)) geneses.add(entry.id)
  }
  const candidates = geneses.size > 0 ? [...geneses] : [...counts.keys()]
  let best: EntryId | undefined
  for (const pool of candidates) {
    if (best === undefined) best = pool
    else {
      const a = counts.get(pool) ?? 0
      const b = counts.get(best) ?? 0
      if (a > b || (a === b && pool < best)) best = pool
    }
  }
  return best
}
