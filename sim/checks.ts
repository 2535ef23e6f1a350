/**
 * What must hold after every run, once the network has healed:
 *
 * - convergence: every device of a pool holds the same set of entries;
 * - agreement: every device computes a byte-identical replay, both as of the
 *   latest real time (entries from fast clocks still pending) and as of the
 *   far future (everything applied);
 * - money: mutual-credit balances plus commons sum to zero, issued supply
 *   equals the sum; walking the accepted movements in order, no payer goes
 *   below its minimum and no payee above its maximum; accepted transfers of
 *   one author are a full rate interval apart;
 * - integrity: every entry any device holds has a valid signature and
 *   belongs to the pool; no forged line is held anywhere;
 * - durability: every valid entry that reached a relay is on every device;
 * - forks: every fork in the set is reported, with the same proof, by every
 *   device, and every staged double spend is among them;
 * - liveness of dependencies: with asOf far ahead nothing waits for a
 *   missing prev or dep (except what names an entry an attacker withheld);
 * - witnesses (witnessChecks.ts): a covered verdict never changes; the loss
 *   from a double spender's forks stays within (k − 1) × offlineAmountMax;
 *   the attacks end as they must; witnesses are never proven faulty.
 * - devices (deviceChecks.ts, issue 17): a device that forked its chain is
 *   suspended and its member not frozen; two devices that revoked each other
 *   are both revoked; a recovery moves the balance whole and freezes the old key.
 *
 * None of this looks at automerge internals (actors, heads, message order),
 * so the verdict does not depend on anything but the entries.
 */
import { createHash } from 'node:crypto'
import {
  Ledger, SignatureCache, encodeEntry, replay, verifyEntrySignature, type Entry, type EntryId, type ReplayResult, type Verifier,
} from '../core/index.ts'
import type { Device } from './device.ts'
import { pathProblems, type PathOutcome } from './betweenPools.ts'
import { deviceProblems } from './deviceChecks.ts'
import { attackProblems, lossFromForks, witnessProblems, type LossFigure } from './witnessChecks.ts'
import { devicesOf, type PoolCast, type World } from './world.ts'

/** A deliberately broken device, for testing that the checks catch it. */
export type Sabotage = 'drop-entry' | 'accept-forgery' | 'drop-checkpoint'

export interface CheckOptions {
  /** The latest real (virtual) time: the validator's asOf at check time. */
  readonly asOf: number
  readonly verifier: Verifier
  readonly sabotage?: Sabotage | undefined
}

export interface CheckOutcome {
  readonly violations: string[]
  readonly notes: string[]
  /** Digest of every pool's final replay: equal for equal runs. */
  readonly digest: string
  readonly entries: number
  /** Loss from forks per pool with a double spender in a witnessed pool. */
  readonly losses: LossFigure[]
  /** Transfers by honest devices that ended rejected for the offline cap (they respect it: expected 0 or nearly). */
  readonly honestCapped: number
  /** Issue 19: what became of each path payment (betweenPools.ts). */
  readonly pathOutcomes: readonly PathOutcome[]
}

const FAR_FUTURE_MS = Date.UTC(2100, 0, 1)
const SHOWN_MAX = 3

