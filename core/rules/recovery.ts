/**
 * Recovering an account whose owner lost every device and the backup phrase
 * (docs/devices.md). A new key signs a `recover` request naming the member
 * key; gatekeepers sign `approve` entries naming it. When approvals from
 * M distinct gatekeepers are in (policy `recoveryApprovals`; by default 2,
 * or 1 while the pool has a single gatekeeper), the one that completes it
 * moves the account to the new key: balance, role and limits, open requests.
 * The old key is frozen from there, in the open: `replay` lists every
 * recovery and its approvals.
 *
 * It never creates money: the balance moves whole (a movement between the
 * two keys, so sums stay zero or the supply). And a gatekeeper cannot take an
 * account whose owner is active: when the old key or one of its devices
 * signed anything within RECOVERY_WAIT_SECONDS before the completing
 * approval (witnessed time where a witness covered them), the approval is
 * refused (`recovery-blocked`) and the gatekeepers must wait.
 */
import type { ApproveEntry, EntryId, PublicKeyHex, RecoverEntry } from '../entry.ts'
import { RECOVERY_APPROVALS_DEFAULT, RECOVERY_WAIT_SECONDS } from '../limits.ts'
import { ACCEPTED, isoTime, reject, short, type Evaluation, type PoolState, type TimeFacts } from '../pool-state.ts'
import { chargeAccount } from './demurrage.ts'
import { mayGovern } from './membership.ts'

export type RecoveryStatus = 'open' | 'recovered'

export interface RecoveryState {
  /** The member key to recover, and the new key that asked. */
  readonly member: PublicKeyHex
  readonly key: PublicKeyHex
  /** Gatekeepers whose approval was accepted, in the order applied. */
  readonly approvals: readonly PublicKeyHex[]
  readonly status: RecoveryStatus
  /** The approval that completed it. */
  readonly completedBy?: EntryId
}

export interface RecoverySummary {
  readonly id: EntryId
  readonly member: PublicKeyHex
  readonly key: PublicKeyHex
  readonly approvals: readonly PublicKeyHex[]
  readonly needed: number
  readonly status: RecoveryStatus
  readonly completedBy?: EntryId
}

/** Notes that a key signed something at this time: an active owner blocks a recovery. */
export function noteActive(state: PoolState, key: PublicKeyHex, facts: TimeFacts): void {
  const time = facts.witnessedAt ?? facts.effectiveTime
  const box = state.lastActive.get(key)
  if (box === undefined) state.lastActive.set(key, { time })
  else if (box.time < time) box.time = time
}

/** Approvals a recovery needs now. */
export function approvalsNeeded(state: PoolState): number {
  const set = state.policy?.recoveryApprovals
  if (set !== undefined) return set
  let gatekeepers = 0
  for (const [key, member] of state.members) if (member.role === 'gatekeeper' && mayGovern(state, key) && ++gatekeepers > 1) break
  return gatekeepers > 1 ? RECOVERY_APPROVALS_DEFAULT : 1
}

/**
 * A new key asks to recover a member: a member that is not the creator, not
 * closed and not recovered; the new key no member and no device.
 */
export function recoverRule(state: PoolState, entry: RecoverEntry, commit: boolean): Evaluation {
  const old = state.members.get(entry.member)
  if (!old) return reject('unknown-member', `${short(entry.member)} is not a member of this pool`)
  if (entry.member === state.creator) return reject('not-authorized', "the pool's creator recovers with its backup phrase, not through the gatekeepers")
  if (state.isClosed(entry.member)) return reject('account-closed', `${short(entry.member)} closed its account`)
  if (state.members.has(entry.author)) return reject('already-member', `${short(entry.author)} is already a member`)
  if (state.devices.memberOf(entry.author) !== undefined) return reject('device-taken', `${short(entry.author)} is a device of a member`)
  if (commit) state.recoveries.set(entry.id, { member: entry.member, key: entry.author, approvals: [], status: 'open' })
  return ACCEPTED
}

/**
 * A gatekeeper approves an open request, once. The approval that makes M
 * moves the account, unless the old key was active within the waiting period.
 */
