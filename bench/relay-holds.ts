/**
 * Waiting until a relay holds everything a publishing client holds, for the
 * benchmarks that fill a relay before measuring (sync.ts, catchup.ts, relay.ts).
 */
import type { PeerId, Repo } from '@automerge/automerge-repo'
import { documentsInSyncWith, type PoolSync, type ResilientWebSocketClientAdapter } from '../core/sync/index.ts'

export interface Publisher {
  readonly repo: Repo
  readonly sync: PoolSync
  readonly adapter: ResilientWebSocketClientAdapter
}

/** Waits until the relay's heads equal ours for every document; reconnects when progress stalls for 5 s. */
export async function untilRelayHolds(publisher: Publisher, onStall: (inSync: number, documents: number) => void | Promise<void> = () => {}): Promise<void> {
  let last = -1
  let lastAt = performance.now()
  for (;;) {
    await publisher.sync.settled()
    const progress = documentsInSyncWith(publisher.repo, publisher.sync.handles().values(), publisher.adapter.remotePeerId as PeerId)
    if (progress.inSync === progress.documents) return
    if (progress.inSync !== last) {
      last = progress.inSync
      lastAt = performance.now()
    } else if (performance.now() - lastAt > 5000) {
      await onStall(progress.inSync, progress.documents)
      publisher.adapter.reconnect()
      lastAt = performance.now()
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
