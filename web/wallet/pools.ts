/**
 * Every pool this device holds, open while the app runs: each one's PoolBook
 * loaded from IndexedDB, followed by the sync engine, and woken when an entry
 * dated ahead (another device's clock) falls due. The wallet's other modules
 * find a pool here and add one here, so a book is opened and followed in one
 * place only.
 */
import { decodeEntry, encodeEntry, fromHex, publicKeyOf, toHex, verifyEntrySignature, type Entry, type EntryId, type PoolEntry } from '../../core/index.ts'
import type { KeyDerivation } from '../keys/pool-keys.ts'
import { IdbVerifiedStore } from '../storage/idb-verified-store.ts'
import type { KeyRecord, PoolRecord } from '../storage/wallet-db.ts'
import { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'

/** Wake this long after an entry falls due, and never sooner than this from now, so its time has surely come when the ledger is asked. */
const WAKE_MARGIN_MS = 50
/** The furthest ahead a wake-up is set; a later due time is reached by waking again, so a clock set anew is noticed within a minute. */
const WAKE_DELAY_MS_MAX = 60_000

/** The wallet parts Pools uses. */
export type PoolsParts = Pick<WalletParts, 'db' | 'sync' | 'now' | 'cache' | 'changed' | 'settings'>

/** A pool to keep and open: its genesis, this device's key for it, and how it came here. */
export interface NewPool {
  readonly genesis: PoolEntry
  readonly derivation: KeyDerivation
  /** Given by a caller that has just derived it (a pool created here); otherwise derived again from the seed. */
  readonly secretKey?: Uint8Array
  /** The relay the pool syncs through; empty means the app's default. */
  readonly relayUrl: string
  readonly status: PoolRecord['status']
  /** A key that may have signed elsewhere (a restore) waits for its own chain from the relay before it signs. */
  readonly needsChainHead: boolean
  /** Kept from a backup; a pool new here joins now. */
  readonly joinedAt?: number
  /** A linked device's key: the member it signs for and its certificate (linking.ts). */
  readonly device?: { readonly member: string; readonly certificate: string }
}

export class Pools {
  readonly #parts: PoolsParts
  readonly #books = new Map<string, PoolBook>()
  #wakeTimer: ReturnType<typeof setTimeout> | undefined

  constructor(parts: PoolsParts) {
    this.#parts = parts
  }

  get(id: string): PoolBook | undefined {
    return this.#books.get(id)
  }

  all(): IterableIterator<PoolBook> {
    return this.#books.values()
  }

  /** Pool ids in the order this device joined them, for a stable list on screen. */
  ids(): string[] {
    return [...this.#books.values()].sort((a, b) => a.record.joinedAt - b.record.joinedAt).map((book) => book.id)
  }

  /** Opens every pool kept in IndexedDB (a pool whose key record is missing cannot sign, and is left closed). */
  async load(): Promise<void> {
    for (const record of await this.#parts.db.getAll('pools')) {
      const key = await this.#parts.db.get('keys', record.id)
      if (!key) continue
      await this.#open(record, key)
    }
  }

  /** Keeps a new pool with this device's key for it, opens it, and hands its genesis to the sync. */
  async add(pool: NewPool): Promise<PoolBook> {
    const { genesis, derivation } = pool
    const secretKey = pool.secretKey ?? this.#parts.settings.secretKey(derivation)
    const record: PoolRecord = { id: genesis.id, genesisLine: encodeEntry(genesis), relayUrl: pool.relayUrl, status: pool.status, joinedAt: pool.joinedAt ?? this.#parts.now(), needsChainHead: pool.needsChainHead }
    const key: KeyRecord = { pool: genesis.id, publicKey: publicKeyOf(secretKey), secretKey: toHex(secretKey), derivation, ...(pool.device ?? {}) }
    const tx = this.#parts.db.transaction(['pools', 'keys'], 'readwrite')
    await Promise.all([tx.objectStore('pools').put(record), tx.objectStore('keys').put(key), tx.done])
    const book = await this.#open(record, key)
    await book.store.put([genesis])
    // The sync started from an empty store: hand it the genesis, from which it derives every document to follow.
    book.follow?.publish([genesis])
    return book
  }

  async updateRecord(book: PoolBook, change: Partial<PoolRecord>): Promise<void> {
    book.record = { ...book.record, ...change }
    await this.#parts.db.put('pools', book.record)
    book.touch()
  }

  /** Lines learned outside sync (a link, a QR code, a file): decoded and verified like any other. */
  async ingestLines(pool: string, lines: readonly string[]): Promise<number> {
    const book = this.#books.get(pool)
    if (!book) return 0
    const entries: Entry[] = []
    for (const line of lines) {
      const decoded = decodeEntry(line)
      // Known ids are skipped before the (costly) signature check: a re-sent log costs little.
      if (!decoded.ok || decoded.entry.pool !== pool || book.store.entries.has(decoded.entry.id)) continue
      if (verifyEntrySignature(decoded.entry, this.#parts.cache)) entries.push(decoded.entry)
    }
    const added = await book.store.put(entries)
    if (added.length > 0) book.follow?.publish(added)
    return added.length
  }

  /** Re-judges every pool as of now: the rate limit's countdown and pending entries depend on the clock. */
  refreshAll(): void {
    for (const book of this.#books.values()) book.refresh(this.#parts.now())
  }

  /**
   * Forgets one pool on this device: stops following it and deletes what this device kept of
   * it (its record, key, entries, delivery marks, nicknames, draft, invites and join requests).
   * Nothing is signed and nobody else is told: the member's money stays in the pool, and the
   * pool's link with the recovery phrase brings the same key and balance back.
   */
  async remove(id: string): Promise<void> {
    const book = this.#books.get(id)
    book?.follow?.stop()
    this.#books.delete(id)
    const db = this.#parts.db
    const tx = db.transaction(['pools', 'keys', 'entries', 'delivery', 'contacts', 'drafts', 'invites', 'requests'], 'readwrite')
    const byPool = async (name: 'entries' | 'delivery' | 'contacts' | 'invites' | 'requests'): Promise<void> => {
      let cursor = await tx.objectStore(name).index('by-pool').openCursor(id)
      while (cursor) {
        await cursor.delete()
        cursor = await cursor.continue()
      }
    }
    await Promise.all([
      tx.objectStore('pools').delete(id), tx.objectStore('keys').delete(id), tx.objectStore('drafts').delete(id),
      byPool('entries'), byPool('delivery'), byPool('contacts'), byPool('invites'), byPool('requests'), tx.done,
    ])
    this.#parts.changed()
  }

  /** Stops following every pool and forgets them (a restore replaces them all). */
  closeAll(): void {
    for (const book of this.#books.values()) book.follow?.stop()
    this.#books.clear()
  }

  async #open(record: PoolRecord, key: KeyRecord): Promise<PoolBook> {
    const secretKey = fromHex(key.secretKey, 32)
    if (!secretKey) throw new TypeError(`expected a 32-byte secret key for pool ${record.id}, got a damaged record`)
    // The store reports new entries to the book, which needs the store to exist first.
    const holder: { book?: PoolBook } = {}
    const store = await IdbVerifiedStore.load(this.#parts.db, record.id, (added) => {
      if (!holder.book) return
      holder.book.refresh(this.#parts.now(), added)
      this.#scheduleWake()
      this.#parts.changed()
    })
    const book = new PoolBook(record, key, secretKey, store, this.#parts.cache)
    holder.book = book
    for (const delivery of await this.#parts.db.getAllFromIndex('delivery', 'by-pool', record.id)) book.delivery.set(delivery.id, delivery.state)
    for (const contact of await this.#parts.db.getAllFromIndex('contacts', 'by-pool', record.id)) book.contacts.set(contact.key, contact.name)
    for (const invite of await this.#parts.db.getAllFromIndex('invites', 'by-pool', record.id)) labelInvite(book, invite.id, invite.label)
    for (const request of await this.#parts.db.getAllFromIndex('requests', 'by-pool', record.id)) labelInvite(book, request.member, request.name)
    book.refresh(this.#parts.now())
    this.#books.set(record.id, book)
    book.follow = this.#parts.sync.follow(
      book.id,
      store,
      {
        onDelivered: (ids) => void this.#markDelivered(book, ids),
        onCaughtUp: () => void this.#caughtUp(book),
        onOwnChainFetched: () => void this.#ownChainFetched(book),
      },
      { author: book.signer },
    )
    // Entries signed here that no relay confirmed yet (an earlier session offline) go out again.
    const undelivered = [...store.entries.values()].filter((entry) => entry.author === book.signer && book.delivery.get(entry.id) === 'device')
    if (undelivered.length > 0) book.follow.publish(undelivered)
    this.#scheduleWake()
    return book
  }

  async #markDelivered(book: PoolBook, ids: readonly EntryId[]): Promise<void> {
    const fresh = ids.filter((id) => book.delivery.get(id) !== 'relay' && book.store.entries.get(id)?.author === book.signer)
    if (fresh.length === 0) return
    const tx = this.#parts.db.transaction('delivery', 'readwrite')
    await Promise.all([...fresh.map((id) => tx.store.put({ id, pool: book.id, state: 'relay', at: this.#parts.now() })), tx.done])
    for (const id of fresh) book.delivery.set(id, 'relay')
    book.touch()
    this.#parts.changed()
  }

  async #caughtUp(book: PoolBook): Promise<void> {
    // A join request becomes membership once the gatekeeper's admit arrives.
    if (book.record.status === 'requested' && book.view(this.#parts.now()).role !== 'none') await this.updateRecord(book, { status: 'member' })
    this.#parts.changed()
  }

  /** The relay gave back this key's own chain: a restored key may sign again (chain-guard.ts). */
  async #ownChainFetched(book: PoolBook): Promise<void> {
    if (!book.record.needsChainHead) return
    await this.updateRecord(book, { needsChainHead: false })
    this.#parts.changed()
  }

  /** Entries dated a little ahead (another device's clock) become due later: wake up then. */
  #scheduleWake(): void {
    clearTimeout(this.#wakeTimer)
    let next: number | undefined
    for (const book of this.#books.values()) {
      const due = book.nextDueTime()
      if (due !== undefined && (next === undefined || due < next)) next = due
    }
    if (next === undefined) return
    const delay = Math.min(Math.max(next - this.#parts.now() + WAKE_MARGIN_MS, WAKE_MARGIN_MS), WAKE_DELAY_MS_MAX)
    this.#wakeTimer = setTimeout(() => {
      this.refreshAll()
      this.#scheduleWake()
      this.#parts.changed()
    }, delay)
  }
}

/** Keeps a gatekeeper's label (an invite's, by its id; a join request's name, by the member's key), if it says anything. */
export function labelInvite(book: PoolBook, id: string, label: string): void {
  const trimmed = label.trim()
  if (trimmed && trimmed !== '—') book.labels.set(id, trimmed)
}