export async function runChecks(world: World, options: CheckOptions): Promise<CheckOutcome> {
  const violations: string[] = []
  const notes: string[] = []
  const digest = createHash('sha256')
  let entries = 0
  const losses: LossFigure[] = []
  let honestCapped = 0
  for (const change of world.records.changes) violations.push(`finality: ${change}`)
  // Issue 19: each pool's far-future replay of the union, for the paths that cross pools.
  const farFuture = new Map<EntryId, ReplayResult>()
  const pathOutcomes: PathOutcome[] = []
  for (const cast of world.pools) {
    const held = new Map<Device, Entry[]>()
    for (const device of devicesOf(cast)) held.set(device, await device.store.all())
    sabotage(cast, held, world, options.sabotage)
    const pool = cast.plan.pool
    const tag = `pool ${cast.plan.index}`
    const union = new Map<EntryId, Entry>()
    for (const list of held.values()) for (const entry of list) union.set(entry.id, entry)
    entries += union.size

    // convergence
    for (const [device, list] of held) {
      const ids = new Set(list.map((entry) => entry.id))
      const missing = [...union.keys()].filter((id) => !ids.has(id))
      if (missing.length > 0) violations.push(`${tag}: ${device.name} lacks ${missing.length} entr${missing.length === 1 ? 'y' : 'ies'} others hold: ${shortList(missing)}`)
    }

    // integrity: checked once per distinct (id, sig), with a cache of our own
    const cache = new SignatureCache()
    const forged = world.truth.forgedLines.get(pool) ?? new Set<string>()
    for (const [device, list] of held) {
      for (const entry of list) {
        if (entry.pool !== pool) violations.push(`${tag}: ${device.name} holds an entry of pool ${entry.pool.slice(0, 8)}: ${entry.id.slice(0, 8)}`)
        else if (!verifyEntrySignature(entry, cache, options.verifier)) violations.push(`${tag}: ${device.name} holds an entry with a bad signature: ${entry.id.slice(0, 8)}`)
        if (forged.has(encodeEntry(entry))) violations.push(`${tag}: ${device.name} holds a FORGED entry: ${encodeEntry(entry).slice(0, 120)}`)
      }
    }

    // durability
    const reached = world.truth.reachedRelay.get(pool) ?? new Set<EntryId>()
    for (const [device, list] of held) {
      const ids = new Set(list.map((entry) => entry.id))
      const lost = [...reached].filter((id) => !ids.has(id))
      if (lost.length > 0) violations.push(`${tag}: ${device.name} lacks ${lost.length} entr${lost.length === 1 ? 'y' : 'ies'} that reached a relay: ${shortList(lost)}`)
    }

    // agreement, at both horizons; finality against each device's far-future replay
    for (const asOf of [options.asOf, FAR_FUTURE_MS]) {
      const results = new Map<string, string[]>()
      const prepareStates = new Set<string>()
      for (const [device, list] of held) {
        const result = replay(list, { asOf, pool, cache, verifier: options.verifier })
        prepareStates.add(JSON.stringify(result.prepares ?? {}))
        if (asOf === FAR_FUTURE_MS) for (const problem of world.records.finalityProblems(device, result)) violations.push(`${tag}: finality: ${problem}`)
        const json = JSON.stringify(result)
        const names = results.get(json) ?? []
        names.push(device.name)
        results.set(json, names)
      }
      if (results.size > 1) {
        const groups = [...results.values()].map((names) => names.join(',')).join(' | ')
        violations.push(`${tag}: replays differ as of ${asOf === FAR_FUTURE_MS ? 'the far future' : 'the latest real time'}: ${groups}`)
      }
      // Issue 19: said on its own, though the replays' agreement implies it.
      if (prepareStates.size > 1) violations.push(`${tag}: the states of prepares differ between devices as of ${asOf === FAR_FUTURE_MS ? 'the far future' : 'the latest real time'}`)
      digest.update([...results.keys()].sort().join('\n'))
    }

    // money, forks and dependencies, judged on the union (what every device holds when they agree)
    const all = [...union.values()]
    for (const asOf of [options.asOf, FAR_FUTURE_MS]) {
      const ledger = new Ledger(pool, { cache, verifier: options.verifier })
      ledger.add(all, asOf)
      const when = asOf === FAR_FUTURE_MS ? 'far future' : 'latest real time'
      for (const problem of moneyProblems(ledger, union)) violations.push(`${tag} (${when}): ${problem}`)
      for (const problem of communityProblems(ledger, union)) violations.push(`${tag} (${when}): ${problem}`)
      for (const problem of orderProblems(ledger, union)) violations.push(`${tag} (${when}): orders: ${problem}`)
      for (const problem of demurrageProblems(ledger, ledger.demurrageAnchor ?? cast.plan.genesis.time)) violations.push(`${tag} (${when}): demurrage: ${problem}`)
      const result = ledger.result()
      if (asOf === FAR_FUTURE_MS) farFuture.set(pool, result)
      for (const problem of forkProblems(result, all, cast, world)) violations.push(`${tag} (${when}): ${problem}`)
      if (asOf === FAR_FUTURE_MS) {
        const withheld = world.truth.withheld
        const waiting = result.entries.filter((v) => v.status === 'pending' && (v.reason === 'missing-prev' || v.reason === 'missing-dep') &&
          !(v.reason === 'missing-prev' && withheld.has(union.get(v.id)?.prev as EntryId)))
        if (waiting.length > 0) violations.push(`${tag}: ${waiting.length} entr${waiting.length === 1 ? 'y waits' : 'ies wait'} for a missing parent: ${shortList(waiting.map((v) => v.id))}`)
        for (const problem of witnessProblems(result, union)) violations.push(`${tag}: ${problem}`)
        for (const problem of attackProblems(world, cast, result)) violations.push(`${tag}: attack: ${problem}`)
        for (const problem of deviceProblems(world, cast, ledger, union)) violations.push(`${tag}: devices: ${problem}`)
        const loss = lossFromForks(world, cast, result)
        if (loss) {
          losses.push(loss)
          if (loss.applies && loss.lost > loss.bound) violations.push(`${tag}: loss from forks: payees relied on and lost ${loss.lost} to the fork, more than (k − 1) × offlineAmountMax = ${loss.bound}`)
          else if (loss.applies && loss.lost + loss.lostLate > loss.boundAll) violations.push(`${tag}: loss from forks: payees relied on and lost ${loss.lost} to the fork and ${loss.lostLate} witnessed too late, more than k × offlineAmountMax = ${loss.boundAll}`)
          else if (loss.lost > loss.bound) notes.push(`${tag}: loss from forks ${loss.lost} > ${loss.bound}, where the bound does not apply: ${loss.why}`)
        }
        honestCapped += honestCappedIn(cast, result)
      }
    }

    for (const device of devicesOf(cast)) {
      const stats = device.sync.stats()
      if (stats.errors > 0) notes.push(`${device.name}: PoolSync counted ${stats.errors} error(s), last: ${stats.lastError}`)
    }
  }
  if (world.between) {
    const paths = pathProblems(world.between, farFuture)
    for (const problem of paths.problems) violations.push(`between pools: ${problem}`)
    for (const fault of paths.faults) notes.push(`between pools: gateway fault: ${fault}`)
    pathOutcomes.push(...paths.outcomes)
  }
  return { violations, notes, digest: digest.digest('hex'), entries, losses, honestCapped, pathOutcomes }
}

