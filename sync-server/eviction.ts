/**
 * Bounded relay memory: documents nobody used for a while leave the Repo, and
 * come back from disk on the next message that names them.
 *
 * automerge-repo keeps every document it ever touched in memory. Its one way
 * out, `repo.removeFromCache`, wipes the stored document (upstream issue
 * #435): it unloads the handle, which replaces the document with an empty one
 * (`A.init()`), and the handle's `heads-changed` event makes the Repo save that
 * empty document as a fresh snapshot and remove the real chunks. Two guards
 * make eviction safe here:
 *
 * 1. `guardEmptySaves` wraps the Repo's storage subsystem so that a document
 *    with no heads is never saved. No real document has zero heads (every
 *    shard starts with its identical first change), so this refuses only the
 *    wipe.
 * 2. A document is evicted only when everything in memory is on disk: the
 *    relay's durable heads equal its current heads, no sync message waits for
 *    a save, no message came for it in the last `idleMsMin`, and a flush that
 *    began after the last change has finished. The check and the unload run
 *    in one turn of the event loop (removeFromCache awaits only a handle that
 *    is already ready), so a write that arrives later finds no handle and
 *    loads the document again from disk, where its predecessors are.
 *
 * What to evict: the least recently used documents, while the memory the
 * loaded documents are estimated to take is over their share of the budget,
 * and any document idle for `idleMsMax` whatever the budget. The estimate is
 * per stored byte (automerge's in-memory form is ~MEMORY_BYTES_PER_STORED_BYTE
 * times its compressed size on disk, measured in docs/relay.md), because the
 * process's RSS does not go down when documents leave: WebAssembly memory never
 * shrinks, it is reused for the next documents loaded.
 */
import * as Automerge from '@automerge/automerge'
import type { DocumentId, Repo } from '@automerge/automerge-repo'
import { guardEmptySaves, guardLoadLeak } from '../core/sync/index.ts'

export { guardEmptySaves, guardLoadLeak }

/** Past this share of the whole budget in resident memory, the documents' share shrinks. */
const PROCESS_HEADROOM_SHARE = 0.9
/** The documents keep at least this share of the whole budget, however much the rest takes. */
const PROCESS_FLOOR_SHARE = 0.05

export interface EvictionOptions {
  readonly repo: Repo
  /** Bytes the loaded documents may take (estimated); past it the least recently used idle ones go. */
  readonly documentBudgetBytes: number
  /** A document that saw a message more recently than this stays (its sync exchange may still be running). */
  readonly idleMsMin: number
  /** A document idle this long goes even under the budget. */
  readonly idleMsMax: number
  /**
   * The whole process's budget and its resident memory now. When the process
   * is over budget, the documents' share shrinks by what the rest takes
   * (garbage not yet collected, WebAssembly memory freed but not returned),
   * down to PROCESS_FLOOR_SHARE of the budget.
   */
  readonly processMemory?: { readonly budgetBytes: number; readonly residentBytes: () => number }
  /** Estimated memory of a loaded document. */
  readonly estimateBytes: (documentId: DocumentId) => number
  /** True when everything of the document in memory is on disk and nothing waits to be sent. */
  readonly settled: (documentId: DocumentId) => boolean
  /** Documents that must stay (a witnessed pool's documents, which its PoolSync listens to). */
  readonly pinned: (documentId: DocumentId) => boolean
  readonly now?: () => number
  readonly onEvicted?: (documentId: DocumentId) => void
  readonly log?: (event: string, fields?: Record<string, unknown>) => void
}

export class DocumentEviction {
  readonly #options: EvictionOptions
  readonly #now: () => number
  /** Last use of each document, least recent first (a Map keeps insertion order; a touch re-inserts). */
  readonly #lastUsed = new Map<DocumentId, number>()
  #sweeping: Promise<void> | undefined
  #evictions = 0
  #estimatedBytes = 0

  constructor(options: EvictionOptions) {
    this.#options = options
    this.#now = options.now ?? (() => performance.now())
  }

