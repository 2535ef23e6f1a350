/**
 * The story of a run: the last notable events (payments, forks, faults,
 * restarts), printed when a seed fails so a reader sees what led there.
 */

export class Trace {
  readonly #events: string[] = []
  readonly #keep: number
  #total = 0

  constructor(keep = 50, private readonly now: () => number = () => 0, private readonly startMs = 0) {
    this.#keep = keep
  }

  note(what: string): void {
    this.#total++
    const seconds = ((this.now() - this.startMs) / 1000).toFixed(1).padStart(8)
    this.#events.push(`t+${seconds}s ${what}`)
    if (this.#events.length > this.#keep) this.#events.shift()
  }

  get total(): number {
    return this.#total
  }

  lines(): readonly string[] {
    return this.#events
  }
}
