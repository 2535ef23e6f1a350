/**
 * "Link this device" (docs/devices.md, "Linking in the app"), both sides:
 *
 * - the NEW device makes, for one link, a device key from its own seed (from
 *   the link's random rendezvous id) and a one-time X25519 key kept only in
 *   memory, shows both public keys in a QR code, and watches the relay's
 *   mailbox for the answer;
 * - the EXISTING device (it must hold the member key) reads the code
 *   (scanned or pasted), signs the `device` certificate for that key, and
 *   leaves the answer — pool genesis, member key, certificate — sealed to the
 *   one-time key (web/links/device-link.ts) in the mailbox.
 *
 * No secret key leaves either device. One link adds one pool: each pool gets
 * its own device key, so two pools still cannot be linked by their keys.
 * Bad input (a garbled or expired code, one already used, a dead relay, an
 * answer for somebody else) is a problem value, and nothing is lost: no
 * certificate is signed while the relay cannot be reached, and an answer the
 * relay did not take is kept for `resend`.
 */
import { decodeEntry, encodeEntry, publicKeyOf, verifyEntrySignature, type EntryId, type PoolEntry, type PublicKeyHex } from '../../core/index.ts'
import type { KeyDerivation } from '../keys/pool-keys.ts'
import { decodeDeviceLink, DEVICE_LINK_TTL_MS, encodeDeviceLink, linkMailbox, oneTimeBox, openAnswer, sealAnswer, type DeviceLinkAnswer, type DeviceLinkCode } from '../links/device-link.ts'
import { deviceProblem, type DeviceOutcome, type Devices } from './devices.ts'
import type { WalletParts } from './wallet-parts.ts'

export type LinkOutcome<T> = DeviceOutcome<T>

/** The new device's side of one link: its code, and the one-time secret, in memory only. */
export interface PendingLink {
  readonly code: DeviceLinkCode
  /** The text of the QR code (a link into this app). */
  readonly text: string
  readonly derivation: KeyDerivation
  readonly secret: Uint8Array
}

/** An answer the relay did not take yet (the existing device's side). */
export interface SentAnswer {
  readonly url: string
  readonly sealed: Uint8Array
  readonly certificate: EntryId
}

/** Answers bigger than this (genesis and lines) would not fit a mailbox message once sealed with the certificate. */
const ANSWER_LINES_CHARS_MAX = 2_800

export type LinkingParts = Pick<WalletParts, 'pools' | 'settings' | 'sync' | 'now'>

export class Linking {
  readonly #parts: LinkingParts
  readonly #devices: Devices
  readonly #random: (n: number) => Uint8Array
  readonly #fetch: typeof fetch

