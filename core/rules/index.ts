/**
 * The rule book: one dispatch by entry type over named rules, one file per
 * concern (membership, payments, requests and recurring requests, policy, witnesses and time,
 * listings and categories, profiles). The ledger has already checked the signature, the
 * chain and forks; `evaluate` judges one entry against the state in replay
 * order and, with `commit`, makes the change an accepted entry brings, so the
 * same code answers "would this go through?" before a member signs.
 */
import type { CheckpointEntry, Entry, PoolEntry } from '../entry.ts'
import { reject, unknownType, type Evaluation, type PoolState, type TimeFacts } from '../pool-state.ts'
import { admitRule, authorMayAct, refused, closeRule, freezeRule, gatekeeperProblem, inviteRule, joinRule } from './membership.ts'
import { answerTransferRule, issueRule, payoutRule, transferRule } from './payments.ts'
import { answerRequestRule, requestRule } from './requests.ts'
import { genesisRule, policyRule } from './policy.ts'
import { profileRule } from './profiles.ts'
import { checkpointRule, noteOnline, witnessedTimeProblem } from './witnesses.ts'
import { listingRule, unlistRule } from './listings.ts'
import { categoriesRule } from './categories.ts'
import { collectRule, collector, orderRule, revokeOrderRule } from './orders.ts'
import { acceptRecurringRule } from './recurring.ts'
import { trustRule, isGateway } from './trustlines.ts'
import { cancelPrepareRule, fulfilRule, prepareRule } from './hashlocks.ts'
import { advanceDemurrageClock, chargeTouched, demurrageDueOn, restartDemurrage, startDemurrage, tickRule } from './demurrage.ts'
import { deviceActs, deviceRule, noteDeviceSpend, revokeRule } from './devices.ts'
import { approveRule, noteActive, recoverRule } from './recovery.ts'

export { feeOf, levy } from './payments.ts'
export { openListings, type ListingSummary } from './listings.ts'
export { demurrageDue, demurrageStep } from './demurrage.ts'
export { duePeriods, orderSummaries, type OrderStatus, type OrderSummary } from './orders.ts'
export { trustlineSummaries, unitOf, type TrustlineSummary } from './trustlines.ts'
export { prepareSummaries, preimageMatches, type PrepareSummary } from './hashlocks.ts'
export { amountToSend, convert, hoursToMinor, type Unit } from './rates.ts'
export { deviceSummaries, signerOf, type DeviceStatus, type DeviceSummary } from './devices.ts'
export { recoverySummaries, type RecoverySummary } from './recovery.ts'

export function evaluate(state: PoolState, entry: Entry, facts: TimeFacts, commit = false): Evaluation {
  // A preview that would charge demurrage first is judged on a copy, charged as the real thing would be.
  if (!commit && state.demurrage && demurrageDueOn(state, entry, facts)) {
    const copy = state.clone()
    copy.movements = []
    return evaluate(copy, entry, facts, true)
  }
  if (entry.type === 'pool') {
    const genesis = genesisRule(state, entry, commit)
    if (commit) startDemurrage(state, entry.policy.demurrage, advanceDemurrageClock(state, facts))
    return genesis
  }
  if (entry.type === 'checkpoint') return checkpointRule(state, entry)
  if (commit && facts.online) noteOnline(state, entry)
  if (commit) noteActive(state, entry.author, facts)
  const time = commit ? advanceDemurrageClock(state, facts) : 0
  // A revocation moves no money; whether it counts was decided by the ledger (revocations.ts).
  if (entry.type === 'revoke') return revokeRule(state, entry, commit)
  const timeProblem = witnessedTimeProblem(state, entry, facts)
  if (timeProblem) return timeProblem
  // A device acts for the member that certified it: from here on the rules see the member as the author.
  const member = state.devices.memberOf(entry.author)
  if (member !== undefined && !state.members.has(entry.author)) {
    const acts = deviceActs(state, entry, member, facts, commit)
    if ('problem' in acts) return acts.problem
    const verdict = judge(state, acts.view as Exclude<Entry, PoolEntry | CheckpointEntry>, facts, commit, time)
    if (commit && verdict.status === 'accepted' && acts.view.type === 'transfer') noteDeviceSpend(state, acts.view, acts.view.amount)
    return verdict
  }
  return judge(state, entry, facts, commit, time)
}

