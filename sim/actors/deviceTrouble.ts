/**
 * What goes wrong with several devices (issue 17), each from a stream of its
 * own so that a seed that draws none of it plays as before:
 *
 * - **A device forks its own chain** (`device-fork`): a linked laptop, offline,
 *   pays at its chain head, and a restored old backup of its key (which never
 *   saw that payment) pays again at the same seq from the same head; the
 *   backup comes online one to four steps later. The device must end
 *   `suspended` on every device, its member not frozen, and what payees lose
 *   stay within the offline bound of a member's fork (sim/deviceChecks.ts).
 * - **Two devices revoke each other** (`mutual-revoke`): the member gets a
 *   tablet beside its laptop; once both see themselves certified, both go
 *   offline and each signs a revocation of the other at the other's last
 *   entry it holds. Every device must reach the same outcome (the replays are
 *   compared anyway): both revoked, unless the member key cut one off first.
 * - **Recovery by the gatekeepers** (`recovery`): the gatekeeper admits a
 *   member whose only phone is lost before it signs anything and pays it; the
 *   member, with a new key, asks the gatekeeper face to face (the request
 *   pasted into the gatekeeper's app), who approves: the account moves to the
 *   new key; later the lost phone, found by a thief, signs as the old key and
 *   must be refused (frozen). Or an impostor asks to recover an honest member
 *   who paid recently, and the gatekeeper (fooled) approves: refused,
 *   `recovery-blocked`, on every device.
 */
