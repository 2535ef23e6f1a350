/**
 * Who may act in a pool: admission, freezing, invitations and joins, leaving.
 * Each rule answers one question and returns a verdict; with `commit` an
 * accepted entry's change is made too.
 */
import type { AdmitEntry, Entry, FreezeEntry, InviteEntry, JoinEntry, MemberLimits, PublicKeyHex } from '../entry.ts'
import { ACCEPTED, reject, short, type Evaluation, type MemberState, type PoolState, type TimeFacts } from '../pool-state.ts'

/** Entry types that govern the pool rather than move money. */
const GOVERNANCE = new Set<Entry['type']>(['admit', 'freeze', 'invite', 'policy'])

/**
 * May the author of this entry act at all: a member, open, not frozen? An
 * equivocating creator keeps its governance (a fork on the creator's laptop
 * must not brick the pool) but neither pays nor is paid.
 */
export function authorMayAct(state: PoolState, entry: Entry, facts: TimeFacts, commit: boolean): MemberState | Evaluation {
  const member = state.members.get(entry.author)
  if (!member) return reject('not-member', `${short(entry.author)} is not a member of this pool`)
  if (state.isClosed(entry.author)) return reject('account-closed', `${short(entry.author)} closed its account`)
  if (member.frozen) return reject('frozen', `${short(entry.author)} is frozen`)
  if (state.isEquivocator(entry.author) && !(entry.author === state.creator && GOVERNANCE.has(entry.type))) {
    // A witnessed fork leaves the standing branch its current offline segment, nothing more.
    const graced = !state.equivocators.has(entry.author) && !facts.online
    if (!graced) {
      if (commit) state.equivocators.add(entry.author)
      return reject('frozen', `${short(entry.author)} signed two entries at one place in its chain and is frozen`)
    }
  }
  return member
}

/** Did authorMayAct refuse? (A member's record has no `status`; it is returned as is, with no wrapper to allocate per entry.) */
export function refused(may: MemberState | Evaluation): may is Evaluation {
  return 'status' in may
}

/** May this key still govern (its invites still admit)? Frozen gatekeepers may not; an equivocating creator may. */
export function mayGovern(state: PoolState, key: PublicKeyHex): boolean {
  const member = state.members.get(key)
  if (!member || member.role !== 'gatekeeper' || member.frozen) return false
  return !state.isEquivocator(key) || key === state.creator
}

/** Only a gatekeeper admits, freezes, invites, issues, pays out of the commons or changes the policy. */
export function gatekeeperProblem(entry: Entry, author: MemberState): Evaluation | undefined {
  if (author.role === 'gatekeeper') return undefined
  return reject('not-authorized', `only a gatekeeper may ${entry.type}; ${short(entry.author)} is a member`)
}

function limitsProblem(state: PoolState, limits: MemberLimits): Evaluation | undefined {
  if (state.policy!.kind === 'issued' && limits.minBalance !== undefined && limits.minBalance !== 0) {
    return reject('invalid-limits', `an issued pool has minimum balance 0, got ${limits.minBalance}`)
  }
  return undefined
}

/**
 * Admit a key, or change a member's role and limits. Only the creator changes
 * the creator; limits left out keep what the member had; re-admitting lifts a
 * gatekeeper's freeze (never an equivocation) and reopens a closed account.
 */
export function admitRule(state: PoolState, entry: AdmitEntry, commit: boolean): Evaluation {
  if (entry.member === state.creator) {
    if (entry.author !== state.creator) return reject('not-authorized', "only the pool's creator may change the creator's role or limits")
    if (entry.role === 'member') return reject('not-authorized', "the pool's creator stays a gatekeeper")
  }
  // A device key acts for the member that certified it: admitting it as a member of its own would take
  // its entries away from that member (the same refusal as a join by a device key).
  const deviceOf = state.devices.memberOf(entry.member)
  if (deviceOf !== undefined && !state.members.has(entry.member)) return reject('device-taken', `${short(entry.member)} is a device of ${short(deviceOf)}`)
  const problem = limitsProblem(state, entry)
  if (problem) return problem
  if (commit) {
    const existing = state.members.get(entry.member)
    state.closed.delete(entry.member)
    state.members.set(entry.member, {
      role: entry.role ?? existing?.role ?? 'member',
      minBalance: entry.minBalance !== undefined ? entry.minBalance : existing?.minBalance,
      maxBalance: entry.maxBalance !== undefined ? entry.maxBalance : existing?.maxBalance,
      frozen: false,
      since: existing?.since ?? entry.id,
    })
  }
  return ACCEPTED
}

