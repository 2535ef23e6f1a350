/**
 * Verifies many entries' signatures on every core (worker threads) and fills
 * a SignatureCache with the verdicts, so that the replay that follows finds
 * them cached. Same verdicts as verifyEntrySignature: each worker runs the
 * same hybrid verifier (core/ed25519-precheck.ts behind node:crypto).
 *
 * Worth it for a large batch (joining or auditing a big pool); a handful of
 * entries is verified faster on the spot than workers start.
 */
import { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import { signatureChecksOf, type Entry, type SignatureCache } from '../core/index.ts'

/** Below this many unverified entries, starting workers costs more than it saves. */
export const PARALLEL_VERIFY_ENTRIES_MIN = 4_000
/** Signatures per message to a worker. */
const BATCH_SIGNATURES = 2_000

export interface ParallelVerifyOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly workers?: number
}

/** Verifies what `cache` does not know yet, in parallel; returns how many entries were verified. */
export async function prefillSignatures(entries: readonly Entry[], cache: SignatureCache, options: ParallelVerifyOptions = {}): Promise<number> {
  const todo: { entry: Entry; checks: NonNullable<ReturnType<typeof signatureChecksOf>> }[] = []
  const seen = new Set<string>()
  for (const entry of entries) {
    if (cache.get(entry) !== undefined || seen.has(entry.id + entry.sig)) continue
    seen.add(entry.id + entry.sig)
    const checks = signatureChecksOf(entry)
    if (!checks) cache.set(entry, false)
    else todo.push({ entry, checks })
  }
  if (todo.length < PARALLEL_VERIFY_ENTRIES_MIN) return 0

  const flat = todo.flatMap(({ checks }) => checks)
  const verdicts = new Uint8Array(flat.length)
  const workerCount = Math.max(1, Math.min(options.workers ?? availableParallelism(), Math.ceil(flat.length / BATCH_SIGNATURES)))
  const workers = await Promise.all(Array.from({ length: workerCount }, startWorker))
  try {
    let next = 0
    await Promise.all(workers.map(async (worker) => {
      while (next < flat.length) {
        const start = next
        next = Math.min(flat.length, next + BATCH_SIGNATURES)
        const answer = await worker.verify(flat.slice(start, next))
        verdicts.set(answer, start)
      }
    }))
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
  let at = 0
  for (const { entry, checks } of todo) {
    let valid = true
    for (let i = 0; i < checks.length; i++) valid = verdicts[at + i] === 1 && valid
    at += checks.length
    cache.set(entry, valid)
  }
  return todo.length
}

interface VerifyWorker {
  verify(checks: readonly { signature: Uint8Array; message: Uint8Array; publicKey: Uint8Array }[]): Promise<Uint8Array>
  terminate(): Promise<number>
}

function startWorker(): Promise<VerifyWorker> {
  const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url))
  const waiting = new Map<number, (verdicts: Uint8Array) => void>()
  let nextId = 0
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', (message: { ready?: true; id?: number; verdicts?: Uint8Array }) => {
      if (message.ready) {
        resolve({
          verify(checks) {
            let bytes = 0
            for (const c of checks) bytes += 100 + c.message.length
            const buffer = new ArrayBuffer(bytes)
            const out = new Uint8Array(buffer)
            const view = new DataView(buffer)
            let at = 0
            for (const c of checks) {
              out.set(c.signature, at)
              out.set(c.publicKey, at + 64)
              view.setUint32(at + 96, c.message.length, true)
              out.set(c.message, at + 100)
              at += 100 + c.message.length
            }
            const id = nextId++
            return new Promise((done) => {
              waiting.set(id, done)
              worker.postMessage({ id, buffer, count: checks.length }, [buffer])
            })
          },
          terminate: () => worker.terminate(),
        })
        return
      }
      waiting.get(message.id!)?.(message.verdicts!)
      waiting.delete(message.id!)
    })
  })
}
