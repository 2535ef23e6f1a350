/**
 * Whether a peer holds what we hold: for each document, the heads the peer
 * last told us (automerge-repo's sync info, keyed by the peer's storage id)
 * against our own. Used to decide that a one-shot sync is done.
 */
import type { DocHandle, DocumentId, PeerId, Repo } from '@automerge/automerge-repo'

export interface SyncProgress {
  documents: number
  inSync: number
  /** Documents whose heads on the peer are not (yet) ours. */
  waiting: DocumentId[]
}

/**
 * A document is in sync with the peer when the peer's last reported heads equal
 * ours, or when neither side has it (unavailable: we had nothing to write there).
 */
export function documentsInSyncWith(repo: Repo, handles: Iterable<DocHandle<unknown>>, peerId: PeerId): SyncProgress {
  const storageId = repo.getStorageIdOfPeer(peerId)
  const progress: SyncProgress = { documents: 0, inSync: 0, waiting: [] }
  for (const handle of handles) {
    progress.documents++
    if (handle.isUnavailable()) {
      progress.inSync++
      continue
    }
    const theirs = storageId === undefined || !handle.isReady() ? undefined : handle.getSyncInfo(storageId)?.lastHeads
    if (theirs !== undefined && sameHeads(theirs, handle.heads())) progress.inSync++
    else progress.waiting.push(handle.documentId)
  }
  return progress
}

function sameHeads(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((head) => set.has(head))
}
