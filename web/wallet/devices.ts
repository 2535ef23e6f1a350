/**
 * This member's devices in a pool (docs/devices.md): the list Settings shows,
 * certifying a linked device's key, and removing a device. Loaded with the
 * devices screen (the Wallet imports it on first use), so it costs the first
 * load nothing.
 *
 * - The member key certifies (`device` entry); only it may (a device may not).
 * - "Remove this device" signs a `revoke` whose cutoff is the device's last
 *   entry this device holds: what the remover has seen stands, anything the
 *   device signs later (or signed and kept back) is rejected everywhere.
 *   The member key or any other active device of the member may sign it.
 */
import { DEVICE_NAME_CHARS_MAX, type DeviceEntry, type EntryId, type PublicKeyHex, type RevokeEntry } from '../../core/index.ts'
import type { Refusal } from './check-payment.ts'
import type { WalletProblem } from './outcome.ts'
import type { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'

/** What can go wrong with devices, linking and recovery, besides what the validator or the wallet says (strings: devices.en.ts). */
export type DeviceProblemReason =
  | 'link-garbled' | 'link-expired' | 'link-used' | 'link-relay' | 'link-too-big' | 'link-wrong' | 'already-here'
  | 'not-member-key' | 'remove-own-device' | 'recovery-unknown'

export type DeviceOutcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal | WalletProblem | { readonly reason: DeviceProblemReason } }

/** A refusal found before the validator is asked; a fresh object each time. */
export function deviceProblem(reason: DeviceProblemReason | WalletProblem['reason']): { ok: false; refusal: WalletProblem | { readonly reason: DeviceProblemReason } } {
  return { ok: false, refusal: { reason } as WalletProblem | { readonly reason: DeviceProblemReason } }
}

export type DeviceStatus = 'active' | 'revoked' | 'suspended'

export interface DeviceRow {
  readonly key: PublicKeyHex
  /** The name the member gave it in the certificate; null for the member key and unnamed devices. */
  readonly name: string | null
  readonly status: DeviceStatus
  /** The member key itself (the device the member joined with), not a certified device key. */
  readonly memberKey: boolean
  /** The key this device signs with. */
  readonly thisDevice: boolean
  /** The claimed time of the newest entry this device holds from that key, if any. */
  readonly lastActivity?: number
  /** How many of its entries every device rejects because it was removed (`device-revoked`). */
  readonly rejectedAfterRemoval: number
}

export type DevicesParts = Pick<WalletParts, 'pools' | 'signer' | 'now'>

export class Devices {
  readonly #parts: DevicesParts

  constructor(parts: DevicesParts) {
    this.#parts = parts
  }

  /** The member key first, then its devices in the order first certified; undefined for a pool not here. */
  list(pool: string): DeviceRow[] | undefined {
    const book = this.#parts.pools.get(pool)
    if (!book) return undefined
    book.refresh(this.#parts.now())
    const me = book.me
    const last = new Map<string, number>()
    for (const entry of book.store.entries.values()) if (entry.time > (last.get(entry.author) ?? -Infinity)) last.set(entry.author, entry.time)
    const rejected = new Map<string, number>()
    for (const verdict of book.ledger.result().entries) {
      if (verdict.status === 'rejected' && verdict.reason === 'device-revoked') rejected.set(verdict.author, (rejected.get(verdict.author) ?? 0) + 1)
    }
    const row = (key: PublicKeyHex, name: string | null, status: DeviceStatus, memberKey: boolean): DeviceRow => {
      const time = last.get(key)
      return { key, name, status, memberKey, thisDevice: key === book.signer, ...(time !== undefined ? { lastActivity: time } : {}), rejectedAfterRemoval: rejected.get(key) ?? 0 }
    }
    const summary = book.ledger.member(me)
    const memberStatus: DeviceStatus = summary?.frozen ? 'suspended' : 'active'
    return [row(me, null, memberStatus, true), ...(summary?.devices ?? []).map((d) => row(d.key, d.name, d.status, false))]
  }

  /** May this device certify new devices here? Only the member key may (a device may not: docs/devices.md). */
  canCertify(pool: string): boolean {
    const book = this.#parts.pools.get(pool)
    return book !== undefined && book.member === undefined && book.view(this.#parts.now()).role !== 'none'
  }

  /** The member key certifies `device` (an Ed25519 public key made on the new device) under `name`. */
  async certify(pool: string, device: string, name: string): Promise<DeviceOutcome<DeviceEntry>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return deviceProblem('unknown-pool')
    if (book.member !== undefined) return deviceProblem('not-member-key')
    if (!/^[0-9a-f]{64}$/.test(device)) return deviceProblem('link-garbled')
    const trimmed = name.normalize('NFC').trim().slice(0, DEVICE_NAME_CHARS_MAX)
    return this.#parts.signer.sign<DeviceEntry>(book, { type: 'device', device: device as PublicKeyHex, ...(trimmed ? { name: trimmed } : {}) })
  }

  /**
   * Removes `device` from this account: signs a revocation whose cutoff is the
   * device's last entry held here (core/revocations.ts). Its id on success.
   */
  async remove(pool: string, device: string): Promise<DeviceOutcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return deviceProblem('unknown-pool')
    if (device === book.signer) return deviceProblem('remove-own-device')
    book.refresh(this.#parts.now())
    const head = book.ledger.chainHead(device as PublicKeyHex)
    const afterSeq = head.seq - 1
    const afterEntry = afterSeq > 0 && head.prev !== null ? head.prev : undefined
    const signed = await this.#parts.signer.sign<RevokeEntry>(
      book,
      { type: 'revoke', device: device as PublicKeyHex, afterSeq: afterEntry ? afterSeq : 0, ...(afterEntry ? { afterEntry } : {}) },
      { extraDeps: afterEntry ? [afterEntry as EntryId] : [] },
    )
    return signed.ok ? { ok: true, value: signed.value.id } : signed
  }

  /** The book, for linking.ts. */
  book(pool: string): PoolBook | undefined {
    return this.#parts.pools.get(pool)
  }
}
