/**
 * When has a relay given this device its key's own chain? Pure, so the rule
 * can be tested without a network; automerge-sync-engine.ts feeds it what the
 * relay said this session.
 *
 * A key's chain lives in its shards (documentIds.ts): shard n holds seq
 * n·K + 1 … (n + 1)·K. The shards to hear about are every shard up to the one
 * holding the latest seq this device knows, and the next one once that is
 * full (where discovery.ts looks next). For each, the relay must have answered
 * in this session, to a request this device made:
 *
 * - with the document (a sync message): then its heads, as the relay last
 *   reported them, must all be heads this device holds, i.e. nothing the relay
 *   holds there is missing here;
 * - or with "unavailable": believed only for a shard where this device holds
 *   no entry of its own (had it one, it would have written it there, and the
 *   relay would answer with the document).
 *
 * A relay that never answered, or answered only from what this device told it,
 * proves nothing: the mark of a restored key stays (chain-guard.ts).
 */
import type { Entry, PublicKeyHex } from '../../core/index.ts'

export type RelayAnswer = 'sync' | 'unavailable'

export interface OwnShard {
  readonly shard: number
  /** This device holds at least one entry of its own in this shard. */
  readonly holdsOwn: boolean
}

/** What is known of one shard document: the relay's answer this session, this device's heads, the relay's last reported heads. */
export interface ShardState {
  readonly answer?: RelayAnswer | undefined
  readonly ours?: readonly string[] | undefined
  readonly theirs?: readonly string[] | undefined
}

/** The shards of a chain to hear about, given the seqs of the entries of it this device holds. */
export function ownShards(seqs: Iterable<number>, shardEntries: number): OwnShard[] {
  const held = new Set<number>()
  let maxSeq = 0
  for (const seq of seqs) {
    held.add(Math.floor((seq - 1) / shardEntries))
    if (seq > maxSeq) maxSeq = seq
  }
  const last = maxSeq === 0 ? 0 : Math.floor((maxSeq - 1) / shardEntries) + (maxSeq % shardEntries === 0 ? 1 : 0)
  const shards: OwnShard[] = []
  for (let shard = 0; shard <= last; shard++) shards.push({ shard, holdsOwn: held.has(shard) })
  return shards
}

/** The seqs of `author`'s entries among `entries`. */
export function ownSeqs(entries: Iterable<Entry>, author: PublicKeyHex): number[] {
  const seqs: number[] = []
  for (const entry of entries) if (entry.author === author) seqs.push(entry.seq)
  return seqs
}

/** True when the relay answered for every shard and this device holds all it reported. */
export function ownChainFetched(shards: readonly OwnShard[], state: (shard: number) => ShardState): boolean {
  for (const { shard, holdsOwn } of shards) {
    const { answer, ours, theirs } = state(shard)
    if (answer === undefined) return false
    if (answer === 'unavailable') {
      if (holdsOwn) return false
      continue
    }
    if (!ours || !theirs) return false
    const mine = new Set(ours)
    if (!theirs.every((head) => mine.has(head))) return false
  }
  return true
}
