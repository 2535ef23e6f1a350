/**
 * The seam between sync and a device's own storage of verified entries.
 *
 * Only entries that decoded, verified and belong to the pool go in; a store
 * never shrinks because of anything a peer wrote into a shared document (the
 * PWA supplies an IndexedDB implementation, Node and tests use the one below).
 * Every implementation must pass test/verifiedStoreContract.ts.
 */
import type { Entry, EntryId } from '../index.ts'

export interface VerifiedStore {
  has(id: EntryId): Promise<boolean>
  get(id: EntryId): Promise<Entry | undefined>
  /** Adds entries (already verified by the caller); ids already held are left as they are. Returns the ones that were new. */
  put(entries: readonly Entry[]): Promise<Entry[]>
  /** Every entry held, in no particular order. */
  all(): Promise<Entry[]>
}

/** A VerifiedStore in memory: for Node, the CLI and tests. */
export class MemoryVerifiedStore implements VerifiedStore {
  readonly #byId = new Map<EntryId, Entry>()

  constructor(entries: Iterable<Entry> = []) {
    for (const entry of entries) this.#byId.set(entry.id, entry)
  }

  async has(id: EntryId): Promise<boolean> {
    return this.#byId.has(id)
  }

  async get(id: EntryId): Promise<Entry | undefined> {
    return this.#byId.get(id)
  }

  async put(entries: readonly Entry[]): Promise<Entry[]> {
    const added: Entry[] = []
    for (const entry of entries) {
      if (this.#byId.has(entry.id)) continue
      this.#byId.set(entry.id, entry)
      added.push(entry)
    }
    return added
  }

  async all(): Promise<Entry[]> {
    return [...this.#byId.values()]
  }

  get size(): number {
    return this.#byId.size
  }
}
