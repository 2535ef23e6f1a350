/**
 * In-memory storage for simulated relays and devices, with crash semantics.
 *
 * A `MemoryDisk` outlives the Repo that writes to it (a relay restarted with
 * its storage gets the same disk back; one restarted without it gets a new
 * one). Each Repo talks to the disk through its own `MemoryStorageAdapter`;
 * when the process "dies" that adapter is cut off, so timers of the abandoned
 * Repo that still fire in virtual time cannot write to a disk the next
 * incarnation owns.
 */
import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo'

const SEPARATOR = '\u0000'

export class MemoryDisk {
  readonly files = new Map<string, Uint8Array>()

  /**
   * automerge-repo names a storage with a random UUID (the `uuid` package,
   * not seedable) unless one is stored: writing a deterministic one first
   * keeps runs reproducible.
   */
  constructor(storageId: string) {
    this.files.set(['storage-adapter-id'].join(SEPARATOR), new TextEncoder().encode(storageId))
  }

  get bytes(): number {
    let total = 0
    for (const data of this.files.values()) total += data.byteLength
    return total
  }
}

export class MemoryStorageAdapter implements StorageAdapterInterface {
  #alive = true

  constructor(readonly disk: MemoryDisk) {}

  /** The process died: nothing more reaches the disk from this Repo. */
  cutOff(): void {
    this.#alive = false
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    if (!this.#alive) return undefined
    return this.disk.files.get(key.join(SEPARATOR))
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    if (!this.#alive) return
    this.disk.files.set(key.join(SEPARATOR), data.slice())
  }

  async remove(key: StorageKey): Promise<void> {
    if (!this.#alive) return
    this.disk.files.delete(key.join(SEPARATOR))
  }

  async loadRange(prefix: StorageKey): Promise<Chunk[]> {
    if (!this.#alive) return []
    const chunks: Chunk[] = []
    for (const [name, data] of this.disk.files) {
      const key = name.split(SEPARATOR)
      if (startsWith(key, prefix)) chunks.push({ key, data })
    }
    return chunks
  }

  async removeRange(prefix: StorageKey): Promise<void> {
    if (!this.#alive) return
    for (const name of [...this.disk.files.keys()]) if (startsWith(name.split(SEPARATOR), prefix)) this.disk.files.delete(name)
  }
}

function startsWith(key: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > key.length) return false
  return prefix.every((part, i) => key[i] === part)
}
