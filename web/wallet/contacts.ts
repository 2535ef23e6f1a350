/**
 * The names this device gives to keys, pool by pool. Local only: never
 * signed, never sent, so a name is what this member calls someone, not a
 * claim anyone made. Its own key goes by the profile's display name.
 */
import type { ContactRecord } from '../storage/wallet-db.ts'
import type { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'

/** Characters of a name or a label kept: enough for a person, short enough for a row on a phone. */
export const NAME_CHARS_MAX = 40

/** A name as kept: spaces around it dropped, cut to NAME_CHARS_MAX. */
export function trimmedName(name: string): string {
  return name.trim().slice(0, NAME_CHARS_MAX)
}

/** The wallet parts Contacts uses. */
export type ContactsParts = Pick<WalletParts, 'db' | 'pools' | 'settings' | 'changed'>

export class Contacts {
  readonly #parts: ContactsParts

  constructor(parts: ContactsParts) {
    this.#parts = parts
  }

  /** The name this wallet knows a key by in a pool, if any. */
  nameOf(pool: string, key: string): string | undefined {
    const book = this.#parts.pools.get(pool)
    if (!book) return undefined
    if (key === book.me) return this.#parts.settings.profile.displayName || undefined
    return book.nameOf(key)
  }

  /** Names a key; an empty name, or one's own key (named by the display name), is ignored. */
  async set(pool: string, key: string, name: string): Promise<void> {
    const book = this.#parts.pools.get(pool)
    const trimmed = trimmedName(name)
    if (!book || trimmed === '' || key === book.me) return
    await this.#parts.db.put('contacts', { pool, key, name: trimmed })
    book.contacts.set(key, trimmed)
    book.touch()
    this.#parts.changed()
  }

  /** Every contact of every pool, for a backup. */
  async all(): Promise<ContactRecord[]> {
    return this.#parts.db.getAll('contacts')
  }

  /** Keeps a backup's contacts for a pool just restored, as they were (they were trimmed when first kept). */
  async keep(book: PoolBook, contacts: readonly ContactRecord[]): Promise<void> {
    for (const contact of contacts) {
      await this.#parts.db.put('contacts', contact)
      book.contacts.set(contact.key, contact.name)
    }
  }
}
