/**
 * Paying between pools from the app (issue 19, docs/between-pools.md): the
 * payee's side (a payment request naming its pool, whose hashlock preimage
 * stays on this phone, fulfilled by itself when the last hop arrives), the
 * payer's side (the route and its cost from the pools' signed manifests, the
 * first prepare, and taking the hold back once it expired in witnessed time),
 * the pools met through links (followed read-only, their manifests cached so a
 * route is found offline), and a pool's trustlines as its replay says.
 *
 * Loaded on first use (Wallet.crossPool), never in the app's first load. It
 * signs only through the EntrySigner, so core's validator judges every
 * prepare, fulfil and cancel before it is kept or sent.
 */
import {
  Ledger, decodeEntry, encodeEntry, findRoute, gatewayFor, manifestOf, toHex, verifyEntrySignature,
  type CancelEntry, type Entry, type EntryId, type FulfilEntry, type PolicyEntry, type PoolManifest, type PrepareEntry, type PrepareSummary, type PublicKeyHex,
  type RouteFailure, type TrustEntry, type TrustlineSummary,
} from '../../core/index.ts'
import { sha256Bytes } from '../../core/hash.ts'
import { PREPARE_EXPIRY_SECONDS_MAX, PATH_HOPS_MAX, TRUST_HOURS_MAX } from '../../core/limits.ts'
import { MemoryVerifiedStore } from '../../core/sync/verifiedStore.ts'
import type { CrossPayload } from '../links/link-payloads.ts'
import type { PoolFollow } from '../sync/sync-engine.ts'
import { isRatePart } from '../lib/hour-rate.ts'
import { CROSS_POOL_SETTINGS_KEY, type HashlockSecret } from './hashlock-secrets.ts'
import { refused, type Outcome } from './outcome.ts'
import type { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'
import type { authorEntry } from './author-entry.ts'

type PrepareBody = Parameters<typeof authorEntry<PrepareEntry>>[1]

export { CROSS_POOL_SETTINGS_KEY } from './hashlock-secrets.ts'
/** Seconds between the expiries of two hops, as the gateways use (core/paths.ts HOP_EXPIRY_STEP_SECONDS_DEFAULT). */
const HOP_STEP_SECONDS = 120
/** What the first hop waits by default: the steps of the path plus ten minutes for the payee to answer. */
export const PATH_WAIT_SECONDS_DEFAULT = 15 * 60
/** A failed automatic step (a fulfil, a take-back) is tried again after this long, not on every change. */
const RETRY_MS = 5_000
/** Most pools this phone follows because a link named them. */
const PEERS_MAX = 16

/** A payment request to be paid from another pool, kept on the payee's phone with its secret. */
type Lock = HashlockSecret

/** A pool met through a link: its genesis (to follow it) and its last manifest (to route offline). */
interface PeerRecord {
  readonly genesis: string
  readonly relay: string
  readonly manifest?: PoolManifest
  readonly symbol?: string
}

interface Saved {
  readonly locks: Record<string, Lock>
  readonly peers: Record<string, PeerRecord>
}

/** A pool followed read-only: entries in memory, judged by its own ledger. */
interface Peer {
  readonly id: EntryId
  record: PeerRecord
  readonly store: MemoryVerifiedStore
  ledger: Ledger
  follow: PoolFollow | null
}

export type QuoteProblem = RouteFailure | 'not-member' | 'wait-too-short'

/** A wallet outcome, or a reason no payment can be planned (the screen words both). */
export type CrossOutcome<T = void> = Outcome<T> | { ok: false; refusal: { reason: QuoteProblem; detail: string } }

/** The route and cost of paying a cross-pool request, from the manifests this phone holds. */
export type Quote =
  | {
    readonly ok: true
    /** The payer's pool, where it signs the first prepare. */
    readonly from: EntryId
    readonly route: readonly EntryId[]
    /** What each pool of the route carries, in its own minor units; the first is what the payer pays. */
    readonly amounts: readonly number[]
    /** Name, decimals, symbol and rate of each pool of the route, for the screen. */
    readonly pools: readonly RoutePool[]
  }
  | { readonly ok: false; readonly reason: QuoteProblem; readonly detail: string }

export interface RoutePool {
  readonly id: EntryId
  readonly name: string
  readonly symbol: string
  readonly decimals: number
  readonly hourRate: { readonly num: number; readonly den: number } | null
}

/** One hop of a payment as its pool's replay says, when this phone holds that pool. */
export interface HopView {
  readonly pool: EntryId
  readonly name: string
  readonly status: PrepareSummary['status'] | 'unknown'
  readonly amount?: number
}

/** A payment between pools this phone is part of (as payer or payee), with what each pool it holds says of it. */
export interface CrossPayment {
  readonly condition: string
  readonly direction: 'out' | 'in'
  /** The pool and prepare on this phone's side. */
  readonly pool: EntryId
  readonly prepare: EntryId
  readonly amount: number
  readonly expires: number
  /** prepared → settled, or expired → refunded; refused = the next pool's gateway or the payee refused it (refunded at once). */
  readonly state: 'prepared' | 'settled' | 'expired' | 'refunded' | 'refused'
  /** The witness's checkpoint time that made the outcome final, when there is one. */
  readonly witnessedAt?: number
  readonly path?: PrepareEntry['path']
  readonly hops: readonly HopView[]
}

export interface TrustlineView extends TrustlineSummary {
  readonly peer: EntryId
  /** The trusted pool's name when this phone knows its manifest. */
  readonly peerName?: string
  /** What this pool's members received from the peer and the peer still owes (the gateway account below zero). */
  readonly used: number
}

export type CrossPoolParts = Pick<WalletParts, 'db' | 'sync' | 'now' | 'cache' | 'changed' | 'pools' | 'signer'>

export class CrossPool {
  readonly #parts: CrossPoolParts
  #saved: Saved = { locks: {}, peers: {} }
  readonly #peers = new Map<EntryId, Peer>()
  readonly #tried = new Map<string, number>()
  #running = false
  #again = false
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(parts: CrossPoolParts) {
    this.#parts = parts
  }

  /** Reads what was kept and follows the pools met before. */
  async load(): Promise<void> {
    const saved = (await this.#parts.db.get('settings', CROSS_POOL_SETTINGS_KEY)) as Saved | undefined
    if (saved && typeof saved === 'object') this.#saved = { locks: saved.locks ?? {}, peers: saved.peers ?? {} }
    for (const [id, record] of Object.entries(this.#saved.peers)) this.#followPeer(id as EntryId, record)
  }

  // ---- the payee's side ---------------------------------------------------------

  /**
   * A request for `amount` (minor units of `pool`) to be paid from another
   * pool: a fresh 32-byte secret whose SHA-256 is the condition, kept on this
   * phone only; the payload names the pool, this member's key and the condition.
   */
  async makeRequest(pool: string, amount: number, name: string): Promise<Outcome<CrossPayload>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    const genesis = book.store.entries.get(book.id)
    if (!genesis || !Number.isSafeInteger(amount) || amount <= 0) return refused('request-invalid')
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const preimage = toHex(secret)
    const condition = toHex(sha256Bytes(secret))
    await this.#save({ ...this.#saved, locks: { ...this.#saved.locks, [condition]: { pool, preimage, amount, at: this.#parts.now() } } })
    const line = encodeEntry(genesis)
    return { ok: true, value: { kind: 'cross', pool, relay: book.record.relayUrl, genesis: line, to: book.me, amount, condition, ...(name.trim() ? { name: name.trim() } : {}) } }
  }

  // ---- pools met through links -------------------------------------------------

  /** Follows the pool a cross-pool link names (read-only: this phone holds no key there). */
  async learnPool(payload: CrossPayload): Promise<Outcome<EntryId>> {
    const decoded = decodeEntry(payload.genesis)
    if (!decoded.ok || decoded.entry.type !== 'pool' || decoded.entry.id !== payload.pool || !verifyEntrySignature(decoded.entry, this.#parts.cache)) return refused('pool-invalid')
    const id = decoded.entry.id
    if (this.#parts.pools.get(id) || this.#peers.has(id)) return { ok: true, value: id }
    if (Object.keys(this.#saved.peers).length >= PEERS_MAX) {
      // The oldest pool met goes: it is followed again when a link names it.
      const [oldest] = Object.keys(this.#saved.peers)
      this.#peers.get(oldest as EntryId)?.follow?.stop()
      this.#peers.delete(oldest as EntryId)
      const { [oldest!]: _dropped, ...rest } = this.#saved.peers
      this.#saved = { ...this.#saved, peers: rest }
    }
    const record: PeerRecord = { genesis: payload.genesis, relay: payload.relay }
    await this.#save({ ...this.#saved, peers: { ...this.#saved.peers, [id]: record } })
    this.#followPeer(id, record)
    return { ok: true, value: id }
  }

  /** The manifest of a pool: held (from this phone's ledger), followed, or cached from an earlier visit. */
  manifest(pool: string): PoolManifest | undefined {
    const book = this.#parts.pools.get(pool)
    if (book) return manifestOf(book.ledger.result())
    const peer = this.#peers.get(pool as EntryId)
    return (peer && peer.store.size > 1 ? manifestOf(peer.ledger.result()) : undefined) ?? this.#saved.peers[pool]?.manifest
  }

  /** A pool's name and unit, held or met. */
  routePool(pool: string): RoutePool | undefined {
    const book = this.#parts.pools.get(pool)
    const manifest = this.manifest(pool)
    if (!manifest) return undefined
    const symbol = book ? (book.ledger.result().policy?.symbol ?? '') : (this.#peerPolicy(pool)?.symbol ?? this.#saved.peers[pool]?.symbol ?? '')
    return { id: manifest.pool, name: manifest.name, symbol, decimals: manifest.decimals, hourRate: manifest.hourRate }
  }

  // ---- the payer's side ----------------------------------------------------------

  /**
   * The route for a request: from each pool this member holds a key in, the
   * fewest hops (core's findRoute over the manifests this phone knows), and
   * among those the pool listed first. Offline it uses the cached manifests.
   */
  quote(payload: CrossPayload): Quote {
    const manifests = this.#manifests()
    let failure: { reason: QuoteProblem; detail: string } | undefined
    let best: Quote | undefined
    for (const id of this.#parts.pools.ids()) {
      const book = this.#parts.pools.get(id)!
      if (book.view(this.#parts.now()).role === 'none') continue
      const route = findRoute(manifests, book.id, payload.pool as EntryId, payload.amount)
      if (!route.ok) {
        if (!failure || rank(route.reason) > rank(failure.reason)) failure = { reason: route.reason, detail: route.detail }
        continue
      }
      if (best?.ok && best.route.length <= route.route.length) continue
      best = { ok: true, from: book.id, route: route.route, amounts: route.amounts, pools: route.route.map((pool) => this.routePool(pool)!) }
    }
    if (best) return best
    return { ok: false, ...(failure ?? { reason: 'not-member', detail: 'this phone holds no pool it is a member of' }) }
  }

  /** The least wait a route allows: a step for each gateway before the payee, and a minute to spare. */
  static shortestWaitSeconds(hops: number): number {
    return hops * HOP_STEP_SECONDS + 60
  }

  /**
   * The first prepare: the payer pays its pool's gateway for the next pool,
   * holding the amount until the payee's preimage comes back (or `waitSeconds`
   * pass in witnessed time). Would it go through? `check` is the validator's preview.
   */
  async pay(payload: CrossPayload, waitSeconds = PATH_WAIT_SECONDS_DEFAULT): Promise<CrossOutcome<string>> {
    const planned = this.#plan(payload, waitSeconds)
    if (!planned.ok) return planned
    const signed = await this.#parts.signer.sign<PrepareEntry>(planned.book, planned.body)
    if (!signed.ok) return signed
    this.#schedule()
    return { ok: true, value: signed.value.id }
  }

  check(payload: CrossPayload, waitSeconds = PATH_WAIT_SECONDS_DEFAULT): CrossOutcome {
    const planned = this.#plan(payload, waitSeconds)
    if (!planned.ok) return planned
    const judged = this.#parts.signer.judge<PrepareEntry>(planned.book, planned.body)
    return judged.ok ? { ok: true, value: undefined } : judged
  }

  #plan(payload: CrossPayload, waitSeconds: number): { ok: true; book: PoolBook; body: PrepareBody } | { ok: false; refusal: { reason: QuoteProblem | 'unknown-pool'; detail: string } } {
    const quote = this.quote(payload)
    if (!quote.ok) return { ok: false, refusal: { reason: quote.reason, detail: quote.detail } }
    const hops = quote.route.length - 1
    if (!Number.isSafeInteger(waitSeconds) || waitSeconds < CrossPool.shortestWaitSeconds(hops) || waitSeconds > PREPARE_EXPIRY_SECONDS_MAX || hops > PATH_HOPS_MAX) {
      return { ok: false, refusal: { reason: 'wait-too-short', detail: String(CrossPool.shortestWaitSeconds(hops)) } }
    }
    const book = this.#parts.pools.get(quote.from)
    if (!book) return { ok: false, refusal: { reason: 'unknown-pool', detail: quote.from } }
    const gateway = gatewayFor(this.manifest(quote.from)!, quote.route[1]!)!
    return {
      ok: true, book,
      body: {
        type: 'prepare', to: gateway, amount: quote.amounts[0]!, condition: payload.condition, expires: this.#parts.now() + waitSeconds * 1000,
        path: { pools: quote.route, payee: payload.to as PublicKeyHex, amount: payload.amount },
      },
    }
  }

  // ---- what became of payments -----------------------------------------------------

  /** Every payment between pools this phone paid or asked for, newest first. */
  payments(pool?: string): CrossPayment[] {
    const out: CrossPayment[] = []
    for (const book of this.#parts.pools.all()) {
      if (pool !== undefined && book.id !== pool) continue
      const result = book.ledger.result()
      for (const [id, p] of Object.entries(result.prepares ?? {})) {
        const direction = p.from === book.me && p.path ? 'out' : p.to === book.me && this.#saved.locks[p.condition] ? 'in' : undefined
        if (!direction) continue
        const settler = p.settledBy && book.store.entries.get(p.settledBy)
        const state = p.status === 'fulfilled' ? 'settled' : p.status === 'cancelled' ? (settler && settler.author === book.me && direction === 'out' ? 'refunded' : 'refused') : p.status
        const checkpoint = p.settledBy && book.ledger.witnessedBy(p.settledBy)
        const witnessedAt = checkpoint ? book.store.entries.get(checkpoint)?.time : undefined
        out.push({
          condition: p.condition, direction, pool: book.id, prepare: id as EntryId, amount: p.amount, expires: p.expires, state,
          ...(witnessedAt !== undefined ? { witnessedAt } : {}), ...(p.path ? { path: p.path } : {}),
          hops: (p.path?.pools ?? [book.id]).map((hop) => this.#hop(hop, p.condition)),
        })
      }
    }
    return out.sort((a, b) => b.expires - a.expires)
  }

  /** Witnessed time now in `pool`: its primary witness's latest checkpoint, if any. */
  witnessedNow(pool: string): number | undefined {
    return this.#parts.pools.get(pool)?.ledger.latestCheckpoint()?.time
  }

  #hop(pool: EntryId, condition: string): HopView {
    const book = this.#parts.pools.get(pool)
    const ledger = book?.ledger ?? this.#peers.get(pool)?.ledger
    const name = this.manifest(pool)?.name ?? pool.slice(0, 8)
    const found = ledger && Object.values(ledger.result().prepares ?? {}).find((p) => p.condition === condition)
    return found ? { pool, name, status: found.status, amount: found.amount } : { pool, name, status: 'unknown' }
  }

  // ---- trustlines ------------------------------------------------------------------

  /** This pool's trust in other pools, with what is used of it. */
  trustlines(pool: string): TrustlineView[] {
    const book = this.#parts.pools.get(pool)
    if (!book) return []
    return Object.entries(book.ledger.result().trustlines ?? {}).map(([peer, line]) => {
      const name = this.manifest(peer)?.name
      return { ...line, peer: peer as EntryId, ...(name !== undefined ? { peerName: name } : {}), used: Math.max(0, -line.balance) }
    })
  }

  /**
   * A gatekeeper's trust in another pool: "this pool trusts `peer` up to
   * `limitHours` HOUR", its side held by `gateway` (a key the gatekeeper names,
   * not a member). A later one for the same peer replaces the line; 0 ends it.
   * The validator refuses what the pool cannot take (not a gatekeeper, no
   * rate, a gateway that is a member or serves another peer, a limit below
   * what the peer already owes under it); malformed input is refused first.
   */
  async setTrust(pool: string, peer: string, limitHours: number, gateway: string): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    const hex = /^[0-9a-f]{64}$/
    if (!hex.test(peer) || peer === pool || !hex.test(gateway) || !Number.isSafeInteger(limitHours) || limitHours < 0 || limitHours > TRUST_HOURS_MAX) {
      return { ok: false, refusal: { reason: 'invalid-trustline' } }
    }
    const signed = await this.#parts.signer.sign<TrustEntry>(book, { type: 'trust', peer: peer as EntryId, limitHours, gateway: gateway as PublicKeyHex })
    return signed.ok ? { ok: true, value: signed.value.id } : signed
  }

  /**
   * A gatekeeper's new rate to HOUR: one whole unit of this pool is worth `num`/`den` HOUR from this
   * entry on (a `policy` entry; what came before keeps the rate it had). Whole numbers from 1 to
   * HOUR_RATE_PART_MAX, or it is refused before anything is signed.
   */
  async setHourRate(pool: string, num: number, den: number): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    if (!isRatePart(num) || !isRatePart(den)) return { ok: false, refusal: { reason: 'invalid-policy' } }
    const signed = await this.#parts.signer.sign<PolicyEntry>(book, { type: 'policy', policy: { hourRate: { num, den } } })
    return signed.ok ? { ok: true, value: signed.value.id } : signed
  }

  // ---- what this phone does by itself ----------------------------------------------

  /**
   * Runs after every change: fulfils a prepare paying this member whose
   * condition it holds the secret of (and that pays at least what was asked),
   * and takes back its own prepares whose expiry has passed. Never twice at
   * once; a failed step waits RETRY_MS before it is tried again.
   */
  async run(): Promise<void> {
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = true
    try {
      do {
        this.#again = false
        await this.#step()
      } while (this.#again)
    } finally {
      this.#running = false
    }
    this.#schedule()
  }

  async #step(): Promise<void> {
    const now = this.#parts.now()
    for (const book of [...this.#parts.pools.all()]) {
      for (const [id, p] of Object.entries(book.ledger.result().prepares ?? {})) {
        const lock = this.#saved.locks[p.condition]
        if (p.to === book.me && p.status === 'prepared' && lock && lock.pool === book.id && p.amount >= lock.amount && p.expires > now && this.#due(id, now)) {
          await this.#parts.signer.sign<FulfilEntry>(book, { type: 'fulfil', entry: id as EntryId, preimage: lock.preimage }, { extraDeps: [id as EntryId] })
        } else if (p.from === book.me && p.status === 'expired' && this.#due(id, now)) {
          await this.#parts.signer.sign<CancelEntry>(book, { type: 'cancel', entry: id as EntryId }, { extraDeps: [id as EntryId] })
        }
      }
    }
  }

  #due(id: string, now: number): boolean {
    const last = this.#tried.get(id)
    if (last !== undefined && now - last < RETRY_MS) return false
    this.#tried.set(id, now)
    return true
  }

  /** Wakes at the next expiry of an own open prepare, so the hold comes back without anyone touching the app. */
  #schedule(): void {
    clearTimeout(this.#timer)
    const now = this.#parts.now()
    let next: number | undefined
    for (const book of this.#parts.pools.all()) {
      for (const p of Object.values(book.ledger.result().prepares ?? {})) {
        if (p.from !== book.me || p.status !== 'prepared') continue
        if (next === undefined || p.expires < next) next = p.expires
      }
    }
    if (next === undefined) return
    this.#timer = setTimeout(() => {
      this.#parts.pools.refreshAll()
      this.#parts.changed()
      void this.run()
    }, Math.min(Math.max(next - now + 1_000, 1_000), 60_000))
  }

  // ---- inside ---------------------------------------------------------------------

  #manifests(): PoolManifest[] {
    const ids = new Set<string>([...this.#parts.pools.ids(), ...Object.keys(this.#saved.peers)])
    return [...ids].map((id) => this.manifest(id)).filter((m): m is PoolManifest => m !== undefined)
  }

  #peerPolicy(pool: string) {
    const peer = this.#peers.get(pool as EntryId)
    return peer && peer.store.size > 0 ? peer.ledger.result().policy : undefined
  }

  #followPeer(id: EntryId, record: PeerRecord): void {
    if (this.#parts.pools.get(id) || this.#peers.has(id)) return
    const decoded = decodeEntry(record.genesis)
    if (!decoded.ok || decoded.entry.id !== id) return
    const peer: Peer = { id, record, store: new MemoryVerifiedStore([decoded.entry]), ledger: new Ledger(id, { cache: this.#parts.cache }), follow: null }
    peer.ledger.add([decoded.entry], this.#parts.now())
    const put = peer.store.put.bind(peer.store)
    peer.store.put = async (entries: readonly Entry[]): Promise<Entry[]> => {
      const added = await put(entries)
      if (added.length > 0) await this.#peerChanged(peer, added)
      return added
    }
    this.#peers.set(id, peer)
    // The store starts with the genesis, from which the sync derives every document to follow; nothing is published.
    peer.follow = this.#parts.sync.follow(id, peer.store, { onDelivered: () => undefined, onCaughtUp: () => void this.#keepManifest(peer), onOwnChainFetched: () => undefined })
  }

  async #peerChanged(peer: Peer, added: readonly Entry[]): Promise<void> {
    const now = this.#parts.now()
    if (now < peer.ledger.asOf) {
      peer.ledger = new Ledger(peer.id, { cache: this.#parts.cache })
      peer.ledger.add(await peer.store.all(), now)
    } else {
      peer.ledger.add(added, now)
    }
    this.#parts.changed()
  }

  /** Caches a followed pool's manifest so a route is found offline next time. */
  async #keepManifest(peer: Peer): Promise<void> {
    const result = peer.ledger.result()
    const manifest = manifestOf(result)
    if (!manifest) return
    const record: PeerRecord = { ...peer.record, manifest, symbol: result.policy?.symbol ?? '' }
    peer.record = record
    await this.#save({ ...this.#saved, peers: { ...this.#saved.peers, [peer.id]: record } })
    this.#parts.changed()
  }

  async #save(saved: Saved): Promise<void> {
    this.#saved = saved
    await this.#parts.db.put('settings', saved, CROSS_POOL_SETTINGS_KEY)
  }
}

/** Which failure says most about why no route was found (a pool that trusts but not enough beats no link at all). */
function rank(reason: QuoteProblem): number {
  return ['not-member', 'same-pool', 'unknown-pool', 'none', 'too-long', 'overflow', 'not-enough-trust'].indexOf(reason)
}
