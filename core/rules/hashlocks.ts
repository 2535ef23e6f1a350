/**
 * Hashlocked holds: one hop of a path payment (Interledger's prepare and
 * fulfil, on signed entries and witnessed time).
 *
 * A `prepare` holds `amount` of its author for `to`, like an initiated
 * two-step transfer, under a condition H (SHA-256 of a secret preimage) and
 * an expiry in witnessed time. The payee takes the money with a `fulfil`
 * revealing the preimage; it counts when the primary witness first covers it
 * at or before the expiry (a fulfil not covered yet is judged on its effective
 * time, tentatively, like everything in the tail). A fulfil covered after the
 * expiry is refused (`prepare-expired`) on every device, however early it
 * claims to be; one covered in time is honoured on every device, however late
 * the device sees it. After the expiry the payer releases the hold with a
 * `cancel` (covered after the expiry, `not-expired` before); the payee may
 * refuse with a `cancel` at any time.
 *
 * Pools need a witness for this (`no-witness`): without one there is no time
 * but the payee's word. The payer is a member, or this pool's gateway for
 * another pool paying out within its trust (rules/trustlines.ts); the payee a
 * member or a gateway. No levy and no rate limit apply (a path's amounts must
 * add up hop by hop); PREPARES_OPEN_MAX bounds what one author holds open.
 */
import type { CancelEntry, EntryId, FulfilEntry, PaymentPath, PrepareEntry, PublicKeyHex } from '../entry.ts'
import { fromHex, toHex } from '../bytes.ts'
import { inCanonicalOrder } from '../canonical.ts'
import { sha256Bytes } from '../hash.ts'
import { BALANCE_ABS_MAX, PREPARE_EXPIRY_SECONDS_MAX, PREPARES_OPEN_MAX } from '../limits.ts'
import type { PrepareState } from '../links-state.ts'
import { ACCEPTED, isoTime, reject, short, type Evaluation, type PoolState, type TimeFacts } from '../pool-state.ts'
import { payeeProblem } from './payments.ts'
import { isActiveGateway, isGateway, trustProblem } from './trustlines.ts'

/** When the pool saw the entry: the primary's checkpoint that first covers it, else (tentatively) its effective time. */
function seenAt(facts: TimeFacts): number {
  return facts.witnessedAt ?? facts.effectiveTime
}

/** Does SHA-256(preimage) equal the condition? Both hex; the decoder has checked their lengths. */
export function preimageMatches(preimage: string, condition: string): boolean {
  return toHex(sha256Bytes(fromHex(preimage, 32)!)) === condition
}

/** Can `to` be the payee of a prepare here: a member able to receive, or a gateway of this pool? */
function preparePayeeProblem(state: PoolState, to: PublicKeyHex, amount: number, accepting: boolean): Evaluation | undefined {
  if (isGateway(state, to)) {
    if (!accepting && !isActiveGateway(state, to)) return reject('not-gateway', `${short(to)} no longer holds a trustline of this pool`)
    if (state.balanceOf(to) + amount > BALANCE_ABS_MAX) return reject('overflow', `the gateway's balance would pass ${BALANCE_ABS_MAX}`)
    return undefined
  }
  return payeeProblem(state, to, amount, accepting)
}

/**
 * A prepare: in a witnessed pool, not expired when seen, within the longest
 * wait and the open-prepares cap; payer within its minimum (a member) or its
 * trust (a gateway); payee a member or a gateway of this pool.
 */
export function prepareRule(state: PoolState, entry: PrepareEntry, facts: TimeFacts, commit: boolean): Evaluation {
  if (!state.witnessed) return reject('no-witness', 'this pool names no witness, so a prepare could not expire in witnessed time')
  const seen = seenAt(facts)
  if (seen >= entry.expires) return reject('prepare-expired', `it expires ${isoTime(entry.expires)}, and was seen at ${isoTime(seen)}`)
  if (entry.expires - facts.effectiveTime > PREPARE_EXPIRY_SECONDS_MAX * 1000) {
    return reject('expiry-too-far', `it expires ${isoTime(entry.expires)}, more than ${PREPARE_EXPIRY_SECONDS_MAX} s after its time`)
  }
  const open = state.links.openPrepares.get(entry.author) ?? 0
  if (open >= PREPARES_OPEN_MAX) return reject('prepare-limit', `${open} prepares open, at most ${PREPARES_OPEN_MAX}`)
  const gateway = isGateway(state, entry.author)
  if (gateway && !isActiveGateway(state, entry.author)) return reject('not-gateway', `${short(entry.author)} no longer holds a trustline of this pool`)
  // A gateway that signed two histories pays out nothing more (a member is frozen the same way, rules/membership.ts).
  if (gateway && state.isEquivocator(entry.author)) return reject('frozen', `the gateway ${short(entry.author)} signed two entries at one place in its chain`)
  const payee = preparePayeeProblem(state, entry.to, entry.amount, false)
  if (payee) return payee
  const balance = state.balanceOf(entry.author)
  const held = state.heldBy(entry.author)
  if (gateway) {
    const problem = trustProblem(state, entry.author, entry.amount)
    if (problem) return problem
  } else {
    const min = state.minBalanceOf(entry.author)
    if (balance - held - entry.amount < min) {
      return reject('below-min-balance', `balance ${balance}${held ? `, ${held} on hold` : ''}, minimum ${min}: at most ${Math.max(0, balance - held - min)} can be prepared`)
    }
  }
  if (held + entry.amount > BALANCE_ABS_MAX) return reject('overflow', `the amount on hold would be ${held + entry.amount}, the largest is ${BALANCE_ABS_MAX}`)
  if (commit) {
    state.held.set(entry.author, held + entry.amount)
    state.links.openPrepares.set(entry.author, open + 1)
    state.links.prepares.set(entry.id, {
      from: entry.author, to: entry.to, amount: entry.amount, condition: entry.condition, expires: entry.expires,
      // In canonical order: the signer's own object and a decoded one print the same (docs/simulation.md, finding 10).
      path: entry.path ? inCanonicalOrder(entry.path) : undefined, status: 'prepared', settledBy: undefined, preimage: undefined,
    })
  }
  return ACCEPTED
}

