/**
 * The wallet: one per device profile. It owns the recovery phrase, a key per
 * pool, the verified entries and the ledgers, and it is the only code that
 * signs. Screens call its methods and re-render on its change events; every
 * operating error comes back as a value the screen turns into words.
 */
import {
  SignatureCache, decodeEntry, encodeEntry, fromHex, poolCsv, publicKeyOf, signEntry, signJoinInvite, statement, statementCsv, toHex, verifyEntrySignature,
  type StatementFilter, type AdmitEntry, type CloseEntry, type FreezeEntry, type InviteEntry, type JoinEntry,
  type MemberLimits, type Policy, type PoolEntry, type PublicKeyHex,
} from '../../core/index.ts'
import type { InvitePayload, PoolPayload, ReceiptPayload, RequestPayload } from '../links/link-payloads.ts'
import type { KeyDerivation } from '../keys/pool-keys.ts'
import type { WalletSnapshot } from '../backup/wallet-snapshot.ts'
import type { DraftRecord, InviteRecord, JoinRequestRecord, PoolRecord, WalletDb } from '../storage/wallet-db.ts'
import type { SyncEngine, SyncStatus } from '../sync/sync-engine.ts'
import { Contacts, trimmedName } from './contacts.ts'
import { EntrySigner } from './entry-signer.ts'
import { inviteChain } from './history-in-links.ts'
import type { PoolBook } from './pool-book.ts'
import type { Outcome, WalletProblem } from './outcome.ts'
import { PaymentRequests } from './payment-requests.ts'
import { Payments } from './payments.ts'
import { Pools } from './pools.ts'
import { WalletSettings } from './wallet-settings.ts'
import type { PoolView } from './pool-view.ts'
import { isConnected, witnessStatus, type WitnessStatus } from './witness-status.ts'

export type { Outcome, WalletProblem } from './outcome.ts'

export interface WalletOptions {
  readonly db: WalletDb
  readonly sync: SyncEngine
  readonly now?: () => number
  /** Shared with the sync engine so each signature is verified once per device. */
  readonly cache?: SignatureCache
}

export class Wallet {
  readonly #db: WalletDb
  readonly #sync: SyncEngine
  readonly #now: () => number
  readonly #pools: Pools
  readonly #signer: EntrySigner
  readonly #listeners = new Set<() => void>()
  readonly #cache: SignatureCache
  readonly #settings: WalletSettings
  readonly #contacts: Contacts
  readonly #payments: Payments
  readonly #requests: PaymentRequests
  #version = 0