/** Transfers signed by honest members' phones that ended rejected for the offline cap. */
function honestCappedIn(cast: PoolCast, result: ReplayResult): number {
  const rejected = new Set(result.entries.filter((v) => v.reason === 'offline-cap').map((v) => v.id))
  if (rejected.size === 0) return 0
  let n = 0
  for (const device of [cast.gatekeeper, ...cast.honest, ...(cast.newcomer ? [cast.newcomer] : [])]) {
    for (const entry of device.signed) if (rejected.has(entry.id)) n++
  }
  return n
}

function moneyProblems(ledger: Ledger, byId: ReadonlyMap<EntryId, Entry>): string[] {
  const problems: string[] = []
  const result = ledger.result()
  const policy = result.policy
  if (!policy) return ['no policy: the genesis is missing']
  const total = Object.values(result.balances).reduce((a, b) => a + b, 0) + (result.commons ?? 0)
  if (policy.kind === 'mutual-credit' && total !== 0) problems.push(`mutual-credit balances plus commons sum to ${total}, not 0`)
  if (policy.kind === 'issued' && total !== result.supply) problems.push(`balances plus commons sum to ${total}, supply is ${result.supply}`)
  // Walk the movements in replay order: every accepted prefix keeps every limit.
  const balances = new Map<string, number>()
  let commons = 0
  // Issue 19: a gateway account goes below zero by at most its trustline's limit (the loss a pool risks on its peer).
  const gatewayMin = new Map(Object.values(result.trustlines ?? {}).map((line) => [line.gateway as string, -line.limit]))
  for (const m of ledger.movements()) {
    if (m.from !== null) {
      const payer = (balances.get(m.from) ?? 0) - m.amount
      const min = result.members[m.from]?.minBalance ?? gatewayMin.get(m.from)
      if (min === undefined || payer < min) problems.push(`movement ${m.entry.slice(0, 8)} takes ${m.from.slice(0, 6)} to ${payer}, below its minimum ${min}`)
      balances.set(m.from, payer)
    }
    const payee = (balances.get(m.to) ?? 0) + m.amount - m.fee
    const max = result.members[m.to]?.maxBalance
    if (max !== null && max !== undefined && payee > max) problems.push(`movement ${m.entry.slice(0, 8)} takes ${m.to.slice(0, 6)} to ${payee}, above its maximum ${max}`)
    balances.set(m.to, payee)
    commons += m.fee
  }
  for (const [key, balance] of balances) if (result.balances[key] !== balance) problems.push(`balance of ${key.slice(0, 6)} is ${result.balances[key]}, its movements add up to ${balance}`)
  if ((result.commons ?? 0) !== commons) problems.push(`commons is ${result.commons ?? 0}, the levies add up to ${commons}`)
  // The rate, judged on each author's own accepted transfers in replay order, on effective time
  // (an entry counts from no earlier than what it names: its prev and deps, derived here again).
  const lastTransfer = new Map<string, number>()
  const effective = effectiveTimes(byId)
  for (const verdict of result.entries) {
    const entry = byId.get(verdict.id)
    const passed = verdict.status !== 'pending' && (verdict.status !== 'rejected' || verdict.reason === 'rejected-by-payee')
    if (!entry || !passed || entry.type !== 'transfer') continue
    const time = effective(entry)
    const last = lastTransfer.get(entry.author)
    if (last !== undefined && time - last < policy.rateLimitSeconds * 1000) {
      problems.push(`transfer ${entry.id.slice(0, 8)} by ${entry.author.slice(0, 6)} came ${time - last} ms after the previous one (rate ${policy.rateLimitSeconds}s)`)
    }
    lastTransfer.set(entry.author, time)
  }
  return problems
}

