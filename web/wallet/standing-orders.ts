/**
 * Money over time, as a member uses it: a payment that repeats (a standing
 * order), a payment on a later date (a scheduled payment), a recurring
 * request (rent, dues) and accepting one, stopping any of them, and, on the
 * payee's phone, collecting each payment when it falls due.
 *
 * The payer signs the order once (core/rules/orders.ts); each payment is a
 * `collect` entry the payee's app signs when due. The validator pays a period
 * at most once whoever submits it, so two of the payee's devices, or the app
 * and a relay's coordinator, collecting the same period cost nothing but a
 * refused entry. A period the payer could not pay is asked again once a day
 * (ORDER_COLLECT_RETRY_SECONDS), not on every tick.
 */
import {
  DEMURRAGE_PERIOD_SECONDS_MAX, DEMURRAGE_PERIOD_SECONDS_MIN, DEMURRAGE_RATE_DEN_MAX, type Demurrage, type PolicyEntry,
  ORDER_COLLECT_PER_RUN_MAX, ORDER_COLLECT_RETRY_SECONDS, ORDER_COUNT_MAX, ORDER_EVERY_SECONDS_MAX, ORDER_EVERY_SECONDS_MIN, periodsToCollect,
  type AcceptEntry, type CancelEntry, type CollectEntry, type EntryId, type OrderEntry, type PublicKeyHex, type RequestEntry,
} from '../../core/index.ts'
import { idOf, kept, refused, type Outcome } from './outcome.ts'
import { memoField } from './payments.ts'
import { probeRelayCoordinator } from './pool-witness.ts'
import type { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'

/** How long the relay has to name its coordinator before an order is signed without one (the payee's phone collects). */
const COORDINATOR_ANSWER_TIMEOUT_MS = 2000

/** A burst of changes (a sync bringing many entries) is answered by one collection, this long after the first. */
const COLLECT_DELAY_MS = 200

export type StandingOrdersParts = Pick<WalletParts, 'pools' | 'signer' | 'now' | 'sync'>

/** What a member chooses on the pay screen: when the first payment is made, and whether and how often it repeats. */
export interface OrderPlan {
  /** Seconds between payments; absent: one payment, at `start`. */
  readonly everySeconds?: number
  /** How many payments at most (absent: until stopped). */
  readonly count?: number
  /** When the first (or only) payment falls due, ms; absent: now. */
  readonly start?: number
}

export class StandingOrders {
  readonly #parts: StandingOrdersParts
  #running: Promise<number> | undefined
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(parts: StandingOrdersParts) {
    this.#parts = parts
  }

  /**
   * Signs a standing order (with `everySeconds`) or a scheduled payment
   * (without): judged by the validator like any entry. The payee's phone
   * collects each payment when it falls due; the first, when due now, as soon
   * as the payee's phone sees the order.
   */
  async create(pool: string, to: string, amount: number, memo: string, plan: OrderPlan): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    if (to === book.me) return refused('pay-yourself')
    const every = plan.everySeconds
    const now = this.#parts.now()
    const problem = planProblem(plan, now)
    if (problem) return refused('order-invalid', problem)
    // The relay that witnesses the pool can collect the payments too, while the payee's phone is off.
    const coordinator = await this.#relayCoordinator(book)
    const body = {
      type: 'order' as const, to: to as PublicKeyHex, amount,
      ...(coordinator ? { coordinator } : {}),
      ...(every !== undefined ? { everySeconds: every } : {}),
      ...(every !== undefined && plan.count !== undefined ? { count: plan.count } : {}),
      // A scheduled payment names its date; an order that starts now takes its own time as the start.
      ...(plan.start !== undefined && plan.start > now ? { start: plan.start } : every === undefined ? { start: now } : {}),
      ...memoField(memo),
    }
    return idOf(await this.#parts.signer.sign<OrderEntry>(book, body))
  }

  /**
   * The coordinator key of the relay this wallet syncs with, when that relay is the pool's primary
   * witness (its checkpoints date the payments it collects); none offline or otherwise.
   */
  async #relayCoordinator(book: PoolBook): Promise<PublicKeyHex | undefined> {
    const primary = book.ledger.policy?.witnesses?.[0]
    if (!primary) return undefined
    const probe = await probeRelayCoordinator(this.#parts.sync.relayUrl, { timeoutMs: COORDINATOR_ANSWER_TIMEOUT_MS })
    return probe.ok && probe.witness === primary ? probe.coordinator : undefined
  }

  /**
   * Signs a recurring request (rent, dues: core/rules/recurring.ts): `amount`
   * every `plan.everySeconds`, of `from` or, without it, of any member who
   * accepts it. The relay that witnesses the pool is named as coordinator, as
   * for an order, so payments are collected while this phone is off.
   */
  async ask(pool: string, amount: number, memo: string, from: string | undefined, plan: OrderPlan & { readonly everySeconds: number }): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    if (from === book.me) return refused('pay-yourself')
    const problem = planProblem(plan, this.#parts.now())
    if (problem) return refused('order-invalid', problem)
    const coordinator = await this.#relayCoordinator(book)
    const body = {
      type: 'request' as const, amount, everySeconds: plan.everySeconds,
      ...(from ? { from: from as PublicKeyHex } : {}), ...(plan.count !== undefined ? { count: plan.count } : {}),
      ...(plan.start !== undefined && plan.start > this.#parts.now() ? { start: plan.start } : {}),
      ...(coordinator ? { coordinator } : {}), ...memoField(memo),
    }
    return idOf(await this.#parts.signer.sign<RequestEntry>(book, body))
  }

  /**
   * Accepts a recurring request: this member's accept becomes a standing order
   * on the request's terms, shown in Scheduled, collected by the requester's
   * phone (or its relay) each period. Returns the order's id (the accept's).
   */
  async accept(pool: string, request: string): Promise<Outcome<string>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    return idOf(await this.#parts.signer.sign<AcceptEntry>(book, { type: 'accept', entry: request as EntryId }, { extraDeps: [request as EntryId] }))
  }

  /**
   * A gatekeeper sets the pool's demurrage (a `policy` entry: a rate per period above a free base,
   * to the commons; core/rules/demurrage.ts), or turns it off with null. It counts from where the
   * entry is in the log; the validator refuses it from anyone but a gatekeeper.
   */
  async setDemurrage(pool: string, demurrage: Demurrage | null): Promise<Outcome> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    if (demurrage) {
      const { rateNum, rateDen, periodSeconds, freeBase } = demurrage
      const whole = [rateNum, rateDen, periodSeconds, freeBase].every(Number.isSafeInteger)
      if (!whole || rateNum < 1 || rateNum >= rateDen || rateDen > DEMURRAGE_RATE_DEN_MAX || periodSeconds < DEMURRAGE_PERIOD_SECONDS_MIN || periodSeconds > DEMURRAGE_PERIOD_SECONDS_MAX || freeBase < 0) {
        return refused('demurrage-invalid', `expected a rate between 0 and 1 (at most ${DEMURRAGE_RATE_DEN_MAX} parts), a period of ${DEMURRAGE_PERIOD_SECONDS_MIN}–${DEMURRAGE_PERIOD_SECONDS_MAX} s and a free base from 0`)
      }
    }
    return kept(await this.#parts.signer.sign<PolicyEntry>(book, { type: 'policy', policy: { demurrage } }))
  }

  /** Stops a standing order or cancels a scheduled payment: no later period is paid. */
  async stop(pool: string, order: string): Promise<Outcome> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    return kept(await this.#parts.signer.sign<CancelEntry>(book, { type: 'cancel', entry: order as EntryId }, { extraDeps: [order as EntryId] }))
  }

  /**
   * Collects soon (once, however often it is asked in a burst): called on
   * every change the wallet sees, so an order that arrives is collected from
   * as soon as it is due, online or not.
   */
  schedule(): void {
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.collectDue()
    }, COLLECT_DELAY_MS)
  }

  /**
   * Signs, in every pool, the payments due to this member that are not
   * collected yet; returns how many were accepted. Runs one at a time.
   */
  async collectDue(): Promise<number> {
    // One run at a time; a call during a run waits for it and then looks again (the run may have missed what just arrived).
    while (this.#running) await this.#running.catch(() => 0)
    this.#running = this.#collectAll()
    try {
      return await this.#running
    } finally {
      this.#running = undefined
    }
  }

  async #collectAll(): Promise<number> {
    let accepted = 0
    for (const id of this.#parts.pools.ids()) {
      const book = this.#parts.pools.get(id)
      if (book && book.record.status !== 'requested') accepted += await this.#collectIn(book)
    }
    return accepted
  }

  async #collectIn(book: PoolBook): Promise<number> {
    if (this.#parts.signer.blocked(book)) return 0
    const now = this.#parts.now()
    const due = periodsToCollect(book.ledger, book.me, now, { retryMs: ORDER_COLLECT_RETRY_SECONDS * 1000, perOrderMax: ORDER_COLLECT_PER_RUN_MAX })
    let accepted = 0
    for (const { order, period } of due) {
      const key = `${book.id}:${order}:${period}`
      // Refused here before signing (the payer cannot pay): no entry was kept, so this session remembers the try.
      const refusedAt = this.#refusedAt.get(key)
      if (refusedAt !== undefined && now - refusedAt < ORDER_COLLECT_RETRY_SECONDS * 1000) continue
      const outcome = await this.#parts.signer.sign<CollectEntry>(book, { type: 'collect', order, period }, { extraDeps: [order] })
      if (outcome.ok) accepted++
      else this.#refusedAt.set(key, now)
    }
    return accepted
  }

  /** Refused tries of this session, which leave no entry behind: by pool, order and period. */
  readonly #refusedAt = new Map<string, number>()
}

/** What is wrong with a plan that the validator would refuse (interval, count, a start in the past), if anything. */
function planProblem(plan: OrderPlan, now: number): string | undefined {
  const every = plan.everySeconds
  if (every !== undefined && (!Number.isSafeInteger(every) || every < ORDER_EVERY_SECONDS_MIN || every > ORDER_EVERY_SECONDS_MAX)) {
    return `expected a repeat every ${ORDER_EVERY_SECONDS_MIN}–${ORDER_EVERY_SECONDS_MAX} seconds, got ${every}`
  }
  if (plan.count !== undefined && (!Number.isSafeInteger(plan.count) || plan.count < 1 || plan.count > ORDER_COUNT_MAX)) {
    return `expected 1–${ORDER_COUNT_MAX} payments, got ${plan.count}`
  }
  if (plan.start !== undefined && (!Number.isSafeInteger(plan.start) || plan.start < now - 60_000)) {
    return `expected a first payment from now on, got ${new Date(plan.start).toISOString()}`
  }
  return undefined
}
