/**
 * Verifies many entries' signatures on every core (worker threads) and fills
 * a SignatureCache with the verdicts, so that the replay that follows finds
 * them cached. Same verdicts as verifyEntrySignature: the bytes to check come
 * from core's signatureChecksOf on this thread, and each worker runs the same
 * hybrid verifier (core/ed25519-precheck.ts behind node:crypto).
 *
 * Worth it for a large batch (joining or auditing a big pool); a handful of
 * entries is verified faster on the spot than workers start.
 *
 * How the work flows: the workers start first (loading the verifier takes a
 * few hundred ms) while this thread decodes signatures and builds the signed
 * messages, a batch at a time, a little ahead of the workers. Each worker
 * holds two batches, so it never waits for a round trip; batches go to
 * whichever worker has room, so a slower one takes fewer. The bytes of a
 * batch travel as one transferred buffer (no copy), its verdicts come back as
 * one byte per signature.
 */
import { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import { signatureChecksOf, type Entry, type SignatureCache, type SignatureCheck } from '../core/index.ts'

/** Below this many unverified entries, starting workers costs more than it saves. */
export const PARALLEL_VERIFY_ENTRIES_MIN = 4_000
/** Entries per message to a worker: tens of ms of verifying, so messages cost nothing and the last batch ends soon. */
const BATCH_ENTRIES = 256
/** Batches a worker holds at once: one it verifies, one waiting, so it never idles on a round trip. */
const IN_FLIGHT_PER_WORKER = 2
/** Batches prepared ahead of the workers (bounds memory; the workers are the slow side). */
const PREPARED_AHEAD_MAX = 16

export interface ParallelVerifyOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly workers?: number
}

/** Verifies what `cache` does not know yet, in parallel; returns how many entries were verified. */
export async function prefillSignatures(entries: readonly Entry[], cache: SignatureCache, options: ParallelVerifyOptions = {}): Promise<number> {
  const todo = unknownEntries(entries, cache)
  if (todo.length < PARALLEL_VERIFY_ENTRIES_MIN) return 0
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), Math.ceil(todo.length / BATCH_ENTRIES)))
  const pool = new VerifyPool(workers)
  try {
    await pool.verify(todo, cache)
  } finally {
    await pool.close()
  }
  return todo.length
}

/** The entries `cache` has no verdict for, each (id, sig) once. */
function unknownEntries(entries: readonly Entry[], cache: SignatureCache): Entry[] {
  const todo: Entry[] = []
  const seen = new Map<string, string>()
  let seenTwice: Set<string> | undefined
  for (const entry of entries) {
    if (cache.get(entry) !== undefined) continue
    const sig = seen.get(entry.id)
    if (sig === undefined) seen.set(entry.id, entry.sig)
    else {
      // Another copy of an id: the same signature is the same check; another one is checked too.
      if (sig === entry.sig) continue
      seenTwice ??= new Set()
      if (seenTwice.has(entry.id + entry.sig)) continue
      seenTwice.add(entry.id + entry.sig)
    }
    todo.push(entry)
  }
  return todo
}

interface Batch {
  readonly cache: SignatureCache
  readonly entries: readonly Entry[]
  /** Signatures per entry (1, or 2 for a join); entries without well-formed ones are settled before sending. */
  readonly counts: Uint8Array
  readonly buffer: ArrayBuffer
  readonly signatures: number
}

interface PoolWorker {
  readonly worker: Worker
  readonly batches: Map<number, Batch>
}

/**
 * Worker threads that verify batches of entries into a SignatureCache. Reusable:
 * a process that joins pools now and then keeps one and closes it when done.
 * The workers start at construction, and keep the process alive only while a
 * `verify` runs.
 */
export class VerifyPool {
  readonly #workers: PoolWorker[] = []
  #nextId = 0
  #failed: Error | undefined
  #onSettled: (() => void) | undefined

