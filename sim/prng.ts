/**
 * The one source of randomness of a simulation: a seeded PRNG (sfc32, seeded
 * through splitmix32). Every decision in a run draws from one of these, so a
 * seed replays exactly. Streams are forked by label so that adding a draw in
 * one place (say, the network) does not shift every other decision.
 */

export class Prng {
  #a: number
  #b: number
  #c: number
  #d: number

  constructor(seed: number, label = '') {
    let state = (seed ^ hashLabel(label)) >>> 0
    const next = (): number => {
      // splitmix32: spreads a small seed over the 128-bit state
      state = (state + 0x9e3779b9) >>> 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.#a = next()
    this.#b = next()
    this.#c = next()
    this.#d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** An independent stream for one part of the simulation. */
  fork(label: string): Prng {
    return new Prng(this.uint32(), label)
  }

  uint32(): number {
    // sfc32
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0
    this.#d = (this.#d + 1) >>> 0
    this.#a = this.#b ^ (this.#b >>> 9)
    this.#b = (this.#c + (this.#c << 3)) >>> 0
    this.#c = (this.#c << 21) | (this.#c >>> 11)
    this.#c = (this.#c + t) >>> 0
    return t
  }

  /** [0, 1) */
  float(): number {
    return this.uint32() / 4294967296
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`expected min ≤ max, got ${min} > ${max}`)
    return min + Math.floor(this.float() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.float() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('expected a non-empty list to pick from')
    return items[Math.floor(this.float() * items.length)]!
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i += 4) {
      let word = this.uint32()
      for (let j = i; j < Math.min(i + 4, length); j++) {
        out[j] = word & 0xff
        word >>>= 8
      }
    }
    return out
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1))
      ;[items[i], items[j]] = [items[j]!, items[i]!]
    }
    return items
  }
}

function hashLabel(label: string): number {
  // FNV-1a, 32 bits: labels are short and fixed, this only has to separate them
  let hash = 0x811c9dc5
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193) >>> 0
  return hash
}
