/**
 * The positions of every entry's parents other than its prev (its `deps`,
 * then a checkpoint's `heads`), looked up by id once, when the entry arrives.
 * Coverage, ordering and the online test each walk these edges; with the
 * positions in one flat Int32Array they read integers instead of hashing
 * 64-hex ids three times over (bench/witness.ts, docs/performance.md).
 *
 * Entries only ever append, so an entry's parents sit at
 * `first(at) … end(at) - 1`. A parent that had not arrived when its child did
 * is stored as MISSING and looked up again when asked for, until it comes.
 */
import type { Entry, EntryId } from './entry.ts'

const MISSING = -1

export class ParentTable {
  readonly #entries: readonly Entry[]
  readonly #index: ReadonlyMap<EntryId, number>
  /** Where the parents of position `at` start; `#start[at + 1]` is where they end. */
  #start = new Int32Array(64)
  /** Where the deps of position `at` end (and a checkpoint's heads begin). */
  #depsEnd = new Int32Array(64)
  #positions = new Int32Array(256)
  #length = 0
  #count = 0

  constructor(entries: readonly Entry[], index: ReadonlyMap<EntryId, number>) {
    this.#entries = entries
    this.#index = index
  }

  /** Records the parents of the entry at the next position (`entries.length - 1` once it is pushed). */
  append(entry: Entry): void {
    const deps = entry.deps
    const heads = entry.type === 'checkpoint' ? entry.heads : undefined
    const degree = deps.length + (heads ? heads.length : 0)
    if (this.#count + degree > this.#positions.length) {
      const grown = new Int32Array(Math.max(2 * this.#positions.length, this.#count + degree))
      grown.set(this.#positions)
      this.#positions = grown
    }
    if (this.#length + 2 > this.#start.length) {
      const grown = new Int32Array(2 * this.#start.length)
      grown.set(this.#start)
      this.#start = grown
      const depsEnd = new Int32Array(2 * this.#depsEnd.length)
      depsEnd.set(this.#depsEnd)
      this.#depsEnd = depsEnd
    }
    const index = this.#index
    const positions = this.#positions
    let count = this.#count
    for (let d = 0; d < deps.length; d++) positions[count++] = index.get(deps[d]!) ?? MISSING
    this.#depsEnd[this.#length] = count
    if (heads) for (let h = 0; h < heads.length; h++) positions[count++] = index.get(heads[h]!) ?? MISSING
    this.#count = count
    this.#length++
    this.#start[this.#length] = count
  }

  /** The first slot of `at`'s parents. */
  first(at: number): number {
    return this.#start[at]!
  }

  /** One past the last slot of `at`'s parents. */
  end(at: number): number {
    return this.#start[at + 1]!
  }

  /** One past the last slot of `at`'s deps (its heads, for a checkpoint, follow). */
  depsEnd(at: number): number {
    return this.#depsEnd[at]!
  }

  /** The position of the parent in `slot` of `at`'s parents, or -1 while it has not arrived. */
  parent(at: number, slot: number): number {
    const found = this.#positions[slot]!
    if (found !== MISSING) return found
    const entry = this.#entries[at]!
    const k = slot - this.#start[at]!
    const id = k < entry.deps.length ? entry.deps[k]! : (entry as Extract<Entry, { type: 'checkpoint' }>).heads[k - entry.deps.length]!
    const now = this.#index.get(id)
    if (now === undefined) return MISSING
    this.#positions[slot] = now
    return now
  }
}
