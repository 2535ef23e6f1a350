/**
 * Virtual time for a whole simulation: while installed, setTimeout,
 * setInterval, their clear* twins and Date.now belong to this clock, so
 * automerge-repo's throttles, PoolSync's waits and our own fault delays all
 * run in simulated milliseconds, in one deterministic order (due time, then
 * creation order), as fast as the CPU allows.
 *
 * `advance(ms)` is the tickAsync of fake-timer libraries: it fires due timers
 * one by one and lets every promise chain settle between them. Everything in
 * a simulation is in memory, so one turn of the real event loop (a real
 * setImmediate) drains every microtask that a timer started.
 *
 * vitest keeps its own copies of the real timers, so installing this inside a
 * test does not disturb the runner.
 */

interface Timer {
  readonly id: number
  due: number
  readonly order: number
  readonly callback: (...args: unknown[]) => void
  readonly args: unknown[]
  readonly repeatMs: number | undefined
  cancelled: boolean
}

/** What Node's timer functions return: code under test calls unref() and friends on it. */
class VirtualTimeout {
  constructor(readonly id: number, private readonly clock: VirtualClock) {}
  ref(): this {
    return this
  }
  unref(): this {
    return this
  }
  hasRef(): boolean {
    return true
  }
  refresh(): this {
    this.clock.refresh(this.id)
    return this
  }
  close(): this {
    this.clock.clear(this)
    return this
  }
  [Symbol.toPrimitive](): number {
    return this.id
  }
}

const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  dateNow: Date.now,
}

/** One real event-loop turn: every microtask queued so far (and those they queue) has run. */
export function realTurn(): Promise<void> {
  return new Promise((resolve) => real.setImmediate(resolve))
}

export class VirtualClock {
  #now: number
  #nextId = 1
  #order = 0
  readonly #timers = new Map<number, Timer>()
  #installed = false

  constructor(startMs: number) {
    this.#now = startMs
  }

  get now(): number {
    return this.#now
  }

  /** Timers waiting (for a liveness check: a quiet simulation still has repo timers). */
  get pendingTimers(): number {
    return this.#timers.size
  }

  install(): void {
    if (this.#installed) throw new Error('expected one install per clock, got a second')
    this.#installed = true
    const g = globalThis as unknown as Record<string, unknown>
    g.setTimeout = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => this.#schedule(callback, ms, args, undefined)
    g.setInterval = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => this.#schedule(callback, ms, args, Math.max(1, ms ?? 0))
    g.clearTimeout = (handle: unknown) => this.clear(handle)
    g.clearInterval = (handle: unknown) => this.clear(handle)
    Date.now = () => this.#now
  }

  uninstall(): void {
    if (!this.#installed) return
    this.#installed = false
    const g = globalThis as unknown as Record<string, unknown>
    g.setTimeout = real.setTimeout
    g.clearTimeout = real.clearTimeout
    g.setInterval = real.setInterval
    g.clearInterval = real.clearInterval
    Date.now = real.dateNow
    this.#timers.clear()
  }

  clear(handle: unknown): void {
    const id = typeof handle === 'number' ? handle : handle instanceof VirtualTimeout ? handle.id : undefined
    if (id === undefined) return
    const timer = this.#timers.get(id)
    if (timer) timer.cancelled = true
    this.#timers.delete(id)
  }

  refresh(id: number): void {
    const timer = this.#timers.get(id)
    if (timer) this.#timers.set(id, { ...timer, due: this.#now + (timer.repeatMs ?? 0), order: this.#order++ })
  }

  /** Runs every timer due within `ms` from now, in order, settling promises after each; time ends at now + ms. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + Math.max(0, ms)
    await realTurn()
    for (;;) {
      const next = this.#nextDue()
      if (!next || next.due > target) break
      this.#now = Math.max(this.#now, next.due)
      this.#timers.delete(next.id)
      if (next.repeatMs !== undefined) {
        this.#timers.set(next.id, { ...next, due: this.#now + next.repeatMs, order: this.#order++ })
      }
      try {
        next.callback(...next.args)
      } catch (error) {
        // A timer that throws in Node crashes the process; here it must at least be loud.
        throw new Error(`a timer threw at virtual time ${this.#now}: ${error instanceof Error ? error.stack : String(error)}`)
      }
      await realTurn()
    }
    this.#now = target
    await realTurn()
  }

  /**
   * The whole world sleeps for `ms` (a night, a suspended machine): the clock moves on and every
   * pending timer with it, so none fires early and nothing runs during the night.
   */
  sleep(ms: number): void {
    const by = Math.max(0, ms)
    this.#now += by
    for (const [id, timer] of this.#timers) this.#timers.set(id, { ...timer, due: timer.due + by })
  }

  #schedule(callback: (...args: unknown[]) => void, ms: number | undefined, args: unknown[], repeatMs: number | undefined): VirtualTimeout {
    if (typeof callback !== 'function') throw new TypeError('expected a callback function')
    const id = this.#nextId++
    const delay = Math.max(0, Number.isFinite(ms) ? (ms as number) : 0)
    this.#timers.set(id, { id, due: this.#now + delay, order: this.#order++, callback, args, repeatMs, cancelled: false })
    return new VirtualTimeout(id, this)
  }

  #nextDue(): Timer | undefined {
    // Linear scan: a simulation has a few hundred timers at most, and the order must be exact.
    let best: Timer | undefined
    for (const timer of this.#timers.values()) {
      if (!best || timer.due < best.due || (timer.due === best.due && timer.order < best.order)) best = timer
    }
    return best
  }
}
