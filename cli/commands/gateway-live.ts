/**
 * The gateway service's live link to its relays (issue 19): instead of a
 * `heroes sync` of every log each round, one automerge connection per relay
 * stays open with every served pool's documents followed (core's PoolSync,
 * like a phone), so the relay pushes each new entry the moment it holds it.
 * A new entry is appended to its pool's log (the service's memory stays its
 * logs) and wakes the service for a round at once; what the service signs
 * is published through the same connection. The round timer stays, as the
 * clock for expiries and as a safety net.
 */
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { encodeEntry, type Entry, type EntryId } from '../../core/index.ts'
import { breakSyncStorms, MemoryVerifiedStore, PoolSync, ResilientWebSocketClientAdapter } from '../../core/sync/index.ts'
import { readLog } from '../files.ts'
import { syncUrlOf } from './sync.ts'

/** Milliseconds between reconnection attempts to a relay that went away. */
const RECONNECT_MS = 1_000

interface LivePool {
  readonly log: string
  readonly sync: PoolSync
  /** Every entry id in the log, so an entry is written once whichever way it came. */
  readonly ids: Set<EntryId>
}

export interface LiveStats {
  /** Entries the relays pushed that were new to the logs. */
  pushed: number
}

export class GatewayLive {
  readonly #repos = new Map<string, { repo: Repo; adapter: ResilientWebSocketClientAdapter }>()
  readonly #pools = new Map<EntryId, LivePool>()
  readonly #wake: () => void
  readonly stats: LiveStats = { pushed: 0 }

  constructor(wake: () => void) {
    this.#wake = wake
  }

  /** Follows the pool in `log` through `relay` (its entries published, new ones appended to the log as they come). */
  async follow(log: string, relay: string): Promise<void> {
    const url = syncUrlOf(relay)
    let connection = this.#repos.get(url)
    if (!connection) {
      const adapter = new ResilientWebSocketClientAdapter(url, RECONNECT_MS)
      const repo = new Repo({ network: [adapter], peerId: `gateway-${randomUUID()}` as PeerId })
      breakSyncStorms(repo)
      connection = { repo, adapter }
      this.#repos.set(url, connection)
    }
    const { entries } = readLog(log)
    const pool = entries.find((entry) => entry.type === 'pool')!.id
    const store = new MemoryVerifiedStore(entries)
    const sync = new PoolSync({ repo: connection.repo, pool, store })
    const live: LivePool = { log, sync, ids: new Set(entries.map((entry) => entry.id)) }
    this.#pools.set(pool, live)
    sync.onEntries((batch) => this.#arrived(live, batch))
    await sync.start()
  }

  /** Entries the service signed (already in its log): sent to the relay through the live connection. */
  async publish(pool: EntryId, entries: readonly Entry[]): Promise<void> {
    const live = this.#pools.get(pool)
    if (!live) return
    for (const entry of entries) live.ids.add(entry.id)
    await live.sync.publish(entries)
  }

  /** Is every relay connected now? */
  connected(): boolean {
    return [...this.#repos.values()].every(({ repo, adapter }) => adapter.remotePeerId !== undefined && repo.peers.includes(adapter.remotePeerId))
  }

  async close(): Promise<void> {
    for (const live of this.#pools.values()) live.sync.close()
    for (const { repo } of this.#repos.values()) await repo.shutdown().catch(() => undefined)
  }

  #arrived(live: LivePool, batch: readonly Entry[]): void {
    const fresh = batch.filter((entry) => !live.ids.has(entry.id))
    if (fresh.length === 0) return
    for (const entry of fresh) live.ids.add(entry.id)
    appendFileSync(live.log, fresh.map((entry) => encodeEntry(entry) + '\n').join(''))
    this.stats.pushed += fresh.length
    this.#wake()
  }
}
