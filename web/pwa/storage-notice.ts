/**
 * The warning that the browser may delete the wallet is said once, on the first visit that learns
 * it (and again only if the answer changes, say from "refused" to "unsupported"), not on every
 * visit: repeated, it becomes noise people stop reading. Settings always shows the state.
 */
import type { PersistOutcome } from './persistent-storage.ts'

const WARNED_KEY = 'heroes-storage-warned'

/** Whether this visit should show the storage warning for `outcome`; the first true is remembered. */
export function warnAboutStorageOnce(outcome: PersistOutcome, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): boolean {
  if (outcome !== 'refused' && outcome !== 'unsupported') return false
  try {
    if (storage?.getItem(WARNED_KEY) === outcome) return false
    storage?.setItem(WARNED_KEY, outcome)
  } catch {
    // Storage that refuses even this: warn, as there is no way to remember.
  }
  return true
}
