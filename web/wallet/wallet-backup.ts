/**
 * Backing the wallet up and restoring it. A snapshot holds the phrase, the
 * pools with every entry known and the contacts (backup/wallet-snapshot.ts;
 * backup/backup-file.ts encrypts it). A restore replaces the whole wallet,
 * and every restored key waits for its own chain from the relay before it
 * signs again: the backup may be older than the key's last entry, and
 * signing from a stale chain head forks the chain (chain-guard.ts).
 */
import { decodeEntry } from '../../core/index.ts'
import type { WalletSnapshot } from '../backup/wallet-snapshot.ts'
import { bookLines } from './pool-export.ts'
import { Favourites } from './favourites.ts'
import { hashlockSecrets, restoreHashlockSecrets } from './hashlock-secrets.ts'
import type { WalletParts } from './wallet-parts.ts'

/** Every object store of the wallet's database: a restore clears them all, so nothing of the old wallet remains. */
const WALLET_STORES = ['settings', 'pools', 'keys', 'entries', 'delivery', 'contacts', 'drafts', 'invites', 'requests'] as const

/** The wallet parts WalletBackup uses. */
export type WalletBackupParts = Pick<WalletParts, 'db' | 'now' | 'changed' | 'settings' | 'pools' | 'contacts'>

export class WalletBackup {
  readonly #parts: WalletBackupParts

  constructor(parts: WalletBackupParts) {
    this.#parts = parts
  }

  async snapshot(): Promise<WalletSnapshot> {
    const { settings, pools } = this.#parts
    const contacts = await this.#parts.contacts.all()
    const profile = settings.profile
    return {
      phrase: profile.phrase,
      displayName: profile.displayName,
      createdAt: profile.createdAt,
      pools: [...pools.all()].map((book) => ({
        id: book.id,
        relayUrl: book.record.relayUrl,
        derivation: book.key.derivation,
        status: book.record.status,
        joinedAt: book.record.joinedAt,
        lines: bookLines(book),
      })),
      contacts: contacts.map(({ pool, key, name }) => ({ pool, key, name })),
      favourites: await new Favourites(this.#parts).all(),
      ...await this.#hashlocks(),
    }
  }

  /** Replaces this wallet with the snapshot's; a pool whose genesis is not among its lines is left out. */
  async restore(snapshot: WalletSnapshot): Promise<void> {
    const { settings, pools, contacts } = this.#parts
    await this.#wipe()
    await settings.adopt(snapshot)
    for (const pool of snapshot.pools) {
      const lines = pool.lines.map((line) => decodeEntry(line))
      const genesis = lines.find((decoded) => decoded.ok && decoded.entry.type === 'pool' && decoded.entry.id === pool.id)
      if (!genesis?.ok || genesis.entry.type !== 'pool') continue
      const book = await pools.add({ genesis: genesis.entry, derivation: pool.derivation, relayUrl: pool.relayUrl, status: pool.status, needsChainHead: true, joinedAt: pool.joinedAt })
      await pools.ingestLines(pool.id, pool.lines)
      await contacts.keep(book, snapshot.contacts.filter((c) => c.pool === pool.id))
      book.touch()
    }
    if (snapshot.favourites) await new Favourites(this.#parts).replace(snapshot.favourites)
    if (snapshot.hashlocks && typeof snapshot.hashlocks === 'object') await restoreHashlockSecrets(this.#parts.db, snapshot.hashlocks, new Set(snapshot.pools.map((pool) => pool.id)))
    this.#parts.changed()
  }

  /** Restores from the phrase alone: keys come back; pools come back as their links are opened again. */
  async restoreFromPhrase(phrase: string): Promise<void> {
    await this.restore({ phrase, displayName: '', createdAt: this.#parts.now(), pools: [], contacts: [] })
  }

  /** The open requests' secrets, when there are any (a backup without requests stays as it was). */
  async #hashlocks(): Promise<Pick<WalletSnapshot, 'hashlocks'>> {
    const secrets = await hashlockSecrets(this.#parts.db)
    return Object.keys(secrets).length > 0 ? { hashlocks: secrets } : {}
  }

  async #wipe(): Promise<void> {
    this.#parts.pools.closeAll()
    const tx = this.#parts.db.transaction([...WALLET_STORES], 'readwrite')
    await Promise.all([...WALLET_STORES.map((name) => tx.objectStore(name).clear()), tx.done])
  }
}
