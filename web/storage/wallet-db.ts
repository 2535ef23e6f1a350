/**
 * The wallet's IndexedDB schema (through idb). This device's own copy of what
 * it knows: verified entry lines per pool, the keys, and local-only facts
 * (contacts, drafts, which entries reached a relay). Automerge documents live
 * in a separate database owned by automerge-repo's adapter; money is never
 * read from there without going through core's decoder and validator.
 *
 * idb's trap applies: a transaction commits as soon as the code awaits
 * something else, so every function here awaits only the transaction's own requests.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { KeyDerivation } from '../keys/pool-keys.ts'

export const WALLET_DB_NAME = 'heroes-wallet'
const WALLET_DB_VERSION = 1

export interface PoolRecord {
  readonly id: string
  readonly genesisLine: string
  /** The relay this pool syncs through; empty means the app's default relay. */
  readonly relayUrl: string
  readonly status: 'member' | 'requested'
  readonly joinedAt: number
  /**
   * True after a restore, until the relay has told this device what its key
   * signed before. Signing earlier could reuse a chain position: a fork, which
   * every device treats as a double spend.
   */
  readonly needsChainHead: boolean
}

export interface KeyRecord {
  readonly pool: string
  readonly publicKey: string
  /** Hex of the 32-byte Ed25519 secret key; derived from the seed, kept so signing needs no re-derivation. */
  readonly secretKey: string
  readonly derivation: KeyDerivation
  /**
   * For a linked device (web/wallet/linking.ts): the member key this device key signs for, and the
   * `device` certificate that made it one. Absent for the member key itself.
   */
  readonly member?: string
  readonly certificate?: string
}

export interface EntryRecord {
  readonly pool: string
  readonly id: string
  readonly line: string
}

/** Whether an entry this device wrote is known to have reached a relay. */
export interface DeliveryRecord {
  readonly id: string
  readonly pool: string
  readonly state: 'device' | 'relay'
  readonly at: number
}

export interface ContactRecord {
  readonly pool: string
  readonly key: string
  readonly name: string
}

export interface DraftRecord {
  readonly pool: string
  readonly to: string
  readonly amount: string
  readonly memo: string
  readonly toName?: string
}

/** Invites this device (as gatekeeper) handed out, so their links can be shown again. */
export interface InviteRecord {
  readonly id: string
  readonly pool: string
  readonly label: string
  readonly link: string
  readonly createdAt: number
}

/** Join requests this device (as gatekeeper) received by link or QR. */
export interface JoinRequestRecord {
  readonly pool: string
  readonly member: string
  readonly name: string
  readonly state: 'waiting' | 'approved' | 'refused'
  readonly at: number
}

export interface WalletSchema extends DBSchema {
  settings: { key: string; value: unknown }
  pools: { key: string; value: PoolRecord }
  keys: { key: string; value: KeyRecord }
  entries: { key: [string, string]; value: EntryRecord; indexes: { 'by-pool': string } }
  delivery: { key: string; value: DeliveryRecord; indexes: { 'by-pool': string } }
  contacts: { key: [string, string]; value: ContactRecord; indexes: { 'by-pool': string } }
  drafts: { key: string; value: DraftRecord }
  invites: { key: string; value: InviteRecord; indexes: { 'by-pool': string } }
  requests: { key: [string, string]; value: JoinRequestRecord; indexes: { 'by-pool': string } }
}

export type WalletDb = IDBPDatabase<WalletSchema>

export function openWalletDb(name = WALLET_DB_NAME): Promise<WalletDb> {
  return openDB<WalletSchema>(name, WALLET_DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('settings')
      db.createObjectStore('pools', { keyPath: 'id' })
      db.createObjectStore('keys', { keyPath: 'pool' })
      db.createObjectStore('entries', { keyPath: ['pool', 'id'] }).createIndex('by-pool', 'pool')
      db.createObjectStore('delivery', { keyPath: 'id' }).createIndex('by-pool', 'pool')
      db.createObjectStore('contacts', { keyPath: ['pool', 'key'] }).createIndex('by-pool', 'pool')
      db.createObjectStore('drafts', { keyPath: 'pool' })
      db.createObjectStore('invites', { keyPath: 'id' }).createIndex('by-pool', 'pool')
      db.createObjectStore('requests', { keyPath: ['pool', 'member'] }).createIndex('by-pool', 'pool')
    },
  })
}
