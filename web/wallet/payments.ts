/**
 * Paying: a transfer to a member, money issued by a gatekeeper, the answer to
 * a two-step transfer or a request, the receipt a payer shows a payee with no
 * network, and the draft of a payment being written (kept so a closed app
 * loses nothing). Every entry goes through the EntrySigner, so core's
 * validator judges it before anything is stored or sent.
 */
import type { AcceptEntry, CancelEntry, EntryId, IssueEntry, PublicKeyHex, RejectEntry, TransferEntry } from '../../core/index.ts'
import type { ReceiptPayload } from '../links/link-payloads.ts'
import type { DraftRecord } from '../storage/wallet-db.ts'
import { receiptLines } from './history-in-links.ts'
import { idOf, refused, type Outcome } from './outcome.ts'
import type { WalletParts } from './wallet-parts.ts'

/** The wallet parts Payments uses. */
export type PaymentsParts = Pick<WalletParts, 'db' | 'pools' | 'signer'>

/** A note as signed: spaces around it dropped, and none at all when nothing is left. */
export function memoField(memo: string): { memo?: string } {
  return memo.trim() ? { memo: memo.trim() } : {}
}

export class Payments {
  readonly #parts: PaymentsParts

  constructor(parts: PaymentsParts) {
    this.#parts = parts
  }

  /** Pays a member, and forgets the draft it was written from. */
  async pay(pool: string, to: string, amount: number, memo: string): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    if (to === book.me) return refused('pay-yourself')
    const signed = await this.#parts.signer.sign<TransferEntry>(book, { type: 'transfer', to: to as PublicKeyHex, amount, ...memoField(memo) })
    if (!signed.ok) return signed
    await this.clearDraft(pool)
    return { ok: true, value: signed.value.id }
  }

  /**
   * Would this payment go through now? The validator's preview of exactly the
   * transfer `pay` would sign, with the same refusal and figures (over the
   * limit, inside the rate window, past the offline cap); nothing is kept.
   */
  check(pool: string, to: string, amount: number, memo: string): Outcome {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    if (to === book.me) return refused('pay-yourself')
    const judged = this.#parts.signer.judge<TransferEntry>(book, { type: 'transfer', to: to as PublicKeyHex, amount, ...memoField(memo) })
    return judged.ok ? { ok: true, value: undefined } : judged
  }

  /** Issues new money to a member (core allows it to a gatekeeper only, and only in an 'issued' pool). */
  async issue(pool: string, to: string, amount: number, memo: string): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    return idOf(await this.#parts.signer.sign<IssueEntry>(book, { type: 'issue', to: to as PublicKeyHex, amount, ...memoField(memo) }))
  }

  /** Accepts, refuses or withdraws `entry`; it is named in deps so the answer always sorts after it. */
  async answer(pool: string, entry: string, answer: 'accept' | 'reject' | 'cancel'): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    return idOf(await this.#parts.signer.sign<AcceptEntry | RejectEntry | CancelEntry>(book, { type: answer, entry: entry as EntryId }, { extraDeps: [entry as EntryId] }))
  }

  /** The receipt of a payment this device signed (anyone else's is not this device's to vouch for). */
  receipt(pool: string, entryId: string): ReceiptPayload | undefined {
    const book = this.#parts.pools.get(pool)
    const entry = book?.store.entries.get(entryId)
    if (!book || !entry || entry.author !== book.signer) return undefined
    const lines = receiptLines(book.store.entries, entry)
    return { kind: 'receipt', pool, lines }
  }

  async draft(pool: string): Promise<DraftRecord | undefined> {
    return this.#parts.db.get('drafts', pool)
  }

  async saveDraft(draft: DraftRecord): Promise<void> {
    await this.#parts.db.put('drafts', draft)
  }

  async clearDraft(pool: string): Promise<void> {
    await this.#parts.db.delete('drafts', pool)
  }
}
