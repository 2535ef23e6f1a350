/**
 * The witness invariants, from what devices showed during the run:
 *
 * 1. finality: a verdict a device showed with `witnessed` set (covered by a
 *    checkpoint of the primary) never changes: recorded at the end of every
 *    step and after healing (each device's own incremental Ledger), and
 *    compared with the device's far-future replay of what it holds at the
 *    end. Status, reason and the covering checkpoint must be equal, except
 *    for a covered two-step transfer whose answer no checkpoint has covered
 *    yet: initiated, accepted, cancelled or rejected by its payee may follow
 *    each other (its normal life; an answer in the tail may be undone), and
 *    once a covered answer settles it, that outcome is final too.
 * 2. loss from forks: the double spender's transfers at or after the lowest
 *    seq of its staged double spend that the payee's device showed as accepted (after any change
 *    of that device's ledger) but that end up not accepted (far-future
 *    replay of the union) add up to at most (k − 1) × offlineAmountMax, k
 *    the phones holding the key, when the pool is witnessed, every phone
 *    signed its fork from a chain head the primary's latest checkpoint
 *    covered, and at the end the primary covers every entry of the fork.
 * 3. the attacks (actors/attacks.ts) end as they must (world.ts, `Attack`).
 * 4. witnesses are never proven faulty, never misdated, and their checkpoints never refused.
 */
import type { Entry, EntryId, EntryVerdict, ReplayResult } from '../core/index.ts'
import type { Device } from './device.ts'
import type { PoolCast, World } from './world.ts'

interface Seen {
  readonly status: EntryVerdict['status']
  readonly reason: string | undefined
  readonly witnessed: EntryId
  /**
   * A covered two-step transfer whose outcome no covered answer has fixed yet: it passed the rules
   * for good, but an answer in the tail may still be undone (core/ledger.ts, tail settlements), so
   * any of initiated, accepted, cancelled or rejected by its payee may follow.
   */
  readonly open: boolean
}

/** The statuses of a two-step transfer that passed the rules, whatever its answers. */
function isTwoStepLife(status: EntryVerdict['status'], reason: string | undefined): boolean {
  return status === 'initiated' || status === 'accepted' || status === 'cancelled' || (status === 'rejected' && reason === 'rejected-by-payee')
}

/** What each device showed, recorded while the run goes on. */
export class WitnessRecords {
  readonly #covered = new Map<Device, Map<EntryId, Seen>>()
  /** Covered verdicts a device changed during the run or at healing. */
  readonly changes: string[] = []
  /** Per pool: the double spender's transfers some payee's phone showed as accepted, with their amounts. */
  readonly shown = new Map<EntryId, Map<EntryId, number>>()

  /** Records the covered verdicts `device` shows now, and notes any that changed since first seen. */
  sampleCovered(device: Device): void {
    let seen = this.#covered.get(device)
    if (!seen) this.#covered.set(device, (seen = new Map()))
    const ledger = device.ledger
    const entries = ledger.result().entries
    const twoStep = ledger.policy?.twoStep === true
    // Two-step transfers settled by an answer a checkpoint covered: their outcome is final too.
    const settledForGood = new Set<EntryId>()
    if (twoStep) {
      for (const verdict of entries) {
        if (verdict.witnessed === null || verdict.status !== 'accepted' || (verdict.type !== 'accept' && verdict.type !== 'reject' && verdict.type !== 'cancel')) continue
        const answer = ledger.entry(verdict.id)
        if (answer && 'entry' in answer) settledForGood.add(answer.entry)
      }
    }
    for (const verdict of entries) {
      if (verdict.witnessed === null) continue
      const transfer = twoStep && verdict.type === 'transfer' ? ledger.entry(verdict.id) : undefined
      const open = transfer?.type === 'transfer' && transfer.request === undefined && isTwoStepLife(verdict.status, verdict.reason) && !settledForGood.has(verdict.id)
      const now: Seen = { status: verdict.status, reason: verdict.reason, witnessed: verdict.witnessed, open }
      const before = seen.get(verdict.id)
      if (before) {
        const change = changeOf(before, verdict)
        if (change) this.changes.push(`${device.name}: covered ${verdict.type} ${verdict.id.slice(0, 8)} ${change} (own ledger)`)
      }
      // A record stays as first seen, unless its open outcome has just been fixed by a covered answer.
      if (!before || (before.open && !now.open)) seen.set(verdict.id, now)
    }
  }

