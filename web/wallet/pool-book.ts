/**
 * Everything the wallet holds for one pool while the app runs: the record,
 * the key, the verified entries, the incremental ledger and the view the
 * screens read. The ledger is fed the same entries as the store, so the view
 * always equals a full replay of what this device knows (core guarantees it).
 */
import { Ledger, SignatureCache, profilesOf, type Entry, type EntryId, type ProfileSummary, type PublicKeyHex } from '../../core/index.ts'
import type { IdbVerifiedStore } from '../storage/idb-verified-store.ts'
import type { KeyRecord, PoolRecord } from '../storage/wallet-db.ts'
import type { PoolFollow } from '../sync/sync-engine.ts'
import { viewPool, type Delivery, type PoolView } from './pool-view.ts'

export class PoolBook {
  record: PoolRecord
  readonly key: KeyRecord
  readonly secretKey: Uint8Array
  readonly store: IdbVerifiedStore
  readonly cache: SignatureCache
  readonly delivery = new Map<string, Delivery>()
  readonly contacts = new Map<string, string>()
  /**
   * A gatekeeper's labels on this device: by invite id (the label it gave the invite) and by
   * member key (the name a join request carried). Shown until the member signs a name (people.ts).
   */
  readonly labels = new Map<string, string>()
  follow: PoolFollow | null = null
  #ledger: Ledger
  #view: PoolView | null = null
  /** Each member's signed profile, read from the same result as the view (core/profiles.ts). */
  #profiles: Readonly<Record<string, ProfileSummary>> = {}
  /** The balance after each statement row as last shown, to say why it changed (an earlier payment arrived). */
  readonly #shownBalanceAfter = new Map<string, number>()
  /** Rows whose balance after changed since first shown, with what it said before. */
  readonly #balanceAfterWas = new Map<string, number>()

  constructor(record: PoolRecord, key: KeyRecord, secretKey: Uint8Array, store: IdbVerifiedStore, cache: SignatureCache) {
    this.record = record
    this.key = key
    this.secretKey = secretKey
    this.store = store
    this.cache = cache
    this.#ledger = new Ledger(record.id as EntryId, { cache })
  }

  get id(): EntryId {
    return this.record.id as EntryId
  }

  /**
   * The account this device acts for: the member key, which balances, limits and statements are
   * by. On a linked device that is the member its key is certified for, not the key that signs.
   */
  get me(): PublicKeyHex {
    return this.member ?? this.signer
  }

  /** The key this device signs with in this pool: its own chain (the member key, or a device key). */
  get signer(): PublicKeyHex {
    return this.key.publicKey as PublicKeyHex
  }

  /** The member this device's key is certified for, when it is a linked device (kept, else as the ledger knows it). */
  get member(): PublicKeyHex | undefined {
    return (this.key.member as PublicKeyHex | undefined) ?? this.#ledger.memberOfDevice(this.signer)
  }

  get ledger(): Ledger {
    return this.#ledger
  }

  /** Brings the ledger up to `now`: new entries, and pending ones whose time has come. */
  refresh(now: number, added: readonly Entry[] = []): void {
    if (now < this.#ledger.asOf) {
      // The clock went back: judge from scratch rather than ask the ledger to undo.
      this.#ledger = new Ledger(this.id, { cache: this.cache })
      this.#ledger.add(this.store.entries.values(), now)
    } else {
      this.#ledger.add(added.length > 0 ? added : this.#ledger.size === 0 ? this.store.entries.values() : [], now)
    }
    this.#view = null
  }

  /** The member key and every device key certified for it, as this ledger knows them. */
  accountKeys(): ReadonlySet<PublicKeyHex> {
    const me = this.me
    return new Set([me, this.signer, ...(this.#ledger.member(me)?.devices ?? []).map((device) => device.key)])
  }

  /** Forces the next view to be rebuilt (delivery or contacts changed). */
  touch(): void {
    this.#view = null
  }

  view(now: number): PoolView {
    if (!this.#view) {
      const result = this.#ledger.result()
      this.#profiles = profilesOf(result, (id) => this.store.entries.get(id))
      this.#view = viewPool({
        pool: this.id,
        me: this.me,
        keys: this.accountKeys(),
        signer: this.signer,
        result,
        entries: this.store.entries,
        movements: this.#ledger.movements(),
        delivery: this.delivery,
        lastTransferTime: this.#ledger.lastTransferTime(this.me),
        now,
        witnessed: this.#ledger.witnessed,
      })
      this.#view = { ...this.#view, statement: this.#view.statement.map((row) => this.#explainBalance(row)) }
    }
    return this.#view
  }

  /**
   * Keeps what a row's balance after said the first time it was shown; when a later view
   * says otherwise, the row carries the earlier figure so the statement can say why.
   */
  #explainBalance(row: PoolView['statement'][number]): PoolView['statement'][number] {
    if (row.status !== 'accepted' || row.change === 0) return row
    const shown = this.#shownBalanceAfter.get(row.id)
    if (shown === undefined) this.#shownBalanceAfter.set(row.id, row.balanceAfter)
    else if (shown !== row.balanceAfter && !this.#balanceAfterWas.has(row.id)) this.#balanceAfterWas.set(row.id, shown)
    const was = this.#balanceAfterWas.get(row.id)
    return was !== undefined && was !== row.balanceAfter ? { ...row, balanceAfterWas: was } : row
  }

  /** The earliest time a pending entry becomes due, so the wallet can wake up then. */
  nextDueTime(): number | undefined {
    let next: number | undefined
    for (const entry of this.store.entries.values()) {
      if (entry.time > this.#ledger.asOf && (next === undefined || entry.time < next)) next = entry.time
    }
    return next
  }

  /** The profile `key` signed in this pool, as of the current view. */
  profileOf(key: string, now: number): ProfileSummary | undefined {
    this.view(now)
    return this.#profiles[key]
  }

  nameOf(key: string): string | undefined {
    return this.contacts.get(key)
  }
}
