/** Where an author's next entry goes in its own chain. */
import type { Entry, EntryId, PublicKeyHex } from './entry.ts'

export interface ChainHead {
  /** The seq the next entry takes. */
  readonly seq: number
  /** The id the next entry names as prev (null for a first entry). */
  readonly prev: EntryId | null
  /** The earliest time the next entry may carry: time never goes back in a chain. */
  readonly time: number
}

/**
 * The head of `author`'s chain among `entries` of `pool`. With a fork
 * (two entries at one seq) the head follows the lower id, the branch that
 * stands. A restored device must learn this from the pool before it signs,
 * or it forks its own chain.
 */
export function chainHead(entries: Iterable<Entry>, pool: EntryId, author: PublicKeyHex): ChainHead {
  let head: Entry | undefined
  for (const entry of entries) {
    if (entry.pool !== pool || entry.author !== author) continue
    if (!head || entry.seq > head.seq || (entry.seq === head.seq && entry.id < head.id)) head = entry
  }
  return head ? { seq: head.seq + 1, prev: head.id, time: head.time } : { seq: 1, prev: null, time: 0 }
}
