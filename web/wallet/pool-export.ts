/**
 * What leaves the device as text for people and their tools rather than for
 * sync: one entry's canonical line (a proof to hand on), every line of a pool
 * (for an auditor, and for a backup), this member's statement and a
 * gatekeeper's books as CSV (core's `statement`, `statementCsv`, `poolCsv`,
 * so the figures are the validator's own).
 */
import { encodeEntry, poolCsv, statement, statementCsv, type StatementFilter } from '../../core/index.ts'
import type { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'

/** The canonical lines of every entry `book` holds, in the order the store holds them. */
export function bookLines(book: PoolBook): string[] {
  return [...book.store.entries.values()].map((entry) => encodeEntry(entry))
}

/** The wallet parts PoolExport uses. */
export type PoolExportParts = Pick<WalletParts, 'now' | 'pools'>

export class PoolExport {
  readonly #parts: PoolExportParts

  constructor(parts: PoolExportParts) {
    this.#parts = parts
  }

  /** One entry's canonical line, if this device holds it. */
  entryLine(pool: string, id: string): string | undefined {
    const entry = this.#parts.pools.get(pool)?.store.entries.get(id)
    return entry && encodeEntry(entry)
  }

  /** Every line of a pool, sorted so two devices holding the same entries export the same file. */
  lines(pool: string): string[] {
    const book = this.#parts.pools.get(pool)
    return book ? bookLines(book).sort() : []
  }

  /** This member's movements, filtered by date and counterparty (statement-filter.ts). */
  statementCsv(pool: string, filter: StatementFilter = {}): string | undefined {
    const book = this.#parts.pools.get(pool)
    if (!book) return undefined
    return statementCsv(statement(book.ledger.movements(), book.me, filter), book.ledger.policy?.decimals ?? 0)
  }

  /** Every movement of the pool, for a gatekeeper only: members see their own statement. */
  poolCsv(pool: string): string | undefined {
    const book = this.#parts.pools.get(pool)
    if (!book || book.view(this.#parts.now()).role !== 'gatekeeper') return undefined
    return poolCsv(book.ledger.movements(), book.ledger.policy?.decimals ?? 0)
  }
}
