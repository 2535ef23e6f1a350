/**
 * core/sync's VerifiedStore for one pool, kept in IndexedDB with a copy in
 * memory (the ledger needs every entry anyway). Only what the caller has
 * decoded and verified comes in; nothing a peer writes into a shared document
 * can remove an entry from here.
 */
import { decodeEntry, encodeEntry, type Entry, type EntryId } from '../../core/index.ts'
import type { VerifiedStore } from '../../core/sync/verifiedStore.ts'
import type { WalletDb } from './wallet-db.ts'

export class IdbVerifiedStore implements VerifiedStore {
  readonly #db: WalletDb
  readonly #pool: string
  readonly #byId: Map<string, Entry>
  readonly #onAdded: (entries: Entry[]) => void

  private constructor(db: WalletDb, pool: string, entries: Map<string, Entry>, onAdded: (entries: Entry[]) => void) {
    this.#db = db
    this.#pool = pool
    this.#byId = entries
    this.#onAdded = onAdded
  }

  /** Loads a pool's entries; a stored line that no longer decodes is skipped (never trusted blindly). */
  static async load(db: WalletDb, pool: string, onAdded: (entries: Entry[]) => void): Promise<IdbVerifiedStore> {
    const records = await db.getAllFromIndex('entries', 'by-pool', pool)
    const entries = new Map<string, Entry>()
    for (const record of records) {
      const decoded = decodeEntry(record.line)
      if (decoded.ok && decoded.entry.pool === pool) entries.set(decoded.entry.id, decoded.entry)
    }
    return new IdbVerifiedStore(db, pool, entries, onAdded)
  }

  /** The entries in memory: the ledger and the screens read this, never IndexedDB directly. */
  get entries(): ReadonlyMap<string, Entry> {
    return this.#byId
  }

  async has(id: EntryId): Promise<boolean> {
    return this.#byId.has(id)
  }

  async get(id: EntryId): Promise<Entry | undefined> {
    return this.#byId.get(id)
  }

  async put(entries: readonly Entry[]): Promise<Entry[]> {
    const seen = new Set<string>()
    const added = entries.filter((entry) => {
      if (entry.pool !== this.#pool || this.#byId.has(entry.id) || seen.has(entry.id)) return false
      seen.add(entry.id)
      return true
    })
    if (added.length === 0) return []
    // Written before memory is updated: a crash in between loses nothing the screen showed.
    const tx = this.#db.transaction('entries', 'readwrite')
    await Promise.all([...added.map((entry) => tx.store.put({ pool: this.#pool, id: entry.id, line: encodeEntry(entry) })), tx.done])
    for (const entry of added) this.#byId.set(entry.id, entry)
    this.#onAdded(added)
    return added
  }

  async all(): Promise<Entry[]> {
    return [...this.#byId.values()]
  }
}
