/**
 * What the primary witness has covered, decided from the set of entries
 * before anything is applied (the ledger then orders covered entries by the
 * checkpoint that first covers them: see ledger.ts).
 *
 * Which checkpoints count. The pool's witnesses are listed in its policy; the
 * first is the primary. Only the creator changes the list (rules/policy.ts),
 * so the eras of primaries can be read from the creator's policy entries
 * without judging anything: era 0 starts at the genesis, era k at the creator's
 * k-th policy entry that names a new primary. A checkpoint of era k's primary
 * counts when it follows the primary's chain without a gap, a fork or time
 * going back, is dated at or before `asOf`, descends from the entry that
 * started era k, and (when a later era exists) is in the past of the entry
 * that ended it: the creator's switch freezes the old primary's history at
 * what the creator had seen.
 *
 * Rank. Counted checkpoints are ranked by era, then by seq in the primary's
 * chain. An entry's block is the lowest rank of a counted checkpoint whose
 * causal past holds it (`prev`, `deps` and `heads` edges). Checkpoints of one
 * primary cover nested sets, so "covered by rank r" is "block ≤ r". A
 * checkpoint whose past is not all present is not counted, nor is anything
 * ranked after it (it descends from it).
 *
 * Backup witnesses (not first in the list) sign valid checkpoints that bound
 * the time of entries naming them, but they make nothing final: "covered"
 * means covered by the primary. When two witnesses disagree, the primary's
 * word is the one that counts, and the creator names another primary if it
 * is gone.
 */
import type { CheckpointEntry, Entry, EntryId, PolicyEntry, PublicKeyHex } from './entry.ts'
import type { ParentTable } from './parent-table.ts'

/** Block of an entry no counted checkpoint covers. */
export const UNCOVERED = 0x7fffffff
/** A prev position (`prevAt`) for an entry at seq 1. */
export const NO_PREV = -1
/** A prev position (`prevAt`) for an entry whose prev had not arrived when last looked for. */
export const PREV_UNRESOLVED = -2

export interface CountedCheckpoint {
  readonly at: number
  readonly rank: number
  readonly time: number
}

/** Two checkpoints of one witness at one seq: proof that the witness is faulty. */
export interface WitnessFork {
  readonly witness: PublicKeyHex
  readonly seq: number
  readonly entries: readonly EntryId[]
}

export interface CoverageInput {
  readonly entries: readonly Entry[]
  readonly index: ReadonlyMap<EntryId, number>
  /** Positions of each entry's deps and heads (parent-table.ts). */
  readonly parents: ParentTable
  readonly genesisAt: number
  readonly asOf: number
}

export interface Eras {
  /** Position of the entry that starts each era (the genesis for era 0). */
  readonly starts: readonly number[]
  /** The primary witness of each era, or undefined for an era without a witness. */
  readonly primaries: readonly (PublicKeyHex | undefined)[]
}

/** The eras of primary witnesses, from the genesis and the creator's policy entries (see the file comment). */
export function erasOf(input: CoverageInput, creatorPolicies: readonly number[]): Eras {
  const { entries, genesisAt } = input
  const genesis = entries[genesisAt]!
  if (genesis.type !== 'pool') throw new TypeError('expected the genesis at genesisAt')
  const starts = [genesisAt]
  const primaries: (PublicKeyHex | undefined)[] = [genesis.policy.witnesses?.[0]]
  const sorted = creatorPolicies
    .map((at) => entries[at] as PolicyEntry)
    .filter((entry) => entry.policy.witnesses !== undefined)
    .sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1))
  let lastSeq = -1
  for (const entry of sorted) {
    if (entry.seq === lastSeq) continue // a creator's fork: the lower id names the era
    lastSeq = entry.seq
    const primary = entry.policy.witnesses![0]
    if (primary === primaries[primaries.length - 1]) continue
    starts.push(input.index.get(entry.id)!)
    primaries.push(primary)
  }
  return { starts, primaries }
}

/**
 * The counted checkpoints in rank order, from each era primary's chain of
 * checkpoints (positions by seq, twins included), and the witness forks seen.
 */
export function countedCheckpoints(
  input: CoverageInput,
  eras: Eras,
  chains: ReadonlyMap<PublicKeyHex, ReadonlyMap<number, readonly number[]>>,
  prevOf: (at: number) => number,
  misdated: ReadonlySet<number> | ReadonlyMap<number, unknown> = new Set(),
): { counted: CountedCheckpoint[]; forks: WitnessFork[] } {
  const { entries, asOf } = input
  const counted: CountedCheckpoint[] = []
  const forks: WitnessFork[] = []
  const ancestry = new Ancestry(input)
  for (let era = 0; era < eras.starts.length; era++) {
    const primary = eras.primaries[era]
    if (primary === undefined) continue
    const chain = chains.get(primary)
    if (!chain) continue
    const start = eras.starts[era]!
    const end = era + 1 < eras.starts.length ? eras.starts[era + 1]! : undefined
    // The primary's chain as far as it is whole: no gap, no fork, time never going back, not after asOf.
    const whole: number[] = []
    let previous: number | undefined
    for (let seq = 1; ; seq++) {
      const slot = chain.get(seq)
      if (!slot) break
      if (slot.length > 1) {
        if (!forks.some((f) => f.witness === primary && f.seq === seq)) {
          forks.push({ witness: primary, seq, entries: slot.map((at) => entries[at]!.id).sort() })
        }
        break
      }
      const at = slot[0]!
      const entry = entries[at]!
      if (entry.type !== 'checkpoint') break
      if (seq > 1 && prevOf(at) !== previous) break
      if (previous !== undefined && entry.time < entries[previous]!.time) break
      if (entry.time > asOf) break
      if (misdated.has(at)) break // it and what its witness signs after it never count (assignBlocks)
      previous = at
      whole.push(at)
    }
    // Descending from the era's start is monotone along the chain: find the first that does.
    let first = 0
    if (era > 0) {
      let lo = 0
      let hi = whole.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (ancestry.isAncestor(start, whole[mid]!)) hi = mid
        else lo = mid + 1
      }
      first = lo
    }
    for (let i = first; i < whole.length; i++) {
      const at = whole[i]!
      if (end !== undefined && !ancestry.isAncestor(at, end)) break
      counted.push({ at, rank: counted.length, time: entries[at]!.time })
    }
  }
  return { counted, forks }
}

