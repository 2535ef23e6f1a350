/**
 * Where a pool's entries live: document ids derived from what every device
 * already holds, so no index document exists for anyone to vandalise.
 *
 *   shard  (pool, author, n): the author's entries with seq in [n·K + 1, (n + 1)·K]
 *   invite (pool, invite id): where a new member drops its join entry, because
 *                             nobody knows the member's key before it joins
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { interpretAsDocumentId, type BinaryDocumentId, type DocumentId } from '@automerge/automerge-repo'
import type { EntryId, PublicKeyHex } from '../index.ts'
import { SHARD_ENTRIES } from './limits.ts'

/** Domain of every derived id; bump with the protocol, never otherwise. */
const ID_DOMAIN = 'heroes/v1/sync'

/** Which shard of its author an entry with this seq belongs to (0-based). */
export function shardOfSeq(seq: number): number {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`expected seq a whole number ≥ 1, got ${String(seq)}`)
  return Math.floor((seq - 1) / SHARD_ENTRIES)
}

/** The document holding `author`'s shard `shard` of `pool`. */
export function shardDocumentId(pool: EntryId, author: PublicKeyHex, shard: number): DocumentId {
  if (!Number.isSafeInteger(shard) || shard < 0) throw new RangeError(`expected shard a whole number ≥ 0, got ${String(shard)}`)
  return derivedDocumentId(`${ID_DOMAIN}/shard/${pool}/${author}/${shard}`)
}

/** The document where whoever uses invite `invite` publishes its join entry. */
export function inviteDocumentId(pool: EntryId, invite: EntryId): DocumentId {
  return derivedDocumentId(`${ID_DOMAIN}/invite/${pool}/${invite}`)
}

/** 16 bytes of SHA-256 as an automerge-repo document id (the size of the ids it makes itself). */
function derivedDocumentId(path: string): DocumentId {
  return interpretAsDocumentId(sha256(utf8ToBytes(path)).subarray(0, 16) as BinaryDocumentId)
}

/**
 * The actor of a document's fixed first change. Every peer makes the same first
 * change with it, so all copies share one root and nobody's `entries` map hides
 * in a conflict (PERF-NOTES pitfall 1). Never used to write anything else.
 */
export function firstChangeActor(documentId: DocumentId): string {
  return bytesToHex(sha256(utf8ToBytes(`${ID_DOMAIN}/first-change/${documentId}`))).slice(0, 32)
}
