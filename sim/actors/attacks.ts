/**
 * The attacks of issue 13, tried inside the simulation on witnessed pools,
 * each once per pool when its moment comes (drawn from the run's attack
 * stream, so pools without a witness play exactly as before):
 *
 * - back-dating after a freeze: the gatekeeper freezes the forger (or the
 *   double spender); once the attacker's phone shows that freeze witnessed,
 *   it signs a transfer dated before the freeze, naming nothing that would
 *   date it later;
 * - a burst dated a minute apart: the forger (or the double spender) signs offlineCountMax + 3
 *   transfers at once, each dated a rate interval (at least a minute) after
 *   the last, so the rate never stops them;
 * - a late fork at a low seq: a cheater's phone signs a twin of one of its
 *   own entries that a checkpoint already covered, dated just before it;
 * - a fork twin whose prev never arrives: a cheater's phone signs an entry
 *   it keeps to itself and a twin of one of its published entries after it,
 *   and publishes only the twin.
 *
 * What must become of each is in world.ts (`Attack`) and checked in checks.ts.
 */
import type { Entry, EntryId, FreezeEntry, PublicKeyHex, TransferEntry } from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { Prng } from '../prng.ts'
import type { PoolCast, World } from '../world.ts'
import { short } from './honestMember.ts'

const MINUTE = 60_000

/** Per pool: what was done so far. */
interface AttackState {
  forgerFreeze: FreezeEntry | undefined
  done: Set<string>
}

const states = new WeakMap<PoolCast, AttackState>()

/**
 * Maybe one attack on this pool now (witnessed pools only). The burst and the back-dating are the
 * forger's, or in a pool without one (fewer than 5 devices) a phone of the double spender's, whose
 * freeze then waits until its double spend is staged.
 */
export async function attackSomething(world: World, cast: PoolCast, payees: readonly PublicKeyHex[], prng: Prng, step: number): Promise<void> {
  if (cast.witnessing.witnesses.length === 0) return
  let state = states.get(cast)
  if (!state) states.set(cast, (state = { forgerFreeze: undefined, done: new Set() }))
  const { cheater, gatekeeper } = cast
  const attacker = cast.forger ?? cheater?.[0]
  // The back-dating goes as soon as the attacker's phone shows its freeze witnessed.
  if (attacker && state.forgerFreeze && !state.done.has('backdate')) await backdate(world, cast, attacker, payees, prng, state)
  if (!prng.chance(0.3)) return
  const kinds: Array<() => Promise<void>> = []
  // A double spender is frozen for this only once a witness covered its whole double spend (the loss
  // from forks is measured on it: a freeze witnessed first would void every branch, not the fork).
  const fork = world.truth.stagedForks.find((f) => f.pool === cast.plan.pool)
  const mayFreeze = cast.forger !== undefined || (fork !== undefined && fork.entries.every((entry) => gatekeeper.ledger.witnessedBy(entry.id) !== undefined))
  // The burst needs an attacker who can still pay; the freeze comes before the back-dating it invites.
  if (attacker && !state.done.has('burst') && !state.forgerFreeze) kinds.push(() => burst(world, cast, attacker, payees, prng, state))
  if (attacker && !state.forgerFreeze && step >= 2 && mayFreeze) kinds.push(() => freezeForger(world, cast, gatekeeper, attacker, state))
  if (cheater && !state.done.has('late-fork')) kinds.push(() => lateFork(world, cast, prng.pick(cheater), payees, prng, state))
  if (cheater && !state.done.has('ghost-twin')) kinds.push(() => ghostTwin(world, cast, prng.pick(cheater), payees, prng, state))
  if (kinds.length > 0) await prng.pick(kinds)()
}

function othersThan(device: Device, payees: readonly PublicKeyHex[]): PublicKeyHex[] {
  return payees.filter((key) => key !== device.key.publicKey)
}

async function freezeForger(world: World, cast: PoolCast, gatekeeper: Device, forger: Device, state: AttackState): Promise<void> {
  gatekeeper.refresh()
  const member = gatekeeper.ledger.member(forger.key.publicKey)
  if (!member) return
  const freeze = gatekeeper.draft<FreezeEntry>({ type: 'freeze', member: forger.key.publicKey, reason: 'caught forging' })
  await gatekeeper.publish(freeze)
  state.forgerFreeze = freeze
  world.truth.frozenByGatekeeper.get(cast.plan.pool)?.add(forger.key.publicKey)
  world.trace.note(`${gatekeeper.name}: freezes the forger ${short(forger.key.publicKey)} (${freeze.id.slice(0, 8)})`)
}