/** Freeze a member: it can neither pay nor be paid until re-admitted. The creator cannot be frozen. */
export function freezeRule(state: PoolState, entry: FreezeEntry, commit: boolean): Evaluation {
  const target = state.members.get(entry.member)
  if (!target) return reject('unknown-member', `${short(entry.member)} is not a member of this pool`)
  if (entry.member === state.creator) return reject('not-authorized', "the pool's creator cannot be frozen")
  if (commit) state.members.set(entry.member, { ...target, frozen: true })
  return ACCEPTED
}

/** A one-time invitation key, usable once, until it expires or its inviter is frozen. */
export function inviteRule(state: PoolState, entry: InviteEntry, facts: TimeFacts, commit: boolean): Evaluation {
  if (state.members.has(entry.invitee)) return reject('already-member', `the invite key ${short(entry.invitee)} is already a member`)
  if (state.inviteKeys.has(entry.invitee)) return reject('bad-invite', `the invite key ${short(entry.invitee)} was used in another invite`)
  const problem = limitsProblem(state, entry)
  if (problem) return problem
  if (commit) {
    state.inviteKeys.add(entry.invitee)
    state.invites.set(entry.id, {
      author: entry.author, invitee: entry.invitee, limits: { minBalance: entry.minBalance, maxBalance: entry.maxBalance },
      since: facts.witnessedAt ?? facts.effectiveTime, usedBy: undefined,
    })
  }
  return ACCEPTED
}

/**
 * A join with a one-time invite. The invite must be accepted, unused, not
 * expired (its time to live counts from when it was witnessed to when the join
 * is), and its inviter not frozen by the time the join is witnessed.
 */
export function joinRule(state: PoolState, entry: JoinEntry, facts: TimeFacts, commit: boolean): Evaluation {
  if (state.members.has(entry.author)) return reject('already-member', `${short(entry.author)} is already a member`)
  const invite = state.invites.get(entry.invite)
  if (!invite) return reject('bad-invite', `${short(entry.invite)} is not an accepted invite of this pool`)
  if (invite.invitee !== entry.invitee) return reject('bad-invite', `the invite names key ${short(invite.invitee)}, the join ${short(entry.invitee)}`)
  if (invite.usedBy !== undefined) return reject('invite-used', `the invite was used by ${short(invite.usedBy)}`)
  const joinedAt = facts.witnessedAt ?? facts.effectiveTime
  const ttl = state.inviteTtlMs
  if (joinedAt - invite.since > ttl) {
    return reject('invite-expired', `the invite lived ${ttl / 1000} s from ${new Date(invite.since).toISOString()}; the join came ${Math.floor((joinedAt - invite.since) / 1000)} s later`)
  }
  if (!mayGovern(state, invite.author)) return reject('inviter-frozen', `the inviter ${short(invite.author)} was frozen or is no longer a gatekeeper`)
  if (commit) {
    invite.usedBy = entry.author
    state.members.set(entry.author, { role: 'member', minBalance: invite.limits.minBalance, maxBalance: invite.limits.maxBalance, frozen: false, since: entry.id })
  }
  return ACCEPTED
}

/** A member leaves: only at balance zero with nothing in flight. */
export function closeRule(state: PoolState, key: PublicKeyHex, commit: boolean): Evaluation {
  const balance = state.balanceOf(key)
  if (balance !== 0) return reject('close-blocked', `balance is ${balance}, not zero`)
  if (state.heldBy(key) !== 0) return reject('close-blocked', 'an outgoing transfer is still waiting for its payee')
  for (const transfer of state.initiated.values()) {
    if (transfer.to === key) return reject('close-blocked', `an incoming transfer ${short(transfer.id)} is still waiting for an answer`)
  }
  for (const [id, request] of state.requests) {
    if (request.status === 'open' && (request.payee === key || request.from === key)) return reject('close-blocked', `request ${short(id)} is still open`)
  }
  if (commit) state.closed.add(key)
  return ACCEPTED
}
