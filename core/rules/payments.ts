/**
 * Money moving: transfers (one-step, or held until the payee answers in a
 * two-step pool), issues, payouts from the commons, levies, and the checks
 * every payee and every sum goes through, overflow included.
 */
import type { AcceptEntry, CancelEntry, IssueEntry, PayoutEntry, PublicKeyHex, RejectEntry, TransferEntry } from '../entry.ts'
import { BALANCE_ABS_MAX } from '../limits.ts'
import {
  ACCEPTED, INITIATED, isoTime, reject, short, type Evaluation, type MemberState, type PoolState, type TimeFacts,
} from '../pool-state.ts'
import { requestProblem, settleRequest } from './requests.ts'
import { noteOfflineTransfer, offlineCapProblem } from './witnesses.ts'

const NO_LEVY = Object.freeze({ fee: 0, carry: 0 })

/** The levy on `amount` at `basisPoints`/10,000, rounded down, computed without passing 2^53. */
export function feeOf(amount: number, basisPoints: number): number {
  return levy(amount, basisPoints, 0).fee
}

/**
 * The levy with the payer's remainder carried: what rounding down leaves
 * (in 1/10,000 of a minor unit) is added to the payer's next payment, so
 * splitting one payment into many avoids less than one minor unit in total.
 */
export function levy(amount: number, basisPoints: number, carry: number): { fee: number; carry: number } {
  if (basisPoints === 0) return carry === 0 ? NO_LEVY : { fee: 0, carry }
  const fraction = (amount % 10_000) * basisPoints + carry
  return { fee: Math.floor(amount / 10_000) * basisPoints + Math.floor(fraction / 10_000), carry: fraction % 10_000 }
}

/** Can `to` receive `net`? `accepting` is true when the payee itself completes a two-step transfer. */
export function payeeProblem(state: PoolState, to: PublicKeyHex, net: number, accepting = false): Evaluation | undefined {
  const payee = state.members.get(to)
  if (!payee) return reject('unknown-member', `the payee ${short(to)} is not a member of this pool`)
  if (state.isClosed(to)) return reject('account-closed', `the payee ${short(to)} closed its account`)
  // The payee's record read once (isFrozen and maxBalanceOf would each look it up again).
  if (!accepting && (payee.frozen || state.isEquivocator(to))) return reject('payee-frozen', `the payee ${short(to)} is frozen`)
  const balance = state.balanceOf(to)
  const max = payee.maxBalance !== undefined ? payee.maxBalance : (state.policy?.maxBalance ?? null)
  if (max !== null && balance + net > max) {
    return reject('above-max-balance', `the payee's balance ${balance}, maximum ${max}: at most ${Math.max(0, max - balance)} can be received`)
  }
  if (balance + net > BALANCE_ABS_MAX) return reject('overflow', `the payee's balance would be ${balance + net}, the largest is ${BALANCE_ABS_MAX}`)
  return undefined
}

function commonsProblem(state: PoolState, fee: number): Evaluation | undefined {
  if (state.commons + fee > BALANCE_ABS_MAX) return reject('overflow', `the commons would hold ${state.commons + fee}, the largest is ${BALANCE_ABS_MAX}`)
  return undefined
}

/**
 * A member pays another: at the pool's rate on effective time, within the
 * offline cap when not online, the payer staying at or above its minimum and
 * the payee at or below its maximum. In a two-step pool the amount is held
 * until the payee answers (paying the payee's own request completes at once).
 */
