/**
 * automerge-repo's storage over PostgreSQL, so that several relay processes
 * behind one address share every pool's documents (`heroes relay --storage
 * postgres://…`). They still peer (`--peer`) for live changes: a relay learns
 * of another's write from the sync protocol, and reads the database only when
 * it loads a document.
 *
 * One table of chunks, keyed by the storage key joined with "/" (segments are
 * checked to hold none), in byte order (COLLATE "C") so that a key prefix is a
 * range of the primary key. Document chunks (snapshots, incrementals) are
 * shared: their keys name their content, so two relays writing the same key
 * write the same bytes. What describes one relay is kept per node: its storage
 * id, and its sync states with peers, which say what a peer has as seen from
 * this relay.
 *
 * Durability: each save is one statement committed before it resolves (the
 * relay holds a change back from other peers until then, durableForwarding.ts).
 * Compaction on load is one transaction: the merged snapshot is written and
 * the chunks it holds are deleted together, so a relay killed in between
 * leaves the old chunks or the new snapshot, and two relays compacting at once
 * each delete only chunks their own snapshot holds.
 */
import { createHash } from 'node:crypto'
import * as Automerge from '@automerge/automerge'
import type { Chunk, DocumentId, StorageKey } from '@automerge/automerge-repo'
import pg from 'pg'
import type { StorageHooks } from './diskStorage.ts'
import type { RelayStorage } from './relayStorage.ts'
import { StoredSizes } from './storedSizes.ts'
import { POSTGRES_CONNECTIONS_MAX, POSTGRES_CONNECT_TIMEOUT_MS } from './limits.ts'

/** The table, made when missing. */
export const CHUNKS_TABLE = 'heroes_automerge_chunks'

const SEPARATOR = '/'
/** The character after SEPARATOR in byte order: `prefix/` ≤ key < `prefix0` is "key starts with prefix/". */
const AFTER_SEPARATOR = '0'

export class PostgresStorageAdapter implements RelayStorage {
  readonly #pool: pg.Pool
  readonly #url: URL
  readonly #nodeId: string
  readonly #hooks: StorageHooks
  /** Bytes per document as this relay last saw them (its own writes and what it loaded), by row key. */
  readonly #sizes = new StoredSizes(`${SEPARATOR}sync-state${SEPARATOR}`)
  readonly #notCompactable = new Set<string>()
  readonly #inFlight = new Set<Promise<unknown>>()
  #closed = false
  compactions = 0

  /** `nodeId` names this relay among those sharing the database (relayStorage.ts storageNodeIdOf). */
  constructor(url: string, nodeId: string, hooks: StorageHooks = {}) {
    this.#url = new URL(url)
    this.#nodeId = nodeId
    this.#hooks = hooks
    this.#pool = new pg.Pool({ connectionString: url, max: POSTGRES_CONNECTIONS_MAX, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS })
    // An idle connection that the server drops (a restart) is an error on the pool, not a crash: the next query reconnects.
    this.#pool.on('error', () => {})
  }

