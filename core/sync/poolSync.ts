/**
 * One pool kept in sync through an automerge-repo Repo.
 *
 * A PoolSync follows the documents derivable from the verified entries it holds
 * (discovery.ts), takes from them only what decodes, verifies and belongs to
 * the pool (ingest.ts), keeps that in the device's VerifiedStore, and writes
 * every verified entry back into its home documents whenever it is missing or
 * altered there. Publishing a local entry is the same act: store it, and the
 * repair loop writes it home. So nothing a peer writes into a document can
 * remove or change a verified entry here, and whatever a vandal deletes comes
 * back as long as one follower holds it.
 *
 * The caller owns the Repo (network, storage) and shuts it down.
 */
import * as Automerge from '@automerge/automerge'
import type { DocHandle, DocumentId, Repo } from '@automerge/automerge-repo'
import { encodeEntry, referenceVerify, SignatureCache, verifyEntrySignature, type Entry, type EntryId, type Verifier } from '../index.ts'
import { PoolDirectory } from './discovery.ts'
import { emptyIngestCounts, judgeLines, type IngestCounts, type LineJudgement } from './ingest.ts'
import {
  DOCUMENT_OPENS_IN_FLIGHT_MAX, JUDGE_BATCH_LINES_MIN, JUDGED_LINES_REMEMBERED_MAX, POOL_DOCUMENTS_FOLLOWED_MAX,
  READ_BATCH_LINES_MAX, REPUBLISH_BATCH_ENTRIES_MAX, SHARD_ENTRIES, SHARD_KEYS_SCANNED_MAX,
} from './limits.ts'
import { entriesOf, firstChangeOf, forgetPatchCache, readDocumentLines, type SyncDocument } from './shardDocument.ts'
import { inviteDocumentId, shardDocumentId, shardOfSeq } from './documentIds.ts'
import { headsDigest } from './headsDigest.ts'
import { guardEmptySaves, guardLoadLeak } from './repoGuards.ts'
import type { VerifiedStore } from './verifiedStore.ts'

export interface PoolSyncOptions {
  readonly repo: Repo
  readonly pool: EntryId
  readonly store: VerifiedStore
  /** The Ed25519 check behind verifyEntrySignature; the reference (noble) unless a proven-equal native one is given. */
  readonly verifier?: Verifier
  /** Shared with the device's replays, so each signature is checked once. */
  readonly signatureCache?: SignatureCache
  /** See DiscoveryOptions.skipCompleteShards: less memory, no repair of closed shards. */
  readonly skipCompleteShards?: boolean
  /**
   * Unload closed shards held whole from the Repo once every connected peer
   * confirms it holds them as we do, keeping only their heads digest; a
   * returning device asks a relay which of them changed (checkParked) and
   * opens only those again, so it notices and mends vandalism there without
   * syncing them all (docs/sync-layout.md, "Catch-up").
   */
  readonly parkCompleteShards?: boolean
  /**
   * Judges many lines at once elsewhere (a helper its owner provides), for large batches
   * (a device joining a big pool): it must return exactly what
   * `judgeLines(lines, pool, verify, () => false)` returns with a verifier
   * that gives the reference verdicts. Accepted entries are then recorded as
   * verified in the signature cache. Batches under JUDGE_BATCH_LINES_MIN lines
   * are judged here, and so is a batch whose judgeBatch fails.
   */
  readonly judgeBatch?: (lines: ReadonlyArray<readonly [string, string]>, pool: EntryId) => Promise<LineJudgement>
}

export interface PoolSyncStats {
  /** Documents derived from the entries held and opened (or being opened). */
  documentsFollowed: number
  /** Of those, documents whose content has arrived. */
  documentsReady: number
  /** Documents that were derivable but not followed because of POOL_DOCUMENTS_FOLLOWED_MAX. */
  documentsRefused: number
  /** Complete shards unloaded from the Repo (parkCompleteShards), and how often one came back because it changed. */
  documentsParked: number
  documentsUnparked: number
  /** Verified entries held for this pool. */
  entries: number
  /** Entries written back into a document that lacked them (own publications included). */
  entriesWritten: number
  /** Distinct lines ignored, by reason. */
  ignored: IngestCounts
  /** Errors from the store or the Repo, the last one kept (the sync carries on). */
  errors: number
  lastError: string | undefined
}