  /** Every (device, entry) recorded as covered. */
  get coveredCount(): number {
    let n = 0
    for (const seen of this.#covered.values()) n += seen.size
    return n
  }

  /** Compares every covered verdict `device` showed with its final replay. */
  finalityProblems(device: Device, final: ReplayResult): string[] {
    const seen = this.#covered.get(device)
    if (!seen) return []
    const byId = new Map(final.entries.map((v) => [v.id, v]))
    const problems: string[] = []
    for (const [id, before] of seen) {
      const now = byId.get(id)
      const change = now ? changeOf(before, now) : 'is gone from the replay'
      if (change) problems.push(`${device.name}: covered entry ${id.slice(0, 8)} ${change} (far-future replay of what it holds)`)
    }
    return problems
  }

  /** A watcher for every device of a pool with a double spender: the cheater's transfers to it that it shows as accepted. */
  lossWatcher(cast: PoolCast): (device: Device) => void {
    const pool = cast.plan.pool
    let shown = this.shown.get(pool)
    if (!shown) this.shown.set(pool, (shown = new Map()))
    const phones = cast.cheater ?? []
    const seenShown = shown
    return (device) => {
      const me = device.key.publicKey
      for (const phone of phones) {
        for (const entry of phone.signed) {
          if (entry.type !== 'transfer' || entry.to !== me || seenShown.has(entry.id)) continue
          if (device.ledger.verdict(entry.id)?.status === 'accepted') seenShown.set(entry.id, entry.amount)
        }
      }
    }
  }
}

/** How a covered verdict changed, or undefined when the change is allowed (or there is none). */
function changeOf(before: Seen, now: Pick<EntryVerdict, 'status' | 'reason' | 'witnessed'>): string | undefined {
  if (now.witnessed !== before.witnessed) return `was covered by ${before.witnessed.slice(0, 8)}, now by ${now.witnessed?.slice(0, 8) ?? 'nothing'}`
  const was = `${before.status}${before.reason ? ` (${before.reason})` : ''}`
  const is = `${now.status}${now.reason ? ` (${now.reason})` : ''}`
  if (before.open) return isTwoStepLife(now.status, now.reason) ? undefined : `was ${was} (a two-step transfer not yet answered for good), now ${is}`
  if (now.status === before.status && now.reason === before.reason) return undefined
  return `was ${was}, now ${is}`
}

export interface LossFigure {
  /** What payees relied on and lost to the fork: the twins and what follows them that the fork voided. */
  readonly lost: number
  /** (k − 1) × offlineAmountMax. */
  readonly bound: number
  /**
   * What payees relied on and lost because no witness covered it within the pool's offline allowance
   * (`witnessed-too-late`): the offline payee's own risk, which a twin carries like any offline payment.
   */
  readonly lostLate: number
  /** k × offlineAmountMax: all that k phones of one key can spend offline in one segment each, so all payees can lose. */
  readonly boundAll: number
  /** Whether the bound's conditions held (witnessed pool, fork from a witnessed head, covered at the end). */
  readonly applies: boolean
  readonly why: string
}

/**
 * What payees showed as accepted and lost in the end: to the fork (`lost`), or because no witness
 * covered it within the offline allowance (`lostLate`, `witnessed-too-late`). A late twin is lost as any
 * offline payment would be (docs/validator.md, "Delay turns into refusal past the allowance"): that
 * loss is bounded by the offline cap, not by the fork.
 */
export function lossesOf(shown: Iterable<readonly [EntryId, number]>, verdicts: ReadonlyMap<EntryId, Pick<EntryVerdict, 'status' | 'reason'>>): { lost: number; lostLate: number } {
  let lost = 0
  let lostLate = 0
  for (const [id, amount] of shown) {
    const verdict = verdicts.get(id)
    if (verdict?.status === 'accepted') continue
    if (verdict?.reason === 'witnessed-too-late') lostLate += amount
    else lost += amount
  }
  return { lost, lostLate }
}

/** The loss from the double spender's forks in one pool, judged on the final replay of the union. */
export function lossFromForks(world: World, cast: PoolCast, final: ReplayResult): LossFigure | undefined {
  const phones = cast.cheater
  const fork = world.truth.stagedForks.find((f) => f.pool === cast.plan.pool)
  if (!phones || cast.witnessing.witnesses.length === 0) return undefined
  const author = phones[0]!.key.publicKey
  const forked = final.equivocations.filter((e) => e.author === author)
  if (forked.length === 0) return undefined
  // From the staged double spend on; with only attack forks, from the lowest forked seq.
  const lowest = fork ? Math.min(...fork.entries.map((e) => e.seq)) : Math.min(...forked.map((e) => e.seq))
  const byId = new Map(final.entries.map((v) => [v.id, v]))
  const signed = new Map<EntryId, Entry>()
  for (const phone of phones) for (const entry of phone.signed) signed.set(entry.id, entry)
  const shown = [...world.records.shown.get(cast.plan.pool) ?? []].filter(([id]) => (signed.get(id)?.seq ?? -1) >= lowest)
  const { lost, lostLate } = lossesOf(shown, byId)
  const bound = (phones.length - 1) * cast.witnessing.offlineAmountMax
  const boundAll = phones.length * cast.witnessing.offlineAmountMax
  let why = ''
  if (!fork) why = 'no staged double spend (only attack forks)'
  else if (!fork.fromWitnessedHead) why = 'a phone forked from a head no checkpoint covered'
  else if (fork.entries.some((entry) => (byId.get(entry.id)?.witnessed ?? null) === null)) why = 'the primary never covered the whole fork'
  return { lost, bound, lostLate, boundAll, applies: why === '', why }
}

/** What must become of each attack, on the final replay of the union. */
export function attackProblems(world: World, cast: PoolCast, final: ReplayResult): string[] {
  const problems: string[] = []
  const byId = new Map(final.entries.map((v) => [v.id, v]))
  const show = (v: EntryVerdict | undefined): string => (v ? `${v.status}${v.reason ? ` (${v.reason})` : ''}` : 'missing')
  for (const attack of world.truth.attacks) {
    if (attack.pool !== cast.plan.pool) continue
    switch (attack.kind) {
      case 'backdated-after-freeze': {
        const v = byId.get(attack.entry.id)
        // Rejected; or waiting forever behind the attacker's own twin whose prev it kept back.
        const never = v?.status === 'rejected' || (v?.status === 'pending' && (v.reason === 'after-pending' || v.reason === 'missing-prev'))
        if (!never) problems.push(`a transfer back-dated before its author's witnessed freeze is ${show(v)}: ${attack.entry.id.slice(0, 8)}`)
        break
      }
      case 'burst-a-minute-apart': {
        const accepted = attack.entries.filter((entry) => byId.get(entry.id)?.status === 'accepted').length
        if (accepted > attack.countMax + 1) problems.push(`${accepted} of a burst of ${attack.entries.length} transfers dated a minute apart were accepted, more than offlineCountMax ${attack.countMax} + 1 online`)
        break
      }
      case 'late-fork': {
        const v = byId.get(attack.entry.id)
        if (v?.status !== 'rejected' || v.reason !== 'equivocation') problems.push(`a late twin at seq ${attack.entry.seq} of a covered entry is ${show(v)}, not void: ${attack.entry.id.slice(0, 8)}`)
        const original = byId.get(attack.twinOf.id)
        if (original?.witnessed === null || original === undefined) problems.push(`the covered entry a late twin forks (${attack.twinOf.id.slice(0, 8)}) is no longer covered`)
        break
      }
      case 'ghost-twin': {
        const proof = final.equivocations.find((e) => e.author === attack.entry.author && e.entries.includes(attack.entry.id))
        if (!proof) problems.push(`a twin whose prev never arrives (${attack.entry.id.slice(0, 8)}) is not reported as a fork`)
        const member = final.members[attack.entry.author]
        if (member !== undefined && !member.frozen) problems.push(`the author of a twin whose prev never arrives is a member and not frozen`)
        break
      }
    }
  }
  return problems
}

/** Honest witnesses never sign two checkpoints at one seq, and a named witness's checkpoints are never refused. */
export function witnessProblems(final: ReplayResult, byId: ReadonlyMap<EntryId, Entry>): string[] {
  const problems: string[] = []
  for (const summary of final.witnesses) {
    if (summary.faulty) problems.push(`witness ${summary.key.slice(0, 6)} is proven faulty at seq ${summary.faulty.seq}`)
    // An honest witness, whatever its clock, never covers what is dated after its own time (core/coverage.ts).
    if (summary.misdated) problems.push(`witness ${summary.key.slice(0, 6)} signed a misdated checkpoint ${summary.misdated.checkpoint.slice(0, 8)}: it covers ${summary.misdated.entry.slice(0, 8)}, dated after it`)
  }
  const named = new Set(final.policy?.witnesses ?? [])
  for (const verdict of final.entries) {
    if (verdict.type !== 'checkpoint' || verdict.status !== 'rejected' || !named.has(verdict.author)) continue
    problems.push(`checkpoint ${verdict.id.slice(0, 8)} of named witness ${verdict.author.slice(0, 6)} is rejected (${verdict.reason}): ${JSON.stringify(byId.get(verdict.id))?.slice(0, 80)}`)
  }
  return problems
}