  constructor(workers = availableParallelism()) {
    for (let i = 0; i < Math.max(1, workers); i++) {
      const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url))
      const pooled: PoolWorker = { worker, batches: new Map() }
      worker.on('message', (message: { ready?: true; id?: number; verdicts?: Uint8Array }) => {
        if (message.ready) return
        const batch = pooled.batches.get(message.id!)
        if (!batch) return
        pooled.batches.delete(message.id!)
        this.#record(batch, message.verdicts!)
        this.#onSettled?.()
      })
      worker.on('error', (error) => this.#fail(error))
      worker.once('exit', (code) => {
        if (pooled.batches.size > 0) this.#fail(new Error(`a verify worker exited (code ${code}) with ${pooled.batches.size} batches unanswered`))
      })
      worker.unref()
      this.#workers.push(pooled)
    }
  }

  get size(): number {
    return this.#workers.length
  }

  /** Verifies every entry given (whatever the cache knows) and records each verdict in `cache`. */
  async verify(entries: readonly Entry[], cache: SignatureCache): Promise<void> {
    if (this.#onSettled) throw new Error('expected one verify at a time on a VerifyPool, got a second while one runs')
    if (this.#failed) throw this.#failed
    let next = 0
    const prepared: Batch[] = []
    for (const { worker } of this.#workers) worker.ref()
    try {
      await new Promise<void>((resolve, reject) => {
        const step = () => {
          if (this.#failed) return reject(this.#failed)
          // Hand prepared batches to workers with room, preparing as they go.
          for (const pooled of this.#workers) {
            while (pooled.batches.size < IN_FLIGHT_PER_WORKER) {
              const batch = prepared.shift() ?? (next < entries.length ? this.#prepare(entries, next, (next += BATCH_ENTRIES), cache) : undefined)
              if (!batch) break
              this.#send(pooled, batch)
            }
          }
          if (next >= entries.length && prepared.length === 0 && this.#workers.every((w) => w.batches.size === 0)) return resolve()
          // Meanwhile, prepare a little ahead: this thread is otherwise idle while the workers verify.
          if (next < entries.length && prepared.length < PREPARED_AHEAD_MAX) {
            prepared.push(this.#prepare(entries, next, (next += BATCH_ENTRIES), cache))
            setImmediate(step)
          }
        }
        this.#onSettled = step
        step()
      })
    } finally {
      this.#onSettled = undefined
      for (const { worker } of this.#workers) worker.unref()
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map(({ worker }) => worker.terminate()))
  }

  /** The bytes of entries [from, to) in one buffer: [sig 64][pub 32][msgLength u32 LE][msg] per signature. */
  #prepare(entries: readonly Entry[], from: number, to: number, cache: SignatureCache): Batch {
    const slice = entries.slice(from, Math.min(to, entries.length))
    const counts = new Uint8Array(slice.length)
    const checks: SignatureCheck[] = []
    let bytes = 0
    for (let i = 0; i < slice.length; i++) {
      const entryChecks = signatureChecksOf(slice[i]!)
      if (!entryChecks) {
        cache.set(slice[i]!, false)
        continue
      }
      counts[i] = entryChecks.length
      for (const check of entryChecks) {
        checks.push(check)
        bytes += 100 + check.message.length
      }
    }
    const buffer = new ArrayBuffer(bytes)
    const out = new Uint8Array(buffer)
    const view = new DataView(buffer)
    let at = 0
    for (const check of checks) {
      out.set(check.signature, at)
      out.set(check.publicKey, at + 64)
      view.setUint32(at + 96, check.message.length, true)
      out.set(check.message, at + 100)
      at += 100 + check.message.length
    }
    return { cache, entries: slice, counts, buffer, signatures: checks.length }
  }

  #send(pooled: PoolWorker, batch: Batch): void {
    const id = this.#nextId++
    pooled.batches.set(id, batch)
    pooled.worker.postMessage({ id, buffer: batch.buffer, count: batch.signatures }, [batch.buffer])
  }

  #record(batch: Batch, verdicts: Uint8Array): void {
    let at = 0
    for (let i = 0; i < batch.entries.length; i++) {
      const count = batch.counts[i]!
      if (count === 0) continue // settled when prepared
      let valid = true
      for (let k = 0; k < count; k++) valid = verdicts[at + k] === 1 && valid
      at += count
      batch.cache.set(batch.entries[i]!, valid)
    }
  }

  #fail(error: Error): void {
    this.#failed ??= error
    this.#onSettled?.()
  }
}
