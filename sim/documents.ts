/**
 * Direct writes into shared documents, as any peer who knows an id can make
 * them (THREATS.md: whoever knows a document's id can read and write it).
 * Only handles the writer's Repo already holds are touched: a write never
 * waits on the network, so the driver never waits on a lost message.
 */
import * as Automerge from '@automerge/automerge'
import type { DocHandle, DocumentId, Repo } from '@automerge/automerge-repo'
import type { SyncDocument } from '../core/sync/index.ts'

/** The handle if the Repo has the document ready; otherwise starts fetching it for next time. */
export function readyHandle(repo: Repo, documentId: DocumentId): DocHandle<SyncDocument> | undefined {
  const handle = repo.handles[documentId] as DocHandle<SyncDocument> | undefined
  if (handle?.isReady()) return handle
  if (!handle) repo.find<SyncDocument>(documentId, { allowableStates: ['ready', 'unavailable'] }).catch(() => {})
  return undefined
}

/** Puts `line` under `key`, as an ImmutableString like honest writers do (or as plain text, which ingest also reads). */
export function writeLine(handle: DocHandle<SyncDocument>, key: string, line: string, asText = false): void {
  handle.change((doc) => {
    const entries = doc.entries as unknown
    if (entries === null || typeof entries !== 'object' || Array.isArray(entries) || entries instanceof Automerge.ImmutableString) doc.entries = {}
    ;(doc.entries as Record<string, unknown>)[key] = asText ? line : new Automerge.ImmutableString(line)
  })
}

/** The (key, line) pairs the document holds now, read as strings. */
export function linesOf(handle: DocHandle<SyncDocument>): Array<[string, string]> {
  const entries = (handle.doc() as unknown as { entries?: unknown }).entries
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries) || entries instanceof Automerge.ImmutableString) return []
  const lines: Array<[string, string]> = []
  for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
    const line = value instanceof Automerge.ImmutableString ? value.val : value
    if (typeof line === 'string') lines.push([key, line])
  }
  return lines
}