/**
 * Demurrage (issue 18), from where its boundaries count (`anchor`; the sim never changes the rate):
 * walking the movements in order, each account is charged at most once for each period boundary (the boundary a
 * charge reaches strictly increases per account), never more than the rate allows on what it held
 * above the free base over the boundaries since its last charge (plus one minor unit of carried
 * remainder), and the charges add up to what the commons says it collected.
 */
export function demurrageProblems(ledger: Pick<Ledger, 'result' | 'movements'>, anchor: number): string[] {
  const result = ledger.result()
  const d = result.policy?.demurrage
  if (!d) return []
  const problems: string[] = []
  const periodMs = d.periodSeconds * 1000
  const rate = d.rateNum / d.rateDen
  const balances = new Map<string, number>()
  const reached = new Map<string, number>()
  let collected = 0
  for (const m of ledger.movements()) {
    if (m.demurrage) {
      const boundary = Math.floor((m.time - anchor) / periodMs)
      const before = reached.get(m.from!) ?? 0
      if (boundary <= before) problems.push(`${m.from!.slice(0, 6)} charged ${m.amount} at ${m.at.slice(0, 8)} for boundary ${boundary}, already charged up to ${before}`)
      const excess = (balances.get(m.from!) ?? 0) - d.freeBase
      const bound = Math.ceil(excess * (1 - Math.pow(1 - rate, boundary - before))) + 1
      if (m.amount > bound) problems.push(`${m.from!.slice(0, 6)} charged ${m.amount} at ${m.at.slice(0, 8)}, more than ${bound} (${boundary - before} boundaries on ${excess} above the free base)`)
      reached.set(m.from!, boundary)
      collected += m.amount
    }
    if (m.from !== null) balances.set(m.from, (balances.get(m.from) ?? 0) - m.amount)
    balances.set(m.to, (balances.get(m.to) ?? 0) + m.amount - m.fee)
  }
  if (collected !== (result.demurrageCollected ?? 0)) problems.push(`charges add up to ${collected}, the commons says ${result.demurrageCollected ?? 0} collected`)
  return problems
}

/** An entry's effective time: its claimed time raised to that of its prev and deps (not a checkpoint's heads). */
function effectiveTimes(byId: ReadonlyMap<EntryId, Entry>): (entry: Entry) => number {
  const memo = new Map<EntryId, number>()
  const of = (entry: Entry): number => {
    const known = memo.get(entry.id)
    if (known !== undefined) return known
    // Iterative, parents first: chains can be long.
    const stack: Entry[] = [entry]
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      if (memo.has(top.id)) {
        stack.pop()
        continue
      }
      const parents = [...(top.prev ? [top.prev] : []), ...top.deps].map((id) => byId.get(id)).filter((e): e is Entry => e !== undefined)
      const waiting = parents.filter((p) => !memo.has(p.id))
      if (waiting.length > 0) {
        stack.push(...waiting)
        continue
      }
      stack.pop()
      memo.set(top.id, Math.max(top.time, ...parents.map((p) => memo.get(p.id)!)))
    }
    return memo.get(entry.id)!
  }
  return of
}

