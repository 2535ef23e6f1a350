/**
 * The wallet: one per device profile. It owns the recovery phrase, a key per
 * pool, the verified entries and the ledgers, and it is the only code that
 * signs. Screens call its methods and re-render on its change events; every
 * operating error comes back as a value the screen turns into words.
 *
 * A facade: the work is done by the modules beside it, each one concern, and
 * the Wallet only makes them (sharing one set of parts, wallet-parts.ts) and
 * hands each call on. New capabilities get a module of their own (issue 13).
 *
 * - wallet-settings.ts: the phrase and seed, display name, relay, restored mark
 * - pools.ts: the pools held, opened, followed by sync and woken when due
 * - entry-signer.ts: the one path by which an entry is signed and kept
 * - contacts.ts: the local names of keys; people.ts: who a key is (nickname, signed profile, label)
 * - payments.ts, payment-requests.ts: paying, and asking to be paid
 * - membership.ts, gatekeeping.ts: this member joining and leaving; a gatekeeper admitting others
 * - pool-export.ts, wallet-backup.ts: lines and CSV for people; backup and restore
 * - marketplace.ts, favourites.ts: listings, search and matches, loaded on first use
 * - standing-orders.ts: repeating and scheduled payments, and collecting what falls due to this member
 * - device-tools.ts: this member's devices, linking one, recovery by gatekeepers, loaded on first use
 * - cross-pool.ts: paying and being paid between pools (issue 19), loaded on first use
 */
import { SignatureCache, type MemberLimits, type Policy, type PublicKeyHex, type StatementFilter } from '../../core/index.ts'
import type { WalletSnapshot } from '../backup/wallet-snapshot.ts'
import type { InvitePayload, PoolPayload, ReceiptPayload, RequestPayload } from '../links/link-payloads.ts'
import type { DraftRecord, InviteRecord, JoinRequestRecord, PoolRecord, WalletDb } from '../storage/wallet-db.ts'
import type { SyncEngine, SyncStatus } from '../sync/sync-engine.ts'
import { Contacts } from './contacts.ts'
import { EntrySigner } from './entry-signer.ts'
import { Gatekeeping } from './gatekeeping.ts'
import { Membership } from './membership.ts'
import type { Outcome, WalletProblem } from './outcome.ts'
import { PaymentRequests } from './payment-requests.ts'
import { Payments } from './payments.ts'
import { People } from './people.ts'
import { PoolExport } from './pool-export.ts'
import type { PoolView } from './pool-view.ts'
import { Pools } from './pools.ts'
import { CROSS_POOL_SETTINGS_KEY } from './hashlock-secrets.ts'
import { WalletBackup } from './wallet-backup.ts'
import type { WalletParts } from './wallet-parts.ts'
import { WalletSettings } from './wallet-settings.ts'
import { StandingOrders } from './standing-orders.ts'
import { isConnected, witnessStatus, type WitnessStatus } from './witness-status.ts'
import type { Marketplace } from './marketplace.ts'
import type { DeviceTools } from './device-tools.ts'
import type { CrossPool } from './cross-pool.ts'

export type { Outcome, WalletProblem } from './outcome.ts'

export interface WalletOptions {
  readonly db: WalletDb
  readonly sync: SyncEngine
  readonly now?: () => number
  /** Shared with the sync engine so each signature is verified once per device. */
  readonly cache?: SignatureCache
}

export class Wallet {
  readonly #parts: WalletParts
  readonly #payments: Payments
  readonly #requests: PaymentRequests
  readonly #membership: Membership
  readonly #gatekeeping: Gatekeeping
  readonly #export: PoolExport
  readonly #backup: WalletBackup
  readonly #people: People
  readonly #orders: StandingOrders
  readonly #listeners = new Set<() => void>()
  #version = 0
  #marketplace: Promise<Marketplace> | undefined
  #devices: Promise<DeviceTools> | undefined
  #crossPool: Promise<CrossPool> | undefined
  #crossPoolLoaded: CrossPool | undefined

