/**
 * The publishing client of the benchmarks that fill a relay before measuring
 * (sync.ts, catchup.ts, relay.ts), and waiting until the relay holds all it holds.
 */
import { Repo, type PeerId } from '@automerge/automerge-repo'
import type { Entry } from '../core/index.ts'
import { documentsInSyncWith, MemoryVerifiedStore, PoolSync, ResilientWebSocketClientAdapter } from '../core/sync/index.ts'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
let publisherCounter = 0

/**
 * A client in this process that trusts every signature: the entries it
 * publishes or reads are the benchmark's own generated ones, and what is
 * measured is the relay, not this client's verification.
 */
export async function trustingClient(syncUrl: string, pool: Entry['pool'], entries: Entry[] = []) {
  const adapter = new ResilientWebSocketClientAdapter(syncUrl, 1000)
  const repo = new Repo({ network: [adapter], peerId: `bench-publisher-${process.pid}-${publisherCounter++}` as PeerId })
  const store = new MemoryVerifiedStore(entries)
  const sync = new PoolSync({ repo, pool, store, verifier: () => true })
  for (let i = 0; i < 250 && !(adapter.remotePeerId && repo.peers.length > 0); i++) await sleep(20)
  await sync.start()
  return { adapter, repo, store, sync, close: async () => (sync.close(), await repo.shutdown().catch(() => {})) }
}

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
    await sleep(100)
  }
}