/** The rules proper, once time and who acts are settled: `entry.author` is the member acting. */
function judge(state: PoolState, entry: Exclude<Entry, PoolEntry | CheckpointEntry>, facts: TimeFacts, commit: boolean, time: number): Evaluation {
  if (entry.type === 'join') return joinRule(state, entry, facts, commit)
  if (entry.type === 'recover') return recoverRule(state, entry, commit)
  if (entry.type === 'tick') return tickRule(state, entry, facts, time, commit)
  // An order's coordinator (a relay, say) collects for the payee without being a member.
  if (entry.type === 'collect' && collector(state, entry) === 'coordinator') {
    if (commit) chargeTouched(state, entry, time)
    return collectRule(state, entry, facts, commit)
  }

  // A gateway (rules/trustlines.ts) is no member: it acts only on hashlocked holds.
  if ((entry.type === 'prepare' || entry.type === 'fulfil' || entry.type === 'cancel') && isGateway(state, entry.author)) {
    if (commit) chargeTouched(state, entry, time)
    if (entry.type === 'prepare') return prepareRule(state, entry, facts, commit)
    if (entry.type === 'fulfil') return fulfilRule(state, entry, facts, commit)
    return cancelPrepareRule(state, entry, facts, commit) ?? reject('not-gateway', 'a gateway cancels only prepares')
  }

  const author = authorMayAct(state, entry, facts, commit)
  if (refused(author)) return author
  if (commit) chargeTouched(state, entry, time)
  switch (entry.type) {
    case 'transfer':
      return transferRule(state, entry, author, facts, commit)
    case 'request':
      return requestRule(state, entry, commit)
    case 'accept':
    case 'reject':
    case 'cancel':
      return answerTransferRule(state, entry, commit) ?? revokeOrderRule(state, entry, commit)
        ?? (entry.type === 'cancel' ? cancelPrepareRule(state, entry, facts, commit) : undefined)
        ?? (entry.type === 'accept' ? acceptRecurringRule(state, entry, facts, commit) : undefined) ?? answerRequestRule(state, entry, commit)
    case 'order':
      return orderRule(state, entry, facts, commit)
    case 'collect':
      return collectRule(state, entry, facts, commit)
    case 'close':
      return closeRule(state, entry.author, commit)
    case 'admit':
      return gatekeeperProblem(entry, author) ?? admitRule(state, entry, commit)
    case 'freeze':
      return gatekeeperProblem(entry, author) ?? freezeRule(state, entry, commit)
    case 'invite':
      return gatekeeperProblem(entry, author) ?? inviteRule(state, entry, facts, commit)
    case 'issue':
      return gatekeeperProblem(entry, author) ?? issueRule(state, entry, commit)
    case 'payout':
      return gatekeeperProblem(entry, author) ?? payoutRule(state, entry, commit)
    case 'policy': {
      const verdict = gatekeeperProblem(entry, author) ?? policyRule(state, entry, commit)
      if (commit && verdict.status === 'accepted' && 'demurrage' in entry.policy) restartDemurrage(state, entry.policy.demurrage, time, entry.id)
      return verdict
    }
    case 'listing':
      return listingRule(state, entry, facts, commit)
    case 'unlist':
      return unlistRule(state, entry, facts, commit)
    case 'categories':
      return gatekeeperProblem(entry, author) ?? categoriesRule(state, entry, commit)
    case 'profile':
      return profileRule(state, entry, commit)
    case 'trust':
      return gatekeeperProblem(entry, author) ?? trustRule(state, entry, commit)
    case 'prepare':
      return prepareRule(state, entry, facts, commit)
    case 'fulfil':
      return fulfilRule(state, entry, facts, commit)
    case 'device':
      return deviceRule(state, entry, commit)
    case 'revoke':
      return revokeRule(state, entry, commit)
    case 'approve':
      return gatekeeperProblem(entry, author) ?? approveRule(state, entry, facts, commit)
    default:
      return unknownType(entry)
  }
}
