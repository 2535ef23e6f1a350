/**
 * Path payments across pools, as pure functions over what each pool's log
 * says (its replay): manifests, routes, the hops of a path, and the checks a
 * gateway runs before it forwards. The rules inside each pool are in
 * rules/trustlines.ts and rules/hashlocks.ts; this file never decides a
 * verdict, it plans and checks what gateways and payers sign.
 *
 * Direction. Money flows from pool X to pool Y when Y trusts X (Y's gateway
 * for X pays Y's members, going below zero by at most that trust) and X names
 * a gateway for Y (which is paid in X). A path X0 → … → Xn is then one prepare
 * per pool: in X0 the payer pays X0's gateway for X1; in each Xi its gateway
 * for Xi−1 pays its gateway for Xi+1; in Xn its gateway for Xn−1 pays the payee.
 */
import type { EntryId, HourRate, PaymentPath, PrepareEntry, PublicKeyHex } from './entry.ts'
import type { ReplayResult } from './ledger.ts'
import type { RejectionReason } from './reasons.ts'
import { HOP_EXPIRY_MARGIN_SECONDS_MIN, PATH_HOPS_MAX } from './limits.ts'
import { amountToSend, convert, type Unit } from './rules/rates.ts'

/** What another pool needs to know of a pool to route through it, all from signed entries of its log. */
export interface PoolManifest {
  readonly pool: EntryId
  readonly name: string
  readonly decimals: number
  readonly hourRate: HourRate | null
  readonly witnessed: boolean
  /** By peer pool id: the gateway that holds this pool's side and what it may still pay out here. */
  readonly trustlines: Readonly<Record<string, { readonly gateway: PublicKeyHex; readonly limitHours: number; readonly available: number }>>
}

/** The manifest of a replayed pool. */
export function manifestOf(result: ReplayResult): PoolManifest | undefined {
  if (!result.pool || !result.policy) return undefined
  const trustlines: Record<string, { gateway: PublicKeyHex; limitHours: number; available: number }> = {}
  for (const [peer, line] of Object.entries(result.trustlines ?? {})) {
    trustlines[peer] = { gateway: line.gateway, limitHours: line.limitHours, available: line.available }
  }
  return {
    pool: result.pool, name: result.policy.name, decimals: result.policy.decimals, hourRate: result.policy.hourRate ?? null,
    witnessed: (result.policy.witnesses?.length ?? 0) > 0, trustlines,
  }
}

function unit(m: PoolManifest): Unit | undefined {
  return m.hourRate ? { hourRate: m.hourRate, decimals: m.decimals } : undefined
}

/** Can money flow from `x` to `y` at all (ignoring how much)? */
function linked(x: PoolManifest, y: PoolManifest): boolean {
  return y.trustlines[x.pool] !== undefined && x.trustlines[y.pool] !== undefined && x.hourRate !== null && y.hourRate !== null && x.witnessed && y.witnessed
}

export type RouteFailure = 'same-pool' | 'unknown-pool' | 'none' | 'too-long' | 'not-enough-trust' | 'overflow'

export type RouteResult =
  | { readonly ok: true; readonly route: EntryId[]; readonly amounts: number[]; readonly sourceAmount: number; readonly targetAmount: number }
  | { readonly ok: false; readonly reason: RouteFailure; readonly detail: string }

/**
 * The route for `amount` (minor units of `to`) to arrive in `to` from `from`:
 * fewest hops first (at most PATH_HOPS_MAX), then the least the payer pays,
 * then the lower list of pool ids, so every device finds the same route.
 * Each hop must have the trust to pay what it pays; amounts are worked back
 * from the payee with `amountToSend` (the floor conversion's least preimage).
 */
