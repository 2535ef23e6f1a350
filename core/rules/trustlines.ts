/**
 * Trustlines between pools. A gatekeeper of pool A signs "A trusts B up to L
 * HOUR" (`trust`, naming a gateway key). In A the trust is a gateway account
 * held by that key, whose credit limit is L converted at A's rate (rounded
 * down, rules/rates.ts): money coming from B is paid to A's members out of it,
 * so its balance goes down to −L and the next payment past that is refused
 * (`trust-exceeded`); money going to B is paid into it, bringing it back up.
 * Above zero it holds what A owes B, which B's own trust in A bounds, in B.
 * The limit follows the rate in force when each payment is judged, so a rate
 * change affects only what comes after it. Lowering a trust below what the
 * gateway already owes under it is refused (`trust-below-balance`).
 *
 * A gateway key is not a member: it acts in the pool only through prepares,
 * fulfils and cancels (rules/hashlocks.ts), serves one peer for good, and a
 * trustline changes gateway only once the old one's account is settled to zero.
 */
import type { EntryId, PublicKeyHex, TrustEntry } from '../entry.ts'
import { ACCEPTED, reject, short, type Evaluation, type PoolState } from '../pool-state.ts'
import { hoursFit, hoursToMinor, type Unit } from './rates.ts'

/** The pool's own unit for conversions, or undefined while it has no rate to HOUR. */
export function unitOf(state: PoolState): Unit | undefined {
  const policy = state.policy
  return policy?.hourRate ? { hourRate: policy.hourRate, decimals: policy.decimals } : undefined
}

/** A gatekeeper's trust in another pool: the pool has a rate, the gateway key is fit, the limit covers what is owed. */
export function trustRule(state: PoolState, entry: TrustEntry, commit: boolean): Evaluation {
  const unit = unitOf(state)
  if (!unit) return reject('no-hour-rate', 'set the pool\'s rate to HOUR (pool update --hour-rate) before trusting another pool')
  const links = state.links
  if (state.members.has(entry.gateway)) return reject('invalid-trustline', `the gateway ${short(entry.gateway)} is a member; a gateway needs a key of its own`)
  // A witness's chain must hold checkpoints only (coverage.ts): its key cannot also sign prepares.
  if (state.witnesses.includes(entry.gateway)) return reject('invalid-trustline', `the gateway ${short(entry.gateway)} is a witness of this pool; a gateway needs a key of its own`)
  const serves = links.gateways.get(entry.gateway)
  if (serves !== undefined && serves !== entry.peer) return reject('invalid-trustline', `the gateway ${short(entry.gateway)} already serves pool ${short(serves)}`)
  const current = links.trustlines.get(entry.peer)
  if (current && current.gateway !== entry.gateway && (state.balanceOf(current.gateway) !== 0 || state.heldBy(current.gateway) !== 0)) {
    return reject('invalid-trustline', `the gateway in place ${short(current.gateway)} still has balance ${state.balanceOf(current.gateway)} and ${state.heldBy(current.gateway)} on hold`)
  }
  if (!hoursFit(entry.limitHours, unit)) return reject('overflow', `${entry.limitHours} HOUR is more than the largest balance this pool can hold at its rate`)
  const limit = hoursToMinor(entry.limitHours, unit)
  const owed = owedBy(state, entry.gateway)
  if (limit < owed) return reject('trust-below-balance', `the gateway already owes ${owed} under this trust (on hold included); the limit would be ${limit}`)
  if (commit) {
    links.trustlines.set(entry.peer, { peer: entry.peer, gateway: entry.gateway, limitHours: entry.limitHours, entry: entry.id })
    links.gateways.set(entry.gateway, entry.peer)
  }
  return ACCEPTED
}

/** What a gateway owes under its trust: how far below zero its balance is, counting what it has on hold. */
function owedBy(state: PoolState, gateway: PublicKeyHex): number {
  return Math.max(0, -(state.balanceOf(gateway) - state.heldBy(gateway)))
}

/** Was this key ever named as a gateway here? Then it may settle what it has in flight. */
export function isGateway(state: PoolState, key: PublicKeyHex): boolean {
  return state.links.gateways.size > 0 && state.links.gateways.has(key)
}

/** Is this key the gateway a trustline names now (so it may pay out)? */
export function isActiveGateway(state: PoolState, key: PublicKeyHex): boolean {
  const peer = state.links.gateways.get(key)
  return peer !== undefined && state.links.trustlines.get(peer)?.gateway === key
}

/** The gateway's credit limit now, in minor units: its trust converted at the rate in force. */
export function gatewayLimit(state: PoolState, key: PublicKeyHex): number {
  const peer = state.links.gateways.get(key)
  const line = peer === undefined ? undefined : state.links.trustlines.get(peer)
  const unit = unitOf(state)
  if (!line || line.gateway !== key || !unit) return 0
  return hoursToMinor(line.limitHours, unit)
}

/** Can the gateway pay `amount` more without going past the trust? */
export function trustProblem(state: PoolState, gateway: PublicKeyHex, amount: number): Evaluation | undefined {
  const limit = gatewayLimit(state, gateway)
  const balance = state.balanceOf(gateway)
  const held = state.heldBy(gateway)
  if (balance - held - amount < -limit) {
    const peer = state.links.gateways.get(gateway)!
    return reject('trust-exceeded', `this pool trusts pool ${short(peer)} up to ${limit} (minor units at today's rate); the gateway has ${balance}${held ? `, ${held} on hold` : ''}: at most ${Math.max(0, balance - held + limit)} more can be paid`)
  }
  return undefined
}

/** A trustline as `replay` prints it. */
export interface TrustlineSummary {
  readonly gateway: PublicKeyHex
  readonly limitHours: number
  /** The credit limit in this pool's minor units at the rate in force. */
  readonly limit: number
  /** The gateway account's balance: below zero, what this pool's members received from the peer and are owed by it. */
  readonly balance: number
  readonly held: number
  /** What the gateway may still pay out now. */
  readonly available: number
  readonly entry: EntryId
}

/** Trustlines by peer pool id, ascending. */
export function trustlineSummaries(state: PoolState): Record<string, TrustlineSummary> {
  const out: Record<string, TrustlineSummary> = {}
  for (const peer of [...state.links.trustlines.keys()].sort()) {
    const line = state.links.trustlines.get(peer)!
    const limit = gatewayLimit(state, line.gateway)
    const balance = state.balanceOf(line.gateway)
    const held = state.heldBy(line.gateway)
    out[peer] = { gateway: line.gateway, limitHours: line.limitHours, limit, balance, held, available: Math.max(0, balance - held + limit), entry: line.entry }
  }
  return out
}