  /** A message for the document came or went, or it was loaded: it is in use now. */
  touch(documentId: DocumentId): void {
    this.#lastUsed.delete(documentId)
    this.#lastUsed.set(documentId, this.#now())
  }

  evictions(): number {
    return this.#evictions
  }

  /** Estimated bytes of the documents loaded, as of the last sweep. */
  estimatedBytes(): number {
    return this.#estimatedBytes
  }

  /** One pass: evicts what is idle too long, then the least recently used until under the budget. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined
    })
    return this.#sweeping
  }

  async #sweep(): Promise<void> {
    const { repo, estimateBytes, idleMsMin, idleMsMax } = this.#options
    const handles = repo.handles
    let total = 0
    for (const documentId of Object.keys(handles) as DocumentId[]) {
      if (handles[documentId]!.isReady()) total += estimateBytes(documentId)
      // A document loaded by a path that did not touch it (a peer relay's sync) counts as used now.
      if (!this.#lastUsed.has(documentId)) this.touch(documentId)
    }
    for (const documentId of this.#lastUsed.keys()) if (!handles[documentId]) this.#lastUsed.delete(documentId)
    this.#estimatedBytes = total
    const budget = this.#documentBudget(total)
    const now = this.#now()
    const candidates: DocumentId[] = []
    let freeing = 0
    for (const [documentId, usedAt] of this.#lastUsed) {
      const idleMs = now - usedAt
      if (idleMs < idleMsMin) break // the rest were used later still
      const overBudget = total - freeing > budget
      if (!overBudget && idleMs < idleMsMax) continue
      if (!handles[documentId]?.isReady() || this.#options.pinned(documentId)) continue
      candidates.push(documentId)
      freeing += estimateBytes(documentId)
    }
    for (const documentId of candidates) {
      const bytes = estimateBytes(documentId)
      if (await this.evict(documentId)) this.#estimatedBytes -= bytes
    }
  }

  /** The documents' share of memory now: their budget, less what the rest of the process takes past the whole budget. */
  #documentBudget(documentsBytes: number): number {
    const { documentBudgetBytes, processMemory: whole } = this.#options
    if (!whole) return documentBudgetBytes
    const resident = whole.residentBytes()
    if (resident <= whole.budgetBytes * PROCESS_HEADROOM_SHARE) return documentBudgetBytes
    const rest = resident - documentsBytes
    return Math.max(whole.budgetBytes * PROCESS_FLOOR_SHARE, Math.min(documentBudgetBytes, whole.budgetBytes * PROCESS_HEADROOM_SHARE - rest))
  }

  /**
   * Writes the document, and unloads it if nothing changed meanwhile and it
   * is settled. Returns whether it left memory. Never loses a change: a
   * document that moved while being written stays for the next sweep.
   */
  async evict(documentId: DocumentId): Promise<boolean> {
    const { repo, settled, pinned } = this.#options
    const handle = repo.handles[documentId]
    if (!handle?.isReady() || pinned(documentId)) return false
    const usedAt = this.#lastUsed.get(documentId)
    const heads = Automerge.getHeads(handle.doc() as Automerge.Doc<unknown>).join(',')
    try {
      await repo.flush([documentId])
    } catch (error) {
      this.#options.log?.('eviction-flush-failed', { message: error instanceof Error ? error.message : String(error) })
      return false
    }
    // From here to the unload nothing yields to the event loop: no write can slip in between.
    if (repo.handles[documentId] !== handle || !handle.isReady() || this.#lastUsed.get(documentId) !== usedAt) return false
    if (Automerge.getHeads(handle.doc() as Automerge.Doc<unknown>).join(',') !== heads || !settled(documentId) || pinned(documentId)) return false
    // Not Automerge.free(doc): messages and saves already under way may still read it ("null pointer
    // passed to rust" in eviction.test.ts); its WebAssembly memory goes when the collector takes it.
    await repo.removeFromCache(documentId)
    this.#lastUsed.delete(documentId)
    this.#evictions++
    this.#options.onEvicted?.(documentId)
    return true
  }
}
