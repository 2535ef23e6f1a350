/**
 * What must hold of issue 17's trouble (actors/deviceTrouble.ts), judged on
 * the final replay of a pool's union (every device's replay is the same one:
 * checks.ts compares them byte for byte):
 *
 * - a device that forked its own chain ends `suspended` (or `revoked`, when
 *   a revocation of it counts; or no device at all, when its certificate
 *   ended refused), its fork is reported, its member is not
 *   frozen; in a witnessed pool, where the fork came from a covered head and
 *   both twins ended covered, what payees showed as accepted from the device
 *   and lost is at most (2 − 1) × offlineAmountMax (the device and its
 *   backup are two signers of one key, as two phones of a member are);
 * - two devices that revoked each other both end `revoked`, unless the
 *   member key cut one of them off, or one forked; the member is not frozen;
 * - a recovery never creates money (checks.ts sums every balance), moves
 *   exactly the old key's balance to the new key in one movement, leaves the
 *   old key frozen with nothing more taken from it, and refuses whatever the
 *   old key or its devices sign after it; a completed recovery never follows
 *   an accepted entry of the old key or its devices from the run (the owner
 *   was active within the week); a lost member's recovery completes, and an
 *   impostor's recovery of a member who had just paid does not.
 */
import { replay, type Entry, type EntryId, type Ledger, type PublicKeyHex, type ReplayResult } from '../core/index.ts'
import { lossesOf } from './witnessChecks.ts'
import type { PoolCast, World } from './world.ts'

const FAR_FUTURE_MS = Date.UTC(2100, 0, 1)

/**
 * An entry dated this close before a completing approval is within its waiting period (a week) on any
 * clock the sim has: skews are hours, and an approval is witnessed at most a night (two days) late.
 */
const WITHIN_WAIT_MS = 4 * 24 * 3600_000

export interface DeviceTroubleFigures {
  /** Devices that forked their own chain, and those suspended at the end. */
  readonly forks: number
  readonly suspended: number
  /** Forks of a device in a witnessed pool whose loss was held to the bound, and what was lost there. */
  readonly forkLost: number
  /** Pairs of devices that revoked each other, and pairs where both ended revoked. */
  readonly mutual: number
  readonly bothRevoked: number
  /** Recoveries completed, refused while the owner was active, and a found phone's entries refused after one. */
  readonly recovered: number
  readonly recoveryBlocked: number
  readonly thievesRefused: number
}

export const NO_DEVICE_TROUBLE: DeviceTroubleFigures = { forks: 0, suspended: 0, forkLost: 0, mutual: 0, bothRevoked: 0, recovered: 0, recoveryBlocked: 0, thievesRefused: 0 }

function statusOf(result: ReplayResult, member: PublicKeyHex, device: PublicKeyHex): string | undefined {
  return result.members[member]?.devices?.find((d) => d.key === device)?.status
}

/** Keys whose accepted `revoke` entries name `device`. */
function revokersOf(result: ReplayResult, byId: ReadonlyMap<EntryId, Entry>, device: PublicKeyHex): Set<PublicKeyHex> {
  const by = new Set<PublicKeyHex>()
  for (const v of result.entries) {
    if (v.type !== 'revoke' || v.status !== 'accepted') continue
    const entry = byId.get(v.id)
    if (entry?.type === 'revoke' && entry.device === device) by.add(entry.author)
  }
  return by
}

