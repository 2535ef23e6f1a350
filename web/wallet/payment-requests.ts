/**
 * Payment requests: a member asks for an amount (of one payer, or of whoever
 * opens the link), hands the signed request on as a link or QR code, and the
 * payer pays it by reference. The amount, payee and note a payer signs come
 * from the signed request, never from a screen, so a link cannot be edited
 * into a different payment on the way.
 */
import { decodeEntry, encodeEntry, verifyEntrySignature, type EntryId, type PublicKeyHex, type RequestEntry, type TransferEntry } from '../../core/index.ts'
import type { RequestPayload } from '../links/link-payloads.ts'
import { idOf, refused, type Outcome } from './outcome.ts'
import { memoField } from './payments.ts'
import type { WalletParts } from './wallet-parts.ts'

/** The wallet parts PaymentRequests uses. */
export type PaymentRequestsParts = Pick<WalletParts, 'now' | 'cache' | 'pools' | 'signer' | 'contacts'>

export class PaymentRequests {
  readonly #parts: PaymentRequestsParts

  constructor(parts: PaymentRequestsParts) {
    this.#parts = parts
  }

  /** Signs a request of `amount` to `from`, or to anyone without it. Returns the request's id. */
  async make(pool: string, amount: number, memo: string, from?: string): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    if (from === book.me) return refused('pay-yourself')
    return idOf(await this.#parts.signer.sign<RequestEntry>(book, { type: 'request', amount, ...memoField(memo), ...(from ? { from: from as PublicKeyHex } : {}) }))
  }

  /**
   * The signed request line alone, and the name its author goes by here: a
   * payer's phone that synced once holds the requester's earlier entries.
   */
  payload(pool: string, id: string): RequestPayload | undefined {
    const book = this.#parts.pools.get(pool)
    const entry = book?.store.entries.get(id)
    if (!book || !entry || entry.type !== 'request') return undefined
    const name = this.#parts.contacts.nameOf(pool, entry.author)
    return { kind: 'request', pool, lines: [encodeEntry(entry)], ...(name ? { name } : {}) }
  }

  /**
   * Keeps the lines a request link carries, verified like any line; its name
   * becomes a contact only where this device knows none (a link must not
   * rename someone already known). Returns the request's id.
   */
  async takeLink(payload: RequestPayload): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(payload.pool)
    if (!book) return refused('unknown-pool')
    const first = decodeEntry(payload.lines[0] ?? '')
    if (!first.ok || first.entry.type !== 'request' || first.entry.pool !== payload.pool || !verifyEntrySignature(first.entry, this.#parts.cache)) {
      return refused('request-invalid')
    }
    await this.#parts.pools.ingestLines(payload.pool, payload.lines)
    if (payload.name && first.entry.author !== book.me && !book.nameOf(first.entry.author)) await this.#parts.contacts.set(payload.pool, first.entry.author, payload.name)
    return { ok: true, value: first.entry.id }
  }

  /** Pays the request `id` as the validator sees it now; the transfer names it, and so settles it. */
  async pay(pool: string, id: string): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    book.refresh(this.#parts.now())
    const request = book.view(this.#parts.now()).requests.get(id)
    // Known but not judged yet (its author's earlier entries are missing here), or never seen.
    if (!request) return refused(book.store.entries.has(id) ? 'request-waiting' : 'request-unknown')
    if (request.payee === book.me) return refused('pay-yourself')
    if (request.from !== undefined && request.from !== book.me) return refused('request-not-for-you')
    return idOf(
      await this.#parts.signer.sign<TransferEntry>(
        book,
        { type: 'transfer', to: request.payee as PublicKeyHex, amount: request.amount, ...(request.memo ? { memo: request.memo } : {}), request: id as EntryId },
        { extraDeps: [id as EntryId] },
      ),
    )
  }
}
