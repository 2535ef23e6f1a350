/**
 * Recovery by the gatekeepers in the app (docs/devices.md, "Recovery by
 * gatekeepers"; rules in core/rules/recovery.ts), both sides:
 *
 * - the member on a fresh device, who lost every device and the phrase (with
 *   the phrase, the backup screen restores the key itself): opens the pool's
 *   public link, signs a `recover` request as the new key's first entry, and
 *   hands the gatekeepers its line as a link or QR code (they must learn the
 *   new key face to face before they follow its shard);
 * - the gatekeeper: a queue of open requests, each with its approvals, and
 *   "Approve", which signs an `approve` naming the request and its new key.
 *
 * The validator decides everything else: M of N approvals, never while the
 * owner is active, never the creator, never creating money.
 */
import { decodeEntry, encodeEntry, verifyEntrySignature, type ApproveEntry, type EntryId, type PublicKeyHex, type RecoverEntry } from '../../core/index.ts'
import { fromBase64url, toBase64url } from '../lib/base64url.ts'
import { deviceProblem, type DeviceOutcome } from './devices.ts'
import type { WalletParts } from './wallet-parts.ts'

/** The route prefix of a recovery request link (`#/v/…`): the request's signed line. */
export const RECOVERY_LINK_PREFIX = 'v'

export interface RecoveryRow {
  readonly id: string
  /** The account to recover (the old member key). */
  readonly member: PublicKeyHex
  /** The new key that asks. */
  readonly key: PublicKeyHex
  readonly approvals: number
  readonly needed: number
  readonly status: 'open' | 'recovered'
  /** This gatekeeper approved it already. */
  readonly approvedByMe: boolean
  /** Why the last approval was refused, when it was (`recovery-blocked`: the owner was active). */
  readonly refused?: { readonly reason: string; readonly detail?: string }
}

export type RecoveryParts = Pick<WalletParts, 'pools' | 'signer' | 'now'>

export class Recovery {
  readonly #parts: RecoveryParts

  constructor(parts: RecoveryParts) {
    this.#parts = parts
  }

  /** Every recovery request of the pool known here, open ones first. */
  queue(pool: string): RecoveryRow[] {
    const book = this.#parts.pools.get(pool)
    if (!book) return []
    book.refresh(this.#parts.now())
    const result = book.ledger.result()
    const refusals = new Map<string, { reason: string; detail?: string }>()
    for (const verdict of result.entries) {
      if (verdict.type !== 'approve' || verdict.status !== 'rejected' || verdict.author !== book.signer) continue
      const entry = book.store.entries.get(verdict.id)
      if (entry?.type === 'approve') refusals.set(entry.entry, { reason: verdict.reason ?? 'rejected', ...(verdict.detail ? { detail: verdict.detail } : {}) })
    }
    return (result.recoveries ?? [])
      .map((r) => ({
        id: r.id, member: r.member, key: r.key, approvals: r.approvals.length, needed: r.needed, status: r.status, approvedByMe: r.approvals.includes(book.signer),
        ...(r.status === 'open' && refusals.has(r.id) ? { refused: refusals.get(r.id)! } : {}),
      }))
      .sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1))
  }

  /** This device's own request in the pool (a fresh key asking to recover), if it made one. */
  mine(pool: string): RecoveryRow | undefined {
    const book = this.#parts.pools.get(pool)
    return book && this.queue(pool).find((r) => r.key === book.signer)
  }

  /**
   * Signs this device's request to take over `member`'s account. The key must
   * be fresh here (a pool opened from its link, nothing signed yet).
   */
  async request(pool: string, member: string): Promise<DeviceOutcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return deviceProblem('unknown-pool')
    if (!/^[0-9a-f]{64}$/.test(member)) return deviceProblem('recovery-unknown')
    const signed = await this.#parts.signer.sign<RecoverEntry>(book, { type: 'recover', member: member as PublicKeyHex }, { allowWaiting: true })
    return signed.ok ? { ok: true, value: signed.value.id } : signed
  }

  /** The request's link, for the gatekeepers (its signed line; no secret in it). */
  requestLink(pool: string, id: string, origin: string): string | undefined {
    const entry = this.#parts.pools.get(pool)?.store.entries.get(id)
    return entry && `${origin.replace(/\/$/, '')}/#/${RECOVERY_LINK_PREFIX}/${toBase64url(new TextEncoder().encode(encodeEntry(entry)))}`
  }

  /**
   * Takes a request link (scanned or pasted) into the pool it names; returns
   * the pool and the request id. Garbled text, another pool or a forged
   * signature is a problem value.
   */
  async takeRequestLink(text: string): Promise<DeviceOutcome<{ pool: string; id: string }>> {
    const compact = text.replace(/\s+/g, '')
    const at = compact.indexOf('#/')
    const route = at === -1 ? compact.replace(/^\//, '') : compact.slice(at + 2)
    const match = new RegExp(`^${RECOVERY_LINK_PREFIX}/([A-Za-z0-9_-]{1,2000})$`).exec(route)
    const bytes = match ? fromBase64url(match[1]!) : undefined
    let line = ''
    try {
      line = bytes ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : ''
    } catch {
      return deviceProblem('link-garbled')
    }
    const decoded = decodeEntry(line)
    if (!decoded.ok || decoded.entry.type !== 'recover' || !verifyEntrySignature(decoded.entry)) return deviceProblem('link-garbled')
    const pool = decoded.entry.pool
    if (!this.#parts.pools.get(pool)) return deviceProblem('unknown-pool')
    await this.#parts.pools.ingestLines(pool, [line])
    return { ok: true, value: { pool, id: decoded.entry.id } }
  }

  /** A gatekeeper approves request `id`; the validator refuses it while the owner is active, or twice. */
  async approve(pool: string, id: string): Promise<DeviceOutcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return deviceProblem('unknown-pool')
    const request = book.store.entries.get(id)
    if (request?.type !== 'recover') return deviceProblem('recovery-unknown')
    const signed = await this.#parts.signer.sign<ApproveEntry>(book, { type: 'approve', entry: id as EntryId, key: request.author }, { extraDeps: [id as EntryId] })
    return signed.ok ? { ok: true, value: signed.value.id } : signed
  }
}