async function backdate(world: World, cast: PoolCast, forger: Device, payees: readonly PublicKeyHex[], prng: Prng, state: AttackState): Promise<void> {
  const freeze = state.forgerFreeze!
  forger.refresh()
  // The freeze must stand where the attacker can see it final (a lying witness can make it `witnessed-too-late`).
  if (forger.ledger.witnessedBy(freeze.id) === undefined) return
  state.done.add('backdate')
  if (forger.ledger.verdict(freeze.id)?.status !== 'accepted') return
  const others = othersThan(forger, payees)
  const head = forger.ledger.chainHead(forger.key.publicKey)
  const time = Math.max(head.time, freeze.time - prng.int(1, 30) * MINUTE)
  if (others.length === 0 || time >= freeze.time) return
  const entry = forger.signRaw<TransferEntry>({ type: 'transfer', seq: head.seq, prev: head.prev, deps: [], time, to: prng.pick(others), amount: prng.int(1, 50) })
  await forger.publish(entry)
  world.truth.attacks.push({ kind: 'backdated-after-freeze', pool: cast.plan.pool, entry, freeze: freeze.id })
  world.trace.note(`${forger.name}: ATTACK back-dates a transfer ${Math.round((freeze.time - time) / 1000)} s before its witnessed freeze (seq ${entry.seq})`)
}

async function burst(world: World, cast: PoolCast, forger: Device, payees: readonly PublicKeyHex[], prng: Prng, state: AttackState): Promise<void> {
  forger.refresh()
  const ledger = forger.ledger
  const me = ledger.member(forger.key.publicKey)
  const others = othersThan(forger, payees)
  if (!me || me.frozen || others.length === 0) return
  state.done.add('burst')
  const countMax = cast.witnessing.offlineCountMax
  const stepMs = Math.max(MINUTE, (ledger.policy?.rateLimitSeconds ?? 0) * 1000)
  const entries: Entry[] = []
  for (let i = 0; i < countMax + 3; i++) {
    const to = prng.pick(others)
    const amount = prng.int(1, 10)
    let entry = forger.draft<TransferEntry>({ type: 'transfer', to, amount })
    if (i > 0) entry = forger.signRaw<TransferEntry>({ type: 'transfer', seq: entry.seq, prev: entry.prev, deps: [], time: entries[i - 1]!.time + stepMs, to, amount })
    await forger.publish(entry)
    entries.push(entry)
  }
  world.truth.attacks.push({ kind: 'burst-a-minute-apart', pool: cast.plan.pool, entries, countMax })
  world.trace.note(`${forger.name}: ATTACK signs ${entries.length} transfers at once, dated ${stepMs / 1000} s apart (seqs ${entries[0]!.seq}–${entries[entries.length - 1]!.seq})`)
}

/** The author's entries in the phone's ledger by seq, the lower id first at a fork. */
function chainOf(device: Device): Map<number, Entry> {
  const chain = new Map<number, Entry>()
  for (const entry of device.ledger.entries()) {
    if (entry.author !== device.key.publicKey) continue
    const there = chain.get(entry.seq)
    if (!there || entry.id < there.id) chain.set(entry.seq, entry)
  }
  return chain
}

async function lateFork(world: World, cast: PoolCast, phone: Device, payees: readonly PublicKeyHex[], prng: Prng, state: AttackState): Promise<void> {
  phone.refresh()
  const chain = chainOf(phone)
  const covered = [...chain.values()].filter((entry) => phone.ledger.witnessedBy(entry.id) !== undefined)
  const others = othersThan(phone, payees)
  if (covered.length === 0 || others.length === 0) return
  state.done.add('late-fork')
  const original = prng.pick(covered.sort((a, b) => a.seq - b.seq))
  const prev = chain.get(original.seq - 1)
  const entry = phone.signRaw<TransferEntry>({
    type: 'transfer', seq: original.seq, prev: original.prev, deps: [], time: Math.max(prev?.time ?? 0, original.time - 1), to: prng.pick(others), amount: prng.int(1, 300),
  })
  await phone.publish(entry)
  world.truth.attacks.push({ kind: 'late-fork', pool: cast.plan.pool, entry, twinOf: original })
  world.trace.note(`${phone.name}: ATTACK late fork at seq ${original.seq} (covered by ${phone.ledger.witnessedBy(original.id)!.slice(0, 8)}), twin ${entry.id.slice(0, 8)}`)
}

async function ghostTwin(world: World, cast: PoolCast, phone: Device, payees: readonly PublicKeyHex[], prng: Prng, state: AttackState): Promise<void> {
  phone.refresh()
  const chain = chainOf(phone)
  const top = Math.max(0, ...chain.keys())
  const others = othersThan(phone, payees)
  if (top < 2 || others.length === 0) return
  state.done.add('ghost-twin')
  // Usually a twin below the head, so the phone's next entries still follow its real chain (at the
  // head, a twin with the lower id leads the phone's own later entries to wait for the ghost too).
  const seq = prng.int(2, top)
  const before = chain.get(seq - 1)!
  const kept = phone.signRaw<TransferEntry>({ type: 'transfer', seq: seq - 1, prev: before.prev, deps: [], time: before.time, to: prng.pick(others), amount: prng.int(1, 300) })
  const entry = phone.signRaw<TransferEntry>({ type: 'transfer', seq, prev: kept.id, deps: [], time: before.time, to: prng.pick(others), amount: prng.int(1, 300) })
  world.truth.withheld.add(kept.id as EntryId)
  await phone.publish(entry)
  world.truth.attacks.push({ kind: 'ghost-twin', pool: cast.plan.pool, entry, withheld: kept.id })
  world.trace.note(`${phone.name}: ATTACK twin at seq ${seq} whose prev ${kept.id.slice(0, 8)} is never published`)
}
