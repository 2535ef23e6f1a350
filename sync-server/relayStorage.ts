/**
 * What the relay needs from its storage beyond automerge-repo's interface:
 * start and stop, byte counts for the quota and /metrics, and a name for the
 * log. Two kinds: a folder on disk (the embedded default, diskStorage.ts) and
 * PostgreSQL (postgresStorage.ts), which several relay processes can share.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { DocumentId, StorageAdapterInterface } from '@automerge/automerge-repo'
import { DiskStorageAdapter, type StorageHooks } from './diskStorage.ts'

export interface RelayStorage extends StorageAdapterInterface {
  /** Counts what is stored already and prepares the store. Call before use. */
  init(): Promise<void>
  /** Lets saves under way finish; later saves are dropped (as in a crash). */
  close(): Promise<void>
  totalBytes(): number
  documentBytes(documentId: DocumentId): number
  /** Bytes of documents only (chunks and sync states), which the disk quota counts. */
  documentsBytes(): number
  documentCount(): number
  /** Compactions done on load, for /metrics and tests. */
  readonly compactions: number
  /** Where the bytes live, for the log: a folder, or a database without its password. */
  describe(): string
}

/** Is `spec` a PostgreSQL connection URL (what `--storage` accepts)? */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\/\S+$/.test(spec)
}

/** The file in a relay's data folder that names it among the relays sharing one database. */
export const NODE_ID_FILE_NAME = 'storage-node-id'

/**
 * This relay's name among the relays that share one database: made once and
 * kept in its data folder, so that a restart is the same node (its sync states
 * with peers stay its own).
 */
export function storageNodeIdOf(dataDir: string): string {
  const file = join(dataDir, NODE_ID_FILE_NAME)
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim()
    if (/^[0-9a-f-]{36}$/.test(id)) return id
    throw new Error(`expected ${file} to hold a UUID (this relay's name in the shared database), got ${JSON.stringify(id.slice(0, 60))}`)
  }
  mkdirSync(dataDir, { recursive: true })
  const id = randomUUID()
  writeFileSync(file, id + '\n', { flag: 'wx' })
  return id
}

/**
 * The relay's storage: `spec` undefined is the folder DATA_DIR/automerge; a
 * postgres:// URL is that database (the driver is loaded only then).
 */
export async function openRelayStorage(spec: string | undefined, dataDir: string, hooks: StorageHooks): Promise<RelayStorage> {
  if (spec === undefined) return new DiskStorageAdapter(join(dataDir, 'automerge'), hooks)
  if (!isPostgresUrl(spec)) throw new TypeError(`expected the relay's storage to be a postgres:// URL or the data folder, got ${JSON.stringify(spec.replace(/\/\/[^@/]*@/, '//…@'))}`)
  const { PostgresStorageAdapter } = await import('./postgresStorage.ts')
  return new PostgresStorageAdapter(spec, storageNodeIdOf(dataDir), hooks)
}
