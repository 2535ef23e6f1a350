/**
 * Statements: a member's money movements with a running balance, and CSV
 * exports of one member's statement or of the whole pool.
 */
import type { EntryId, PublicKeyHex } from './entry.ts'
import type { Movement } from './pool-state.ts'

export interface StatementRow {
  readonly time: number
  /** The transfer or issue. */
  readonly entry: EntryId
  /** Where the money moved: the entry itself, or the payee's accept of a two-step transfer. */
  readonly at: EntryId
  /** `demurrage`: the charge on holding money, paid to the commons (counterparty null). */
  readonly type: 'transfer' | 'issue' | 'demurrage'
  readonly counterparty: PublicKeyHex | null
  /** Signed change to the member's balance (minor units). */
  readonly amount: number
  /** Levy taken on this movement (paid by the payer, out of what the payee receives). */
  readonly fee: number
  readonly memo: string | undefined
  /** The member's balance after this row. */
  readonly balance: number
}

export interface StatementFilter {
  /** Rows at or after this time (ms). */
  readonly from?: number
  /** Rows at or before this time (ms). */
  readonly to?: number
  readonly counterparty?: PublicKeyHex
}

/** The statement of `member`: every movement it took part in, in replay order, with the balance after each. */
export function statement(movements: readonly Movement[], member: PublicKeyHex, filter: StatementFilter = {}): StatementRow[] {
  const rows: StatementRow[] = []
  let balance = 0
  for (const m of movements) {
    const out = m.from === member
    const into = m.to === member
    if (!out && !into) continue
    const amount = (into ? m.amount - m.fee : 0) - (out ? m.amount : 0)
    balance += amount
    const counterparty = m.demurrage ? null : out ? m.to : m.from
    if (filter.from !== undefined && m.time < filter.from) continue
    if (filter.to !== undefined && m.time > filter.to) continue
    if (filter.counterparty !== undefined && counterparty !== filter.counterparty) continue
    rows.push({ time: m.time, entry: m.entry, at: m.at, type: movementType(m), counterparty, amount, fee: m.fee, memo: m.memo, balance })
  }
  return rows
}

function movementType(m: Movement): StatementRow['type'] {
  return m.demurrage ? 'demurrage' : m.from === null ? 'issue' : 'transfer'
}

/** An integer in minor units shown with the pool's decimals: -1234 with 2 → "-12.34". */
export function formatAmount(minor: number, decimals: number): string {
  const sign = minor < 0 ? '-' : ''
  const digits = Math.abs(minor).toString().padStart(decimals + 1, '0')
  return decimals === 0 ? sign + digits : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`
}

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula
 * (starting with = + - @ or a tab) gets a leading apostrophe: memos are
 * written by other people.
 */
export function csvField(value: string, isText = true): string {
  const safe = isText && /^[=+\-@\t\r]/.test(value) ? "'" + value : value
  return /[",\r\n]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe
}

const iso = (ms: number) => new Date(ms).toISOString()

export function statementCsv(rows: readonly StatementRow[], decimals: number): string {
  const lines = ['time,entry,type,counterparty,amount,fee,memo,balance']
  for (const r of rows) {
    lines.push([iso(r.time), r.entry, r.type, r.counterparty ?? '', csvField(formatAmount(r.amount, decimals), false),
      csvField(formatAmount(r.fee, decimals), false), csvField(r.memo ?? ''), csvField(formatAmount(r.balance, decimals), false)].join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

/** Every movement of the pool, for its gatekeeper's books. */
export function poolCsv(movements: readonly Movement[], decimals: number): string {
  const lines = ['time,entry,at,type,from,to,amount,fee,memo']
  for (const m of movements) {
    lines.push([iso(m.time), m.entry, m.at, movementType(m), m.from ?? '', m.demurrage ? '' : m.to,
      formatAmount(m.amount, decimals), formatAmount(m.fee, decimals), csvField(m.memo ?? '')].join(','))
  }
  return lines.join('\r\n') + '\r\n'
}
