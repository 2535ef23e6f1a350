/**
 * The relay as a coordinator of standing orders (issue 18): for every pool it
 * witnesses, it collects the payments of orders that name its coordinator key,
 * when they fall due by its own clock, so a payee's phone may stay off. The
 * collects go out like the relay's checkpoints, into the coordinator's own
 * shard, which devices and relays follow (core/sync discovery).
 *
 * The key. A coordinator signs `collect` entries on a chain of its own; the
 * witness key must not (a non-checkpoint entry in the primary's chain stops its
 * checkpoints counting). So the coordinator key is derived from the witness
 * key: SHA-256 of a fixed label and the witness secret. Nothing to keep or
 * back up beside the witness key, and one relay always coordinates as the same
 * key. `GET /coordinator` serves `{"publicKey": …, "witness": …}`.
 *
 * What it may not do: a coordinator moves no money but by the order; the
 * validator pays each period at most once whoever asks (rules/orders.ts), so
 * a coordinator and a payee's phone asking alike cost a refused entry at most.
 * Which periods to ask for is core's (collecting.ts), the same as the app's.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import {
  ORDER_COLLECT_PER_RUN_MAX, ORDER_COLLECT_RETRY_SECONDS, periodsToCollect, publicKeyOf, signEntry, utf8,
  type CollectEntry, type EntryId, type Ledger, type PublicKeyHex,
} from '../core/index.ts'
import type { PoolSync } from '../core/sync/index.ts'

const LABEL = 'heroes relay coordinator v1'

/** The coordinator secret key that goes with a witness secret key. */
export function coordinatorSecretOf(witnessSecret: Uint8Array): Uint8Array {
  const label = utf8(LABEL)
  const input = new Uint8Array(label.length + witnessSecret.length)
  input.set(label)
  input.set(witnessSecret, label.length)
  return sha256(input)
}

export class Coordinator {
  readonly publicKey: PublicKeyHex
  readonly #secretKey: Uint8Array

  constructor(secretKey: Uint8Array) {
    this.#secretKey = secretKey
    this.publicKey = publicKeyOf(secretKey)
  }

  /**
   * Signs and publishes a collect for each payment due by `time` in this
   * pool for orders that name this coordinator; returns how many went out.
   */
  async collect(pool: EntryId, ledger: Ledger, sync: PoolSync, time: number): Promise<number> {
    const due = periodsToCollect(ledger, this.publicKey, time, { retryMs: ORDER_COLLECT_RETRY_SECONDS * 1000, perOrderMax: ORDER_COLLECT_PER_RUN_MAX })
    let sent = 0
    for (const { order, period } of due) {
      const head = ledger.chainHead(this.publicKey)
      const entry = signEntry<CollectEntry>({
        type: 'collect', pool, author: this.publicKey, seq: head.seq, prev: head.prev, deps: [order], time: Math.max(time, head.time), order, period,
      }, this.#secretKey)
      const refused = await sync.publish([entry])
      if (refused.length > 0) throw new Error(`expected the coordinator's collect to be accepted for publishing, got ${refused[0]!.reason}`)
      ledger.add([entry], time)
      sent++
    }
    return sent
  }
}