import {
  signEntry, type AdmitEntry, type ApproveEntry, type Entry, type IssueEntry, type RecoverEntry, type RevokeEntry, type TransferEntry,
} from '../../core/index.ts'
import type { Device } from '../device.ts'
import { keyPairFor, type KeyPair } from '../keys.ts'
import { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import type { DeviceFork, LinkedDevice, PoolCast, World } from '../world.ts'
import { offlineRoom, short } from './honestMember.ts'

/** Per pool, the steps from which each trouble is tried (once it can happen, it happens once). */
export interface PoolTrouble {
  forkFrom: number | undefined
  mutualFrom: number | undefined
  lost: { readonly from: number; readonly key: KeyPair; readonly newKey: KeyPair; stage: number; admit?: Entry } | undefined
  impostor: { readonly from: number; readonly key: KeyPair; stage: number; target?: Device } | undefined
}

export interface DeviceTrouble {
  readonly steps: number
  readonly forkPrng: Prng
  readonly mutualPrng: Prng
  readonly recoveryPrng: Prng
  readonly pools: ReadonlyMap<number, PoolTrouble>
}

/** Chances per pool. */
const FORK_CHANCE = 0.15
const TABLET_CHANCE = 0.3
const LOST_CHANCE = 0.06
const IMPOSTOR_CHANCE = 0.05

/**
 * Draws each pool's trouble, and adds a tablet (made by `tablet`) beside a member's laptop where
 * two devices will revoke each other. Called after the laptops are made.
 */
export function drawTrouble(seed: number, pools: readonly PoolCast[], steps: number, tablet: (cast: PoolCast, laptop: LinkedDevice, draws: Prng) => LinkedDevice): DeviceTrouble {
  const forkPrng = new Prng(seed, 'device-fork')
  const mutualPrng = new Prng(seed, 'mutual-revoke')
  const recoveryPrng = new Prng(seed, 'recovery')
  const plans = new Map<number, PoolTrouble>()
  const last = Math.max(1, steps - 2)
  for (const cast of pools) {
    const p = cast.plan.index
    const plan: PoolTrouble = { forkFrom: undefined, mutualFrom: undefined, lost: undefined, impostor: undefined }
    if (cast.linked.length > 0 && forkPrng.chance(FORK_CHANCE)) plan.forkFrom = forkPrng.int(1, last)
    const laptop = cast.linked[0]
    if (laptop && mutualPrng.chance(TABLET_CHANCE)) {
      ;(cast.linked as LinkedDevice[]).push(tablet(cast, laptop, mutualPrng))
      plan.mutualFrom = mutualPrng.int(2, Math.max(2, last))
    }
    if (recoveryPrng.chance(LOST_CHANCE)) {
      plan.lost = { from: recoveryPrng.int(0, Math.max(0, steps - 5)), key: keyPairFor(seed, `pool${p}/lost`), newKey: keyPairFor(seed, `pool${p}/lost/new`), stage: 0 }
    }
    if (cast.honest.length > 0 && recoveryPrng.chance(IMPOSTOR_CHANCE)) {
      plan.impostor = { from: recoveryPrng.int(1, last), key: keyPairFor(seed, `pool${p}/impostor`), stage: 0 }
    }
    if (plan.forkFrom !== undefined || plan.mutualFrom !== undefined || plan.lost || plan.impostor) plans.set(p, plan)
  }
  return { steps, forkPrng, mutualPrng, recoveryPrng, pools: plans }
}

/** One step of every pool's trouble (all pools, not only the step's). */
export async function playTrouble(world: World, trouble: DeviceTrouble, step: number, trace: Trace): Promise<void> {
  for (const cast of world.pools) {
    await releaseBackups(world, cast, step, trace)
    const plan = trouble.pools.get(cast.plan.index)
    if (!plan) continue
    // The backup comes online a step later at least: not at the last step.
    if (plan.forkFrom !== undefined && step >= plan.forkFrom && step < trouble.steps - 1) {
      const fork = await forkDevice(world, cast, trouble.forkPrng, step, trouble.steps, trace)
      if (fork) plan.forkFrom = undefined
    }
    if (plan.mutualFrom !== undefined && step >= plan.mutualFrom) {
      if (await revokeEachOther(world, cast, trace)) plan.mutualFrom = undefined
    }
    if (plan.lost && step >= plan.lost.from) await recoverLost(world, cast, plan, trouble.recoveryPrng, trace)
    if (plan.impostor && step >= plan.impostor.from) await recoverActive(world, cast, plan, trace)
  }
}

/** Is this linked device certified in its own ledger, for its owner, and neither revoked nor suspended there? */
function usable(linked: LinkedDevice): boolean {
  const { owner, device } = linked
  if (!linked.certificate) return false
  device.refresh()
  if (device.ledger.memberOfDevice(device.key.publicKey) !== owner.key.publicKey) return false
  const me = device.ledger.member(owner.key.publicKey)
  if (!me || me.frozen || me.closed) return false
  const status = me.devices?.find((d) => d.key === device.key.publicKey)?.status
  return status === 'active' && !linked.revokedSeen(device)
}

/** A linked device pays at its head, offline, and its restored backup pays again at the same seq. */
async function forkDevice(world: World, cast: PoolCast, prng: Prng, step: number, steps: number, trace: Trace): Promise<DeviceFork | undefined> {
  const candidates = cast.linked.filter((l) => usable(l) && !world.truth.deviceForks.some((f) => f.device === l.device))
  if (candidates.length === 0) return undefined
  const linked = prng.pick(candidates)
  const { owner, device } = linked
  const member = owner.key.publicKey
  const others = [cast.plan.gatekeeper.publicKey, ...cast.plan.members.map((m) => m.publicKey)].filter((key) => key !== member)
  if (others.length === 0) return undefined
  world.network.setOnline(device.name, false)
  device.refresh()
  const ledger = device.ledger
  const me = ledger.member(member)!
  const latest = ledger.latestCheckpoint()
  const fromWitnessedHead = latest !== undefined && ledger.depsFor(device.key.publicKey).includes(latest.id)
  const amountOf = (): number => {
    const available = ledger.balanceOf(member) - ledger.heldBy(member) - me.minBalance
    const room = offlineRoom(device)
    return Math.max(1, Math.min(Math.max(1, Math.floor(available * prng.pick([0.3, 0.6, 1]))), room.amountLeft))
  }
  const first = device.signed.length === 0
  const extra = first && linked.certificate ? [linked.certificate] : []
  const a = device.draft<TransferEntry>({ type: 'transfer', to: prng.pick(others), amount: amountOf() }, extra)
  // The backup: the same head, the same view of the account, another shop, a little later.
  const b = device.signRaw<TransferEntry>({ type: 'transfer', seq: a.seq, prev: a.prev, deps: a.deps, time: a.time + prng.int(1_000, 20_000), to: prng.pick(others), amount: amountOf() })
  if (a.id === b.id) return undefined
  await device.publish(a)
  const fork: DeviceFork = { pool: cast.plan.pool, member, device, twins: [a, b], fromWitnessedHead, held: { entry: b, step: Math.min(steps - 1, step + prng.int(1, 4)) }, shown: new Map() }
  world.truth.deviceForks.push(fork)
  trace.note(`${device.name}: offline, pays ${a.amount} to ${short(a.to)} at seq ${a.seq}; its restored backup pays ${b.amount} to ${short(b.to)} at the same seq (DEVICE FORK, online at step ${fork.held!.step})`)
  return fork
}

/** The restored backups whose time has come go online: their twin reaches the relays. */
async function releaseBackups(world: World, cast: PoolCast, step: number, trace: Trace): Promise<void> {
  for (const fork of world.truth.deviceForks) {
    if (fork.pool !== cast.plan.pool || !fork.held || fork.held.step > step) continue
    const { entry } = fork.held
    fork.held = undefined
    await fork.device.publish(entry)
    trace.note(`${fork.device.name}: its restored backup comes online with its twin at seq ${entry.seq}`)
  }
}

/** The watcher of one pool's payees: a forked device's entries they show as accepted (for the loss bound). */
export function deviceForkWatcher(world: World, cast: PoolCast): (device: Device) => void {
  const pool = cast.plan.pool
  return (payee) => {
    const me = payee.key.publicKey
    for (const fork of world.truth.deviceForks) {
      if (fork.pool !== pool) continue
      const lowest = fork.twins[0].seq
      for (const entry of [...fork.device.signed, fork.twins[1]]) {
        if (entry.type !== 'transfer' || entry.seq < lowest || entry.to !== me || fork.shown.has(entry.id)) continue
        if (payee.ledger.verdict(entry.id)?.status === 'accepted') fork.shown.set(entry.id, entry.amount)
      }
    }
  }
}

/** The member's laptop and tablet, both offline, each revoke the other at the other's last entry it holds. */
async function revokeEachOther(world: World, cast: PoolCast, trace: Trace): Promise<boolean> {
  const pair = cast.linked.filter((l) => l.owner === cast.linked[0]?.owner)
  if (pair.length < 2) return true
  const [x, y] = pair as [LinkedDevice, LinkedDevice]
  if (!usable(x) || !usable(y) || x.revocation || y.revocation) return false
  for (const l of pair) world.network.setOnline(l.device.name, false)
  const revocations: Entry[] = []
  for (const [by, of] of [[x, y], [y, x]] as const) {
    const head = by.device.ledger.chainHead(of.device.key.publicKey)
    const afterSeq = head.seq - 1
    const afterEntry = head.prev
    const deps = [...(afterEntry ? [afterEntry] : []), ...(by.device.signed.length === 0 && by.certificate ? [by.certificate] : [])]
    const entry = by.device.draft<RevokeEntry>({ type: 'revoke', device: of.device.key.publicKey, afterSeq, ...(afterEntry ? { afterEntry } : {}) }, deps)
    await by.device.publish(entry)
    revocations.push(entry)
    trace.note(`${by.device.name}: offline, removes ${of.device.name} after its seq ${afterSeq} (MUTUAL REVOCATION)`)
  }
  world.truth.mutualRevocations.push({ pool: cast.plan.pool, member: x.owner.key.publicKey, revocations })
  return true
}

/** Signs an entry with a key no simulated device holds (a new key, a lost phone's), as given. */
function signAs<E extends Entry>(key: KeyPair, pool: string, fields: Record<string, unknown>): E {
  return signEntry<E>({ pool, author: key.publicKey, ...fields, deps: [...((fields.deps as string[] | undefined) ?? [])].sort() } as never, key.secretKey)
}

/**
 * The lost member: admitted and paid by the gatekeeper (stage 0), asks with a new key face to face
 * and is recovered (1, the same step or later), and its lost phone, found, signs as the old key once
 * the recovery is witnessed where a witness is (3).
 */
async function recoverLost(world: World, cast: PoolCast, plan: PoolTrouble, prng: Prng, trace: Trace): Promise<void> {
  const lost = plan.lost!
  const gatekeeper = cast.gatekeeper
  const pool = cast.plan.pool
  gatekeeper.refresh()
  const staged = world.truth.recoveries.find((r) => r.pool === pool && r.kind === 'lost')
  if (lost.stage === 0) {
    const admit = gatekeeper.draft<AdmitEntry>({ type: 'admit', member: lost.key.publicKey })
    await gatekeeper.publish(admit)
    lost.admit = admit
    const policy = cast.plan.policy
    const amount = prng.int(20, 300)
    if (policy.kind === 'issued') {
      await gatekeeper.publish(gatekeeper.draft<IssueEntry>({ type: 'issue', to: lost.key.publicKey, amount }))
    } else if (!policy.twoStep) {
      await gatekeeper.publish(gatekeeper.draft<TransferEntry>({ type: 'transfer', to: lost.key.publicKey, amount }))
    }
    trace.note(`${gatekeeper.name}: admits ${short(lost.key.publicKey)} and pays it ${amount} (its only phone will be lost before it signs anything)`)
    lost.stage = 1
  }
  if (lost.stage === 1) {
    const request = signAs<RecoverEntry>(lost.newKey, pool, { type: 'recover', seq: 1, prev: null, deps: [lost.admit!.id], time: gatekeeper.now(), member: lost.key.publicKey })
    await gatekeeper.sync.publish([request])
    world.truth.recoveries.push({ pool, kind: 'lost', member: lost.key.publicKey, request, approval: undefined, thief: undefined })
    trace.note(`${short(lost.newKey.publicKey)}: asks ${gatekeeper.name} face to face to recover ${short(lost.key.publicKey)}, who lost every device (RECOVERY request)`)
    // The gatekeeper, who checked who asks, approves at once: the approval names the new key, so every
    // device follows its shards and finds the request (until then only the gatekeeper holds it).
    world.truth.recoveries.at(-1)!.approval = await approve(gatekeeper, request, lost.newKey.publicKey, trace)
    lost.stage = 3
  } else if (lost.stage === 3 && staged?.approval) {
    const approval = staged.approval
    const verdict = gatekeeper.ledger.verdict(approval.id)
    if (gatekeeper.ledger.witnessed && verdict?.witnessed == null) return
    // The found phone knows nothing of the recovery; its clock is right (after the approval).
    const thief = signAs<TransferEntry>(lost.key, pool, {
      type: 'transfer', seq: 1, prev: null, deps: [], time: Math.max(gatekeeper.now(), approval.time) + 60_000, to: cast.plan.gatekeeper.publicKey, amount: 1,
    })
    await gatekeeper.sync.publish([thief])
    staged.thief = thief
    trace.note(`thief: signs as the recovered key ${short(lost.key.publicKey)} on its found phone, seq 1`)
    lost.stage = 4
  }
}

/** An impostor asks to recover an honest member that has paid recently; the fooled gatekeeper approves. */
async function recoverActive(world: World, cast: PoolCast, plan: PoolTrouble, trace: Trace): Promise<void> {
  const impostor = plan.impostor!
  const gatekeeper = cast.gatekeeper
  const pool = cast.plan.pool
  gatekeeper.refresh()
  if (impostor.stage === 0) {
    // A member whose recent entry the gatekeeper's ledger holds, accepted.
    const target = cast.honest.find((d) => {
      const me = gatekeeper.ledger.member(d.key.publicKey)
      return me && !me.frozen && !me.closed && d.signed.some((e) => gatekeeper.ledger.verdict(e.id)?.status === 'accepted')
    })
    if (!target) return
    const seen = target.signed.filter((e) => gatekeeper.ledger.verdict(e.id)?.status === 'accepted').at(-1)!
    const request = signAs<RecoverEntry>(impostor.key, pool, { type: 'recover', seq: 1, prev: null, deps: [seen.id], time: gatekeeper.now(), member: target.key.publicKey })
    await gatekeeper.sync.publish([request])
    world.truth.recoveries.push({ pool, kind: 'active', member: target.key.publicKey, request, approval: undefined, thief: undefined })
    trace.note(`${short(impostor.key.publicKey)}: an impostor asks to recover ${target.name}, who paid recently (RECOVERY of an active owner)`)
    impostor.target = target
    world.truth.recoveries.at(-1)!.approval = await approve(gatekeeper, request, impostor.key.publicKey, trace)
    impostor.stage = 1
  }
}

async function approve(gatekeeper: Device, request: Entry, key: string, trace: Trace): Promise<Entry> {
  const entry = gatekeeper.draft<ApproveEntry>({ type: 'approve', entry: request.id, key }, [request.id])
  await gatekeeper.publish(entry)
  const verdict = gatekeeper.ledger.verdict(entry.id)
  trace.note(`${gatekeeper.name}: approves the recovery ${short(request.id)} seq ${entry.seq}: ${verdict?.status ?? '?'}${verdict?.reason ? ` (${verdict.reason})` : ''}`)
  return entry
}