export function deviceProblems(world: World, cast: PoolCast, ledger: Pick<Ledger, 'result' | 'movements'>, byId: ReadonlyMap<EntryId, Entry>): string[] {
  const problems: string[] = []
  const pool = cast.plan.pool
  const result = ledger.result()
  const verdicts = new Map(result.entries.map((v) => [v.id, v]))
  const show = (id: EntryId | undefined): string => {
    const v = id ? verdicts.get(id) : undefined
    return v ? `${v.status}${v.reason ? ` (${v.reason})` : ''}` : 'missing'
  }

  for (const fork of world.truth.deviceForks) {
    if (fork.pool !== pool) continue
    const key = fork.device.key.publicKey
    const name = fork.device.name
    const status = statusOf(result, fork.member, key)
    const revoked = revokersOf(result, byId, key).size > 0
    // No certificate of it stands at the end (its member's entry refused, say witnessed too late): the device acts for nobody.
    if (status === undefined) continue
    if (status !== 'suspended' && !(revoked && status === 'revoked')) problems.push(`${name} forked its chain at seq ${fork.twins[0].seq} and is ${status ?? 'no device'}, not suspended`)
    if (!revoked && !result.equivocations.some((e) => e.author === key)) problems.push(`${name}'s fork at seq ${fork.twins[0].seq} is not reported`)
    if (result.members[fork.member]?.frozen) problems.push(`the member of ${name}, which forked its own chain, is frozen`)
    const loss = forkLoss(fork, cast, verdicts)
    if (loss.applies && loss.lost > loss.bound) problems.push(`${name}'s fork: payees relied on and lost ${loss.lost} to the fork, more than (2 − 1) × offlineAmountMax = ${loss.bound}`)
    else if (loss.applies && loss.lost + loss.lostLate > 2 * loss.bound) problems.push(`${name}'s fork: payees relied on and lost ${loss.lost} to the fork and ${loss.lostLate} witnessed too late, more than 2 × offlineAmountMax = ${2 * loss.bound}`)
  }

  const forked = new Set(world.truth.deviceForks.map((f) => f.device.key.publicKey as string))
  for (const mutual of world.truth.mutualRevocations) {
    if (mutual.pool !== pool) continue
    const pair = mutual.revocations.map((r) => r.author)
    for (const key of pair) {
      const status = statusOf(result, mutual.member, key)
      const byMember = revokersOf(result, byId, key).has(mutual.member) || pair.some((k) => revokersOf(result, byId, k).has(mutual.member))
      // No certificate of it stands at the end (refused, say witnessed too late): no device to revoke.
      if (status !== undefined && status !== 'revoked' && !byMember && !pair.some((k) => forked.has(k))) {
        problems.push(`two devices revoked each other and ${key.slice(0, 6)} is ${status ?? 'no device'}, not revoked (revocations ${mutual.revocations.map((r) => `${r.id.slice(0, 8)} ${show(r.id)}`).join(', ')})`)
      }
    }
    if (result.members[mutual.member]?.frozen) problems.push(`the member whose two devices revoked each other is frozen`)
  }

  // Every completed recovery, staged or not.
  const order = new Map(result.entries.map((v, i) => [v.id, i]))
  const movements = ledger.movements()
  for (const recovery of result.recoveries ?? []) {
    if (recovery.status !== 'recovered' || !recovery.completedBy) continue
    const old = recovery.member
    const at = order.get(recovery.completedBy) ?? -1
    const signers = new Set<string>([old, ...(result.members[old]?.devices ?? []).map((d) => d.key)])
    if (!result.members[old]?.frozen) problems.push(`${old.slice(0, 6)} was recovered to ${recovery.key.slice(0, 6)} and is not frozen`)
    if (!result.members[recovery.key] || result.members[recovery.key]!.frozen) problems.push(`the new key ${recovery.key.slice(0, 6)} of a recovery is no open member`)
    const approval = byId.get(recovery.completedBy)
    for (const [i, v] of result.entries.entries()) {
      if (!signers.has(v.author) || v.status !== 'accepted') continue
      const entry = byId.get(v.id)
      if (i > at) problems.push(`${v.type} ${v.id.slice(0, 8)} by ${v.author.slice(0, 6)} is accepted after the recovery of its account (${recovery.completedBy.slice(0, 8)})`)
      else if (entry && approval && entry.time >= approval.time - WITHIN_WAIT_MS) {
        problems.push(`the recovery ${recovery.id.slice(0, 8)} completed though ${v.author.slice(0, 6)} signed ${v.type} ${v.id.slice(0, 8)} (accepted) in the run before it: its owner was active`)
      }
    }
    let before = 0
    let moved: number | undefined
    for (const m of movements) {
      if (m.entry === recovery.completedBy && !m.demurrage && moved === undefined) {
        moved = m.from === old ? m.amount : m.to === old ? -m.amount : NaN
        if (!((m.from === old && m.to === recovery.key) || (m.from === recovery.key && m.to === old))) problems.push(`the recovery movement ${m.entry.slice(0, 8)} is between ${m.from?.slice(0, 6)} and ${m.to.slice(0, 6)}, not the old and new keys`)
        continue
      }
      if (moved === undefined) {
        if (m.from === old) before -= m.amount
        if (m.to === old) before += m.amount - m.fee
        if (m.to === recovery.key || m.from === recovery.key) problems.push(`the new key ${recovery.key.slice(0, 6)} moved money before its recovery completed`)
      } else if (m.from === old && !m.demurrage) {
        problems.push(`movement ${m.entry.slice(0, 8)} takes ${m.amount} from ${old.slice(0, 6)} after its recovery`)
      }
    }
    if ((moved ?? 0) !== before) problems.push(`the recovery of ${old.slice(0, 6)} moved ${moved ?? 0} to the new key, its balance was ${before}`)
  }

  for (const staged of world.truth.recoveries) {
    if (staged.pool !== pool || !staged.approval) continue
    const summary = result.recoveries?.find((r) => r.id === staged.request.id)
    // A witnessed pool refuses what its witness saw too late (a witness down, a night past the offline allowance): no recovery then.
    const late = [staged.request, staged.approval].some((e) => verdicts.get(e.id)?.reason === 'witnessed-too-late')
    if (staged.kind === 'lost') {
      if (late) continue
      if (summary?.status !== 'recovered') problems.push(`the recovery of ${staged.member.slice(0, 6)}, who lost every device and never signed, is ${summary?.status ?? 'missing'}: request ${show(staged.request.id)}, approval ${show(staged.approval.id)}`)
      else if ((result.balances[staged.member] ?? 0) !== 0) problems.push(`${staged.member.slice(0, 6)} was recovered and still holds ${result.balances[staged.member]}`)
      if (staged.thief && verdicts.get(staged.thief.id)?.status === 'accepted') problems.push(`the recovered key's found phone signed ${staged.thief.id.slice(0, 8)} after the recovery, and it is accepted`)
    } else if (verdicts.get(staged.request.deps[0]!)?.status === 'accepted' && (summary?.status === 'recovered' || verdicts.get(staged.approval.id)?.status === 'accepted' && summary?.status !== 'open')) {
      // The owner's payment the request names (so it comes before the approval) stood: the owner was active.
      problems.push(`an impostor recovered ${staged.member.slice(0, 6)}, whose owner had just paid: approval ${show(staged.approval.id)}`)
    }
  }
  return problems
}

