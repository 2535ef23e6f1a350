/**
 * The wallet: one per device profile. It owns the recovery phrase, a key per
 * pool, the verified entries and the ledgers, and it is the only code that
 * signs. Screens call its methods and re-render on its change events; every
 * operating error comes back as a value the screen turns into words.
 */
import { SignatureCache, decodeEntry, encodeEntry, poolCsv, statement, statementCsv, type MemberLimits, type Policy, type PoolEntry, type StatementFilter } from '../../core/index.ts'
import type { InvitePayload, PoolPayload, ReceiptPayload, RequestPayload } from '../links/link-payloads.ts'
import type { KeyDerivation } from '../keys/pool-keys.ts'
import type { WalletSnapshot } from '../backup/wallet-snapshot.ts'
import type { DraftRecord, InviteRecord, JoinRequestRecord, PoolRecord, WalletDb } from '../storage/wallet-db.ts'
import type { SyncEngine, SyncStatus } from '../sync/sync-engine.ts'
import { Contacts } from './contacts.ts'
import { EntrySigner } from './entry-signer.ts'
import { Gatekeeping } from './gatekeeping.ts'
import { Membership } from './membership.ts'
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
  readonly #membership: Membership
  readonly #gatekeeping: Gatekeeping
  #version = 0

  private constructor(options: WalletOptions) {
    this.#db = options.db
    this.#sync = options.sync
    this.#now = options.now ?? Date.now
    this.#cache = options.cache ?? new SignatureCache()
    const base = { db: this.#db, sync: this.#sync, now: this.#now, cache: this.#cache, changed: () => this.#changed() }
    this.#settings = new WalletSettings(base)
    this.#pools = new Pools({ ...base, settings: this.#settings })
    this.#signer = new EntrySigner(base)
    this.#contacts = new Contacts({ ...base, settings: this.#settings, pools: this.#pools })
    const parts = { ...base, settings: this.#settings, pools: this.#pools, signer: this.#signer, contacts: this.#contacts }
    this.#payments = new Payments(parts)
    this.#requests = new PaymentRequests(parts)
    this.#membership = new Membership(parts)
    this.#gatekeeping = new Gatekeeping(parts)
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
    return this.#gatekeeping.invites(pool)
  }

  async joinRequests(pool: string): Promise<JoinRequestRecord[]> {
    return this.#gatekeeping.joinRequests(pool)
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
    return this.#gatekeeping.createPool(policy)
  }

  /** Signs a one-time invite; returns the payload to put in a link or QR code. */
  async createInvite(pool: string, label: string, limits: MemberLimits = {}): Promise<Outcome<InvitePayload>> {
    return this.#gatekeeping.createInvite(pool, label, limits)
  }

  async rememberInvite(record: InviteRecord): Promise<void> {
    await this.#gatekeeping.rememberInvite(record)
  }

  /** Joins with a one-time invite; works with no network at all. Returns the pool id. */
  async joinByInvite(payload: InvitePayload): Promise<Outcome<string>> {
    return this.#membership.join(payload)
  }

  /**
   * Adds a pool known from its public link, to ask its gatekeeper for
   * admission (or to bring back a restored key's pool). Returns this device's
   * public key for the pool, which the join request carries.
   */
  async addPoolFromLink(payload: PoolPayload): Promise<Outcome<string>> {
    return this.#membership.addFromLink(payload)
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
    return this.#membership.linkPayload(pool)
  }

  async recordJoinRequest(request: JoinRequestRecord): Promise<Outcome> {
    return this.#gatekeeping.recordJoinRequest(request)
  }

  async approveJoinRequest(pool: string, member: string, limits: MemberLimits = {}): Promise<Outcome> {
    return this.#gatekeeping.approveJoinRequest(pool, member, limits)
  }

  async refuseJoinRequest(pool: string, member: string): Promise<void> {
    await this.#gatekeeping.refuseJoinRequest(pool, member)
  }

  async freeze(pool: string, member: string, reason: string): Promise<Outcome> {
    return this.#gatekeeping.freeze(pool, member, reason)
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
    return this.#membership.close(pool)
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
    return this.#pools.add({ genesis, derivation, secretKey, relayUrl, status, needsChainHead, joinedAt })
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