/**
 * Requests, two-step transfers, closes and invites, judged on the union:
 * holds equal what is initiated; a paid request has exactly one accepted
 * payment that matches it and an answered one was answered by the right
 * party; an invite is used by at most one join; a closed account holds
 * nothing. (Agreement of every device on `requests` and statuses is the
 * byte-identical replay above: both are in the replay's JSON.)
 */
function communityProblems(ledger: Ledger, byId: ReadonlyMap<EntryId, Entry>): string[] {
  const problems: string[] = []
  const result = ledger.result()
  const status = new Map(result.entries.map((v) => [v.id as string, v]))
  // Holds
  let initiated = 0
  for (const v of result.entries) {
    if (v.status !== 'initiated') continue
    const entry = byId.get(v.id)
    if (entry?.type !== 'transfer') problems.push(`${v.id.slice(0, 8)} is initiated but is a ${entry?.type ?? 'missing entry'}`)
    else initiated += entry.amount
  }
  // Issue 19: members' open prepares hold too (a gateway is no member: its holds are in its trustline).
  let prepared = 0
  for (const p of Object.values(result.prepares ?? {})) if ((p.status === 'prepared' || p.status === 'expired') && result.members[p.from]) prepared += p.amount
  const held = Object.values(result.members).reduce((sum, m) => sum + (m.held ?? 0), 0)
  if (held !== initiated + prepared) problems.push(`members hold ${held}, their initiated two-step transfers and open prepares add up to ${initiated + prepared}`)
  if (!result.policy?.twoStep && initiated > 0) problems.push(`a pool without twoStep has initiated transfers (${initiated})`)
  // Requests
  const payments = new Map<string, EntryId[]>()
  for (const entry of byId.values()) {
    if ((entry.type === 'transfer' || entry.type === 'issue') && entry.request !== undefined && status.get(entry.id)?.status === 'accepted') {
      payments.set(entry.request, [...(payments.get(entry.request) ?? []), entry.id])
    }
  }
  for (const [id, request] of Object.entries(result.requests ?? {})) {
    const paidBy = payments.get(id) ?? []
    payments.delete(id)
    if (request.status === 'paid') {
      const payment = request.settledBy ? byId.get(request.settledBy) : undefined
      if (paidBy.length !== 1 || payment === undefined || paidBy[0] !== payment.id) {
        problems.push(`request ${id.slice(0, 8)} is paid by ${request.settledBy?.slice(0, 8)} but has ${paidBy.length} accepted payment(s)`)
      } else if ((payment.type !== 'transfer' && payment.type !== 'issue') || payment.to !== request.payee || payment.amount !== request.amount ||
        (request.from !== undefined && payment.author !== request.from)) {
        problems.push(`request ${id.slice(0, 8)} is paid by ${payment.id.slice(0, 8)}, which does not match it`)
      }
    } else {
      if (paidBy.length > 0) problems.push(`request ${id.slice(0, 8)} is ${request.status} yet ${paidBy.length} accepted payment(s) name it`)
      if (request.status !== 'open') {
        const answer = request.settledBy ? byId.get(request.settledBy) : undefined
        // A recurring request asked of one payer is `accepted` by that payer's accept (its order: orderProblems).
        const kind = request.status === 'cancelled' ? 'cancel' : request.status === 'accepted' ? 'accept' : 'reject'
        const right = answer && answer.type === kind && (request.status !== 'accepted' || request.everySeconds !== undefined) &&
          answer.author === (request.status === 'cancelled' ? request.payee : request.from) && status.get(answer.id)?.status === 'accepted'
        if (!right) problems.push(`request ${id.slice(0, 8)} is ${request.status} by ${request.settledBy?.slice(0, 8) ?? 'nothing'}, not by an accepted answer of the right party`)
      }
    }
  }
  for (const [id, ids] of payments) problems.push(`${ids.length} accepted payment(s) name ${id.slice(0, 8)}, which is not a request`)
  // Invites: one join each
  const joins = new Map<string, EntryId[]>()
  for (const entry of byId.values()) {
    if (entry.type === 'join' && status.get(entry.id)?.status === 'accepted') joins.set(entry.invite, [...(joins.get(entry.invite) ?? []), entry.id])
  }
  for (const [invite, ids] of joins) {
    if (ids.length > 1) problems.push(`invite ${invite.slice(0, 8)} was used by ${ids.length} accepted joins`)
    const entry = byId.get(ids[0]!)!
    if (!result.members[entry.author]) problems.push(`join ${ids[0]!.slice(0, 8)} is accepted but ${entry.author.slice(0, 6)} is not a member`)
  }
  // Closed accounts
  for (const [key, member] of Object.entries(result.members)) {
    if (!member.closed) continue
    if ((result.balances[key] ?? 0) !== 0 || (member.held ?? 0) !== 0) problems.push(`${key.slice(0, 6)} closed its account yet has balance ${result.balances[key]} and ${member.held ?? 0} on hold`)
  }
  return problems
}

