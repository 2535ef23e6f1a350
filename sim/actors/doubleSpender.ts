/**
 * One member, one key, two phones (or three). All go offline together and
 * each spends what its own ledger says is available, at different shops:
 * the same seq signed twice, a fork. When they come back, every device must
 * report the same proof and resolve it the same way.
 *
 * In a witnessed pool each phone makes one to three payments from its own
 * chain head, later ones dated a rate interval apart (a burst signed at
 * once), either as much as its ledger allows or held to what its offline
 * allowance says is left (the most a payee's phone will show as accepted).
 * The checks then bound what payees lose: see checks.ts, "loss from forks".
 */
import type { PublicKeyHex, TransferEntry } from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { FaultNetwork } from '../faultNetwork.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import type { StagedFork } from '../world.ts'
import { short } from './honestMember.ts'

export async function spendTwice(phones: readonly Device[], shops: readonly PublicKeyHex[], network: FaultNetwork, prng: Prng, trace: Trace): Promise<StagedFork | undefined> {
  const [first, second] = phones as readonly [Device, Device]
  const me = first.key.publicKey
  const others = shops.filter((key) => key !== me)
  if (others.length < 1) return undefined
  network.setOnline(first.name, false)
  network.setOnline(second.name, false)
  const entries: TransferEntry[] = []
  for (const phone of [first, second]) {
    phone.refresh()
    const member = phone.ledger.member(me)
    if (!member || member.frozen) continue
    const available = phone.ledger.balanceOf(me) - phone.ledger.heldBy(me) - member.minBalance
    const amount = Math.max(1, available)
    const entry = phone.draft<TransferEntry>({ type: 'transfer', to: prng.pick(others), amount })
    await phone.publish(entry)
    entries.push(entry)
    trace.note(`${phone.name}: offline, spends ${amount} to ${short(entry.to)} at seq ${entry.seq}`)
  }
  if (entries.length < 2 || entries[0]!.id === entries[1]!.id) return undefined
  trace.note(`cheater ${short(me)}: FORK staged at seqs ${entries[0]!.seq}/${entries[1]!.seq}`)
  return { pool: first.pool, author: me, entries, phones: 2, fromWitnessedHead: undefined }
}

/** The witnessed-pool double spend: every phone offline, one to three payments each from its own head. */
export async function spendOnEach(phones: readonly Device[], shops: readonly PublicKeyHex[], network: FaultNetwork, prng: Prng, trace: Trace): Promise<StagedFork | undefined> {
  const me = phones[0]!.key.publicKey
  const others = shops.filter((key) => key !== me)
  if (others.length < 1) return undefined
  for (const phone of phones) network.setOnline(phone.name, false)
  const heldToCap = prng.chance(0.5)
  const entries: TransferEntry[] = []
  let fromWitnessedHead = true
  for (const phone of phones) {
    phone.refresh()
    const ledger = phone.ledger
    const member = ledger.member(me)
    if (!member || member.frozen) continue
    const latest = ledger.latestCheckpoint()
    if (latest === undefined || !ledger.depsFor(me).includes(latest.id)) fromWitnessedHead = false
    const rateMs = (ledger.policy?.rateLimitSeconds ?? 0) * 1000
    const payments = prng.int(1, 3)
    for (let i = 0; i < payments; i++) {
      let amount = Math.max(1, ledger.balanceOf(me) - ledger.heldBy(me) - member.minBalance)
      if (heldToCap) {
        const allowance = ledger.offlineAllowance(me)
        if (!allowance || allowance.countLeft < 1 || allowance.amountLeft < 1) break
        amount = Math.min(amount, allowance.amountLeft)
      }
      const to = prng.pick(others)
      let entry = phone.draft<TransferEntry>({ type: 'transfer', to, amount })
      if (i > 0) {
        // The next payment at once, dated a rate interval after the last: the rate cannot stop a burst signed ahead.
        entry = phone.signRaw<TransferEntry>({ type: 'transfer', seq: entry.seq, prev: entry.prev, deps: entry.deps, time: entries[entries.length - 1]!.time + rateMs, to, amount })
      }
      await phone.publish(entry)
      entries.push(entry)
      trace.note(`${phone.name}: offline, spends ${amount} to ${short(to)} at seq ${entry.seq}${heldToCap ? ' (within its offline allowance)' : ''}`)
    }
  }
  // Phones with the same head, balance, payee and time sign the very same entry: no fork. What
  // counts is a seq where this key now has two entries (with an earlier attempt's, perhaps).
  const bySeq = new Map<number, Set<string>>()
  for (const phone of phones) {
    for (const entry of phone.signed) {
      if (entry.author !== me) continue
      const ids = bySeq.get(entry.seq) ?? new Set<string>()
      ids.add(entry.id)
      bySeq.set(entry.seq, ids)
    }
  }
  const forked = entries.filter((entry) => (bySeq.get(entry.seq)?.size ?? 0) > 1)
  if (forked.length === 0) {
    trace.note(`cheater ${short(me)}: its phones signed the same entries, no fork`)
    return undefined
  }
  const lowest = Math.min(...forked.map((entry) => entry.seq))
  const staged = entries.filter((entry) => entry.seq >= lowest)
  const seqs = [...new Set(staged.map((e) => e.seq))].join('/')
  trace.note(`cheater ${short(me)}: FORK staged at seq ${lowest} (seqs ${seqs})${fromWitnessedHead ? ' from a witnessed head' : ''}`)
  return { pool: phones[0]!.pool, author: me, entries: staged, phones: phones.length, fromWitnessedHead }
}