  constructor(parts: LinkingParts, devices: Devices, random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)), fetcher: typeof fetch = (...args) => fetch(...args)) {
    this.#parts = parts
    this.#devices = devices
    this.#random = random
    this.#fetch = fetcher
  }

  // ---- the new device ------------------------------------------------------------

  /** Makes a one-time code to show as a QR code; `name` is what this device suggests to be called. */
  start(name: string, origin: string): PendingLink {
    const rendezvous = hex(this.#random(16))
    const box = oneTimeBox(this.#random(32))
    const derivation: KeyDerivation = { kind: 'device', nonce: rendezvous }
    const device = publicKeyOf(this.#parts.settings.secretKey(derivation))
    const code: DeviceLinkCode = { box: box.publicKey, rendezvous, device, expires: this.#parts.now() + DEVICE_LINK_TTL_MS, name: name.trim().slice(0, 40), relay: this.#parts.sync.relayUrl }
    return { code, text: encodeDeviceLink(code, origin), derivation, secret: box.secret }
  }

  /**
   * Looks once in the link's mailbox. The pool's id once linked; `undefined`
   * while nothing came yet; a problem when the code expired or the relay
   * cannot be reached (the screen says so and keeps looking).
   */
  async poll(link: PendingLink): Promise<LinkOutcome<string> | undefined> {
    const url = relayHttpUrl(link.code.relay || this.#parts.sync.relayUrl, `/mailbox/${linkMailbox(link.code.rendezvous)}`)
    if (!url) return deviceProblem('link-relay')
    let messages: Uint8Array[]
    try {
      const response = await this.#fetch(url, { credentials: 'omit', cache: 'no-store' })
      if (!response.ok) return deviceProblem('link-relay')
      const body = (await response.json()) as { messages?: { data?: unknown }[] }
      messages = (body.messages ?? []).flatMap((m) => (typeof m.data === 'string' ? [base64ToBytes(m.data)] : []))
    } catch {
      return deviceProblem('link-relay')
    }
    for (const sealed of messages) {
      const answer = openAnswer(sealed, link.secret, link.code.rendezvous)
      if (answer) return this.#take(link, answer)
    }
    if (this.#parts.now() > link.code.expires) return deviceProblem('link-expired')
    return undefined
  }

  /** Checks an answer against the link (the certificate names this device's key, signed by the member key) and opens the pool. */
  async #take(link: PendingLink, answer: DeviceLinkAnswer): Promise<LinkOutcome<string>> {
    const genesis = decodeEntry(answer.genesis)
    const certificate = decodeEntry(answer.certificate)
    if (!genesis.ok || genesis.entry.type !== 'pool' || genesis.entry.id !== answer.pool) return deviceProblem('link-wrong')
    if (!certificate.ok || certificate.entry.type !== 'device' || certificate.entry.pool !== answer.pool || certificate.entry.device !== link.code.device || certificate.entry.author !== answer.member) {
      return deviceProblem('link-wrong')
    }
    if (!verifyEntrySignature(genesis.entry) || !verifyEntrySignature(certificate.entry)) return deviceProblem('link-wrong')
    if (this.#parts.pools.get(answer.pool)) return deviceProblem('already-here')
    await this.#parts.pools.add({
      genesis: genesis.entry as PoolEntry, derivation: link.derivation, relayUrl: answer.relay, status: 'member', needsChainHead: false,
      device: { member: answer.member, certificate: certificate.entry.id },
    })
    await this.#parts.pools.ingestLines(answer.pool, [answer.certificate, ...answer.lines])
    return { ok: true, value: answer.pool }
  }

  // ---- the existing device ---------------------------------------------------------

  /** Reads a scanned or pasted code; a problem when it is garbled or expired. */
  read(text: string): LinkOutcome<DeviceLinkCode> {
    const decoded = decodeDeviceLink(text, this.#parts.now())
    return decoded.ok ? { ok: true, value: decoded.code } : { ok: false, refusal: { reason: decoded.problem } }
  }

  /**
   * Certifies the code's device key in `pool` under `name` and leaves the
   * sealed answer in the new device's mailbox. Nothing is signed when the code
   * is unusable or the relay cannot be reached; an answer the relay refused
   * after signing is returned for `resend` (`sent: false`).
   */
  async answer(pool: string, code: DeviceLinkCode, name: string): Promise<LinkOutcome<{ sent: boolean; pending: SentAnswer }>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return deviceProblem('unknown-pool')
    if (code.expires < this.#parts.now()) return deviceProblem('link-expired')
    if (!this.#devices.canCertify(pool)) return deviceProblem('not-member-key')
    const key = code.device as PublicKeyHex
    if (book.ledger.memberOfDevice(key) !== undefined || book.ledger.member(key) !== undefined) return deviceProblem('link-used')
    const admission = book.ledger.membershipEntry(book.me)
    const admitted = admission !== undefined ? book.store.entries.get(admission) : undefined
    const lines = admitted ? [encodeEntry(admitted)] : []
    if (book.record.genesisLine.length + lines.join('').length > ANSWER_LINES_CHARS_MAX) return deviceProblem('link-too-big')
    const url = relayHttpUrl(code.relay || this.#parts.sync.relayUrl, `/mailbox/${linkMailbox(code.rendezvous)}`)
    if (!url || !(await this.#reachable(url))) return deviceProblem('link-relay')
    const signed = await this.#devices.certify(pool, code.device, name || code.name)
    if (!signed.ok) return signed
    const answer: DeviceLinkAnswer = { pool, genesis: book.record.genesisLine, member: book.me, certificate: encodeEntry(signed.value), lines, relay: book.record.relayUrl }
    const pending: SentAnswer = { url, sealed: sealAnswer(answer, code, this.#random(32), this.#random(24)), certificate: signed.value.id }
    return { ok: true, value: { sent: await this.resend(pending), pending } }
  }

  /** Leaves an answer in the mailbox (again); true once the relay took it. */
  async resend(pending: SentAnswer): Promise<boolean> {
    try {
      const response = await this.#fetch(pending.url, { method: 'POST', body: pending.sealed as BodyInit, headers: { 'Content-Type': 'application/octet-stream' }, credentials: 'omit', cache: 'no-store' })
      return response.ok
    } catch {
      return false
    }
  }

  async #reachable(url: string): Promise<boolean> {
    try {
      return (await this.#fetch(url, { credentials: 'omit', cache: 'no-store' })).ok
    } catch {
      return false
    }
  }
}

/**
 * The mailbox's HTTP address on a relay's origin (ws: → http:, wss: → https:), or undefined for
 * an address that is not a relay's. As default-relay.ts's relayHttpUrl, written out here so that
 * this lazily loaded module shares no module with the first load.
 */
function relayHttpUrl(relayUrl: string, path: string): string | undefined {
  let url: URL
  try {
    url = new URL(relayUrl.trim())
  } catch {
    return undefined
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:'
  if (!secure && url.protocol !== 'ws:' && url.protocol !== 'http:') return undefined
  return `${secure ? 'https:' : 'http:'}//${url.host}${path}`
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function base64ToBytes(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
  } catch {
    return new Uint8Array(0)
  }
}
