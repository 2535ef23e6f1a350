/**
 * What a witness means for this member right now: is the pool witnessed,
 * may a payment signed now count as online, and what may still be paid
 * before a witness sees this member's payments again. Pure over core's
 * Ledger (docs/validator.md, "The offline cap").
 *
 * A payment is online when it names in `deps` a checkpoint that covers its
 * author's chain head and a checkpoint covers it within ONLINE_COVER_MS_MAX.
 * The wallet names the latest checkpoint only while the sync engine is
 * connected to a relay: offline, the payment could not be covered promptly,
 * and a receipt shown face to face must not depend on a checkpoint the
 * payee's phone may lack (it would wait, unsettled, until it arrives).
 */
import type { EntryId, Ledger, OfflineAllowance, PublicKeyHex } from '../../core/index.ts'
import type { SyncStatus } from '../sync/sync-engine.ts'

export interface WitnessStatus {
  /** The pool names a witness now; without one nothing is ever confirmed. */
  readonly witnessed: boolean
  /** What this member may still pay before a witness sees its payments again (witnessed pools only). */
  readonly allowance?: OfflineAllowance
  /** The checkpoint a payment signed now names in `deps`, making it online: connected, and it covers the chain head. */
  readonly checkpoint?: EntryId
  /** When the latest counted checkpoint was signed (the witness's clock), if any. */
  readonly lastCheckpointAt?: number
}

/** Connected to a relay: exchanging entries, or caught up. */
export function isConnected(status: SyncStatus): boolean {
  return status === 'online' || status === 'syncing'
}

/**
 * The latest checkpoint of the primary witness, when it covers `author`'s
 * chain head (or the author has signed nothing yet): naming it makes the
 * author's next entry online. Core's `depsFor` applies the same condition.
 */
export function coveringCheckpoint(ledger: Ledger, author: PublicKeyHex): EntryId | undefined {
  const latest = ledger.latestCheckpoint()
  if (!latest) return undefined
  const head = ledger.chainHead(author).prev
  if (head !== null && ledger.witnessedBy(head) === undefined) return undefined
  return latest.id
}

export function witnessStatus(ledger: Ledger, me: PublicKeyHex, connected: boolean): WitnessStatus {
  if (!ledger.witnessed) return { witnessed: false }
  const allowance = ledger.offlineAllowance(me)
  const checkpoint = connected ? coveringCheckpoint(ledger, me) : undefined
  const latest = ledger.latestCheckpoint()
  return {
    witnessed: true,
    ...(allowance ? { allowance } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    ...(latest ? { lastCheckpointAt: latest.time } : {}),
  }
}
