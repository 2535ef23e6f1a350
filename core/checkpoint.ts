/**
 * Making a witness's checkpoint: what the witness holds that verifies and
 * that its previous checkpoint did not cover, signed at the witness's clock.
 * Shared by `heroes witness` and the relay.
 */
import type { CheckpointEntry, PublicKeyHex } from './entry.ts'
import type { Ledger } from './ledger.ts'
import { CHECKPOINT_HEADS_MAX } from './limits.ts'
import { publicKeyOf } from './keys.ts'
import { signEntry } from './sign.ts'

export interface CheckpointOptions {
  /** Sign even when nothing changed since the previous checkpoint (a checkpoint with no heads still proves the time). */
  readonly whenUnchanged?: boolean
}

/**
 * The witness's next checkpoint for the pool `ledger` holds, at `time` (raised
 * to its previous checkpoint's, so its chain never goes back), or undefined
 * when nothing but other witnesses' checkpoints changed and `whenUnchanged`
 * is not set.
 */
export function signCheckpoint(ledger: Ledger, secretKey: Uint8Array, time: number, options: CheckpointOptions = {}): CheckpointEntry | undefined {
  const witness = publicKeyOf(secretKey) as PublicKeyHex
  const heads = ledger.checkpointHeads(witness, CHECKPOINT_HEADS_MAX)
  // Other witnesses' checkpoints are named when there is something else to cover, never alone: two
  // witnesses covering each other's latest checkpoint would otherwise sign forever in a quiet pool.
  const news = heads.some((id) => ledger.entry(id)?.type !== 'checkpoint')
  if (!news && !options.whenUnchanged) return undefined
  const head = ledger.chainHead(witness)
  return signEntry<CheckpointEntry>({
    type: 'checkpoint', pool: ledger.pool, author: witness, seq: head.seq, prev: head.prev, deps: [],
    time: Math.max(time, head.time), heads,
  }, secretKey)
}