export function findRoute(manifests: readonly PoolManifest[], from: EntryId, to: EntryId, amount: number): RouteResult {
  const byId = new Map(manifests.map((m) => [m.pool, m]))
  if (from === to) return { ok: false, reason: 'same-pool', detail: 'payer and payee are in the same pool: pay with a transfer' }
  for (const id of [from, to]) if (!byId.has(id)) return { ok: false, reason: 'unknown-pool', detail: `no manifest of pool ${id} among the logs given` }
  // best.get(pool) = the cheapest way found so far from `pool` to the target, as [amount in pool, route from pool].
  let frontier = new Map<EntryId, { amount: number; route: EntryId[] }>([[to, { amount, route: [to] }]])
  let overflow = false
  for (let hops = 1; hops <= PATH_HOPS_MAX; hops++) {
    const next = new Map<EntryId, { amount: number; route: EntryId[] }>()
    for (const [yId, { amount: ay, route }] of [...frontier].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const y = byId.get(yId)!
      for (const peer of Object.keys(y.trustlines).sort() as EntryId[]) {
        const x = byId.get(peer)
        if (!x || route.includes(peer) || !linked(x, y)) continue
        if (y.trustlines[peer]!.available < ay) continue
        const ax = amountToSend(ay, unit(x)!, unit(y)!)
        if (ax === undefined) {
          overflow = true
          continue
        }
        const candidate = { amount: ax, route: [peer, ...route] }
        const seen = next.get(peer)
        if (!seen || ax < seen.amount || (ax === seen.amount && candidate.route.join() < seen.route.join())) next.set(peer, candidate)
      }
    }
    const found = next.get(from)
    if (found) {
      const amounts = amountsAlong(found.route, byId, amount)!
      return { ok: true, route: found.route, amounts, sourceAmount: found.amount, targetAmount: amount }
    }
    frontier = next
    if (frontier.size === 0) break
  }
  if (overflow) return { ok: false, reason: 'overflow', detail: 'the amount converts past the largest amount a pool can hold' }
  const hops = hopsIgnoringTrust(byId, from, to)
  if (hops === undefined) return { ok: false, reason: 'none', detail: `no chain of trustlines leads from pool ${from} to pool ${to}` }
  if (hops > PATH_HOPS_MAX) return { ok: false, reason: 'too-long', detail: `the shortest chain of trustlines has ${hops} hops, at most ${PATH_HOPS_MAX} are allowed` }
  return { ok: false, reason: 'not-enough-trust', detail: `every route of at most ${PATH_HOPS_MAX} hops lacks the trust to carry ${amount}` }
}

/** Fewest hops from `from` to `to` whatever the trust left, or undefined. */
function hopsIgnoringTrust(byId: Map<EntryId, PoolManifest>, from: EntryId, to: EntryId): number | undefined {
  const distance = new Map<EntryId, number>([[from, 0]])
  const queue = [from]
  while (queue.length > 0) {
    const xId = queue.shift()!
    const x = byId.get(xId)!
    for (const peer of Object.keys(x.trustlines).sort() as EntryId[]) {
      const y = byId.get(peer)
      if (!y || distance.has(peer) || !linked(x, y)) continue
      distance.set(peer, distance.get(xId)! + 1)
      if (peer === to) return distance.get(peer)
      queue.push(peer)
    }
  }
  return undefined
}

/** The amount each pool of `route` carries for `target` to arrive in the last one; undefined on overflow. */
function amountsAlong(route: readonly EntryId[], byId: Map<EntryId, PoolManifest>, target: number): number[] | undefined {
  const amounts = new Array<number>(route.length)
  amounts[route.length - 1] = target
  for (let i = route.length - 2; i >= 0; i--) {
    const a = amountToSend(amounts[i + 1]!, unit(byId.get(route[i]!)!)!, unit(byId.get(route[i + 1]!)!)!)
    if (a === undefined) return undefined
    amounts[i] = a
  }
  return amounts
}

/** One prepare of a path: who pays whom how much in which pool, by when. */
export interface Hop {
  readonly pool: EntryId
  readonly from: PublicKeyHex
  readonly to: PublicKeyHex
  readonly amount: number
  readonly expires: number
}

/** Seconds between the expiries of two consecutive hops when a payer does not say: twice the least a gateway accepts. */
export const HOP_EXPIRY_STEP_SECONDS_DEFAULT = 2 * HOP_EXPIRY_MARGIN_SECONDS_MIN

/** The gateway pool `pool`'s manifest names for `peer`, or undefined. */
export function gatewayFor(manifest: PoolManifest, peer: EntryId): PublicKeyHex | undefined {
  return manifest.trustlines[peer]?.gateway
}

/**
 * The hops of a path, first expiring at `firstExpires` and each next one
 * `stepSeconds` earlier, so every gateway has that long to fulfil upstream
 * once it learns the preimage downstream.
 */
export function planHops(manifests: readonly PoolManifest[], route: readonly EntryId[], amounts: readonly number[], payer: PublicKeyHex, payee: PublicKeyHex, firstExpires: number, stepSeconds = HOP_EXPIRY_STEP_SECONDS_DEFAULT): Hop[] {
  const byId = new Map(manifests.map((m) => [m.pool, m]))
  return route.map((pool, i) => {
    const m = byId.get(pool)!
    return {
      pool,
      from: i === 0 ? payer : gatewayFor(m, route[i - 1]!)!,
      to: i === route.length - 1 ? payee : gatewayFor(m, route[i + 1]!)!,
      amount: amounts[i]!,
      expires: firstExpires - i * stepSeconds * 1000,
    }
  })
}

export type ForwardResult =
  | { readonly ok: true; readonly hop: Hop; readonly path: PaymentPath }
  | { readonly ok: false; readonly reason: RejectionReason | RouteFailure; readonly detail: string }

/**
 * What a gateway signs next for an upstream prepare (accepted in its pool and
 * paying this link's gateway there): the prepare in the next pool of its
 * path, expiring `stepSeconds` earlier. It pays what it was paid, converted
 * with the floor (the final payee exactly the path's amount, the last gateway
 * keeping the rounding), so a gateway needs only its own two pools' manifests.
 * When it also holds the manifests of the pools further on, it checks that the
 * amount still covers the rest of the path at today's rates, so a stale quote
 * fails at the first hop that can see it (`amount-mismatch`), before anyone
 * downstream is paid; the last hop always checks. Refused too when the expiry
 * would leave the gateway less than the margin, or the next pool's trust is short.
 */