type EntriesListener = (entries: Entry[]) => void

export class PoolSync {
  readonly pool: EntryId
  readonly #repo: Repo
  readonly #store: VerifiedStore
  readonly #verify: (entry: Entry) => boolean
  readonly #cache: SignatureCache
  readonly #judgeBatch: PoolSyncOptions['judgeBatch']
  readonly #skipCompleteShards: boolean
  readonly #directory: PoolDirectory
  /** The canonical line of every verified entry held: what its home documents must say. */
  readonly #lines = new Map<EntryId, string>()
  /** Entries that belong in each document, by document id. */
  readonly #homes = new Map<DocumentId, Set<EntryId>>()
  /** One copy of each public key seen in an entry held (see #share). */
  readonly #keys = new Map<string, string>()
  /** Home document ids by author and shard (each costs two SHA-256s to derive; every entry needs one). */
  readonly #shardIds = new Map<string, DocumentId>()
  readonly #handles = new Map<DocumentId, DocHandle<SyncDocument>>()
  readonly #opening = new Map<DocumentId, Promise<void>>()
  /** (key, line) pairs already judged and not accepted under their own id, so each is judged and counted once. */
  readonly #judged = new Set<string>()
  readonly #dirty = new Set<DocumentId>()
  readonly #listeners = new Set<EntriesListener>()
  readonly #detach: Array<() => void> = []
  #draining: Promise<void> | undefined
  #opensInFlight = 0
  readonly #openQueue: Array<() => void> = []
  #started = false
  #closed = false
  readonly #parkCompleteShards: boolean
  /** Parked documents and the heads digest they had when parked. */
  readonly #parked = new Map<DocumentId, string>()
  /** Documents read and found whole (nothing to write) since their last change: parked once peers confirm them. */
  readonly #parkable = new Set<DocumentId>()
  readonly #detachOf = new Map<DocumentId, () => void>()
  readonly #stats: PoolSyncStats = {
    documentsFollowed: 0, documentsReady: 0, documentsRefused: 0, documentsParked: 0, documentsUnparked: 0, entries: 0, entriesWritten: 0,
    ignored: emptyIngestCounts(), errors: 0, lastError: undefined,
  }

  constructor(options: PoolSyncOptions) {
    this.pool = options.pool
    this.#repo = options.repo
    this.#store = options.store
    const cache = options.signatureCache ?? new SignatureCache()
    const verifier = options.verifier ?? referenceVerify
    this.#cache = cache
    this.#verify = (entry) => verifyEntrySignature(entry, cache, verifier)
    this.#judgeBatch = options.judgeBatch
    this.#skipCompleteShards = options.skipCompleteShards ?? false
    this.#parkCompleteShards = options.parkCompleteShards ?? false
    this.#directory = new PoolDirectory(options.pool)
    if (this.#parkCompleteShards) {
      // Unloading must never save an emptied document over a stored one, nor leave it in the heap (repoGuards.ts).
      guardEmptySaves(this.#repo)
      guardLoadLeak(this.#repo)
    }
  }

  /** Reads the store and starts following every derivable document (call once). */
  async start(): Promise<void> {
    if (this.#started) throw new Error('expected start() once per PoolSync, got a second call')
    this.#started = true
    for (const entry of await this.#store.all()) this.#remember(entry, encodeEntry(entry))
    this.#follow()
  }

  /** Parked documents with the heads digest each had when it was parked. */
  parked(): ReadonlyMap<DocumentId, string> {
    return this.#parked
  }

  /**
   * Asks which parked documents changed since they were parked (`ask` sends
   * their digests to a relay: askRelayForChanges), and follows those again,
   * so that what a vandal did there is read and mended, and a new entry there
   * (an equivocation) arrives. Undefined from `ask` (relay unreachable) opens
   * them all. Returns how many were opened again.
   */
  async checkParked(ask: (documents: Record<string, string>) => Promise<readonly string[] | undefined>): Promise<number> {
    if (this.#parked.size === 0) return 0
    const documents = Object.fromEntries(this.#parked)
    const changed = await ask(documents)
    const reopen = changed === undefined ? [...this.#parked.keys()] : changed.filter((id) => this.#parked.has(id as DocumentId)) as DocumentId[]
    for (const documentId of reopen) this.#unpark(documentId)
    this.#follow()
    return reopen.length
  }

  /**
   * Publishes entries made on this device (or read from a file): they are
   * verified like any other, kept, and written to their home documents.
   * Returns those that were refused, with the reason.
   */
  async publish(entries: readonly Entry[]): Promise<Array<{ entry: Entry; reason: 'wrong-pool' | 'bad-signature' }>> {
    const refused: Array<{ entry: Entry; reason: 'wrong-pool' | 'bad-signature' }> = []
    const good: Entry[] = []
    for (const entry of entries) {
      if (entry.pool !== this.pool) refused.push({ entry, reason: 'wrong-pool' })
      else if (!this.#verify(entry)) refused.push({ entry, reason: 'bad-signature' })
      else good.push(entry)
    }
    const added = await this.#store.put(good)
    const fresh = new Set(added.map((entry) => entry.id))
    for (const entry of good) {
      this.#remember(entry, encodeEntry(entry))
      for (const home of this.#homesOf(entry)) {
        // A new entry at home in a parked shard (an equivocation): that shard must be written again.
        if (fresh.has(entry.id)) this.#unpark(home)
        this.#markDirty(home)
      }
    }
    if (added.length > 0) this.#emit(added)
    this.#follow()
    return refused
  }

  /** Calls `listener` with every batch of newly verified entries, from documents or publish(). Returns an unsubscribe. */
  onEntries(listener: EntriesListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Resolves once every derivable document has been opened and read, and nothing is left to write. */
  async settled(): Promise<void> {
    for (;;) {
      await Promise.all([...this.#opening.values()])
      await this.#draining
      if (this.#opening.size === 0 && this.#draining === undefined && this.#dirty.size === 0) return
    }
  }

  /** The documents followed, with their handles (for a caller that waits on sync state). */
  handles(): ReadonlyMap<DocumentId, DocHandle<SyncDocument>> {
    return this.#handles
  }

  /** Documents that must hold entries this device has: the ones it writes to. */
  homeDocuments(): DocumentId[] {
    return [...this.#homes.keys()]
  }

  stats(): PoolSyncStats {
    let ready = 0
    for (const handle of this.#handles.values()) if (handle.isReady()) ready++
    return { ...this.#stats, documentsReady: ready, ignored: { ...this.#stats.ignored } }
  }

  /** Stops listening to documents. The Repo stays up; its owner shuts it down. */
  close(): void {
    this.#closed = true
    for (const detach of this.#detach.splice(0)) detach()
    this.#listeners.clear()
    for (const wake of this.#openQueue.splice(0)) wake()
  }

  // ---- bookkeeping --------------------------------------------------------

  /** Takes note of a verified entry: its line, its home documents, what it makes derivable. */
  #remember(entry: Entry, line: string): void {
    if (entry.pool !== this.pool || this.#lines.has(entry.id)) return
    this.#lines.set(entry.id, line)
    this.#directory.add(entry)
    this.#stats.entries++
    for (const home of this.#homesOf(entry)) {
      let ids = this.#homes.get(home)
      if (!ids) this.#homes.set(home, (ids = new Set()))
      ids.add(entry.id)
    }
  }

  /** Where an entry is published (discovery.ts homeDocumentsOf), with the derived ids remembered. */
  #homesOf(entry: Entry): DocumentId[] {
    const key = `${entry.author}/${shardOfSeq(entry.seq)}`
    let shard = this.#shardIds.get(key)
    if (!shard) this.#shardIds.set(key, (shard = shardDocumentId(entry.pool, entry.author, shardOfSeq(entry.seq))))
    return entry.type === 'join' ? [shard, inviteDocumentId(entry.pool, entry.invite)] : [shard]
  }

  /**
   * Points a freshly decoded entry's pool and public keys at one shared copy of
   * each string (equal text, so nothing changes but memory: a 100k pool holds
   * the same pool id 100k times and each member's key hundreds of times, ~24 MB).
   */
  #share(entry: Entry): void {
    const fields = entry as unknown as Record<string, unknown>
    if (fields.pool === this.pool) fields.pool = this.pool
    for (const name of SHARED_KEY_FIELDS) {
      const value = fields[name]
      if (typeof value !== 'string') continue
      const shared = this.#keys.get(value)
      if (shared === undefined) this.#keys.set(value, value)
      else fields[name] = shared
    }
  }

  #emit(entries: Entry[]): void {
    for (const listener of this.#listeners) {
      try {
        listener(entries)
      } catch (error) {
        this.#fail(error)
      }
    }
  }

  #fail(error: unknown): void {
    this.#stats.errors++
    this.#stats.lastError = error instanceof Error ? error.message : String(error)
  }

  // ---- following documents ----------------------------------------------

  /** Opens every derivable document not open yet, and documents this device must write to. */
  #follow(): void {
    if (this.#closed) return
    const wanted = new Set<DocumentId>()
    for (const followed of this.#directory.documents({ skipCompleteShards: this.#skipCompleteShards })) wanted.add(followed.documentId)
    for (const home of this.#homes.keys()) wanted.add(home)
    for (const documentId of wanted) {
      if (this.#handles.has(documentId) || this.#opening.has(documentId) || this.#parked.has(documentId)) continue
      if (this.#handles.size + this.#opening.size >= POOL_DOCUMENTS_FOLLOWED_MAX) {
        this.#stats.documentsRefused++
        continue
      }
      const opening = this.#open(documentId).finally(() => this.#opening.delete(documentId))
      this.#opening.set(documentId, opening)
    }
    this.#stats.documentsFollowed = this.#handles.size + this.#opening.size
  }

  async #open(documentId: DocumentId): Promise<void> {
    await this.#openSlot()
    let handle: DocHandle<SyncDocument>
    try {
      if (this.#closed) return
      // find, never import first: import ignores what storage holds (PERF-NOTES pitfall 3).
      // 'unavailable' is fine: the handle turns ready when a peer later sends the document's content.
      handle = await this.#repo.find<SyncDocument>(documentId, { allowableStates: ['ready', 'unavailable'] })
    } catch (error) {
      this.#fail(error)
      return
    } finally {
      this.#releaseSlot()
    }
    if (this.#closed) return
    this.#handles.set(documentId, handle)
    const onHeads = (): void => this.#markDirty(documentId)
    handle.on('heads-changed', onHeads)
    const detach = (): void => {
      handle.off('heads-changed', onHeads)
    }
    this.#detach.push(detach)
    this.#detachOf.set(documentId, detach)
    this.#markDirty(documentId)
  }

  // ---- parking complete shards ------------------------------------------

  /**
   * Unloads parkable documents that every connected peer holds as we do (its
   * last reported heads are ours): what we wrote there has arrived. Also takes
   * back a parked document that a peer sent again (a change reached the Repo).
   * The caller runs it every PARK_CHECK_INTERVAL_MS or so: core keeps no timer
   * of its own, so whoever owns the PoolSync decides how it runs.
   */
  parkConfirmed(): void {
    if (!this.#parkCompleteShards) return
    if (this.#closed) return
    for (const [documentId, digest] of this.#parked) {
      // A peer's sync message for a parked document makes the Repo open it again on its own.
      const handle = this.#repo.handles[documentId]
      if (!handle?.isReady()) continue
      if (headsDigest(Automerge.getHeads(handle.doc() as Automerge.Doc<unknown>)) === digest) {
        // The same document (the tail of the sync exchange it was parked after): unload it again.
        this.#repo.removeFromCache(documentId).catch((error: unknown) => this.#fail(error))
      } else {
        // It changed (a vandal, an equivocation): read and mend it.
        this.#unpark(documentId)
        this.#follow()
      }
    }
    if (this.#parkable.size === 0 || this.#draining) return
    const peers = this.#repo.peers
    if (peers.length === 0) return
    const storageIds = peers.map((peer) => this.#repo.getStorageIdOfPeer(peer))
    // A peer without storage (another device in memory) cannot vouch for keeping the document.
    if (storageIds.some((id) => id === undefined)) return
    const complete = this.#directory.completeShards()
    for (const documentId of [...this.#parkable]) {
      const handle = this.#handles.get(documentId)
      if (!handle?.isReady() || this.#dirty.has(documentId) || !complete.has(documentId)) {
        this.#parkable.delete(documentId)
        continue
      }
      const heads = handle.heads()
      const confirmed = storageIds.every((storageId) => {
        const theirs = handle.getSyncInfo(storageId!)?.lastHeads
        return theirs !== undefined && theirs.length === heads.length && theirs.every((head) => heads.includes(head))
      })
      if (!confirmed) continue
      this.#parkable.delete(documentId)
      this.#parked.set(documentId, headsDigest(Automerge.getHeads(handle.doc() as Automerge.Doc<unknown>)))
      this.#detachOf.get(documentId)?.()
      this.#detachOf.delete(documentId)
      this.#handles.delete(documentId)
      this.#stats.documentsParked++
      this.#repo.removeFromCache(documentId).catch((error: unknown) => this.#fail(error))
    }
  }

  #unpark(documentId: DocumentId): void {
    if (!this.#parked.delete(documentId)) return
    this.#stats.documentsUnparked++
  }

  async #openSlot(): Promise<void> {
    if (this.#opensInFlight < DOCUMENT_OPENS_IN_FLIGHT_MAX) {
      this.#opensInFlight++
      return
    }
    await new Promise<void>((wake) => this.#openQueue.push(wake))
    this.#opensInFlight++
  }

  #releaseSlot(): void {
    this.#opensInFlight--
    this.#openQueue.shift()?.()
  }

  // ---- reading and repairing ----------------------------------------------

  #markDirty(documentId: DocumentId): void {
    if (this.#closed) return
    this.#parkable.delete(documentId)
    this.#dirty.add(documentId)
    this.#kick()
  }

  #kick(): void {
    if (this.#draining || this.#closed) return
    this.#draining = (async () => {
      // Let a burst of changes coalesce into one read per document and burst.
      await Promise.resolve()
      try {
        while (this.#dirty.size > 0 && !this.#closed) {
          // The documents dirty now are read in one batch (one judgement, one store write, one #follow),
          // up to about READ_BATCH_LINES_MAX lines so that entries keep arriving in steady steps.
          const batch: DocumentId[] = []
          let lines = 0
          for (const documentId of this.#dirty) {
            if (batch.length > 0 && lines >= READ_BATCH_LINES_MAX) break
            batch.push(documentId)
            lines += this.#handles.get(documentId)?.isReady() ? SHARD_ENTRIES : 0
          }
          for (const documentId of batch) this.#dirty.delete(documentId)
          await this.#readDocuments(batch)
        }
      } finally {
        this.#draining = undefined
      }
      if (this.#dirty.size > 0) this.#kick()
    })()
  }

  /** Takes what is valid from these documents, then writes back what each lacks. */
  async #readDocuments(documentIds: readonly DocumentId[]): Promise<void> {
    const read: Array<[DocumentId, DocHandle<SyncDocument>]> = []
    const lines: Array<[string, string]> = []
    /** Lines seen in this batch, by key: an entry at home in two documents (a join) is judged once. */
    const seen = new Map<string, string>()
    let unopened = false
    for (const documentId of documentIds) {
      const handle = this.#handles.get(documentId)
      if (!handle) {
        // A home document not open yet: #follow opens it and marks it again.
        unopened = true
        continue
      }
      read.push([documentId, handle])
      if (!handle.isReady()) continue
      try {
        const doc = handle.doc()
        forgetPatchCache(doc)
        for (const pair of readDocumentLines(doc, SHARD_KEYS_SCANNED_MAX).lines) {
          const [key, line] = pair
          if (this.#lines.get(key as EntryId) === line || seen.get(key) === line || (this.#judged.size > 0 && this.#judged.has(judgedKey(key, line)))) continue
          seen.set(key, line)
          lines.push(pair)
        }
      } catch (error) {
        this.#fail(error)
      }
    }
    if (unopened) this.#follow()
    if (lines.length > 0) {
      try {
        await this.#ingest(lines, new Set(documentIds))
      } catch (error) {
        this.#fail(error)
      }
    }
    for (const [documentId, handle] of read) {
      if (this.#closed) return
      try {
        await this.#repair(documentId, handle)
      } catch (error) {
        this.#fail(error)
      }
    }
  }

  /** Judges lines not seen before (read from the documents `from`), keeps the valid entries, and follows what they make derivable. */
  async #ingest(lines: Array<[string, string]>, from: ReadonlySet<DocumentId>): Promise<void> {
    let judgement: LineJudgement | undefined
    if (this.#judgeBatch && lines.length >= JUDGE_BATCH_LINES_MIN) {
      try {
        judgement = await this.#judgeBatch(lines, this.pool)
      } catch (error) {
        // The helper is gone: judge here instead.
        this.#fail(error)
      }
      if (this.#closed) return
      if (judgement) for (const { entry } of judgement.accepted) this.#cache.set(entry, true)
    }
    judgement ??= judgeLines(lines, this.pool, this.#verify, () => false)
    for (const { key, line, reason } of judgement.ignored) {
      this.#rememberJudged(key, line)
      this.#stats.ignored[reason]++
    }
    const fresh: Array<{ entry: Entry; line: string }> = []
    const taken = new Set<EntryId>()
    for (const accepted of judgement.accepted) {
      // A valid entry under a key other than its id: keep it, and remember not to judge that copy again.
      if (accepted.key !== accepted.entry.id) this.#rememberJudged(accepted.key, accepted.line)
      if (this.#lines.has(accepted.entry.id) || taken.has(accepted.entry.id)) continue
      taken.add(accepted.entry.id)
      fresh.push(accepted)
    }
    if (fresh.length === 0) return
    for (const { entry } of fresh) this.#share(entry)
    const added = await this.#store.put(fresh.map(({ entry }) => entry))
    for (const { entry, line } of fresh) {
      this.#remember(entry, line)
      // A copy found elsewhere (a misplaced entry) still belongs at home: check there too
      // (documents of this batch are checked right after).
      for (const home of this.#homesOf(entry)) if (!from.has(home) && this.#handles.has(home)) this.#dirty.add(home)
    }
    if (added.length > 0) this.#emit(added)
    this.#follow()
  }

  /** Writes every entry that belongs in this document and is missing or altered there. */
  async #repair(documentId: DocumentId, handle: DocHandle<SyncDocument>): Promise<void> {
    const expected = this.#homes.get(documentId)
    if (!expected || expected.size === 0) return
    if (!handle.isReady()) {
      // Nobody has this document yet and this device must write to it: make the
      // identical first change every peer makes, so copies merge (pitfall 1).
      this.#repo.import(firstChangeOf(documentId), { docId: documentId })
      if (!handle.isReady()) throw new Error(`expected document ${documentId} ready after importing its first change, got state ${handle.state}`)
    }
    const present = readEntriesMap(handle.doc())
    const missing: Array<[EntryId, string]> = []
    for (const id of expected) {
      const line = this.#lines.get(id)
      if (line !== undefined && valueLine(present?.[id]) !== line) missing.push([id, line])
    }
    // Whole as it is: a candidate for parking once peers confirm they hold it so (parkConfirmed).
    if (missing.length === 0 && this.#parkCompleteShards && !this.#dirty.has(documentId)) this.#parkable.add(documentId)
    for (let start = 0; start < missing.length; start += REPUBLISH_BATCH_ENTRIES_MAX) {
      const batch = missing.slice(start, start + REPUBLISH_BATCH_ENTRIES_MAX)
      handle.change((doc) => {
        // A vandal may have replaced or deleted the map itself: make a new one.
        const entries = doc.entries as unknown
        if (entries === null || typeof entries !== 'object' || Array.isArray(entries) || entries instanceof Automerge.ImmutableString) doc.entries = {}
        for (const [id, line] of batch) doc.entries[id] = new Automerge.ImmutableString(line)
      })
      this.#stats.entriesWritten += batch.length
    }
  }

  #rememberJudged(key: string, line: string): void {
    // Bounded: a vandal can write endless distinct garbage; forgetting only costs re-judging.
    if (this.#judged.size >= JUDGED_LINES_REMEMBERED_MAX) this.#judged.clear()
    this.#judged.add(judgedKey(key, line))
  }
}

/** Entry fields that hold a member's public key (see PoolSync.#share). */
const SHARED_KEY_FIELDS = ['author', 'to', 'member', 'invitee', 'from'] as const

function judgedKey(key: string, line: string): string {
  return `${key}\u0000${line}`
}

function readEntriesMap(doc: unknown): Record<string, unknown> | undefined {
  // Through entriesOf, as ingestion reads: a stale automerge view would make repair rewrite lines that are there.
  const entries = entriesOf(doc)
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries) || entries instanceof Automerge.ImmutableString) return undefined
  return entries as Record<string, unknown>
}

function valueLine(value: unknown): string | undefined {
  if (value instanceof Automerge.ImmutableString) return value.val
  return typeof value === 'string' ? value : undefined
}
