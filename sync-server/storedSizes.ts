/**
 * Bytes a relay's storage holds, per document (the first key segment) and per
 * stored item (a file, a row): for the disk quota, the document limit,
 * /metrics and eviction's estimate. Shared by the disk and PostgreSQL storages.
 */
export class StoredSizes {
  readonly #sizes = new Map<string, Map<string, number>>()
  readonly #syncStateMarker: string
  #totalBytes = 0

  /** `syncStateMarker`: the text in an item's name that marks a sync state (not counted as a document's own bytes). */
  constructor(syncStateMarker: string) {
    this.#syncStateMarker = syncStateMarker
  }

  record(first: string, item: string, size: number): void {
    let items = this.#sizes.get(first)
    if (!items) this.#sizes.set(first, (items = new Map()))
    this.#totalBytes += size - (items.get(item) ?? 0)
    items.set(item, size)
  }

  forget(first: string, item: string): void {
    const items = this.#sizes.get(first)
    const size = items?.get(item)
    if (!items || size === undefined) return
    this.#totalBytes -= size
    items.delete(item)
    if (items.size === 0) this.#sizes.delete(first)
  }

  /** The items recorded under `first`. */
  items(first: string): string[] {
    return [...(this.#sizes.get(first)?.keys() ?? [])]
  }

  totalBytes(): number {
    return this.#totalBytes
  }

  /** A document's chunks, without its sync states. */
  documentBytes(documentId: string): number {
    let bytes = 0
    for (const [item, size] of this.#sizes.get(documentId) ?? []) if (!item.includes(this.#syncStateMarker)) bytes += size
    return bytes
  }

  /** Everything but the storage id: documents' chunks and sync states, which the disk quota counts. */
  documentsBytes(): number {
    let own = 0
    for (const size of this.#sizes.get('storage-adapter-id')?.values() ?? []) own += size
    return this.#totalBytes - own
  }

  documentCount(): number {
    return this.#sizes.size
  }
}