  private constructor(options: WalletOptions) {
    const base = { db: options.db, sync: options.sync, now: options.now ?? Date.now, cache: options.cache ?? new SignatureCache(), changed: () => this.#changed() }
    // Made in the order they need each other: the settings hold the seed the pools derive keys from.
    const settings = new WalletSettings(base)
    const pools = new Pools({ ...base, settings })
    const contacts = new Contacts({ ...base, settings, pools })
    this.#parts = { ...base, settings, pools, contacts, signer: new EntrySigner(base) }
    this.#payments = new Payments(this.#parts)
    this.#requests = new PaymentRequests(this.#parts)
    this.#membership = new Membership(this.#parts)
    this.#gatekeeping = new Gatekeeping(this.#parts)
    this.#export = new PoolExport(this.#parts)
    this.#backup = new WalletBackup(this.#parts)
    this.#people = new People(this.#parts)
    this.#orders = new StandingOrders(this.#parts)
    options.sync.onStatusChange(() => this.#changed())
  }

  /** Opens the wallet, making the recovery phrase on first start. */
  static async open(options: WalletOptions): Promise<Wallet> {
    const wallet = new Wallet(options)
    await wallet.#parts.settings.load()
    await wallet.#parts.pools.load()
    // A phone that asked to be paid from another pool fulfils by itself when the payment arrives: load that module now.
    if (await options.db.get('settings', CROSS_POOL_SETTINGS_KEY)) void wallet.crossPool()
    wallet.#changed()
    return wallet
  }

  // ---- changes ----------------------------------------------------------------

  /** Bumped on every change; screens compare it to know when to re-render. */
  get version(): number {
    return this.#version
  }

  /** Calls `listener` on every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Re-judges every pool as of now: the rate limit's countdown and pending entries depend on the clock. */
  tick(): void {
    this.#parts.pools.refreshAll()
    this.#changed()
  }

  // ---- the profile and its settings (wallet-settings.ts, contacts.ts) ----------

  get syncStatus(): SyncStatus {
    return this.#parts.sync.status
  }

  get relayUrl(): string {
    return this.#parts.sync.relayUrl
  }

  get recoveryPhrase(): string {
    return this.#parts.settings.profile.phrase
  }

  /** Whether the member said the recovery phrase is written down; until then the app keeps asking. */
  get backedUp(): boolean {
    return this.#parts.settings.profile.backedUp
  }

  get displayName(): string {
    return this.#parts.settings.profile.displayName
  }

  async setDisplayName(name: string): Promise<void> {
    await this.#parts.settings.setDisplayName(name)
  }

  async setRelay(url: string): Promise<void> {
    await this.#parts.settings.setRelay(url)
  }

  async markBackedUp(): Promise<void> {
    await this.#parts.settings.markBackedUp()
  }

  /** The name this wallet shows for a key in a pool: a local nickname, else the key's signed profile, else a gatekeeper's label. */
  nameOf(pool: string, key: string): string | undefined {
    return this.#people.nameOf(pool, key)
  }

  /** Names and profiles: who a key is (people.ts), and this member's own signed profile per pool. */
  get people(): People {
    return this.#people
  }

  /** Names a key in a pool, on this device only. */
  async setContact(pool: string, key: string, name: string): Promise<void> {
    await this.#parts.contacts.set(pool, key, name)
  }

  // ---- pools (pools.ts, entry-signer.ts) --------------------------------------

  /** True while a payment is being signed and stored: the app must not swap its code now. */
  get busy(): boolean {
    return this.#parts.signer.busy
  }

  /** The pools on this device, in the order they were joined. */
  poolIds(): string[] {
    return this.#parts.pools.ids()
  }

  /** What the screens show of a pool, as the validator judges it now. */
  pool(id: string): PoolView | undefined {
    return this.#parts.pools.get(id)?.view(this.#parts.now())
  }

  poolRecord(id: string): PoolRecord | undefined {
    return this.#parts.pools.get(id)?.record
  }

  /** Whether the pool has a witness, whether a payment now counts as online, and the offline allowance left. */
  witnessStatus(pool: string): WitnessStatus | undefined {
    const book = this.#parts.pools.get(pool)
    return book && witnessStatus(book.ledger, book.signer, isConnected(this.#parts.sync.status))
  }

  /**
   * Why this device's key may not sign in `pool` right now (a restored key
   * whose chain the relay has not given back yet, or a head known to be
   * stale), for screens to say before anyone fills a form; undefined when it may.
   */
  signingBlocked(pool: string): WalletProblem | undefined {
    const book = this.#parts.pools.get(pool)
    return book && this.#parts.signer.blocked(book)
  }

  /** Lines learned outside sync (a link, a QR code, a file): decoded and verified like any other. */
  async ingestLines(pool: string, lines: readonly string[]): Promise<number> {
    return this.#parts.pools.ingestLines(pool, lines)
  }

  // ---- payments (payments.ts) ---------------------------------------------------

  /** Pays a member. Judged by core's validator before anything is stored or sent. */
  async pay(pool: string, to: string, amount: number, memo: string): Promise<Outcome<string>> {
    return this.#payments.pay(pool, to, amount, memo)
  }

  /** Would `pay` go through now? The validator's own preview, for the review step; nothing is signed for keeps. */
  checkPayment(pool: string, to: string, amount: number, memo: string): Outcome {
    return this.#payments.check(pool, to, amount, memo)
  }

  /** Issues new money to a member: a gatekeeper's payment in an issued pool. */
  async issue(pool: string, to: string, amount: number, memo: string): Promise<Outcome<string>> {
    return this.#payments.issue(pool, to, amount, memo)
  }

  /**
   * Answers a two-step transfer or a request: the payee accepts or refuses a
   * transfer, its payer withdraws it; the payer asked refuses a request, its
   * requester withdraws it. Judged by the validator like any entry.
   */
  async answer(pool: string, entry: string, answer: 'accept' | 'reject' | 'cancel'): Promise<Outcome<string>> {
    return this.#payments.answer(pool, entry, answer)
  }

  /**
   * A receipt for a payment this device signed: the transfer and the payer's
   * chain before it, as much as a QR code holds, for a payee with no network.
   */
  receiptPayload(pool: string, entryId: string): ReceiptPayload | undefined {
    return this.#payments.receipt(pool, entryId)
  }

  /** The payment being written in a pool, kept so a closed app loses nothing. */
  async draft(pool: string): Promise<DraftRecord | undefined> {
    return this.#payments.draft(pool)
  }

  async saveDraft(draft: DraftRecord): Promise<void> {
    await this.#payments.saveDraft(draft)
  }

  async clearDraft(pool: string): Promise<void> {
    await this.#payments.clearDraft(pool)
  }

  /**
   * Repeating and scheduled payments (standing-orders.ts): `create`, `stop`,
   * and `collectDue`, which the wallet also runs by itself after each change.
   */
  get orders(): StandingOrders {
    return this.#orders
  }

  // ---- payment requests (payment-requests.ts) ----------------------------------

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

  // ---- this member's membership (membership.ts) ---------------------------------

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

  /** The public link of a pool (no secret in it): for join requests and for restoring. */
  poolLinkPayload(pool: string): PoolPayload | undefined {
    return this.#membership.linkPayload(pool)
  }

  /** Removes a pool's card from this phone only (no entry is signed; the phrase and the pool's link bring it back). */
  async removePool(pool: string): Promise<Outcome> {
    return this.#membership.removeCard(pool)
  }

  /** Leaves a pool: allowed by the validator only at balance zero with nothing in flight. */
  async closeAccount(pool: string): Promise<Outcome> {
    return this.#membership.close(pool)
  }

  // ---- gatekeeping (gatekeeping.ts) -------------------------------------------

  /** Creates a pool with this device as its gatekeeper. */
  async createPool(policy: Policy): Promise<Outcome<string>> {
    return this.#gatekeeping.createPool(policy)
  }

  /** Signs a one-time invite; returns the payload to put in a link or QR code. */
  async createInvite(pool: string, label: string, limits: MemberLimits = {}): Promise<Outcome<InvitePayload>> {
    return this.#gatekeeping.createInvite(pool, label, limits)
  }

  /** Keeps an invite's link so the gatekeeper can show it again. */
  async rememberInvite(record: InviteRecord): Promise<void> {
    await this.#gatekeeping.rememberInvite(record)
  }

  async invites(pool: string): Promise<InviteRecord[]> {
    return this.#gatekeeping.invites(pool)
  }

  /** Keeps a join request that came by link or QR code, for the gatekeeper to answer. */
  async recordJoinRequest(request: JoinRequestRecord): Promise<Outcome> {
    return this.#gatekeeping.recordJoinRequest(request)
  }

  async joinRequests(pool: string): Promise<JoinRequestRecord[]> {
    return this.#gatekeeping.joinRequests(pool)
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

  /** Names a witness for the pool (the creator only): `key`, or else the relay this wallet syncs with, asked for its key. */
  async addWitness(pool: string, key?: string): Promise<Outcome> {
    return this.#gatekeeping.addWitness(pool, key !== undefined ? (key as PublicKeyHex) : { relayUrl: this.relayUrl })
  }

  // ---- exports (pool-export.ts) ---------------------------------------------------

  /** One entry's canonical line (for a proof to hand on), if this device holds it. */
  entryLine(pool: string, id: string): string | undefined {
    return this.#export.entryLine(pool, id)
  }

  /** Entry lines of a pool, for an auditor's export. */
  poolLines(id: string): string[] {
    return this.#export.lines(id)
  }

  /** This member's statement as CSV (core's `statement` and `statementCsv`), filtered by date and counterparty. */
  statementCsv(pool: string, filter: StatementFilter = {}): string | undefined {
    return this.#export.statementCsv(pool, filter)
  }

  /** Every movement of the pool as CSV, for a gatekeeper's books. */
  poolCsv(pool: string): string | undefined {
    return this.#export.poolCsv(pool)
  }

  // ---- the marketplace (marketplace.ts) --------------------------------------------

  /** The marketplace, loaded on first use: its search library stays out of the first load. */
  marketplace(): Promise<Marketplace> {
    this.#marketplace ??= import('./marketplace.ts').then(({ Marketplace }) => new Marketplace(this.#parts))
    return this.#marketplace
  }

  /** Devices, linking and recovery (device-tools.ts), loaded on first use like the marketplace. */
  devices(): Promise<DeviceTools> {
    this.#devices ??= import('./device-tools.ts').then(({ deviceTools }) => deviceTools(this.#parts))
    return this.#devices
  }

  // ---- between pools (cross-pool.ts) --------------------------------------------------

  /** Paying and being paid between pools (issue 19), loaded on first use: routes, requests, trustlines, and what it does by itself. */
  crossPool(): Promise<CrossPool> {
    this.#crossPool ??= import('./cross-pool.ts').then(async ({ CrossPool }) => {
      const cross = new CrossPool(this.#parts)
      await cross.load()
      this.#crossPoolLoaded = cross
      void cross.run()
      return cross
    })
    return this.#crossPool
  }

  // ---- backup and restore (wallet-backup.ts) -------------------------------------

  /** What a backup file holds: the phrase, every pool with the entries known, the contacts. */
  async snapshot(): Promise<WalletSnapshot> {
    return this.#backup.snapshot()
  }

  /**
   * Replaces this wallet with a restored one. Every restored pool waits for
   * the relay before its key signs again: the backup may be older than the
   * key's last entry, and signing from a stale chain head forks the chain.
   */
  async restore(snapshot: WalletSnapshot): Promise<void> {
    await this.#backup.restore(snapshot)
    // The restore replaced what the between-pools module keeps (the backup's hashlock secrets): read it again, and start it if it was not.
    if (this.#crossPoolLoaded) await this.#crossPoolLoaded.load()
    else if (await this.#parts.db.get('settings', CROSS_POOL_SETTINGS_KEY)) void this.crossPool()
  }

  /** Restores from the phrase alone: keys come back; pools come back as their links are opened again. */
  async restoreFromPhrase(phrase: string): Promise<void> {
    await this.#backup.restoreFromPhrase(phrase)
  }

  #changed(): void {
    this.#version++
    for (const listener of this.#listeners) listener()
    // Money that fell due to this member is collected whatever screen is open.
    this.#orders.schedule()
    void this.#crossPoolLoaded?.run()
  }
}
