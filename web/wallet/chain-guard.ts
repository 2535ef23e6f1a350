/**
 * May this device sign the next entry of its key's chain in a pool? Asked
 * before every signature (entry-signer.ts): a chain position signed twice is a
 * fork, which every device treats as a double spend and which freezes the
 * member for good. Pure.
 *
 * - **needs-chain-head**: the key was restored (backup file or phrase) and the
 *   relay has not yet given this device the key's own chain in this session
 *   (PoolRecord.needsChainHead, kept in IndexedDB until onOwnChainFetched,
 *   see web/sync/own-chain.ts). The backup may predate entries the key signed
 *   on another device; signing now could reuse their seq.
 * - **own-fork**: this device holds two different entries of its own key at
 *   one seq, or an entry whose `prev` is not the entry it holds one seq
 *   earlier. Signing on either branch would only extend a double spend.
 * - **stale-chain-head**: the head this device would sign after is not the
 *   newest entry of its key it holds (it holds one at that seq or later).
 */
import { chainHead, type Entry, type EntryId, type PublicKeyHex } from '../../core/index.ts'

export type ChainGuardReason = 'needs-chain-head' | 'own-fork' | 'stale-chain-head'

export interface ChainGuardProblem {
  readonly reason: ChainGuardReason
  /** The seq where the fork or the newer entry is. */
  readonly seq?: number
}

export interface ChainGuardInput {
  readonly pool: EntryId
  readonly author: PublicKeyHex
  /** The persisted mark of a restored key (PoolRecord.needsChainHead). */
  readonly needsChainHead: boolean
  /** Every verified entry this device holds for the pool. */
  readonly entries: Iterable<Entry>
}

/** The reason not to sign now, or undefined when the key may sign on top of its head. */
export function chainGuard(input: ChainGuardInput): ChainGuardProblem | undefined {
  if (input.needsChainHead) return { reason: 'needs-chain-head' }
  const own: Entry[] = []
  for (const entry of input.entries) if (entry.pool === input.pool && entry.author === input.author) own.push(entry)
  if (own.length === 0) return undefined

  const bySeq = new Map<number, Set<EntryId>>()
  for (const entry of own) {
    let ids = bySeq.get(entry.seq)
    if (!ids) bySeq.set(entry.seq, (ids = new Set()))
    ids.add(entry.id)
  }
  let forkAt: number | undefined
  for (const entry of own) {
    const twoHere = (bySeq.get(entry.seq)?.size ?? 0) > 1
    const before = entry.seq > 1 ? bySeq.get(entry.seq - 1) : undefined
    // An entry whose prev is not the one held before it: the held one has a twin this device has not seen.
    const brokenLink = before !== undefined && (entry.prev === null || !before.has(entry.prev))
    const seq = twoHere ? entry.seq : brokenLink ? entry.seq - 1 : undefined
    if (seq !== undefined && (forkAt === undefined || seq < forkAt)) forkAt = seq
  }
  if (forkAt !== undefined) return { reason: 'own-fork', seq: forkAt }

  // The head authorEntry signs after; anything of ours at or beyond its seq means it is stale.
  const head = chainHead(own, input.pool, input.author)
  const newer = own.find((entry) => entry.seq >= head.seq)
  if (newer) return { reason: 'stale-chain-head', seq: newer.seq }
  return undefined
}
