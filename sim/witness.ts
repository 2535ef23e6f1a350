/**
 * A witness, as a relay runs one: a key that signs checkpoints for every pool
 * whose genesis names it. Per pool it keeps a verified store and a Ledger fed
 * by a PoolSync over its relay's own Repo, and a few seconds after something
 * changed (never more often than its interval) it signs `signCheckpoint` at
 * its own clock and publishes the checkpoint into its own shard, as a device
 * publishes its entries. Its verified store is its own disk: it survives the
 * relay's crashes, even one that loses the relay's documents (a witness that
 * forgot its chain would fork it).
 *
 * Faults it can have (drawn per seed, see scenario.ts): down for a stretch of
 * steps (it signs nothing, and catches up when it comes back), or the whole
 * run; a clock far ahead, far behind, or jumping between the two.
 */
import {
  CHECKPOINT_HEADS_MAX, Ledger, signCheckpoint, type Entry, type EntryId, type PoolEntry, type SignatureCache, type Verifier,
} from '../core/index.ts'
import { MemoryVerifiedStore, PoolSync } from '../core/sync/index.ts'
import type { Repo } from '@automerge/automerge-repo'
import type { KeyPair } from './keys.ts'
import type { Prng } from './prng.ts'
import type { RelayNode } from './relayNode.ts'
import type { WitnessPlan } from './scenario.ts'
import type { Trace } from './trace.ts'

/** A witness with nothing new still looks now and then (entries dated ahead of its clock become due). */
const IDLE_LOOK_MS = 30_000

interface WitnessedPool {
  readonly pool: EntryId
  readonly store: MemoryVerifiedStore
  readonly ledger: Ledger
  sync: PoolSync | undefined
}

export interface WitnessOptions {
  readonly plan: WitnessPlan
  readonly key: KeyPair
  readonly host: RelayNode
  readonly verifier: Verifier
  readonly signatureCache: SignatureCache
  readonly trace: Trace
  /** Draws the jumps of a jumping clock. */
  readonly prng: Prng
}

export class Witness {
  readonly name: string
  readonly key: KeyPair
  readonly plan: WitnessPlan
  readonly #options: WitnessOptions
  readonly #pools = new Map<EntryId, WitnessedPool>()
  #repo: Repo | undefined
  #attaching: Promise<void> | undefined
  #offsetMs: number
  #down = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #idle: ReturnType<typeof setInterval> | undefined
  #busy = false
  #again = false
  #lastSignedAt = -Infinity
  /** Checkpoints signed, by pool. */
  readonly signed = new Map<EntryId, number>()

  constructor(options: WitnessOptions) {
    this.#options = options
    this.plan = options.plan
    this.name = options.plan.name
    this.key = options.key
    this.#offsetMs = options.plan.offsetMs
    // Down from the start: a backup down for the whole run never signs at all.
    this.#down = options.plan.down !== undefined && options.plan.down.from <= 0
  }

