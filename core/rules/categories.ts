/**
 * The marketplace's categories: a list only a gatekeeper signs (the dispatch
 * checks the author); the latest accepted list is in force. A listing names
 * one of them (rules/listings.ts); listings already posted keep theirs when
 * the list changes.
 */
import type { CategoriesEntry } from '../entry.ts'
import { ACCEPTED, type Evaluation, type PoolState } from '../pool-state.ts'

/** A gatekeeper's category list replaces the one before. */
export function categoriesRule(state: PoolState, entry: CategoriesEntry, commit: boolean): Evaluation {
  if (commit) state.categories = entry.categories
  return ACCEPTED
}
