/**
 * Guards around automerge-repo 2.5.6 that make unloading a document
 * (`repo.removeFromCache`) safe and worth it: the relay's eviction and a
 * device's parked shards both unload documents. Each guard is installed once
 * per Repo (a second call does nothing).
 */
import * as Automerge from '@automerge/automerge'
import type { Repo } from '@automerge/automerge-repo'

const GUARDED = Symbol.for('heroes/repo-guards')

function once(repo: Repo, name: string): boolean {
  const marks = ((repo as unknown as Record<symbol, Set<string> | undefined>)[GUARDED] ??= new Set())
  if (marks.has(name)) return false
  marks.add(name)
  return true
}

/**
 * Makes the Repo's storage refuse to save a document with no heads: the
 * empty document that unloading a handle leaves behind (upstream #435: when
 * a compaction is due, that save writes the empty document as the snapshot
 * and deletes the real chunks). No real document has zero heads (every shard
 * starts with its identical first change), so this refuses only the wipe.
 */
export function guardEmptySaves(repo: Repo): void {
  const storage = repo.storageSubsystem
  if (!storage || !once(repo, 'empty-saves')) return
  const saveDoc = storage.saveDoc.bind(storage)
  storage.saveDoc = async (documentId, doc) => {
    if (Automerge.getHeads(doc).length === 0) return
    return saveDoc(documentId, doc)
  }
}

/**
 * Stops automerge-repo 2.5.6 from keeping every document it loads from
 * storage forever. Its loader races the load against a module-level promise
 * that never settles (`Promise.race([load, foreverPromise])`); each race
 * leaves a reaction on that promise which holds the race's result, the loaded
 * document, so an evicted document's JavaScript view never leaves the heap
 * (measured: 188 MB of heap for 120 documents in memory after 380 evictions).
 * Given an AbortSignal the loader races against `abortable(foreverPromise,
 * signal)` instead; aborting it once the load has finished settles that
 * promise and lets the document go. Only after the handle is ready or
 * unavailable (aborting earlier would fail the load) and a turn of the event
 * loop later (the loader's own continuations run first). Upstream is
 * reworking this loader (automerge-repo PRs #618, #624).
 */
export function guardLoadLeak(repo: Repo): void {
  if (!once(repo, 'load-leak')) return
  const find = repo.find.bind(repo)
  repo.find = (async (id: Parameters<Repo['find']>[0], options: Parameters<Repo['find']>[1] = {}) => {
    if (options.signal) return find(id, options)
    const controller = new AbortController()
    const handle = await find(id, { ...options, signal: controller.signal })
    handle.whenReady(['ready', 'unavailable', 'deleted']).then(
      () => setTimeout(() => controller.abort(), 0),
      () => {}, // never settled within automerge-repo's timeout: the handle is stuck, leave its loader alone
    )
    return handle
  }) as Repo['find']
}
