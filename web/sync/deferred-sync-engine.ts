/**
 * A SyncEngine that exists at once and becomes the real one when automerge
 * has loaded (a 3.6 MB wasm: compiling it must not delay the balance on
 * screen). Calls made before then are replayed on the real engine.
 */
import type { Entry, EntryId } from '../../core/index.ts'
import type { VerifiedStore } from '../../core/sync/verifiedStore.ts'
import type { FollowOptions, PoolFollow, PoolFollowEvents, SyncEngine, SyncStatus } from './sync-engine.ts'

export class DeferredSyncEngine implements SyncEngine {
  #real: SyncEngine | null = null
  #relayUrl: string
  #status: SyncStatus = 'connecting'
  readonly #listeners = new Set<(status: SyncStatus) => void>()
  readonly #pending: Array<(real: SyncEngine) => void> = []

  constructor(relayUrl: string, load: (relayUrl: string) => Promise<SyncEngine>) {
    this.#relayUrl = relayUrl
    void load(relayUrl).then(
      (real) => this.#attach(real),
      () => this.#setStatus('offline'),
    )
  }

  get status(): SyncStatus {
    return this.#real?.status ?? this.#status
  }

  get relayUrl(): string {
    return this.#real?.relayUrl ?? this.#relayUrl
  }

  onStatusChange(listener: (status: SyncStatus) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  setRelay(url: string): void {
    this.#relayUrl = url
    if (this.#real) this.#real.setRelay(url)
    else this.#pending.push((real) => real.setRelay(url))
  }

  follow(pool: EntryId, store: VerifiedStore, events: PoolFollowEvents, options: FollowOptions = {}): PoolFollow {
    if (this.#real) return this.#real.follow(pool, store, events, options)
    let real: PoolFollow | null = null
    const early: Entry[] = []
    let stopped = false
    this.#pending.push((engine) => {
      if (stopped) return
      real = engine.follow(pool, store, events, options)
      if (early.length > 0) real.publish(early)
    })
    return {
      publish: (entries) => (real ? real.publish(entries) : void early.push(...entries)),
      stop: () => {
        stopped = true
        real?.stop()
      },
    }
  }

  #attach(real: SyncEngine): void {
    this.#real = real
    real.onStatusChange((status) => this.#emit(status))
    for (const call of this.#pending.splice(0)) call(real)
    this.#emit(real.status)
  }

  #setStatus(status: SyncStatus): void {
    this.#status = status
    this.#emit(status)
  }

  #emit(status: SyncStatus): void {
    for (const listener of this.#listeners) listener(status)
  }
}