  private constructor(options: WalletOptions) {
    this.#db = options.db
    this.#sync = options.sync
    this.#now = options.now ?? Date.now
    this.#cache = options.cache ?? new SignatureCache()
    const base = { db: this.#db, sync: this.#sync, now: this.#now, cache: this.#cache, changed: () => this.#changed() }
    this.#settings = new WalletSettings(base)
    this.#pools = new Pools(base)
    this.#signer = new EntrySigner(base)
    this.#contacts = new Contacts({ ...base, settings: this.#settings, pools: this.#pools })
    const parts = { ...base, settings: this.#settings, pools: this.#pools, signer: this.#signer, contacts: this.#contacts }
    this.#payments = new Payments(parts)
    this.#requests = new PaymentRequests(parts)
    this.#sync.onStatusChange(() => this.#changed())
  }

  /** Opens the wallet, making the recovery phrase on first start. */
  static async open(options: WalletOptions): Promise<Wallet> {
    const wallet = new Wallet(options)
    await wallet.#load()
    return wallet
  }

  // ---- reading ------------------------------------------------------------

  /** Bumped on every change; screens compare it to know when to re-render. */
  get version(): number {
    return this.#version
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  get syncStatus(): SyncStatus {
    return this.#sync.status
  }

  get relayUrl(): string {
    return this.#sync.relayUrl
  }

  get recoveryPhrase(): string {
    return this.#settings.profile.phrase
  }

  get backedUp(): boolean {
    return this.#settings.profile.backedUp
  }

  get displayName(): string {
    return this.#settings.profile.displayName
  }

  /** True while a payment is being signed and stored: the app must not swap its code now. */
  get busy(): boolean {
    return this.#signer.busy
  }

  poolIds(): string[] {
    return this.#pools.ids()
  }

  pool(id: string): PoolView | undefined {
    return this.#pools.get(id)?.view(this.#now())
  }

  poolRecord(id: string): PoolRecord | undefined {
    return this.#pools.get(id)?.record
  }

  /** Whether the pool has a witness, whether a payment now counts as online, and the offline allowance left. */
  witnessStatus(pool: string): WitnessStatus | undefined {
    const book = this.#pools.get(pool)
    return book && witnessStatus(book.ledger, book.me, isConnected(this.#sync.status))
  }

  /**
   * Why this device's key may not sign in `pool` right now (a restored key
   * whose chain the relay has not given back yet, or a head known to be
   * stale), for screens to say before anyone fills a form; undefined when it may.
   */
  signingBlocked(pool: string): WalletProblem | undefined {
    const book = this.#pools.get(pool)
    return book && this.#signer.blocked(book)
  }

  /** The name this wallet knows a key by in a pool (a local contact), if any. */
  nameOf(pool: string, key: string): string | undefined {
    return this.#contacts.nameOf(pool, key)
  }

  /** One entry's canonical line (for a proof to hand on), if this device holds it. */
  entryLine(pool: string, id: string): string | undefined {
    const entry = this.#pools.get(pool)?.store.entries.get(id)
    return entry && encodeEntry(entry)
  }

  /** Entry lines of a pool, for an auditor's export. */
  poolLines(id: string): string[] {
    const book = this.#pools.get(id)
    return book ? [...book.store.entries.values()].map((entry) => encodeEntry(entry)).sort() : []
  }

  async draft(pool: string): Promise<DraftRecord | undefined> {
    return this.#payments.draft(pool)
  }

  async invites(pool: string): Promise<InviteRecord[]> {
    return (await this.#db.getAllFromIndex('invites', 'by-pool', pool)).sort((a, b) => b.createdAt - a.createdAt)
  }

  async joinRequests(pool: string): Promise<JoinRequestRecord[]> {
    return (await this.#db.getAllFromIndex('requests', 'by-pool', pool)).sort((a, b) => b.at - a.at)
  }

  // ---- settings -------------------------------------------------------------

  async setDisplayName(name: string): Promise<void> {
    await this.#settings.setDisplayName(name)
  }

  async setRelay(url: string): Promise<void> {
    await this.#settings.setRelay(url)
  }

  async markBackedUp(): Promise<void> {
    await this.#settings.markBackedUp()
  }

  async saveDraft(draft: DraftRecord): Promise<void> {
    await this.#payments.saveDraft(draft)
  }

  async clearDraft(pool: string): Promise<void> {
    await this.#payments.clearDraft(pool)
  }

  async setContact(pool: string, key: string, name: string): Promise<void> {
    await this.#contacts.set(pool, key, name)
  }

  // ---- pools ---------------------------------------------------------------

  /** Creates a pool with this device as its gatekeeper. */
  async createPool(policy: Policy): Promise<Outcome<string>> {
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(16)))
    const derivation: KeyDerivation = { kind: 'creator', nonce }
    const secretKey = this.#settings.secretKey(derivation)
    const author = publicKeyOf(secretKey)
    let genesis: PoolEntry
    try {
      genesis = signEntry<PoolEntry>({ type: 'pool', author, seq: 1, prev: null, deps: [], time: this.#now(), policy, nonce }, secretKey)
    } catch (error) {
      return { ok: false, refusal: { reason: 'pool-invalid', detail: (error as Error).message } }
    }
    await this.#addPool(genesis, derivation, secretKey, '', 'member', false)
    return { ok: true, value: genesis.id }
  }

  /** Signs a one-time invite; returns the payload to put in a link or QR code. */
  async createInvite(pool: string, label: string, limits: MemberLimits = {}): Promise<Outcome<InvitePayload>> {
    const book = this.#pools.get(pool)
    if (!book) return { ok: false, refusal: { reason: 'unknown-pool' } }
    const inviteSecret = crypto.getRandomValues(new Uint8Array(32))
    const invitee = publicKeyOf(inviteSecret)
    const signed = await this.#signer.sign<InviteEntry>(book, { type: 'invite', invitee, ...limits })
    if (!signed.ok) return signed
    const genesis = book.store.entries.get(book.id)
    if (!genesis) return { ok: false, refusal: { reason: 'unknown-pool' } }
    const chain = inviteChain(book.store.entries, signed.value)
    return {
      ok: true,
      value: {
        kind: 'invite',
        pool,
        relay: book.record.relayUrl,
        genesis: encodeEntry(genesis),
        invite: encodeEntry(signed.value),
        secret: toHex(inviteSecret),
        ...(trimmedName(label) ? { label: trimmedName(label) } : {}),
        ...(chain.length > 0 ? { chain } : {}),
      },
    }
  }

  async rememberInvite(record: InviteRecord): Promise<void> {
    await this.#db.put('invites', record)
    this.#changed()
  }

  /** Joins with a one-time invite; works with no network at all. Returns the pool id. */
  async joinByInvite(payload: InvitePayload): Promise<Outcome<string>> {
    const genesis = decodeEntry(payload.genesis)
    const invite = decodeEntry(payload.invite)
    if (!genesis.ok || genesis.entry.type !== 'pool' || genesis.entry.id !== payload.pool || !verifyEntrySignature(genesis.entry, this.#cache)) {
      return { ok: false, refusal: { reason: 'invite-invalid', detail: 'pool' } }
    }
    if (!invite.ok || invite.entry.type !== 'invite' || !verifyEntrySignature(invite.entry, this.#cache)) {
      return { ok: false, refusal: { reason: 'invite-invalid', detail: 'invite' } }
    }
    if (invite.entry.pool !== genesis.entry.id) return { ok: false, refusal: { reason: 'invite-wrong-pool' } }
    const inviteSecret = fromHex(payload.secret, 32)
    if (!inviteSecret || publicKeyOf(inviteSecret) !== invite.entry.invitee) return { ok: false, refusal: { reason: 'invite-invalid', detail: 'secret' } }
    const existing = this.#pools.get(payload.pool)
    if (existing && existing.record.status === 'member' && existing.view(this.#now()).role !== 'none') {
      return { ok: false, refusal: { reason: 'already-joined' } }
    }
    const book = existing ?? (await this.#addPool(genesis.entry, { kind: 'member', pool: payload.pool, index: 0 }, undefined, payload.relay, 'member', false))
    // The gatekeeper's history the link carries lets the invite count at once, offline.
    await this.ingestLines(book.id, payload.chain ?? [])
    await book.store.put([invite.entry])
    const inviteEntry = invite.entry
    const signed = await this.#signer.sign<JoinEntry>(
      book,
      { type: 'join', invite: inviteEntry.id, invitee: inviteEntry.invitee, inviteSig: signJoinInvite(book.id, inviteEntry.id, book.me, inviteSecret) },
      // Without the gatekeeper's whole history the join waits (pending) for it; it is still this member's to sign.
      { extraDeps: [inviteEntry.id], allowWaiting: true },
    )
    if (!signed.ok) return signed
    if (book.record.status !== 'member') await this.#pools.updateRecord(book, { status: 'member' })
    book.follow?.publish([genesis.entry, inviteEntry])
    return { ok: true, value: book.id }
  }

  /**
   * Adds a pool known from its public link, to ask its gatekeeper for
   * admission (or to bring back a restored key's pool). Returns this device's
   * public key for the pool, which the join request carries.
   */
  async addPoolFromLink(payload: PoolPayload): Promise<Outcome<string>> {
    const genesis = decodeEntry(payload.genesis)
    if (!genesis.ok || genesis.entry.type !== 'pool' || genesis.entry.id !== payload.pool || !verifyEntrySignature(genesis.entry, this.#cache)) {
      return { ok: false, refusal: { reason: 'pool-invalid' } }
    }
    const existing = this.#pools.get(payload.pool)
    if (existing) return { ok: true, value: existing.me }
    const creator = this.#settings.secretKey({ kind: 'creator', nonce: genesis.entry.nonce })
    // This wallet may have created the pool (a restore from the phrase alone): then it takes the gatekeeper's key back.
    const isCreator = publicKeyOf(creator) === genesis.entry.author
    const derivation: KeyDerivation = isCreator ? { kind: 'creator', nonce: genesis.entry.nonce } : { kind: 'member', pool: payload.pool, index: 0 }
    const book = await this.#addPool(genesis.entry, derivation, undefined, payload.relay, isCreator ? 'member' : 'requested', this.#settings.profile.restored)
    return { ok: true, value: book.me }
  }

  /**
   * A receipt for a payment this device signed: the transfer and the payer's
   * chain before it, as much as a QR code holds, for a payee with no network.
   */
  receiptPayload(pool: string, entryId: string): ReceiptPayload | undefined {
    return this.#payments.receipt(pool, entryId)
  }

  /** The public link of a pool (no secret in it): for join requests and for restoring. */
  poolLinkPayload(pool: string): PoolPayload | undefined {
    const book = this.#pools.get(pool)
    const genesis = book?.store.entries.get(pool)
    return book && genesis ? { kind: 'pool', pool, relay: book.record.relayUrl, genesis: encodeEntry(genesis) } : undefined
  }

  async recordJoinRequest(request: JoinRequestRecord): Promise<Outcome> {
    if (!this.#pools.get(request.pool)) return { ok: false, refusal: { reason: 'unknown-pool' } }
    const known = await this.#db.get('requests', [request.pool, request.member])
    if (!known || known.state === 'waiting') await this.#db.put('requests', request)
    this.#changed()
    return { ok: true, value: undefined }
  }

  async approveJoinRequest(pool: string, member: string, limits: MemberLimits = {}): Promise<Outcome> {
    const book = this.#pools.get(pool)
    if (!book) return { ok: false, refusal: { reason: 'unknown-pool' } }
    const signed = await this.#signer.sign<AdmitEntry>(book, { type: 'admit', member: member as PublicKeyHex, role: 'member', ...limits })
    if (!signed.ok) return signed
    const request = await this.#db.get('requests', [pool, member])
    if (request) {
      await this.#db.put('requests', { ...request, state: 'approved', at: this.#now() })
      if (request.name) await this.setContact(pool, member, request.name)
    }
    this.#changed()
    return { ok: true, value: undefined }
  }

  async refuseJoinRequest(pool: string, member: string): Promise<void> {
    const request = await this.#db.get('requests', [pool, member])
    if (request) await this.#db.put('requests', { ...request, state: 'refused', at: this.#now() })
    this.#changed()
  }

  async freeze(pool: string, member: string, reason: string): Promise<Outcome> {
    const book = this.#pools.get(pool)
    if (!book) return { ok: false, refusal: { reason: 'unknown-pool' } }
    const signed = await this.#signer.sign<FreezeEntry>(book, { type: 'freeze', member: member as PublicKeyHex, ...(reason.trim() ? { reason: reason.trim() } : {}) })
    return signed.ok ? { ok: true, value: undefined } : signed
  }

  async issue(pool: string, to: string, amount: number, memo: string): Promise<Outcome<string>> {
    return this.#payments.issue(pool, to, amount, memo)
  }

  /** Pays a member. Judged by core's validator before anything is stored or sent. */
  async pay(pool: string, to: string, amount: number, memo: string): Promise<Outcome<string>> {
    return this.#payments.pay(pool, to, amount, memo)
  }

  /**
   * Signs a payment request: this member asks `from` (or, without it, whoever
   * opens the link) for `amount`. Returns the request's id.
   */
  async makeRequest(pool: string, amount: number, memo: string, from?: string): Promise<Outcome<string>> {
    return this.#requests.make(pool, amount, memo, from)
  }

  /**
   * A request's link payload: the signed request line alone (about 540
   * characters as a link, a QR code readable at arm's length). A payer's phone
   * that already holds the requester's earlier entries, as any phone that
   * synced once does, can pay it offline; one that does not says it must wait.
   */
  requestPayload(pool: string, id: string): RequestPayload | undefined {
    return this.#requests.payload(pool, id)
  }

  /**
   * Keeps what a request link carries (verified like any line) and returns the
   * request's id; the name it gives is kept as a contact when none is known.
   */
  async takeRequestLink(payload: RequestPayload): Promise<Outcome<string>> {
    return this.#requests.takeLink(payload)
  }

  /**
   * Pays a request by reference: amount, payee and note come from the signed
   * request, never from the screen. Judged by the validator before it is kept.
   */
  async payRequest(pool: string, id: string): Promise<Outcome<string>> {
    return this.#requests.pay(pool, id)
  }

  /** This member's statement as CSV (core's `statement` and `statementCsv`), filtered by date and counterparty. */
  statementCsv(pool: string, filter: StatementFilter = {}): string | undefined {
    const book = this.#pools.get(pool)
    if (!book) return undefined
    return statementCsv(statement(book.ledger.movements(), book.me, filter), book.ledger.policy?.decimals ?? 0)
  }

  /** Every movement of the pool as CSV, for a gatekeeper's books. */
  poolCsv(pool: string): string | undefined {
    const book = this.#pools.get(pool)
    if (!book || book.view(this.#now()).role !== 'gatekeeper') return undefined
    return poolCsv(book.ledger.movements(), book.ledger.policy?.decimals ?? 0)
  }

  /**
   * Answers a two-step transfer or a request: the payee accepts or refuses a
   * transfer, its payer withdraws it; the payer asked refuses a request, its
   * requester withdraws it. Judged by the validator like any entry.
   */
  async answer(pool: string, entry: string, answer: 'accept' | 'reject' | 'cancel'): Promise<Outcome<string>> {
    return this.#payments.answer(pool, entry, answer)
  }

  /** Leaves a pool: allowed by the validator only at balance zero with nothing in flight. */
  async closeAccount(pool: string): Promise<Outcome> {
    const book = this.#pools.get(pool)
    if (!book) return { ok: false, refusal: { reason: 'unknown-pool' } }
    const signed = await this.#signer.sign<CloseEntry>(book, { type: 'close' })
    return signed.ok ? { ok: true, value: undefined } : signed
  }

  /** Lines learned outside sync (a link, a QR code, a file): decoded and verified like any other. */
  async ingestLines(pool: string, lines: readonly string[]): Promise<number> {
    return this.#pools.ingestLines(pool, lines)
  }

  // ---- backup and restore -------------------------------------------------------

  async snapshot(): Promise<WalletSnapshot> {
    const contacts = await this.#contacts.all()
    return {
      phrase: this.#settings.profile.phrase,
      displayName: this.#settings.profile.displayName,
      createdAt: this.#settings.profile.createdAt,
      pools: [...this.#pools.all()].map((book) => ({
        id: book.id,
        relayUrl: book.record.relayUrl,
        derivation: book.key.derivation,
        status: book.record.status,
        joinedAt: book.record.joinedAt,
        lines: [...book.store.entries.values()].map((entry) => encodeEntry(entry)),
      })),
      contacts: contacts.map(({ pool, key, name }) => ({ pool, key, name })),
    }
  }

  /**
   * Replaces this wallet with a restored one. Every restored pool waits for
   * the relay before its key signs again: the backup may be older than the
   * key's last entry, and signing from a stale chain head forks the chain.
   */
  async restore(snapshot: WalletSnapshot): Promise<void> {
    await this.#wipe()
    await this.#settings.adopt(snapshot)
    for (const pool of snapshot.pools) {
      const lines = pool.lines.map((line) => decodeEntry(line))
      const genesis = lines.find((decoded) => decoded.ok && decoded.entry.type === 'pool' && decoded.entry.id === pool.id)
      if (!genesis?.ok || genesis.entry.type !== 'pool') continue
      const book = await this.#addPool(genesis.entry, pool.derivation, undefined, pool.relayUrl, pool.status, true, pool.joinedAt)
      await this.ingestLines(pool.id, pool.lines)
      await this.#contacts.keep(book, snapshot.contacts.filter((c) => c.pool === pool.id))
      book.touch()
    }
    this.#changed()
  }

  /** Restores from the phrase alone: keys come back; pools come back as their links are opened again. */
  async restoreFromPhrase(phrase: string): Promise<void> {
    await this.restore({ phrase, displayName: '', createdAt: this.#now(), pools: [], contacts: [] })
  }

  // ---- internals ------------------------------------------------------------

  async #load(): Promise<void> {
    await this.#settings.load()
    await this.#pools.load()
    this.#changed()
  }


  async #addPool(genesis: PoolEntry, derivation: KeyDerivation, secretKey: Uint8Array | undefined, relayUrl: string, status: PoolRecord['status'], needsChainHead: boolean, joinedAt = this.#now()): Promise<PoolBook> {
    return this.#pools.add({ genesis, derivation, secretKey: secretKey ?? this.#settings.secretKey(derivation), relayUrl, status, needsChainHead, joinedAt })
  }

  async #wipe(): Promise<void> {
    this.#pools.closeAll()
    const stores = ['settings', 'pools', 'keys', 'entries', 'delivery', 'contacts', 'drafts', 'invites', 'requests'] as const
    const tx = this.#db.transaction([...stores], 'readwrite')
    await Promise.all([...stores.map((name) => tx.objectStore(name).clear()), tx.done])
  }

  /** Re-judges every pool as of now: the rate limit's countdown and pending entries depend on the clock. */
  tick(): void {
    this.#pools.refreshAll()
    this.#changed()
  }

  #changed(): void {
    this.#version++
    for (const listener of this.#listeners) listener()
  }
}
