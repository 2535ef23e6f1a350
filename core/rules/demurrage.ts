/**
 * Demurrage: a charge on holding money, paid to the pool's commons.
 *
 * The grid. A gatekeeper's policy sets a rate `rateNum/rateDen` per period and
 * a free base. Period boundaries fall at anchor + k × period (k = 1, 2, …),
 * the anchor being the demurrage clock where the policy took effect. At each
 * boundary an account pays rate × (balance − held − freeBase), when that is
 * positive, rounded down; what rounding leaves is carried (in 1/rateDen of a
 * minor unit) to the account's next boundary, so nobody pays more than the
 * exact charge and splitting time never saves more than one minor unit.
 *
 * Why a grid and a loop, not a formula over the gap: what an account pays
 * depends only on its balance at each boundary it crosses, never on when it
 * was looked at. Every change of a balance or of a hold first brings the
 * account up to date (`chargeTouched`), so between two touches the balance
 * is constant and "charge k boundaries at once" is exactly "charge one
 * boundary k times". Two 1-day gaps therefore cost exactly what one 2-day gap
 * costs, a lazy charge exactly what a tick would have charged, for any rate.
 * A closed form (square-and-multiply) rounds at other points and does not
 * compose exactly. The loop's cost is bounded: one step per period (a day at
 * least) since the account was last charged, and none once the balance is at
 * or below the free base.
 *
 * The clock. An entry is charged at its witnessed time (the primary witness's
 * checkpoint that first covers it) or, not covered yet, at its effective
 * time; raised to the latest such time of any entry applied before it (the
 * demurrage clock never goes back along the order). Back-dating therefore
 * dodges nothing: a covered entry is charged when the witness saw it, and an
 * uncovered one no earlier than anything applied before it. An uncovered
 * entry is not final: once covered it is charged again, at witnessed time.
 */
import type { Demurrage, Entry, EntryId, PublicKeyHex, TickEntry } from '../entry.ts'
import { BALANCE_ABS_MAX, TICK_INTERVAL_SECONDS_MIN } from '../limits.ts'
import {
  ACCEPTED, isoTime, reject, short, type DemurrageState, type Evaluation, type PoolState, type TimeFacts,
} from '../pool-state.ts'
import { authorMayAct, refused } from './membership.ts'
import { collectParties } from './orders.ts'

/**
 * One boundary: the charge on `excess` (balance − held − free base) with the
 * account's carried remainder. Exact integer arithmetic in doubles: with
 * rateNum < rateDen ≤ DEMURRAGE_RATE_DEN_MAX and excess ≤ BALANCE_ABS_MAX
 * every product stays below 2^53.
 */
export function demurrageStep(excess: number, carry: number, rateNum: number, rateDen: number): { charge: number; carry: number } {
  if (excess <= 0) return { charge: 0, carry }
  const fraction = (excess % rateDen) * rateNum + carry
  return { charge: Math.floor(excess / rateDen) * rateNum + Math.floor(fraction / rateDen), carry: fraction % rateDen }
}

/** Boundaries passed by `time`: 0 before the first. */
export function boundariesAt(d: DemurrageState, time: number): number {
  if (!(time >= d.anchor + d.periodMs)) return 0
  return Math.floor((time - d.anchor) / d.periodMs)
}

/**
 * What `key` owes from its last charge up to `time` (not charged yet), and
 * the account's state after paying it. Pure: used by the charge and by
 * previews ("this much demurrage is due").
 */
export function demurrageDue(state: PoolState, key: PublicKeyHex, time: number): { charge: number; boundaries: number; carry: number } {
  const d = state.demurrage
  if (!d) return { charge: 0, boundaries: 0, carry: 0 }
  const target = boundariesAt(d, time)
  const account = state.demurrageAccounts.get(key)
  const from = account?.boundaries ?? 0
  let carry = account?.carry ?? 0
  if (from >= target) return { charge: 0, boundaries: from, carry }
  const fixed = state.heldBy(key) + d.freeBase
  let balance = state.balanceOf(key)
  let charge = 0
  for (let k = from; k < target; k++) {
    const excess = balance - fixed
    // At or below the free base nothing changes any more: the rest of the boundaries are free.
    if (excess <= 0) break
    const step = demurrageStep(excess, carry, d.rateNum, d.rateDen)
    carry = step.carry
    balance -= step.charge
    charge += step.charge
  }
  return { charge, boundaries: target, carry }
}

/** Brings one account up to `time`: the charge leaves the balance for the commons, as its own movement. */
export function chargeAccount(state: PoolState, key: PublicKeyHex, time: number, at: EntryId): void {
  const due = demurrageDue(state, key, time)
  // The commons never passes the largest balance: beyond it the holder keeps the rest (its favour).
  const charge = Math.min(due.charge, Math.max(0, BALANCE_ABS_MAX - state.commons))
  state.demurrageAccounts.set(key, { boundaries: due.boundaries, carry: due.carry })
  if (charge === 0) return
  state.balances.set(key, state.balanceOf(key) - charge)
  state.commons += charge
  state.demurrageCollected += charge
  state.movements.push({ entry: at, at, time, from: key, to: key, amount: charge, fee: charge, memo: undefined, demurrage: true })
}