/** The payee reveals the preimage: the right one, seen by the expiry, the payee still able to receive. */
export function fulfilRule(state: PoolState, entry: FulfilEntry, facts: TimeFacts, commit: boolean): Evaluation {
  const prepare = state.links.prepares.get(entry.entry)
  if (!prepare) return reject('bad-target', `${short(entry.entry)} is not an accepted prepare of this pool`)
  if (entry.author !== prepare.to) return reject('not-party', 'only the payee of a prepare may fulfil it')
  if (prepare.status !== 'prepared') return reject('not-open', `the prepare was ${prepare.status} already`)
  if (!preimageMatches(entry.preimage, prepare.condition)) return reject('wrong-preimage', `SHA-256 of the preimage is not ${short(prepare.condition)}`)
  const seen = seenAt(facts)
  if (seen > prepare.expires) {
    return reject('prepare-expired', `the prepare expired ${isoTime(prepare.expires)}; this fulfil was ${facts.witnessedAt === undefined ? 'dated' : 'first witnessed'} ${isoTime(seen)}`)
  }
  const problem = preparePayeeProblem(state, prepare.to, prepare.amount, true)
  if (problem) return problem
  if (commit) {
    settle(state, entry.entry, prepare, 'fulfilled', entry.id, entry.preimage)
    state.move({ id: entry.entry, to: prepare.to, amount: prepare.amount, memo: undefined }, prepare.from, entry.id, entry.time, 0)
  }
  return ACCEPTED
}

/** A cancel naming a prepare: its payee at any time, its payer once it has expired; undefined when `entry.entry` is no prepare. */
export function cancelPrepareRule(state: PoolState, entry: CancelEntry, facts: TimeFacts, commit: boolean): Evaluation | undefined {
  const prepare = state.links.prepares.get(entry.entry)
  if (!prepare) return undefined
  if (prepare.status !== 'prepared') return reject('not-open', `the prepare was ${prepare.status} already`)
  if (entry.author !== prepare.to) {
    if (entry.author !== prepare.from) return reject('not-party', 'only the payer or the payee of a prepare may cancel it')
    const seen = seenAt(facts)
    if (seen <= prepare.expires) return reject('not-expired', `the prepare expires ${isoTime(prepare.expires)}; this cancel was seen at ${isoTime(seen)}`)
  }
  if (commit) settle(state, entry.entry, prepare, 'cancelled', entry.id, undefined)
  return ACCEPTED
}

function settle(state: PoolState, id: EntryId, prepare: PrepareState, status: 'fulfilled' | 'cancelled', by: EntryId, preimage: string | undefined): void {
  state.held.set(prepare.from, state.heldBy(prepare.from) - prepare.amount)
  state.links.openPrepares.set(prepare.from, (state.links.openPrepares.get(prepare.from) ?? 1) - 1)
  state.links.prepares.set(id, { ...prepare, status, settledBy: by, preimage })
}

/** A prepare as `replay` prints it; `expired` is a prepare still open whose expiry is before the time the log is judged at. */
export interface PrepareSummary {
  readonly from: PublicKeyHex
  readonly to: PublicKeyHex
  readonly amount: number
  readonly condition: string
  readonly expires: number
  readonly status: 'prepared' | 'fulfilled' | 'cancelled' | 'expired'
  readonly settledBy?: EntryId
  readonly preimage?: string
  readonly path?: PaymentPath
}

/** Prepares by id ascending. */
export function prepareSummaries(state: PoolState, asOf: number): Record<string, PrepareSummary> {
  const out: Record<string, PrepareSummary> = {}
  for (const id of [...state.links.prepares.keys()].sort()) {
    const p = state.links.prepares.get(id)!
    const status = p.status === 'prepared' && asOf > p.expires ? 'expired' : p.status
    out[id] = {
      from: p.from, to: p.to, amount: p.amount, condition: p.condition, expires: p.expires, status,
      ...(p.settledBy ? { settledBy: p.settledBy } : {}), ...(p.preimage ? { preimage: p.preimage } : {}), ...(p.path ? { path: p.path } : {}),
    }
  }
  return out
}