export function transferRule(state: PoolState, entry: TransferEntry, author: MemberState, facts: TimeFacts, commit: boolean): Evaluation {
  const policy = state.policy!
  const rateMs = policy.rateLimitSeconds * 1000
  const lastBox = state.lastTransferTime.get(entry.author)
  const last = lastBox?.time
  if (last !== undefined && facts.effectiveTime - last < rateMs) {
    return reject('rate-limit', `one transfer every ${policy.rateLimitSeconds} s; the next is allowed from ${isoTime(last + rateMs)}`)
  }
  const capProblem = offlineCapProblem(state, entry, facts)
  if (capProblem) return capProblem
  const request = entry.request === undefined ? undefined : state.requests.get(entry.request)
  if (entry.request !== undefined) {
    const problem = requestProblem(request, entry.request, entry.to, entry.amount, entry.author)
    if (problem) return problem
  }
  const basisPoints = policy.feeBasisPoints ?? 0
  const { fee, carry } = basisPoints === 0 && state.feeCarry.size === 0 ? NO_LEVY : levy(entry.amount, basisPoints, state.feeCarry.get(entry.author) ?? 0)
  const payee = payeeProblem(state, entry.to, entry.amount - fee) ?? commonsProblem(state, fee)
  if (payee) return payee
  const balance = state.balanceOf(entry.author)
  const held = state.heldBy(entry.author)
  const min = author.minBalance ?? policy.minBalance ?? 0
  if (balance - held - entry.amount < min) {
    const onHold = held > 0 ? `, ${held} on hold` : ''
    return reject('below-min-balance', `balance ${balance}${onHold}, minimum ${min}: at most ${Math.max(0, balance - held - min)} can be paid`)
  }
  if (held + entry.amount > BALANCE_ABS_MAX) return reject('overflow', `the amount on hold would be ${held + entry.amount}, the largest is ${BALANCE_ABS_MAX}`)
  // A payment that answers the payee's own request needs no second step: the payee asked for it.
  const twoStep = policy.twoStep === true && !request
  if (commit) {
    noteOfflineTransfer(state, entry, facts)
    if (lastBox === undefined) state.lastTransferTime.set(entry.author, { time: facts.effectiveTime })
    else lastBox.time = facts.effectiveTime
    if (twoStep) {
      state.held.set(entry.author, held + entry.amount)
      state.initiated.set(entry.id, entry)
    } else {
      if (carry !== 0 || state.feeCarry.size > 0) state.feeCarry.set(entry.author, carry)
      state.move(entry, entry.author, entry.id, entry.time, fee)
      if (request) settleRequest(request, 'paid', entry.id)
    }
  }
  return twoStep ? INITIATED : ACCEPTED
}

/** A gatekeeper creates tokens for a member (issued pools only), possibly granting the member's request. */
export function issueRule(state: PoolState, entry: IssueEntry, commit: boolean): Evaluation {
  const policy = state.policy!
  if (policy.kind !== 'issued') return reject('wrong-pool-type', `a ${policy.kind} pool has no issues; its balances come from transfers`)
  const request = entry.request === undefined ? undefined : state.requests.get(entry.request)
  if (entry.request !== undefined) {
    const problem = requestProblem(request, entry.request, entry.to, entry.amount, entry.author)
    if (problem) return problem
  }
  const problem = payeeProblem(state, entry.to, entry.amount)
  if (problem) return problem
  if (state.supply + entry.amount > BALANCE_ABS_MAX) return reject('overflow', `supply would be ${state.supply + entry.amount}, the largest is ${BALANCE_ABS_MAX}`)
  if (commit) {
    if (request) settleRequest(request, 'paid', entry.id)
    state.supply += entry.amount
    state.move(entry, null, entry.id, entry.time, 0)
  }
  return ACCEPTED
}

/** A gatekeeper pays a member out of the commons, in the open: the commons never goes below zero. */
export function payoutRule(state: PoolState, entry: PayoutEntry, commit: boolean): Evaluation {
  if (entry.amount > state.commons) return reject('commons-short', `the commons holds ${state.commons}, the payout asks ${entry.amount}`)
  const problem = payeeProblem(state, entry.to, entry.amount)
  if (problem) return problem
  if (commit) {
    state.commons -= entry.amount
    state.move(entry, null, entry.id, entry.time, 0)
  }
  return ACCEPTED
}

/** accept / reject / cancel of an initiated two-step transfer; undefined when `entry.entry` is not one. */
export function answerTransferRule(state: PoolState, entry: AcceptEntry | RejectEntry | CancelEntry, commit: boolean): Evaluation | undefined {
  const transfer = state.initiated.get(entry.entry)
  if (!transfer) return undefined
  if (entry.type === 'cancel') {
    if (entry.author !== transfer.author) return reject('not-party', 'only the payer may cancel a transfer')
    if (commit) releaseHold(state, transfer)
    return { status: 'accepted', settles: { id: transfer.id, status: 'cancelled' } }
  }
  if (entry.author !== transfer.to) return reject('not-party', `only the payee may ${entry.type} a transfer`)
  if (entry.type === 'reject') {
    if (commit) releaseHold(state, transfer)
    return { status: 'accepted', settles: { id: transfer.id, status: 'rejected', reason: 'rejected-by-payee', detail: 'the payee refused it' } }
  }
  const { fee, carry } = levy(transfer.amount, state.policy!.feeBasisPoints ?? 0, state.feeCarry.get(transfer.author) ?? 0)
  const problem = payeeProblem(state, transfer.to, transfer.amount - fee, true) ?? commonsProblem(state, fee)
  if (problem) return problem
  if (commit) {
    releaseHold(state, transfer)
    state.feeCarry.set(transfer.author, carry)
    state.move(transfer, transfer.author, entry.id, entry.time, fee)
  }
  return { status: 'accepted', settles: { id: transfer.id, status: 'accepted' } }
}

function releaseHold(state: PoolState, transfer: TransferEntry): void {
  state.held.set(transfer.author, state.heldBy(transfer.author) - transfer.amount)
  state.initiated.delete(transfer.id)
}