export function approveRule(state: PoolState, entry: ApproveEntry, facts: TimeFacts, commit: boolean): Evaluation {
  const request = state.recoveries.get(entry.entry)
  if (!request) return reject('bad-target', `${short(entry.entry)} is not a recovery request of this pool`)
  if (request.key !== entry.key) return reject('bad-target', `the request is by ${short(request.key)}, the approval names ${short(entry.key)}`)
  if (request.status !== 'open') return reject('not-open', 'the account was recovered already')
  if (request.approvals.includes(entry.author)) return reject('already-approved', `${short(entry.author)} approved it already`)
  if (request.member === entry.author) return reject('not-party', 'a member does not approve its own recovery')
  const approvals = [...request.approvals, entry.author]
  const needed = approvalsNeeded(state)
  if (approvals.length < needed) {
    if (commit) state.recoveries.set(entry.entry, { ...request, approvals })
    return ACCEPTED
  }
  const old = state.members.get(request.member)
  if (!old || state.isClosed(request.member)) return reject('unknown-member', `${short(request.member)} is no longer an open member of this pool`)
  if (state.members.has(request.key) || state.devices.memberOf(request.key) !== undefined) return reject('already-member', `${short(request.key)} became a member or a device meanwhile`)
  const now = facts.witnessedAt ?? facts.effectiveTime
  const waitMs = RECOVERY_WAIT_SECONDS * 1000
  for (const key of state.devices.signersOf(request.member)) {
    const active = state.lastActive.get(key)?.time
    if (active !== undefined && active > now - waitMs) {
      return reject('recovery-blocked', `${short(key)} signed an entry at ${isoTime(active)}: the account is recovered only after ${RECOVERY_WAIT_SECONDS} s without one, from ${isoTime(active + waitMs)}`)
    }
  }
  if (state.heldBy(request.member) !== 0) return reject('recovery-blocked', `${short(request.member)} has a two-step payment on hold; its payee answers it, or it stays`)
  if (commit) moveAccount(state, request.member, request.key, entry.id, now)
  if (commit) state.recoveries.set(entry.entry, { ...request, approvals, status: 'recovered', completedBy: entry.id })
  return ACCEPTED
}

/** The account moves whole to the new key; the old key is frozen. */
function moveAccount(state: PoolState, from: PublicKeyHex, to: PublicKeyHex, at: EntryId, time: number): void {
  const old = state.members.get(from)!
  if (state.demurrage) {
    // Both brought to the same boundary, then the new key carries on where the old one was.
    chargeAccount(state, from, time, at)
    const account = state.demurrageAccounts.get(from)
    if (account) state.demurrageAccounts.set(to, account)
  }
  state.members.set(to, { ...old, frozen: false, since: at })
  state.members.set(from, { ...old, frozen: true })
  const balance = state.balanceOf(from)
  if (balance !== 0) {
    // A movement like a transfer's, so statements show it and sums stay as they were.
    const amount = Math.abs(balance)
    const [payer, payee] = balance > 0 ? [from, to] : [to, from]
    state.move({ id: at, to: payee, amount, memo: 'recovery' }, payer, at, time, 0)
  }
  const carry = state.feeCarry.get(from)
  if (carry !== undefined) state.feeCarry.set(to, carry)
  for (const [id, request] of state.requests) {
    if (request.status !== 'open' || (request.payee !== from && request.from !== from)) continue
    state.requests.set(id, { ...request, payee: request.payee === from ? to : request.payee, from: request.from === from ? to : request.from })
  }
}

/** Every recovery request and its outcome, by id ascending, for `replay`. */
export function recoverySummaries(state: PoolState): RecoverySummary[] {
  const needed = approvalsNeeded(state)
  return [...state.recoveries.keys()].sort().map((id) => {
    const r = state.recoveries.get(id)!
    return { id, member: r.member, key: r.key, approvals: r.approvals, needed, status: r.status, ...(r.completedBy ? { completedBy: r.completedBy } : {}) }
  })
}