/** Parents of an entry: prev, deps, and a checkpoint's heads. */
export function parentIds(entry: Entry): readonly EntryId[] {
  const parents: EntryId[] = entry.prev === null ? [] : [entry.prev]
  for (const dep of entry.deps) parents.push(dep)
  if (entry.type === 'checkpoint') for (const head of (entry as CheckpointEntry).heads) parents.push(head)
  return parents
}

/** What assignBlocks did: how many checkpoints it assigned, and the misdated one that stopped it, if any. */
export interface Assignment {
  readonly assigned: number
  /**
   * A checkpoint that newly covers an entry claimed later than the checkpoint's own time plus the
   * allowed clock skew. An honest witness never signs one (what is dated after its clock is not yet
   * applied in its ledger, so never a head): it does not count, nor does anything of its witness
   * after it, so a witness that lies about time delays confirmation but never voids a payment.
   */
  readonly misdated?: { readonly checkpoint: number; readonly entry: number }
}

/**
 * Assigns blocks: for each counted checkpoint from `from` on, in rank order,
 * every entry of its past not yet in a block joins its block. One whose past
 * is not all present stops it, and so does a misdated one (`Assignment`).
 *
 * The walk reads positions and times from flat arrays (`prevAt`, resolved here
 * when a late prev has come; `timeOf`, each entry's claimed time) rather than
 * from the entry objects: at 100k entries, touching each object once more is
 * most of this pass's cost (bench/witness.ts, docs/performance.md).
 */
export function assignBlocks(input: CoverageInput, counted: readonly CountedCheckpoint[], from: number, blockOf: Int32Array, prevAt: number[], timeOf: Float64Array, skewMs: number): Assignment {
  const { entries, index, parents } = input
  const stack: number[] = []
  const collected: number[] = []
  for (let r = from; r < counted.length; r++) {
    const checkpoint = counted[r]!
    const rank = checkpoint.rank
    collected.length = 0
    stack.length = 0
    let complete = true
    // Entries are marked with the rank as they are found (this runs once per entry of the pool);
    // a checkpoint whose past is not all present is rare, and unmarks what it marked.
    if (blockOf[checkpoint.at] === UNCOVERED) {
      blockOf[checkpoint.at] = rank
      stack.push(checkpoint.at)
      collected.push(checkpoint.at)
    }
    while (stack.length > 0) {
      const at = stack.pop()!
      let prev = prevAt[at]!
      if (prev === PREV_UNRESOLVED) {
        // Rare: the prev arrived after its child. Otherwise the position is known, no lookup by id.
        const found = index.get(entries[at]!.prev!)
        if (found === undefined) {
          complete = false
          break
        }
        prevAt[at] = prev = found
      }
      if (prev !== NO_PREV) {
        if (blockOf[prev] === UNCOVERED) {
          blockOf[prev] = rank
          stack.push(prev)
          collected.push(prev)
        }
      }
      for (let slot = parents.first(at), end = parents.end(at); slot < end; slot++) {
        const parent = parents.parent(at, slot)
        if (parent < 0) {
          complete = false
          break
        }
        if (blockOf[parent] === UNCOVERED) {
          blockOf[parent] = rank
          stack.push(parent)
          collected.push(parent)
        }
      }
      if (!complete) break
    }
    if (!complete) {
      for (const at of collected) blockOf[at] = UNCOVERED
      return { assigned: r - from }
    }
    const latest = checkpoint.time + skewMs
    for (const at of collected) {
      if (timeOf[at]! > latest) {
        for (const marked of collected) blockOf[marked] = UNCOVERED
        return { assigned: r - from, misdated: { checkpoint: checkpoint.at, entry: at } }
      }
    }
  }
  return { assigned: counted.length - from }
}

/** "Is a in the causal past of b?", answered by walking b's past; memoised per target. */
class Ancestry {
  readonly #input: CoverageInput
  readonly #pasts = new Map<number, Uint8Array>()

  constructor(input: CoverageInput) {
    this.#input = input
  }

  isAncestor(a: number, b: number): boolean {
    if (a === b) return true
    let past = this.#pasts.get(b)
    if (!past) {
      past = new Uint8Array(this.#input.entries.length)
      const stack = [b]
      past[b] = 1
      while (stack.length > 0) {
        const at = stack.pop()!
        const { entries, index, parents } = this.#input
        const prevId = entries[at]!.prev
        const prev = prevId === null ? undefined : index.get(prevId)
        if (prev !== undefined && !past[prev]) {
          past[prev] = 1
          stack.push(prev)
        }
        for (let slot = parents.first(at), end = parents.end(at); slot < end; slot++) {
          const parent = parents.parent(at, slot)
          if (parent < 0 || past[parent]) continue
          past[parent] = 1
          stack.push(parent)
        }
      }
      this.#pasts.set(b, past)
    }
    return past[a] === 1
  }
}