/**
 * Standing orders, scheduled payments and recurring requests (issue 18), judged on the union: each period of
 * an order is paid by at most one accepted collect, whoever signed it (the payee or the coordinator the order
 * names), within what the order promises (its first owed period, its count); an order's `paid` is its accepted
 * collects, each moving exactly the order's amount from its payer to its payee (the payer's limits are the
 * movement walk in moneyProblems); an order made by accepting a recurring request has that request's payee and
 * amount, its payer is the accept's author and the one the request asked (if any), and no payer accepted one
 * request twice.
 */
export function orderProblems(ledger: Pick<Ledger, 'result' | 'movements'>, byId: ReadonlyMap<EntryId, Entry>): string[] {
  const problems: string[] = []
  const result = ledger.result()
  const orders = new Map((result.orders ?? []).map((order) => [order.id as string, order]))
  const verdicts = new Map(result.entries.map((v) => [v.id as string, v]))
  const paidBy = new Map<string, EntryId>()
  const paidCount = new Map<string, number>()
  for (const entry of byId.values()) {
    if (entry.type !== 'collect' || verdicts.get(entry.id)?.status !== 'accepted') continue
    const order = orders.get(entry.order)
    const key = `${entry.order}:${entry.period}`
    if (!order) {
      problems.push(`collect ${entry.id.slice(0, 8)} is accepted but ${entry.order.slice(0, 8)} is no order`)
      continue
    }
    const earlier = paidBy.get(key)
    if (earlier) problems.push(`period ${entry.period} of ${entry.order.slice(0, 8)} paid twice: ${earlier.slice(0, 8)} and ${entry.id.slice(0, 8)}`)
    paidBy.set(key, entry.id)
    paidCount.set(entry.order, (paidCount.get(entry.order) ?? 0) + 1)
    if (entry.author !== order.payee && entry.author !== order.coordinator) problems.push(`collect ${entry.id.slice(0, 8)} by ${entry.author.slice(0, 6)}, neither payee nor coordinator of ${entry.order.slice(0, 8)}`)
    const limit = order.everySeconds === null ? 1 : (order.count ?? Infinity)
    if (entry.period < (order.firstPeriod ?? 0) || entry.period >= limit) problems.push(`collect ${entry.id.slice(0, 8)} paid period ${entry.period} of ${entry.order.slice(0, 8)}, which it does not promise`)
  }
  for (const m of ledger.movements()) {
    if (m.demurrage) continue
    const entry = byId.get(m.entry)
    if (entry?.type !== 'collect') continue
    const order = orders.get(entry.order)
    if (order && (m.from !== order.payer || m.to !== order.payee || m.amount !== order.amount)) {
      problems.push(`collect ${entry.id.slice(0, 8)} moved ${m.amount} from ${m.from?.slice(0, 6)} to ${m.to.slice(0, 6)}, its order says ${order.amount} from ${order.payer.slice(0, 6)} to ${order.payee.slice(0, 6)}`)
    }
  }
  const acceptedBy = new Map<string, EntryId>()
  for (const order of orders.values()) {
    const count = paidCount.get(order.id) ?? 0
    if (order.paid !== count) problems.push(`${order.id.slice(0, 8)} says ${order.paid} paid, ${count} accepted collect(s) name it`)
    if (order.request === undefined) continue
    const request = result.requests?.[order.request]
    const accept = byId.get(order.id)
    if (!request || request.everySeconds === undefined) {
      problems.push(`${order.id.slice(0, 8)} was made from ${order.request.slice(0, 8)}, which is no recurring request`)
      continue
    }
    if (accept?.type !== 'accept' || accept.entry !== order.request || accept.author !== order.payer) problems.push(`${order.id.slice(0, 8)} is not the accept of its payer naming ${order.request.slice(0, 8)}`)
    if (order.payee !== request.payee || order.amount !== request.amount || order.everySeconds !== request.everySeconds) problems.push(`${order.id.slice(0, 8)} does not keep the terms of request ${order.request.slice(0, 8)}`)
    if (request.from !== undefined && order.payer !== request.from) problems.push(`${order.id.slice(0, 8)} makes ${order.payer.slice(0, 6)} pay request ${order.request.slice(0, 8)}, asked of ${request.from.slice(0, 6)}`)
    if (!(request.orders ?? []).includes(order.id)) problems.push(`request ${order.request.slice(0, 8)} does not list its order ${order.id.slice(0, 8)}`)
    const twice = acceptedBy.get(`${order.request}:${order.payer}`)
    if (twice) problems.push(`${order.payer.slice(0, 6)} accepted request ${order.request.slice(0, 8)} twice: ${twice.slice(0, 8)} and ${order.id.slice(0, 8)}`)
    acceptedBy.set(`${order.request}:${order.payer}`, order.id)
  }
  return problems
}

