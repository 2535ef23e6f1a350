/** The pool's rules: set by the genesis, changed from a point on by a gatekeeper's policy entry. */
import type { PolicyEntry, Policy, PoolEntry } from '../entry.ts'
import { ACCEPTED, reject, type Evaluation, type PoolState } from '../pool-state.ts'

/** The genesis: its author is the creator, a gatekeeper nobody can freeze or demote. */
export function genesisRule(state: PoolState, entry: PoolEntry, commit: boolean): Evaluation {
  if (commit) {
    state.policy = entry.policy
    state.creator = entry.author
    state.members.set(entry.author, { role: 'gatekeeper', minBalance: undefined, maxBalance: undefined, frozen: false, since: entry.id })
  }
  return ACCEPTED
}

/**
 * A policy change. Any gatekeeper may change the pool's limits, levy and
 * offline risk; only the creator changes its witnesses, because witnesses
 * decide what becomes final and must be known before the log is ordered
 * (coverage.ts), and the creator is the one gatekeeper no entry can demote.
 */
export function policyRule(state: PoolState, entry: PolicyEntry, commit: boolean): Evaluation {
  const change = entry.policy
  if (change.witnesses !== undefined && entry.author !== state.creator) {
    return reject('not-authorized', "only the pool's creator may change its witnesses")
  }
  const next: Policy = { ...state.policy!, ...change }
  if (next.kind === 'issued' && next.minBalance !== 0) return reject('invalid-limits', `an issued pool has minimum balance 0, got ${next.minBalance}`)
  if (next.softMinBalance !== undefined && next.softMinBalance < next.minBalance) return reject('invalid-policy', `softMinBalance ${next.softMinBalance} is below minBalance ${next.minBalance}`)
  if (next.softMaxBalance !== undefined && next.maxBalance !== null && next.softMaxBalance > next.maxBalance) return reject('invalid-policy', `softMaxBalance ${next.softMaxBalance} is above maxBalance ${next.maxBalance}`)
  if (commit) state.policy = next
  return ACCEPTED
}