/** What payees showed as accepted from a forked device and lost, and whether the bound applies. */
function forkLoss(fork: World['truth']['deviceForks'][number], cast: PoolCast, verdicts: ReadonlyMap<EntryId, ReplayResult['entries'][number]>): { lost: number; bound: number; lostLate: number; applies: boolean } {
  // As for a member's fork: a twin refused past the allowance is offline risk, within the cap; the fork's bound is for the rest.
  const { lost, lostLate } = lossesOf(fork.shown, verdicts)
  const witnessed = cast.witnessing.witnesses.length > 0
  const covered = fork.held === undefined && fork.twins.every((twin) => (verdicts.get(twin.id)?.witnessed ?? null) !== null)
  return { lost, bound: cast.witnessing.offlineAmountMax, lostLate, applies: witnessed && fork.fromWitnessedHead && covered }
}

/** The figures of issue 17's trouble in one run, from each pool's gatekeeper (all agree once healed). */
export function deviceTroubleFigures(world: World): DeviceTroubleFigures {
  let forks = 0
  let suspended = 0
  let forkLost = 0
  let mutual = 0
  let bothRevoked = 0
  let recovered = 0
  let recoveryBlocked = 0
  let thievesRefused = 0
  for (const cast of world.pools) {
    const pool = cast.plan.pool
    const staged = (list: ReadonlyArray<{ readonly pool: EntryId }>): boolean => list.some((t) => t.pool === pool)
    const { deviceForks, mutualRevocations, recoveries } = world.truth
    if (!staged(deviceForks) && !staged(mutualRevocations) && !staged(recoveries)) continue
    // Everything applied (the far future), as the checks judge it: a twin from a fast clock counts too.
    const result = replay(cast.gatekeeper.ledger.entries(), { asOf: FAR_FUTURE_MS, pool })
    const verdicts = new Map(result.entries.map((v) => [v.id, v]))
    for (const fork of world.truth.deviceForks) {
      if (fork.pool !== pool) continue
      forks++
      if (statusOf(result, fork.member, fork.device.key.publicKey) === 'suspended') suspended++
      const loss = forkLoss(fork, cast, verdicts)
      if (loss.applies) forkLost += loss.lost
    }
    for (const m of world.truth.mutualRevocations) {
      if (m.pool !== pool) continue
      mutual++
      if (m.revocations.every((r) => statusOf(result, m.member, r.author) === 'revoked')) bothRevoked++
    }
    recovered += (result.recoveries ?? []).filter((r) => r.status === 'recovered').length
    recoveryBlocked += result.entries.filter((v) => v.type === 'approve' && v.reason === 'recovery-blocked').length
    for (const staged of world.truth.recoveries) if (staged.pool === pool && staged.thief && verdicts.get(staged.thief.id)?.status === 'rejected') thievesRefused++
  }
  return { forks, suspended, forkLost, mutual, bothRevoked, recovered, recoveryBlocked, thievesRefused }
}