function forkProblems(result: ReplayResult, all: readonly Entry[], cast: PoolCast, world: World): string[] {
  const problems: string[] = []
  const reported = new Map(result.equivocations.map((e) => [`${e.author}/${e.seq}`, e.entries.join(',')]))
  // Every slot with two entries in the set is reported, with exactly those entries.
  const slots = new Map<string, Set<EntryId>>()
  for (const entry of all) {
    const key = `${entry.author}/${entry.seq}`
    const ids = slots.get(key) ?? new Set<EntryId>()
    ids.add(entry.id)
    slots.set(key, ids)
  }
  for (const [key, ids] of slots) {
    if (ids.size < 2) continue
    const proof = [...ids].sort().join(',')
    if (reported.get(key) !== proof) problems.push(`fork at ${key.slice(0, 6)}…/${key.split('/')[1]} reported as ${reported.get(key) ?? 'nothing'}, expected ${proof.slice(0, 40)}…`)
  }
  // Every staged double spend is among them.
  for (const fork of world.truth.stagedForks) {
    if (fork.pool !== cast.plan.pool) continue
    const lowest = [...fork.entries].sort((a, b) => a.seq - b.seq)[0]!
    const proof = result.equivocations.find((e) => e.author === fork.author && e.seq === lowest.seq)
    if (!proof || !proof.entries.includes(lowest.id)) problems.push(`the staged double spend by ${fork.author.slice(0, 6)} at seq ${lowest.seq} is not reported`)
  }
  return problems
}

/** Breaks a device on purpose (only when asked): the checks must notice. */
function sabotage(cast: PoolCast, held: Map<Device, Entry[]>, world: World, how: Sabotage | undefined): void {
  if (!how || cast.plan.index !== 0) return
  const victim = cast.honest[0] ?? cast.gatekeeper
  const list = held.get(victim)!
  if (how === 'drop-entry') {
    // The newest entry that is not the genesis: a device that lost one payment.
    const droppable = list.filter((entry) => entry.type !== 'pool').sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1))
    if (droppable.length > 0) held.set(victim, list.filter((entry) => entry.id !== droppable[0]!.id))
  } else if (how === 'drop-checkpoint') {
    // The first checkpoint: a device that lost it no longer counts any, so what it showed as final is not.
    const first = list.filter((entry) => entry.type === 'checkpoint').sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1))[0]
    if (first) held.set(victim, list.filter((entry) => entry.id !== first.id))
  } else if (how === 'accept-forgery') {
    const line = [...(world.truth.forgedLines.get(cast.plan.pool) ?? [])][0]
    if (line) held.set(victim, [...list, JSON.parse(line) as Entry])
  }
}

function shortList(ids: readonly string[]): string {
  const shown = ids.slice(0, SHOWN_MAX).map((id) => id.slice(0, 8)).join(', ')
  return ids.length > SHOWN_MAX ? `${shown}, …` : shown
}
