/**
 * A member's phone: its own verified store and automerge storage (both
 * survive an app restart), a Repo whose only network is the fault network, a
 * PoolSync, a Ledger kept up to date from what PoolSync verifies, and its own
 * clock, skewed from the real (virtual) time by a fixed amount. In a
 * witnessed pool it pays online when it can: `draft` takes deps from
 * `Ledger.depsFor`, which names the latest checkpoint when it covers the
 * device's chain head.
 */
import { Repo, type PeerId } from '@automerge/automerge-repo'
import {
  Ledger, chainHead, signEntry, type Entry, type EntryId, type EntryVerdict, type SignatureCache, type Verifier,
} from '../core/index.ts'
import { breakSyncStorms, MemoryVerifiedStore, PoolSync } from '../core/sync/index.ts'
import type { FaultNetwork } from './faultNetwork.ts'
import type { KeyPair } from './keys.ts'
import { MemoryDisk, MemoryStorageAdapter } from './memoryStorage.ts'
import type { Trace } from './trace.ts'

export interface DeviceOptions {
  readonly name: string
  readonly pool: EntryId
  readonly key: KeyPair
  /** What the device knows when it starts: the genesis (from an invite link), or the founding entries for the gatekeeper. */
  readonly initial: readonly Entry[]
  readonly clockSkewMs: number
  readonly network: FaultNetwork
  readonly verifier: Verifier
  readonly signatureCache: SignatureCache
  readonly trace: Trace
}

export class Device {
  readonly name: string
  readonly pool: EntryId
  readonly key: KeyPair
  readonly clockSkewMs: number
  readonly store: MemoryVerifiedStore
  readonly #disk: MemoryDisk
  #storage: MemoryStorageAdapter
  #repo: Repo | undefined
  #sync: PoolSync | undefined
  #ledger: Ledger
  #incarnation = 0
  readonly #options: DeviceOptions
  /** Entries this device signed (its honest history; forks and forgeries are tracked by the actors). */
  readonly signed: Entry[] = []
  /** Transfers this device sent online and offline in a witnessed pool, and payments its app kept for the offline cap. */
  readonly payments = { online: 0, offline: 0, keptForCap: 0 }
  /** Called after every change of the ledger (entries arrived, or asOf moved): what the app shows now. */
  readonly #watchers: Array<(device: Device) => void> = []

  constructor(options: DeviceOptions) {
    this.#options = options
    this.name = options.name
    this.pool = options.pool
    this.key = options.key
    this.clockSkewMs = options.clockSkewMs
    this.store = new MemoryVerifiedStore(options.initial)
    this.#disk = new MemoryDisk(`${options.name}-disk`)
    this.#storage = new MemoryStorageAdapter(this.#disk)
    this.#ledger = new Ledger(options.pool, { cache: options.signatureCache, verifier: options.verifier })
  }

  /** The device's own clock: real time plus its skew. */
  now(): number {
    return Date.now() + this.clockSkewMs
  }

  get repo(): Repo {
    if (!this.#repo) throw new Error(`expected ${this.name} booted`)
    return this.#repo
  }

  get sync(): PoolSync {
    if (!this.#sync) throw new Error(`expected ${this.name} booted`)
    return this.#sync
  }

  get ledger(): Ledger {
    return this.#ledger
  }

  /** Is the phone connected (as the app knows it: its own network switch, not a partition it cannot see)? */
  get online(): boolean {
    return this.#options.network.isOnline(this.name)
  }

  /** Observers of what the device's ledger shows, called after each change (for the checks' records). */
  watch(watcher: (device: Device) => void): void {
    this.#watchers.push(watcher)
  }

  /**
   * Would this device's next entry be signed online: the pool has a witness, the phone is
   * connected, and the primary's latest checkpoint covers its chain head (so depsFor names it)?
   */
  paysOnline(): boolean {
    if (!this.#ledger.witnessed || !this.online) return false
    const latest = this.#ledger.latestCheckpoint()
    return latest !== undefined && this.#ledger.depsFor(this.key.publicKey).includes(latest.id)
  }

  #add(entries: readonly Entry[]): void {
    this.#ledger.add(entries, this.now())
    for (const watcher of this.#watchers) watcher(this)
  }

  async boot(): Promise<void> {
    this.#incarnation++
    const peerId = `${this.name}#${this.#incarnation}` as PeerId
    const { network, verifier, signatureCache } = this.#options
    // As in the PWA (web/sync/automerge-sync-engine.ts): storage, and everything shared with the relay.
    this.#repo = new Repo({
      storage: this.#storage,
      network: [network.adapterFor(this.name, peerId)],
      peerId,
      sharePolicy: async () => true,
    })
    breakSyncStorms(this.#repo)
    this.#ledger = new Ledger(this.pool, { cache: signatureCache, verifier })
    this.#add(await this.store.all())
    const sync = new PoolSync({ repo: this.#repo, pool: this.pool, store: this.store, verifier, signatureCache })
    sync.onEntries((entries) => this.#add(entries))
    this.#sync = sync
    await sync.start()
  }

  /** The app is killed and opened again: the verified store and automerge storage stay, everything in memory goes. */
  async restart(): Promise<void> {
    this.#sync?.close()
    this.#storage.cutOff()
    if (this.#repo) for (const adapter of this.#repo.networkSubsystem.adapters) adapter.disconnect()
    this.#storage = new MemoryStorageAdapter(this.#disk)
    this.#options.trace.note(`${this.name}: app restarted`)
    await this.boot()
  }

  /** Brings the ledger's asOf up to the device's clock. */
  refresh(): void {
    this.#add([])
  }

  /**
   * Signs this device's next entry as its app would: seq and prev from the
   * chain it holds, time from its own clock (never before the chain's last),
   * deps from what it received since its last entry.
   */
  draft<E extends Entry>(body: Record<string, unknown>, extraDeps: readonly EntryId[] = []): E {
    this.refresh()
    const head = chainHead(this.#ledger.entries(), this.pool, this.key.publicKey)
    const deps = [...new Set([...this.#ledger.depsFor(this.key.publicKey), ...extraDeps])].sort()
    return signEntry<E>({
      pool: this.pool, author: this.key.publicKey, seq: head.seq, prev: head.prev, deps: deps.slice(0, 32),
      time: Math.max(this.now(), head.time), ...body,
    } as never, this.key.secretKey)
  }

  /** Signs an entry with this device's key exactly as given (seq, prev, deps, time): what a cheating app does. */
  signRaw<E extends Entry>(fields: Record<string, unknown>): E {
    const deps = [...((fields.deps as EntryId[] | undefined) ?? [])].sort()
    return signEntry<E>({ pool: this.pool, author: this.key.publicKey, ...fields, deps } as never, this.key.secretKey)
  }

  /**
   * What the device's own ledger would say of the entry now (undefined: cannot tell without a replay);
   * `online`: judged as a payment a checkpoint will cover promptly, as the app does when it pays online.
   */
  preview(entry: Entry, online = false): EntryVerdict | undefined {
    return this.#ledger.preview(entry, { online })
  }

  async publish(entry: Entry): Promise<void> {
    this.signed.push(entry)
    const refused = await this.sync.publish([entry])
    if (refused.length > 0) throw new Error(`expected ${this.name}'s own entry accepted by PoolSync, got ${refused[0]!.reason}`)
  }

  /** Stops listening; the Repo is simply abandoned (virtual timers of a dead Repo are harmless). */
  shutdown(): void {
    this.#sync?.close()
    this.#storage.cutOff()
    if (this.#repo) for (const adapter of this.#repo.networkSubsystem.adapters) adapter.disconnect()
  }
}
