/**
 * The seam between the wallet and the network. The wallet knows pools,
 * entries and a verified store; how entries travel (automerge-repo documents,
 * which relay) is behind this interface, so screens and tests can run with no
 * network at all (OfflineSyncEngine) and the transport can change alone.
 */
import type { Entry, EntryId, PublicKeyHex } from '../../core/index.ts'
import type { VerifiedStore } from '../../core/sync/verifiedStore.ts'

/** offline: no network or relay unreachable; connecting: trying; syncing: exchanging; online: caught up. */
export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'online'

export interface PoolFollowEvents {
  /** Entries this device wrote that a relay is now known to hold. */
  onDelivered(ids: readonly EntryId[]): void
  /** The relay answered for every document of this pool known so far. */
  onCaughtUp(): void
  /**
   * A connected relay answered for every shard of the chain of `author` (see
   * FollowOptions) and this device now holds all the relay holds there: the
   * only event that lets a restored key sign again (chain-guard.ts).
   */
  onOwnChainFetched(): void
}

export interface FollowOptions {
  /** This device's key in the pool: its own chain is watched for onOwnChainFetched. */
  readonly author?: PublicKeyHex
}

export interface PoolFollow {
  /** Publishes entries already in the store (this device's own, or ones it learned by link). */
  publish(entries: readonly Entry[]): void
  stop(): void
}

export interface SyncEngine {
  readonly status: SyncStatus
  readonly relayUrl: string
  onStatusChange(listener: (status: SyncStatus) => void): () => void
  /** Switches relay; followed pools carry on through the new one. */
  setRelay(url: string): void
  follow(pool: EntryId, store: VerifiedStore, events: PoolFollowEvents, options?: FollowOptions): PoolFollow
}

/** No network: for unit tests, and the fallback when the sync code cannot load. */
export class OfflineSyncEngine implements SyncEngine {
  status: SyncStatus = 'offline'
  relayUrl: string
  constructor(relayUrl = '') {
    this.relayUrl = relayUrl
  }
  onStatusChange(): () => void {
    return () => undefined
  }
  setRelay(url: string): void {
    this.relayUrl = url
  }
  follow(): PoolFollow {
    return { publish: () => undefined, stop: () => undefined }
  }
}
