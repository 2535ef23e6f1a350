/**
 * Which documents a device asks for, computed from the entries it already
 * holds: genesis → its author's shards → admitted and joined members' and
 * named witnesses', trustlines' gateways', orders' coordinators', members' devices' and recovering
 * keys' shards, and the invite slots of invites nobody has used yet. Pure.
 */
import type { DocumentId } from '@automerge/automerge-repo'
import type { Entry, EntryId, PublicKeyHex } from '../index.ts'
import { inviteDocumentId, shardDocumentId, shardOfSeq } from './documentIds.ts'
import { SHARD_ENTRIES } from './limits.ts'

export type FollowedDocument =
  | { kind: 'shard'; documentId: DocumentId; author: PublicKeyHex; shard: number }
  | { kind: 'invite'; documentId: DocumentId; invite: EntryId }

/** Where an entry is published: its author's shard, and for a join also the invite's slot. */
export function homeDocumentsOf(entry: Entry): DocumentId[] {
  const homes = [shardDocumentId(entry.pool, entry.author, shardOfSeq(entry.seq))]
  if (entry.type === 'join') homes.push(inviteDocumentId(entry.pool, entry.invite))
  return homes
}

export interface DiscoveryOptions {
  /**
   * Skip closed shards whose every seq is already held (saves the memory the
   * Repo spends on each open document; such a device no longer repairs
   * vandalism in those shards, others still do).
   */
  skipCompleteShards?: boolean
}

/** The documents to follow for `pool`, given every verified entry held (entries of other pools are ignored). */
export function documentsToFollow(pool: EntryId, entries: Iterable<Entry>, options: DiscoveryOptions = {}): FollowedDocument[] {
  const directory = new PoolDirectory(pool)
  for (const entry of entries) directory.add(entry)
  return directory.documents(options)
}

/**
 * The incremental form of documentsToFollow: a device adds entries as they are
 * verified and asks for the list again; the list only grows.
 */
export class PoolDirectory {
  readonly pool: EntryId
  readonly #authors = new Set<PublicKeyHex>()
  readonly #seqsByAuthor = new Map<PublicKeyHex, Set<number>>()
  readonly #maxSeqByAuthor = new Map<PublicKeyHex, number>()
  readonly #invites = new Set<EntryId>()
  readonly #usedInvites = new Set<EntryId>()
  #genesisSeen = false
  /** Derived ids, remembered: documents() runs after every batch of entries, and each id costs a SHA-256. */
  readonly #shardIds = new Map<string, DocumentId>()

  constructor(pool: EntryId) {
    this.pool = pool
  }

  /** Takes note of one verified entry; entries of other pools are ignored. */
  add(entry: Entry): void {
    if (entry.pool !== this.pool) return
    let seqs = this.#seqsByAuthor.get(entry.author)
    if (!seqs) this.#seqsByAuthor.set(entry.author, (seqs = new Set()))
    seqs.add(entry.seq)
    if ((this.#maxSeqByAuthor.get(entry.author) ?? 0) < entry.seq) this.#maxSeqByAuthor.set(entry.author, entry.seq)
    switch (entry.type) {
      case 'pool':
        if (entry.id === this.pool) {
          this.#genesisSeen = true
          this.#authors.add(entry.author)
          for (const witness of entry.policy.witnesses ?? []) this.#authors.add(witness)
        }
        break
      case 'policy':
        // Witnesses write checkpoints to their own shards: follow every key a policy names.
        for (const witness of entry.policy.witnesses ?? []) this.#authors.add(witness)
        break
      case 'admit':
        this.#authors.add(entry.member)
        break
      case 'invite':
        this.#invites.add(entry.id)
        break
      case 'join':
        this.#authors.add(entry.author)
        this.#usedInvites.add(entry.invite)
        break
      case 'order':
      case 'request':
        // A standing order's (or recurring request's) coordinator is no member but collects the payments in its own shards.
        if (entry.coordinator) this.#authors.add(entry.coordinator)
        break
      case 'trust':
        // A trustline's gateway is no member but signs prepares, fulfils and cancels in its own shards.
        this.#authors.add(entry.gateway)
        break
      case 'device':
        // A member's device signs in its own shards (rules/devices.ts).
        this.#authors.add(entry.device)
        break
      case 'approve':
        // A recovery's new key: its request is in its own shards, and after the recovery all it signs.
        this.#authors.add(entry.key)
        break
    }
  }

  /** Every document to follow now, authors' shards first (sorted, so every device asks in the same order). */
  documents(options: DiscoveryOptions = {}): FollowedDocument[] {
    if (!this.#genesisSeen) return []
    const followed: FollowedDocument[] = []
    for (const author of [...this.#authors].sort()) {
      const seqs = this.#seqsByAuthor.get(author) ?? new Set<number>()
      const maxSeq = this.#maxSeqByAuthor.get(author) ?? 0
      // The shard holding the latest seq, and the next one once that shard is full.
      const lastShard = maxSeq === 0 ? 0 : shardOfSeq(maxSeq) + (maxSeq % SHARD_ENTRIES === 0 ? 1 : 0)
      for (let shard = 0; shard <= lastShard; shard++) {
        if (options.skipCompleteShards && shard < lastShard && shardComplete(seqs, shard)) continue
        followed.push({ kind: 'shard', documentId: this.#shardId(author, shard), author, shard })
      }
    }
    for (const invite of [...this.#invites].sort()) {
      if (!this.#usedInvites.has(invite)) followed.push({ kind: 'invite', documentId: inviteDocumentId(this.pool, invite), invite })
    }
    return followed
  }

  /** Closed shards whose every seq is held: the documents a device may park (PoolSync's parkCompleteShards). */
  completeShards(): Set<DocumentId> {
    const complete = new Set<DocumentId>()
    for (const author of this.#authors) {
      const seqs = this.#seqsByAuthor.get(author)
      const maxSeq = this.#maxSeqByAuthor.get(author) ?? 0
      if (!seqs || maxSeq === 0) continue
      const lastShard = shardOfSeq(maxSeq) + (maxSeq % SHARD_ENTRIES === 0 ? 1 : 0)
      for (let shard = 0; shard < lastShard; shard++) if (shardComplete(seqs, shard)) complete.add(this.#shardId(author, shard))
    }
    return complete
  }

  #shardId(author: PublicKeyHex, shard: number): DocumentId {
    const key = `${author}/${shard}`
    let id = this.#shardIds.get(key)
    if (!id) this.#shardIds.set(key, (id = shardDocumentId(this.pool, author, shard)))
    return id
  }
}

function shardComplete(seqs: ReadonlySet<number>, shard: number): boolean {
  for (let seq = shard * SHARD_ENTRIES + 1; seq <= (shard + 1) * SHARD_ENTRIES; seq++) if (!seqs.has(seq)) return false
  return true
}
