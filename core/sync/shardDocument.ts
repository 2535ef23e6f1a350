/**
 * The shape of every sync document (shards and invite slots alike) and its
 * fixed first change.
 *
 *   { entries: { [entryId]: ImmutableString(canonical line) } }
 *
 * Values are ImmutableString: a plain string would become collaborative text,
 * one operation per character (PERF-NOTES: 25 s and 3.9 GB to load 100k).
 * Nothing in a document is trusted: ingest.ts reads it as untrusted input.
 */
import * as Automerge from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import { firstChangeActor } from './documentIds.ts'

export interface SyncDocument {
  entries: Record<string, Automerge.ImmutableString>
}

/**
 * The saved bytes of a document's first change, identical on every peer:
 * fixed actor, time 0, no message. Import it only after `find` said the id
 * is unavailable (PERF-NOTES pitfall 3: import ignores what storage holds).
 */
export function firstChangeOf(documentId: DocumentId): Uint8Array {
  const empty = Automerge.init<SyncDocument>({ actor: firstChangeActor(documentId) })
  const first = Automerge.change(empty, { time: 0 }, (doc) => {
    doc.entries = {}
  })
  return Automerge.save(first)
}

/**
 * Reads up to `keysMax` (key, value) pairs of a document's entries map as plain
 * strings, without trusting its shape: a vandal may have replaced the map, put
 * numbers in it, or made it huge. Returns what it could read and how much it skipped.
 */
export function readDocumentLines(doc: unknown, keysMax: number): { lines: Array<[string, string]>; skipped: number } {
  const lines: Array<[string, string]> = []
  let skipped = 0
  const entries = entriesOf(doc)
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) return { lines, skipped: entries === undefined ? 0 : 1 }
  for (const key of Object.keys(entries)) {
    if (lines.length >= keysMax) {
      skipped++
      continue
    }
    const value = (entries as Record<string, unknown>)[key]
    // A plain string (collaborative text) is accepted too: only the bytes matter, not how a peer stored them.
    const line = value instanceof Automerge.ImmutableString ? value.val : value
    if (typeof line === 'string') lines.push([key, line])
    else skipped++
  }
  return { lines, skipped }
}

/**
 * The document's `entries` value, read so that automerge's cached view cannot
 * hide entries.
 *
 * Why: automerge 3.5's materialized view is kept up to date by patches, and
 * after concurrent replacements of the `entries` map (a vandal deletes it,
 * several phones recreate it while repairing) a phone's view can keep pointing
 * at a losing map while the document, its heads and history are identical to
 * everyone else's (the simulation's seed 6053: the view showed 1 of 8 entries,
 * `load(save(doc))` all 8; upstream: automerge/automerge#951, #1269). The
 * check costs one lookup and one key listing; only a view found wrong is
 * materialized afresh from the operations.
 */
export function entriesOf(doc: unknown): unknown {
  const viewed = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>).entries : undefined
  if (doc === null || typeof doc !== 'object' || !Automerge.isAutomerge(doc)) return viewed
  const backend = Automerge.getBackend(doc as Automerge.Doc<unknown>)
  const winner = backend.getWithType('_root', 'entries') as [string, unknown] | null | undefined
  if (!winner || winner[0] !== 'map') return viewed
  const winnerId = winner[1] as Automerge.ObjID
  const viewedIsMap = viewed !== null && typeof viewed === 'object' && !Array.isArray(viewed) && !(viewed instanceof Automerge.ImmutableString)
  if (viewedIsMap && Automerge.getObjectId(viewed) === winnerId && backend.keys(winnerId).length === Object.keys(viewed).length) return viewed
  return backend.materialize('/entries')
}

/** Where automerge keeps a document's metadata (its STATE symbol, registered with Symbol.for). */
const AUTOMERGE_STATE = Symbol.for('_am_meta')

/**
 * Lets go of the patches automerge keeps with a document: the changes that
 * produced a version, kept (on the root's metadata, and on that of objects
 * materialized with it, such as the entries map) so that a `diff` between the
 * same two heads can skip the work. For a shard that arrived whole that is a
 * second copy of every line (at 100k entries, ~70 MB of heap that every full
 * garbage collection walks). automerge-repo asks for that diff right after
 * each update, before PoolSync reads the document; a later diff just computes
 * the patches again. Does nothing when automerge keeps no such cache.
 */
export function forgetPatchCache(doc: unknown): void {
  if (doc === null || typeof doc !== 'object') return
  forgetOn(doc)
  const entries = (doc as Record<string, unknown>).entries
  if (entries !== null && typeof entries === 'object') forgetOn(entries)
}

function forgetOn(object: object): void {
  const state = (object as Record<symbol, unknown>)[AUTOMERGE_STATE]
  if (state !== null && typeof state === 'object' && 'mostRecentPatch' in state) delete (state as { mostRecentPatch?: unknown }).mostRecentPatch
}
