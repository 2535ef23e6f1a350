/**
 * A binary min-heap of small integers (positions in the caller's arrays),
 * smallest (time, id) first: the tie-break of the ledger's topological order.
 * Typed arrays and no comparator closure, because it runs once per entry on
 * a full replay.
 */
export class TimeIdHeap {
  readonly #items: Int32Array
  readonly #times: Float64Array
  readonly #ids: readonly string[]
  #size = 0

  /** `times[i]` and `ids[i]` are the key of item i; at most `capacity` items are held at once. */
  constructor(capacity: number, times: Float64Array, ids: readonly string[]) {
    this.#items = new Int32Array(Math.max(1, capacity))
    this.#times = times
    this.#ids = ids
  }

  get size(): number {
    return this.#size
  }

  push(item: number): void {
    const items = this.#items
    const times = this.#times
    const time = times[item]!
    const id = this.#ids[item]!
    let i = this.#size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const above = items[parent]!
      const t = times[above]!
      if (t < time || (t === time && this.#ids[above]! < id)) break
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
      const times = this.#times
      const ids = this.#ids
      const last = items[size]!
      const time = times[last]!
      const id = ids[last]!
      let i = 0
      for (;;) {
        let child = 2 * i + 1
        if (child >= size) break
        const right = child + 1
        if (right < size && this.#less(items[right]!, items[child]!)) child = right
        const below = items[child]!
        const t = times[below]!
        if (time < t || (time === t && id < ids[below]!)) break
        items[i] = below
        i = child
      }
      items[i] = last
    }
    return top
  }

  #less(a: number, b: number): boolean {
    const ta = this.#times[a]!
    const tb = this.#times[b]!
    return ta < tb || (ta === tb && this.#ids[a]! < this.#ids[b]!)
  }
}
