/**
 * A binary min-heap of small integers (positions in the caller's arrays),
 * smallest (block, time, id) first: the tie-break of the ledger's
 * topological order (block: the checkpoint that first covers an entry).
 * Typed arrays and no comparator closure, because it runs once per entry on
 * a full replay.
 */
export class BlockTimeIdHeap {
  readonly #items: Int32Array
  readonly #blocks: Int32Array
  readonly #times: Float64Array
  readonly #ids: readonly string[]
  #size = 0

  /** `blocks[i]`, `times[i]` and `ids[i]` are the key of item i; at most `capacity` items are held at once. */
  constructor(capacity: number, blocks: Int32Array, times: Float64Array, ids: readonly string[]) {
    this.#items = new Int32Array(Math.max(1, capacity))
    this.#blocks = blocks
    this.#times = times
    this.#ids = ids
  }

  get size(): number {
    return this.#size
  }

  push(item: number): void {
    const items = this.#items
    let i = this.#size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const above = items[parent]!
      if (this.#less(above, item)) break
      items[i] = above
      i = parent
    }
    items[i] = item
  }

  /** The smallest item, removed; -1 when the heap is empty. */
  pop(): number {
    if (this.#size === 0) return -1
    const items = this.#items
    const top = items[0]!
    const size = --this.#size
    if (size > 0) {
      const last = items[size]!
      let i = 0
      for (;;) {
        let child = 2 * i + 1
        if (child >= size) break
        const right = child + 1
        if (right < size && this.#less(items[right]!, items[child]!)) child = right
        const below = items[child]!
        if (this.#less(last, below)) break
        items[i] = below
        i = child
      }
      items[i] = last
    }
    return top
  }

  #less(a: number, b: number): boolean {
    const ba = this.#blocks[a]!
    const bb = this.#blocks[b]!
    if (ba !== bb) return ba < bb
    const ta = this.#times[a]!
    const tb = this.#times[b]!
    return ta < tb || (ta === tb && this.#ids[a]! < this.#ids[b]!)
  }
}
