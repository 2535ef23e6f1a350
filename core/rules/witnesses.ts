/**
 * Witnesses and time. A witness signs checkpoints; the ledger orders what a
 * checkpoint of the primary witness covers before it (see ledger.ts and
 * coverage.ts), and these rules bound each entry's claimed time by the
 * checkpoint that first covers it, and cap what a member may pay between two
 * witnessed states of its chain.
 */
import type { CheckpointEntry, Entry, PublicKeyHex, TransferEntry } from '../entry.ts'
import { CLOCK_SKEW_MS_MAX } from '../limits.ts'
import { ACCEPTED, isoTime, reject, short, type Evaluation, type OfflineSegment, type PoolState, type TimeFacts } from '../pool-state.ts'
import { signerOf } from './devices.ts'

/** Is the checkpoint's author a witness the pool names now? */
export function checkpointRule(state: PoolState, entry: CheckpointEntry): Evaluation {
  if (!state.witnesses.includes(entry.author)) {
    return reject('not-witness', `${short(entry.author)} is not among the pool's witnesses${state.witnessed ? '' : ' (it has none)'}`)
  }
  return ACCEPTED
}

/**
 * Was the entry signed when it says? A witness first saw it at `witnessedAt`:
 * it may claim to be older by at most the pool's offline allowance, and newer
 * by at most a small clock skew. An entry no checkpoint covers yet is not
 * judged on this (it is not final either).
 */
export function witnessedTimeProblem(state: PoolState, entry: Entry, facts: TimeFacts): Evaluation | undefined {
  const seen = facts.witnessedAt
  if (seen === undefined) return undefined
  const allowance = state.offlineAllowanceMs
  if (facts.effectiveTime < seen - allowance) {
    return reject('witnessed-too-late', `dated ${isoTime(facts.effectiveTime)}, first witnessed ${isoTime(seen)}: more than the ${allowance / 1000} s a pool allows offline`)
  }
  // Cannot fire for a counted checkpoint any more (coverage.ts drops a misdated one); kept as a second line.
  if (entry.time > seen + CLOCK_SKEW_MS_MAX) {
    return reject('clock-ahead', `dated ${isoTime(entry.time)}, but the witness held it at ${isoTime(seen)} (at most ${CLOCK_SKEW_MS_MAX / 1000} s of clock skew)`)
  }
  return undefined
}

/**
 * The offline cap: between two witnessed states of its chain a member may make
 * at most `offlineCountMax` transfers worth at most `offlineAmountMax` in all.
 * An online transfer (signed after a checkpoint covering its prev, and covered
 * promptly) starts a new segment and is not held to it. Pools without a
 * witness have no cap: nothing could ever reset it.
 */
export function offlineCapProblem(state: PoolState, entry: TransferEntry, facts: TimeFacts): Evaluation | undefined {
  if (!state.witnessed || facts.online) return undefined
  const segment = memberSegment(state, entry.author)
  const countMax = state.offlineCountMax
  const amountMax = state.offlineAmountMax
  if (segment.count + 1 > countMax) {
    return reject('offline-cap', `${segment.count} of ${countMax} offline payments already made since a witness last saw this chain`)
  }
  if (segment.amount + entry.amount > amountMax) {
    return reject('offline-cap', `${segment.amount} of ${amountMax} already paid offline since a witness last saw this chain: at most ${amountMax - segment.amount} more`)
  }
  return undefined
}

/**
 * Counts an accepted offline transfer in the segment of the key that signed it
 * (a member's own key, or one of its devices): each key's segment starts again
 * when that key signs online, and the cap holds for their sum.
 */
export function noteOfflineTransfer(state: PoolState, entry: TransferEntry, facts: TimeFacts): void {
  if (!state.witnessed || facts.online) return
  const signer = signerOf(entry)
  const segment = state.segmentOf(signer)
  state.segments.set(signer, { count: segment.count + 1, amount: segment.amount + entry.amount })
}

/**
 * What a member paid offline across all its keys (rules/devices.ts): the cap
 * is per member, so k devices offline together still risk one cap in all.
 * A device's part counts until that device itself is seen online.
 */
export function memberSegment(state: PoolState, member: PublicKeyHex): OfflineSegment {
  const devices = state.devices.size === 0 ? undefined : state.devices.byMember.get(member)
  if (!devices) return state.segmentOf(member)
  let { count, amount } = state.segmentOf(member)
  for (const key of devices) {
    const part = state.segmentOf(key)
    count += part.count
    amount += part.amount
  }
  return { count, amount }
}

/** An online entry proves its author saw its own chain witnessed: the offline segment starts again. */
export function noteOnline(state: PoolState, entry: Entry): void {
  if (state.segments.size > 0) state.segments.delete(entry.author)
}