export function forwardHop(manifests: readonly PoolManifest[], upstream: PrepareEntry, now: number, stepSeconds = HOP_EXPIRY_STEP_SECONDS_DEFAULT): ForwardResult {
  const path = upstream.path
  if (!path) return { ok: false, reason: 'bad-target', detail: 'the prepare carries no path to forward along' }
  const byId = new Map(manifests.map((m) => [m.pool, m]))
  const i = path.pools.indexOf(upstream.pool)
  if (i < 0 || i === path.pools.length - 1) return { ok: false, reason: 'bad-target', detail: 'the prepare is the last hop of its path: nothing to forward' }
  const here = byId.get(upstream.pool)
  const nextId = path.pools[i + 1]!
  const next = byId.get(nextId)
  if (!here || !next) return { ok: false, reason: 'unknown-pool', detail: `no manifest of pool ${here ? nextId : upstream.pool}` }
  if (gatewayFor(here, nextId) !== upstream.to) return { ok: false, reason: 'not-gateway', detail: `the prepare pays ${upstream.to}, not this pool's gateway for ${nextId}` }
  if (!linked(here, next)) return { ok: false, reason: 'none', detail: `no trustline carries the path from ${upstream.pool} to ${nextId}` }
  const rest = path.pools.slice(i + 1)
  const covered = convert(upstream.amount, unit(here)!, unit(next)!)
  if (covered === undefined) return { ok: false, reason: 'overflow', detail: 'the amount converts past the largest amount a pool can hold' }
  const last = rest.length === 1
  // What the rest of the path needs now, when this gateway knows every pool on it.
  const known = rest.every((id) => byId.has(id)) && rest.every((id, k) => k === 0 || linked(byId.get(rest[k - 1]!)!, byId.get(id)!))
  const needed = last ? path.amount : known ? amountsAlong(rest, byId, path.amount)?.[0] : 1
  if (needed === undefined) return { ok: false, reason: 'overflow', detail: 'the amount converts past the largest amount a pool can hold' }
  if (covered < needed) {
    return { ok: false, reason: 'amount-mismatch', detail: `${upstream.amount} converts to ${covered} in the next pool; the rest of the path needs ${needed} now` }
  }
  const amount = last ? path.amount : covered
  const expires = upstream.expires - stepSeconds * 1000
  const problem = expiryProblem(upstream.expires, expires)
  if (problem) return problem
  if (expires <= now) return { ok: false, reason: 'prepare-expired', detail: `the next hop would expire at ${expires}, not after now (${now})` }
  const to = last ? path.payee : gatewayFor(next, rest[1]!)
  if (!to) return { ok: false, reason: 'none', detail: `pool ${nextId} names no gateway for ${rest[1]}` }
  const from = gatewayFor(next, upstream.pool)!
  if (next.trustlines[upstream.pool]!.available < amount) {
    return { ok: false, reason: 'trust-exceeded', detail: `pool ${nextId} trusts ${upstream.pool} for ${next.trustlines[upstream.pool]!.available} more, the hop needs ${amount}` }
  }
  return { ok: true, hop: { pool: nextId, from, to, amount, expires }, path }
}

/** Does a downstream expiry leave a gateway at least the margin to fulfil upstream? */
export function expiryProblem(upstreamExpires: number, downstreamExpires: number): { ok: false; reason: 'expiry-not-decreasing'; detail: string } | undefined {
  const margin = HOP_EXPIRY_MARGIN_SECONDS_MIN * 1000
  if (downstreamExpires > upstreamExpires - margin) {
    return { ok: false, reason: 'expiry-not-decreasing', detail: `the next hop expires at ${downstreamExpires}, less than ${HOP_EXPIRY_MARGIN_SECONDS_MIN} s before the hop it pays for (${upstreamExpires})` }
  }
  return undefined
}

/** One hop's prepare in a pool's replay, found by the path's condition. */
export interface HopState {
  readonly pool: EntryId
  readonly prepare: EntryId
  readonly status: 'prepared' | 'fulfilled' | 'cancelled' | 'expired'
  readonly preimage?: string
}

/**
 * What became of a path on each pool, from their replays: every prepare with
 * `condition`, in the order of `results`. All-or-nothing holds when every
 * hop is fulfilled or none is.
 */
export function pathStates(results: readonly ReplayResult[], condition: string): HopState[] {
  const hops: HopState[] = []
  for (const result of results) {
    for (const [id, p] of Object.entries(result.prepares ?? {})) {
      if (p.condition !== condition) continue
      hops.push({ pool: result.pool!, prepare: id as EntryId, status: p.status, ...(p.preimage ? { preimage: p.preimage } : {}) })
    }
  }
  return hops
}