  /** Whether one of the pools witnessed follows this document (its relay keeps such documents loaded). */
  holds(documentId: string): boolean {
    for (const pool of this.#pools.values()) if (pool.sync?.handles().has(documentId as never)) return true
    return false
  }

  /** Starts witnessing a pool whose genesis names this witness. */
  addPool(genesis: PoolEntry): void {
    const { verifier, signatureCache } = this.#options
    this.#pools.set(genesis.id, { pool: genesis.id, store: new MemoryVerifiedStore([genesis]), ledger: new Ledger(genesis.id, { cache: signatureCache, verifier }), sync: undefined })
  }

  get pools(): readonly EntryId[] {
    return [...this.#pools.keys()]
  }

  /** The witness's clock: the real (virtual) time plus what it lies by. */
  now(): number {
    return Date.now() + this.#offsetMs
  }

  get down(): boolean {
    return this.#down
  }

  async start(): Promise<void> {
    // After a relay restart the next look follows the pools in the new Repo (from the same store).
    this.#options.host.onRestart(() => this.#schedule(0))
    this.#options.host.pin((documentId) => this.holds(documentId))
    await this.#attach()
    this.#idle = setInterval(() => this.#schedule(0), IDLE_LOOK_MS)
    this.#schedule(0)
  }

  /** The driver's step: the witness goes down or comes back, a jumping clock jumps. */
  onStep(step: number): void {
    const { down } = this.plan
    const wasDown = this.#down
    this.#down = down !== undefined && step >= down.from && step < down.until
    if (this.#down !== wasDown) this.#options.trace.note(`${this.name}: witness ${this.#down ? 'DOWN (signs nothing)' : 'back up'}`)
    if (this.plan.clock === 'jumping' && this.#options.prng.chance(0.3)) {
      this.#offsetMs = this.#options.prng.pick(JUMPS_MS)
      this.#options.trace.note(`${this.name}: witness clock jumps to ${Math.round(this.#offsetMs / 60_000)} min off`)
    }
    if (wasDown && !this.#down) this.#schedule(0)
  }

  /** Healing: a witness down for a stretch is back; one down for the whole run stays down. */
  heal(): void {
    const { down } = this.plan
    if (down !== undefined && down.until !== Infinity && this.#down) {
      this.#down = false
      this.#options.trace.note(`${this.name}: witness back up (healing)`)
    }
    this.#schedule(0)
  }

  /** Resolves once every pool's PoolSync has nothing left to read or write. */
  async settled(): Promise<void> {
    await this.#attaching
    await Promise.all([...this.#pools.values()].map((p) => p.sync?.settled()))
  }

  /** The host relay's Repo changes when it restarts: follow the pool again in the new one, over the same store. */
  #attach(): Promise<void> {
    const repo = this.#options.host.repo
    if (repo === this.#repo) return this.#attaching ?? Promise.resolve()
    this.#repo = repo
    const attaching = (async () => {
      const { verifier, signatureCache } = this.#options
      for (const held of this.#pools.values()) {
        held.sync?.close()
        const sync = new PoolSync({ repo, pool: held.pool, store: held.store, verifier, signatureCache })
        sync.onEntries((entries) => this.#take(held, entries))
        held.sync = sync
        held.ledger.add(await held.store.all(), this.now())
        await sync.start()
      }
    })()
    this.#attaching = attaching
    return attaching
  }

  #take(held: WitnessedPool, entries: Entry[]): void {
    held.ledger.add(entries, this.now())
    if (entries.some((entry) => entry.author !== this.key.publicKey)) this.#schedule(JITTER_MS)
  }

  /** A look a little later, but not sooner than one interval after the last checkpoint. */
  #schedule(delayMs: number): void {
    if (this.#timer !== undefined || this.#down) return
    const due = Math.max(Date.now() + delayMs, this.#lastSignedAt + this.plan.intervalMs)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.#look()
    }, due - Date.now())
  }

  async #look(): Promise<void> {
    if (this.#down) return
    if (this.#busy) {
      this.#again = true
      return
    }
    this.#busy = true
    this.#again = false
    let more = false
    try {
      await this.#attach()
      for (const held of this.#pools.values()) {
        const { ledger } = held
        ledger.add([], this.now())
        const checkpoint = signCheckpoint(ledger, this.key.secretKey, this.now())
        if (!checkpoint) continue
        await held.sync!.publish([checkpoint])
        ledger.add([checkpoint], this.now())
        this.#lastSignedAt = Date.now()
        this.signed.set(held.pool, (this.signed.get(held.pool) ?? 0) + 1)
        this.#options.trace.note(`${this.name}: checkpoint seq ${checkpoint.seq} of pool ${held.pool.slice(0, 6)} (${checkpoint.heads.length} heads, dated ${Math.round((checkpoint.time - Date.now()) / 1000)} s off)`)
        if (checkpoint.heads.length >= CHECKPOINT_HEADS_MAX) more = true
      }
    } finally {
      this.#busy = false
    }
    if (more || this.#again) this.#schedule(0)
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    if (this.#idle !== undefined) clearInterval(this.#idle)
    for (const held of this.#pools.values()) held.sync?.close()
  }
}

/** Where a jumping clock lands: far behind, a little behind, right, a little ahead, far ahead. */
const JUMPS_MS = [-3 * 3_600_000, -10 * 60_000, 0, 10 * 60_000, 3 * 3_600_000]
/** Lets a burst of arrivals coalesce before a look (sync-server/limits.ts CHECKPOINT_COALESCE_MS). */
const JITTER_MS = 100