/** The demurrage clock for this entry: witnessed time, else effective time, never before an entry applied earlier. */
export function advanceDemurrageClock(state: PoolState, facts: TimeFacts): number {
  const time = facts.witnessedAt ?? facts.effectiveTime
  if (time > state.demurrageClock) state.demurrageClock = time
  return state.demurrageClock
}

/** The accounts whose balance or hold this entry may change: each is brought up to date before the rules judge it. */
function touched(state: PoolState, entry: Entry): PublicKeyHex[] {
  switch (entry.type) {
    case 'transfer':
      return [entry.author, entry.to]
    case 'issue':
    case 'payout':
      return [entry.to]
    case 'close':
      return [entry.author]
    case 'accept':
    case 'reject':
    case 'cancel': {
      const transfer = state.initiated.get(entry.entry)
      if (transfer) return [transfer.author, transfer.to]
      const prepare = entry.type === 'cancel' ? state.links.prepares.get(entry.entry) : undefined
      return prepare ? [prepare.from, prepare.to] : []
    }
    case 'prepare':
      return [entry.author, entry.to]
    case 'fulfil': {
      const prepare = state.links.prepares.get(entry.entry)
      return prepare ? [prepare.from, prepare.to] : []
    }
    case 'collect':
      return collectParties(state, entry)
    default:
      return []
  }
}

/** The lazy charge: every account the entry may move is charged up to `time` first. */
export function chargeTouched(state: PoolState, entry: Entry, time: number): void {
  if (!state.demurrage) return
  for (const key of touched(state, entry)) chargeAccount(state, key, time, entry.id)
}

/** Would judging this entry charge anyone? Then a preview judges it on a copy. */
export function demurrageDueOn(state: PoolState, entry: Entry, facts: TimeFacts): boolean {
  if (!state.demurrage) return false
  const time = Math.max(state.demurrageClock, facts.witnessedAt ?? facts.effectiveTime)
  if (entry.type === 'tick') return true
  return touched(state, entry).some((key) => demurrageDue(state, key, time).charge > 0)
}

function toState(d: Demurrage, anchor: number): DemurrageState {
  return { rateNum: d.rateNum, rateDen: d.rateDen, periodMs: d.periodSeconds * 1000, freeBase: d.freeBase, anchor }
}

/** Every account with something to pay, in key order, up to `time`. */
function chargeAll(state: PoolState, time: number, at: EntryId): void {
  if (!state.demurrage) return
  const freeBase = state.demurrage.freeBase
  const keys = [...state.balances.keys()].filter((key) => state.balanceOf(key) - state.heldBy(key) > freeBase).sort()
  for (const key of keys) chargeAccount(state, key, time, at)
}

/** The genesis sets the first demurrage, its boundaries counted from the genesis's own time. */
export function startDemurrage(state: PoolState, d: Demurrage | null | undefined, time: number): void {
  state.demurrage = d ? toState(d, time) : undefined
  state.demurrageAccounts = new Map()
}

/**
 * A policy entry that names `demurrage` takes effect from its position: every
 * account is charged up to it under the rate that was in force, then the new
 * rate's boundaries count from here (remainders carried under the old rate
 * are dropped, in the holders' favour).
 */
export function restartDemurrage(state: PoolState, d: Demurrage | null | undefined, time: number, at: EntryId): void {
  chargeAll(state, time, at)
  startDemurrage(state, d, time)
}

/**
 * A tick brings every account up to its time, so dormant accounts pay as if
 * touched and the commons shows it; it changes nothing that a later touch
 * would not have done the same way. Signed by a gatekeeper or a witness of the
 * pool, at most one every TICK_INTERVAL_SECONDS_MIN of demurrage clock.
 */
export function tickRule(state: PoolState, entry: TickEntry, facts: TimeFacts, time: number, commit: boolean): Evaluation {
  if (!state.witnesses.includes(entry.author)) {
    const may = authorMayAct(state, entry, facts, commit)
    if (refused(may)) return may.status === 'rejected' && may.reason === 'not-member' ? reject('not-ticker', `${short(entry.author)} is neither a gatekeeper nor a witness of this pool`) : may
    if (may.role !== 'gatekeeper') return reject('not-ticker', `${short(entry.author)} is a member, not a gatekeeper or a witness`)
  }
  if (!state.demurrage) return reject('no-demurrage', 'the policy in force charges no demurrage')
  const next = state.demurrageLastTick + TICK_INTERVAL_SECONDS_MIN * 1000
  if (time < next) return reject('rate-limit', `one tick every ${TICK_INTERVAL_SECONDS_MIN} s; the next from ${isoTime(next)}`)
  if (commit) {
    state.demurrageLastTick = time
    chargeAll(state, time, entry.id)
  }
  return ACCEPTED
}
