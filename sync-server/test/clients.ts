/**
 * Test helpers: in-process client Repos and PoolSyncs against a relay, and
 * waiting on a condition without fixed sleeps.
 */
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { MemoryVerifiedStore, PoolSync, ResilientWebSocketClientAdapter } from '../../core/sync/index.ts'
import type { Entry, EntryId } from '../../core/index.ts'

export interface TestClient {
  readonly repo: Repo
  readonly store: MemoryVerifiedStore
  readonly sync: PoolSync
  readonly adapter: ResilientWebSocketClientAdapter
  close(): Promise<void>
}

let clientCounter = 0

/** A device: a Repo with no storage (memory only) connected to `syncUrl`, following `pool` from `entries`. */
export async function connectClient(syncUrl: string, pool: EntryId, entries: Entry[] = [], retryMs = 200): Promise<TestClient> {
  const adapter = new ResilientWebSocketClientAdapter(syncUrl, retryMs)
  const repo = new Repo({ network: [adapter], peerId: `client-${process.pid}-${clientCounter++}` as PeerId })
  const store = new MemoryVerifiedStore(entries)
  const sync = new PoolSync({ repo, pool, store })
  await sync.start()
  let closing: Promise<void> | undefined
  return {
    repo, store, sync, adapter,
    close() {
      closing ??= (async () => {
        sync.close()
        await repo.shutdown().catch(() => {})
      })()
      return closing
    },
  }
}

/** Polls `condition` every 25 ms until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition()) return
    if (Date.now() > deadline) throw new Error(`expected ${what} within ${timeoutMs} ms, got a timeout`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export function ids(entries: Iterable<Entry>): string[] {
  return [...entries].map((entry) => entry.id).sort()
}
