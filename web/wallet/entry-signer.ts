/**
 * The one place a pool key signs an entry. Every signature goes through the
 * same steps, in this order, whatever the screen asked for: the chain guard
 * (a restored or forked key must not sign: chain-guard.ts), the entry written
 * at the head of the key's chain (author-entry.ts), core's validator judging
 * it (check-payment.ts), and only if it is accepted, the entry kept as on
 * this device, stored and published. A refused entry leaves no trace.
 */
import type { Entry, EntryId } from '../../core/index.ts'
import { authorEntry } from './author-entry.ts'
import { chainGuard } from './chain-guard.ts'
import { checkCandidate } from './check-payment.ts'
import type { Outcome, WalletProblem } from './outcome.ts'
import type { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'
import { isConnected, witnessStatus } from './witness-status.ts'

/** Pending reasons that only mean "an earlier entry has not arrived here yet". */
const WAITING_REASONS = new Set<string>(['missing-prev', 'missing-dep', 'after-pending', 'no-genesis'])

/** The wallet parts EntrySigner uses. */
export type EntrySignerParts = Pick<WalletParts, 'db' | 'sync' | 'now' | 'cache'>

export interface SignOptions {
  /** Ids the entry must name in `deps` whatever else it relies on (a join's invite, a payment's request, an answer's entry). */
  readonly extraDeps?: readonly EntryId[]
  /**
   * Keep the entry even when the validator can only say it waits for an
   * earlier entry not here yet (a join signed offline before the gatekeeper's
   * whole history arrived): it is still this member's to sign.
   */
  readonly allowWaiting?: boolean
}

export class EntrySigner {
  readonly #parts: EntrySignerParts
  #busy = 0

  constructor(parts: EntrySignerParts) {
    this.#parts = parts
  }

  /** True while an entry is being signed and stored: the app must not swap its code now. */
  get busy(): boolean {
    return this.#busy > 0
  }

  /** Why this device's key may not sign in `book`'s pool now, in the wallet's terms; undefined when it may. */
  blocked(book: PoolBook): WalletProblem | undefined {
    const problem = chainGuard({ pool: book.id, author: book.signer, needsChainHead: book.record.needsChainHead, entries: book.store.entries.values() })
    return problem && { reason: problem.reason, ...(problem.seq !== undefined ? { detail: String(problem.seq) } : {}) }
  }

  /**
   * Would this entry go through now? The same steps as `sign` (guard,
   * author, judge) with the candidate signed in memory and then dropped:
   * nothing is stored or sent, so a review screen can refuse with the
   * validator's own words before anyone presses Pay.
   */
  judge<E extends Entry>(book: PoolBook, body: Parameters<typeof authorEntry<E>>[1], options: SignOptions = {}): Outcome<E> {
    const blocked = this.blocked(book)
    if (blocked) return { ok: false, refusal: blocked }
    return this.#judge<E>(book, body, options, this.#parts.now())
  }

  #judge<E extends Entry>(book: PoolBook, body: Parameters<typeof authorEntry<E>>[1], options: SignOptions, now: number): Outcome<E> {
    book.refresh(now)
    const entries = book.store.entries.values()
    // Connected and the witness has seen our chain head: the payment names the checkpoint and counts as online.
    const { checkpoint } = witnessStatus(book.ledger, book.signer, isConnected(this.#parts.sync.status))
    const member = book.member
    const device = member && { member, ...(book.key.certificate !== undefined ? { certificate: book.key.certificate as EntryId } : {}) }
    const candidate = authorEntry<E>({ pool: book.id, entries, secretKey: book.secretKey, author: book.signer, ...(device ? { device } : {}), now, ...(checkpoint ? { checkpoint } : {}) }, body, options.extraDeps)
    const online = checkpoint !== undefined && candidate.deps.includes(checkpoint)
    const check = checkCandidate(book.ledger, candidate, book.store.entries.values(), this.#parts.cache, { online })
    const waiting = !check.ok && options.allowWaiting === true && WAITING_REASONS.has(check.refusal.reason)
    if (!check.ok && !waiting) return { ok: false, refusal: check.refusal }
    return { ok: true, value: candidate }
  }

  /**
   * Signs the next entry of this device in `book`, judges it with the
   * validator, and only if accepted stores and publishes it.
   */
  async sign<E extends Entry>(book: PoolBook, body: Parameters<typeof authorEntry<E>>[1], options: SignOptions = {}): Promise<Outcome<E>> {
    const blocked = this.blocked(book)
    if (blocked) return { ok: false, refusal: blocked }
    this.#busy++
    try {
      const now = this.#parts.now()
      const judged = this.#judge<E>(book, body, options, now)
      if (!judged.ok) return judged
      const candidate = judged.value
      // Kept as on this device until a relay confirms it (pools.ts), so an entry signed offline goes out again next session.
      await this.#parts.db.put('delivery', { id: candidate.id, pool: book.id, state: 'device', at: now })
      book.delivery.set(candidate.id, 'device')
      await book.store.put([candidate])
      book.follow?.publish([candidate])
      return { ok: true, value: candidate }
    } finally {
      this.#busy--
    }
  }
}