  describe(): string {
    return `postgres://${this.#url.hostname}${this.#url.port ? `:${this.#url.port}` : ''}${this.#url.pathname}`
  }

  async init(): Promise<void> {
    const client = await this.#pool.connect()
    try {
      // Two relays starting at once would race on CREATE TABLE IF NOT EXISTS: one at a time.
      await client.query('BEGIN')
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CHUNKS_TABLE])
      await client.query(`CREATE TABLE IF NOT EXISTS ${CHUNKS_TABLE} (key text COLLATE "C" PRIMARY KEY, data bytea NOT NULL)`)
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
    const { rows } = await this.#pool.query<{ key: string; bytes: number }>(`SELECT key, octet_length(data) AS bytes FROM ${CHUNKS_TABLE}`)
    for (const { key, bytes } of rows) {
      const logical = this.#logical(key)
      if (logical) this.#sizes.record(logical[0]!, key, Number(bytes))
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await Promise.allSettled([...this.#inFlight])
    await this.#pool.end()
  }

  totalBytes(): number {
    return this.#sizes.totalBytes()
  }

  documentBytes(documentId: DocumentId): number {
    return this.#sizes.documentBytes(documentId)
  }

  documentsBytes(): number {
    return this.#sizes.documentsBytes()
  }

  documentCount(): number {
    return this.#sizes.documentCount()
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    if (this.#closed) return undefined
    const { rows } = await this.#track(this.#pool.query<{ data: Buffer }>(`SELECT data FROM ${CHUNKS_TABLE} WHERE key = $1`, [this.#physical(key)]))
    return rows[0] ? new Uint8Array(rows[0].data) : undefined
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    if (this.#closed) return
    const physical = this.#physical(key)
    const isDocument = key.length > 2 && (key[1] === 'snapshot' || key[1] === 'incremental')
    // Before the first await: automerge-repo took the document it writes just now.
    const token = isDocument ? this.#hooks.onSaving?.(key[0] as DocumentId) : undefined
    await this.#track(this.#pool.query(
      `INSERT INTO ${CHUNKS_TABLE} (key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data`,
      [physical, Buffer.from(data.buffer, data.byteOffset, data.byteLength)],
    ))
    this.#sizes.record(key[0]!, physical, data.byteLength)
    if (isDocument) this.#hooks.onSaved?.(key[0] as DocumentId, token)
  }

  async remove(key: StorageKey): Promise<void> {
    if (this.#closed) return
    const physical = this.#physical(key)
    await this.#track(this.#pool.query(`DELETE FROM ${CHUNKS_TABLE} WHERE key = $1`, [physical]))
    this.#sizes.forget(key[0]!, physical)
  }

  async loadRange(keyPrefix: StorageKey): Promise<Chunk[]> {
    if (this.#closed) return []
    if (keyPrefix.length === 2 && keyPrefix[1] === 'snapshot' && !this.#notCompactable.has(keyPrefix[0]!)) {
      const compacted = await this.#loadCompacted(keyPrefix[0]!)
      if (compacted) return compacted
    }
    const rows = await this.#range(keyPrefix)
    const chunks: Chunk[] = []
    for (const { key, data } of rows) {
      const logical = this.#logical(key)
      if (logical) chunks.push({ key: logical, data: new Uint8Array(data) })
    }
    return chunks
  }

  async removeRange(keyPrefix: StorageKey): Promise<void> {
    if (this.#closed) return
    const prefix = this.#physicalPrefix(keyPrefix)
    await this.#track(this.#pool.query(`DELETE FROM ${CHUNKS_TABLE} WHERE key = $1 OR (key >= $2 AND key < $3)`, [prefix, prefix + SEPARATOR, prefix + AFTER_SEPARATOR]))
    for (const key of this.#sizes.items(keyPrefix[0]!)) {
      if (key === prefix || key.startsWith(prefix + SEPARATOR)) this.#sizes.forget(keyPrefix[0]!, key)
    }
  }

  /**
   * A document's snapshots and incrementals in one read; several are merged
   * into one snapshot, written and the merged ones deleted in one transaction.
   * Undefined when they do not load as one document (automerge-repo then
   * loads them its own way).
   */
  async #loadCompacted(documentId: string): Promise<Chunk[] | undefined> {
    const snapshots = await this.#range([documentId, 'snapshot'])
    const incrementals = await this.#range([documentId, 'incremental'])
    const rows = [...snapshots, ...incrementals]
    if (rows.length === 0) return []
    let doc: Automerge.Doc<unknown>
    try {
      doc = Automerge.load(Buffer.concat(rows.map((row) => row.data)))
    } catch {
      this.#notCompactable.add(documentId)
      return undefined
    }
    this.#hooks.onLoaded?.(documentId as DocumentId, Automerge.getHeads(doc))
    for (const row of rows) this.#sizes.record(documentId, row.key, row.data.byteLength)
    if (rows.length === 1) return [{ key: this.#logical(rows[0]!.key)!, data: new Uint8Array(rows[0]!.data) }]
    const compacted = Automerge.save(doc)
    const key: StorageKey = [documentId, 'snapshot', `compacted-${createHash('sha256').update(compacted).digest('hex').slice(0, 32)}`]
    const kept = this.#physical(key)
    const merged = rows.map((row) => row.key).filter((physical) => physical !== kept)
    await this.#track(this.#transaction(async (client) => {
      await client.query(`INSERT INTO ${CHUNKS_TABLE} (key, data) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [kept, Buffer.from(compacted)])
      await client.query(`DELETE FROM ${CHUNKS_TABLE} WHERE key = ANY($1)`, [merged])
    }))
    this.#sizes.record(documentId, kept, compacted.byteLength)
    for (const physical of merged) this.#sizes.forget(documentId, physical)
    this.compactions++
    return [{ key, data: compacted }]
  }

  async #range(keyPrefix: StorageKey): Promise<Array<{ key: string; data: Buffer }>> {
    const prefix = this.#physicalPrefix(keyPrefix)
    const { rows } = await this.#track(this.#pool.query<{ key: string; data: Buffer }>(
      `SELECT key, data FROM ${CHUNKS_TABLE} WHERE key = $1 OR (key >= $2 AND key < $3) ORDER BY key`,
      [prefix, prefix + SEPARATOR, prefix + AFTER_SEPARATOR],
    ))
    return rows
  }

  async #transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.#pool.connect()
    try {
      await client.query('BEGIN')
      await work(client)
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  /** Keeps a query in the set that close() waits for. */
  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work)
    const forget = (): void => void this.#inFlight.delete(work)
    work.then(forget, forget)
    return work
  }

  /**
   * The row key of a storage key: its segments joined with "/", except what
   * belongs to this relay alone: its storage id (`storage-adapter-id/NODE`) and
   * its sync states (`DOC/sync-state/NODE/PEER`).
   */
  #physical(key: StorageKey): string {
    checkKey(key)
    if (key.length === 1 && key[0] === 'storage-adapter-id') return ['storage-adapter-id', this.#nodeId].join(SEPARATOR)
    if (key.length === 3 && key[1] === 'sync-state') return [key[0], 'sync-state', this.#nodeId, key[2]].join(SEPARATOR)
    return key.join(SEPARATOR)
  }

  /** A prefix as a row key prefix (a sync-state prefix stays shared: removing a document removes every node's). */
  #physicalPrefix(keyPrefix: StorageKey): string {
    checkKey(keyPrefix)
    return keyPrefix.join(SEPARATOR)
  }

  /** The storage key of a row, or undefined for what belongs to another relay. */
  #logical(physical: string): StorageKey | undefined {
    const parts = physical.split(SEPARATOR)
    if (parts[0] === 'storage-adapter-id') return parts.length === 2 && parts[1] === this.#nodeId ? ['storage-adapter-id'] : undefined
    if (parts[1] === 'sync-state') return parts.length === 4 && parts[2] === this.#nodeId ? [parts[0]!, 'sync-state', parts[3]!] : undefined
    return parts
  }
}

function checkKey(key: StorageKey): void {
  if (key.length === 0 || key.some((segment) => segment.length === 0 || segment.includes(SEPARATOR))) {
    throw new TypeError(`expected a storage key of non-empty segments without "${SEPARATOR}", got ${JSON.stringify(key)}`)
  }
}
