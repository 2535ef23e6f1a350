/**
 * Turns a pool's replay into what the screens show: the member's balance and
 * limits, a statement with a running balance, and each payment's state in
 * words-ready codes. Pure: the same inputs give the same view, so it is tested
 * without a browser.
 */
import { type Entry, type EntryVerdict, type Movement, type OrderSummary, type Policy, type ReplayResult, type Reason, type RequestStatus } from '../../core/index.ts'

export type Delivery = 'device' | 'relay'
export type Role = 'gatekeeper' | 'member' | 'none'
/**
 * A payment's witnessed state: `confirmed` once a checkpoint of the primary
 * witness covers it (its verdict is final: no later double spend can undo it),
 * `unconfirmed` until then, `no-witness` in a pool that names no witness now
 * (nothing there is ever final).
 */
export type Confirmation = 'confirmed' | 'unconfirmed' | 'no-witness'

/** A statement row's kind: the entry's type, or `demurrage` for a charge on holding money (no entry of its own). */
export type RowType = Entry['type'] | 'demurrage'

export interface StatementRow {
  readonly id: string
  readonly time: number
  readonly type: RowType
  /** Signed change to this member's balance: negative when paying. Zero for entries that moved no money (yet). */
  readonly change: number
  /** The amount the entry names, signed as `change` would be: shown for payments still waiting or refused. */
  readonly nominal: number
  readonly counterparty: string | null
  readonly memo: string
  readonly status: EntryVerdict['status']
  readonly reason?: Reason
  readonly detail?: string
  /** Only for entries this device signed: whether a relay is known to hold them. */
  readonly delivery?: Delivery
  /** Balance after this row, counting accepted rows only. */
  readonly balanceAfter: number
  readonly outgoing: boolean
  /** A two-step transfer still waiting: for this member to accept it ('me'), or for the payee ('them'). */
  readonly awaiting?: 'me' | 'them'
  /** For a standing order ('repeat') or a scheduled payment ('once'): which. */
  readonly schedule?: 'repeat' | 'once'
  /** For a transfer that pays a request: the request's id. */
  readonly pays?: string
  /** For this member's own payment request: what became of it (open, paid, rejected, cancelled). */
  readonly requestStatus?: RequestStatus
  /** For a payment that moved money (transfer, issue, payout; a two-step transfer once accepted): witnessed or not. */
  readonly confirmation?: Confirmation
  /** Received, not confirmed yet, in a witnessed pool: the payer's double spend could still void it. */
  readonly atRisk?: true
  /** The witness checkpoint that made it final (for a two-step transfer, the one that covered its accept). */
  readonly witnessedBy?: string
  /**
   * What `balanceAfter` said when this device last showed the row, when that differs: an earlier
   * payment arrived since and sorts before it (pool-book.ts keeps what was shown).
   */
  readonly balanceAfterWas?: number
}

/**
 * A payment request this member made ('out') or was asked to pay ('in'), or
 * one for anyone ('other': a shop's open request, known from its link).
 */
export interface RequestRow {
  readonly id: string
  readonly time: number
  readonly payee: string
  /** The payer asked, when the request names one. */
  readonly from?: string
  readonly amount: number
  readonly memo: string
  readonly status: RequestStatus
  /** The transfer that paid it, or the refusal or withdrawal that closed it. */
  readonly settledBy?: string
  readonly direction: 'in' | 'out' | 'other'
  /** A recurring request (rent, dues): seconds between payments, and how many at most. */
  readonly everySeconds?: number
  readonly count?: number
  /** The standing order this member's accept of a recurring request made (its id is the accept's). */
  readonly acceptedByMe?: string
}

/**
 * A standing order or scheduled payment this member pays ('out') or receives
 * ('in'): what it promises, how much of it is paid, and when the next payment
 * falls due (null once it is revoked or finished).
 */
export interface OrderRow {
  readonly id: string
  readonly direction: 'in' | 'out'
  readonly counterparty: string
  readonly amount: number
  /** Null for a one-time scheduled payment. */
  readonly everySeconds: number | null
  readonly count: number | null
  readonly until: number | null
  readonly memo: string
  readonly paid: number
  readonly status: OrderSummary['status']
  readonly nextDueAt: number | null
  /** The recurring request this order accepted: its payee may end it too. */
  readonly request?: string
}

export interface MemberRow {
  readonly key: string
  readonly balance: number
  readonly minBalance: number
  readonly maxBalance: number | null
  readonly frozen: boolean
  readonly role: 'gatekeeper' | 'member'
}

export interface RejectedRow {
  readonly id: string
  readonly type: Entry['type']
  readonly author: string
  readonly reason?: Reason
  readonly detail?: string
}

export interface PoolView {
  readonly id: string
  readonly policy: Policy | null
  readonly me: string
  readonly role: Role
  /**
   * This device signs with the member key (not a linked device's key): only it may do what the
   * rules keep to the member key (core/rules/devices.ts: admit, invite, issue, policy, trust,
   * approve a recovery, close the account, add a device).
   */
  readonly memberKeyHere: boolean
  /** A gatekeeper on the device that holds its member key: the one place its gatekeeper actions can be signed. */
  readonly governs: boolean
  /** This member created the pool: the one gatekeeper who names its witnesses. */
  readonly creator: boolean
  readonly frozen: boolean
  /** This member left the pool (a `close` entry): it neither pays nor receives any more. */
  readonly closed: boolean
  readonly balance: number
  /** Outgoing two-step transfers not yet accepted: on hold, not spendable. */
  readonly held: number
  readonly minBalance: number
  readonly maxBalance: number | null
  readonly supply?: number
  /** Levies collected, in pools with a levy. */
  readonly commons?: number
  /** What demurrage has charged into the commons so far, in pools that charge it. */
  readonly demurrageCollected?: number
  /** This member's standing orders and scheduled payments, both ways: active ones first, newest first. */
  readonly orders: readonly OrderRow[]
  /** Newest first. */
  readonly statement: readonly StatementRow[]
  readonly members: readonly MemberRow[]
  readonly rejected: readonly RejectedRow[]
  readonly equivocations: ReplayResult['equivocations']
  /** Payment requests this device knows, by id: the member's own, those it is asked to pay, and those it opened. */
  readonly requests: ReadonlyMap<string, RequestRow>
  /** Open requests this member is asked to pay, oldest first. */
  readonly requestsToPay: readonly RequestRow[]
  /** This member's own open requests, oldest first. */
  readonly requestsOpen: readonly RequestRow[]
  /** Two-step transfers waiting for this member's answer ('me') or the payee's ('them'), oldest first. */
  readonly transfersWaiting: readonly StatementRow[]
  /** Entries waiting for something (a missing earlier entry, or a time not reached yet). */
  readonly pendingCount: number
  /** When this member's next transfer is allowed by the rate limit (ms), or null when now. */
  readonly nextTransferAt: number | null
  readonly entryCount: number
  /** Invites some newcomer has used (their join is known here), by invite id. */
  readonly usedInvites: ReadonlySet<string>
  /** The pool names a witness now; without one its payments are never confirmed. */
  readonly witnessed: boolean
  /** Payments of this member (either way) that moved money and are not confirmed yet, in a witnessed pool. */
  readonly unconfirmedCount: number
  /** What this member received that is not confirmed yet (the sum of the rows at risk), in a witnessed pool. */
  readonly unconfirmedIncoming: number
  /** Every money movement of the pool in replay order (the ledger's own, shared, not copied): for the console's charts. */
  readonly movements: readonly Movement[]
}

export interface PoolViewInput {
  readonly pool: string
  readonly me: string
  /**
   * Every key of this account: the member key and its devices (docs/devices.md). What any of them
   * signed is this member's row, rejected ones included (a removed device's later entries). Default: `me`.
   */
  readonly keys?: ReadonlySet<string>
  /** The key this device signs with (a device key on a linked device); its rows carry a delivery mark. Default: `me`. */
  readonly signer?: string
  readonly result: ReplayResult
  readonly entries: ReadonlyMap<string, Entry>
  /** Money movements in replay order (Ledger.movements): what each row changed, demurrage charges included. */
  readonly movements: readonly Movement[]
  readonly delivery: ReadonlyMap<string, Delivery>
  readonly lastTransferTime: number | undefined
  readonly now: number
  /** Whether the pool names a witness now (Ledger.witnessed); a row is confirmed when its verdict's `witnessed` is set. */
  readonly witnessed: boolean
}

/**
 * Who an entry pays, how much, and who pays it (null: nobody's balance, an
 * issue out of nowhere or a payout out of the commons). A standing order's
 * payment (`collect`) is the order's: its author pays, whoever signed the collect.
 */
function moneyOf(entry: Entry, entries: ReadonlyMap<string, Entry>): { from: string | null; to: string; amount: number; memo: string } | undefined {
  if (entry.type === 'transfer') return { from: entry.author, to: entry.to, amount: entry.amount, memo: entry.memo ?? '' }
  if (entry.type === 'issue' || entry.type === 'payout') return { from: null, to: entry.to, amount: entry.amount, memo: entry.memo ?? '' }
  if (entry.type === 'collect') {
    const order = entries.get(entry.order)
    if (order?.type === 'order') return { from: order.author, to: order.to, amount: order.amount, memo: order.memo ?? '' }
  }
  return undefined
}

/** What the movements did to `me`: the change each entry made, and the demurrage charged where each entry touched an account. */
function movementsOf(movements: readonly Movement[], me: string): { changeOf: Map<string, number>; chargesAt: Map<string, number> } {
  const changeOf = new Map<string, number>()
  const chargesAt = new Map<string, number>()
  for (const m of movements) {
    if (m.demurrage) {
      if (m.from === me) chargesAt.set(m.at, (chargesAt.get(m.at) ?? 0) + m.amount)
      continue
    }
    const delta = (m.to === me ? m.amount - m.fee : 0) - (m.from === me ? m.amount : 0)
    if (m.to === me || m.from === me) changeOf.set(m.entry, (changeOf.get(m.entry) ?? 0) + delta)
  }
  return { changeOf, chargesAt }
}

/** This member's orders, active first and newest first within each. */
export function orderRows(orders: readonly OrderSummary[], entries: ReadonlyMap<string, Entry>, me: string): OrderRow[] {
  const rows: OrderRow[] = []
  for (const o of orders) {
    if (o.payer !== me && o.payee !== me) continue
    const active = o.status === 'active'
    rows.push({
      id: o.id,
      direction: o.payer === me ? 'out' : 'in',
      counterparty: o.payer === me ? o.payee : o.payer,
      amount: o.amount,
      everySeconds: o.everySeconds,
      count: o.count,
      until: o.until,
      memo: o.memo ?? '',
      paid: o.paid,
      status: o.status,
      nextDueAt: active ? o.start + ((o.firstPeriod ?? 0) + o.paid) * (o.everySeconds ?? 0) * 1000 : null,
      ...(o.request !== undefined ? { request: o.request } : {}),
    })
  }
  const timeOf = (id: string): number => entries.get(id)?.time ?? 0
  return rows.sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || timeOf(b.id) - timeOf(a.id) || (a.id < b.id ? -1 : 1))
}

/** The pool's requests as this member sees them, oldest first (requests without a known entry go last). */
export function requestRows(result: ReplayResult, entries: ReadonlyMap<string, Entry>, me: string): RequestRow[] {
  const rows: RequestRow[] = []
  const orderOf = new Map((result.orders ?? []).filter((o) => o.request !== undefined && o.payer === me).map((o) => [o.request as string, o.id as string]))
  for (const [id, r] of Object.entries(result.requests ?? {})) {
    const direction = r.payee === me ? 'out' : r.from === me ? 'in' : 'other'
    const accepted = orderOf.get(id)
    rows.push({
      id,
      time: entries.get(id)?.time ?? Number.MAX_SAFE_INTEGER,
      payee: r.payee,
      ...(r.from ? { from: r.from } : {}),
      amount: r.amount,
      memo: r.memo ?? '',
      status: r.status,
      ...(r.settledBy ? { settledBy: r.settledBy } : {}),
      direction,
      ...(r.everySeconds !== undefined ? { everySeconds: r.everySeconds } : {}), ...(r.count !== undefined ? { count: r.count } : {}),
      ...(accepted ? { acceptedByMe: accepted } : {}),
    })
  }
  return rows.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1))
}

export function viewPool(input: PoolViewInput): PoolView {
  const { result, me, entries, delivery } = input
  const keys = input.keys ?? new Set([me])
  const signer = input.signer ?? me
  const summary = result.members[me]
  const role: Role = summary ? summary.role : 'none'
  const requests = requestRows(result, entries, me)
  const requestById = new Map(requests.map((row) => [row.id, row]))
  // A two-step transfer moves money when its payee's accept is applied: that accept is what must be witnessed.
  const witnessedOf = new Map<string, string | null>()
  const acceptOf = new Map<string, string>()
  for (const verdict of result.entries) {
    witnessedOf.set(verdict.id, verdict.witnessed)
    const entry = verdict.type === 'accept' && verdict.status === 'accepted' ? entries.get(verdict.id) : undefined
    if (entry?.type === 'accept') acceptOf.set(entry.entry, entry.id)
  }
  const confirmationOf = (id: string): Confirmation =>
    (witnessedOf.get(acceptOf.get(id) ?? id) ?? null) !== null ? 'confirmed' : input.witnessed ? 'unconfirmed' : 'no-witness'
  // What each entry changed for this member comes from the movements themselves: the levy as charged
  // (with its carried remainder), a standing order's payment, and demurrage, each exactly.
  const { changeOf, chargesAt } = movementsOf(input.movements, me)
  let running = 0
  const rows: StatementRow[] = []
  const chargeRow = (at: string, charge: number, time: number): void => {
    running -= charge
    rows.push({
      id: `demurrage:${at}`, time, type: 'demurrage', change: -charge, nominal: -charge, counterparty: null, memo: '', status: 'accepted',
      balanceAfter: running, outgoing: false, confirmation: confirmationOf(at),
    })
  }
  for (const verdict of result.entries) {
    const entry = entries.get(verdict.id)
    // Demurrage is charged when an account is touched, before the entry that touched it moves money.
    const charge = chargesAt.get(verdict.id)
    if (charge !== undefined) chargeRow(verdict.id, charge, entry?.time ?? 0)
    // A profile says who its author is; it is shown wherever the author appears, not as a statement row.
    if (!entry || entry.type === 'profile') continue
    // A second ask for a period already paid (the payee's phone and the relay both collecting) is noise, not news.
    if (entry.type === 'collect' && verdict.reason === 'order-period-paid') continue
    const money = moneyOf(entry, entries)
    const mine = keys.has(entry.author)
    const toMe = money?.to === me
    const paysMe = money?.from != null && keys.has(money.from)
    const aboutMe = (entry.type === 'admit' && entry.member === me) || (entry.type === 'order' && entry.to === me)
    // An entry of a kind the screens do not describe yet (a path payment's fulfil, say) still shows when it moved this member's money.
    if (!mine && !toMe && !paysMe && !aboutMe && !changeOf.has(entry.id)) continue
    const change = verdict.status === 'accepted' ? (changeOf.get(entry.id) ?? 0) : 0
    const awaiting = verdict.status === 'initiated' ? (mine ? 'them' : toMe ? 'me' : undefined) : undefined
    running += change
    const confirmation = money && verdict.status === 'accepted' ? confirmationOf(entry.id) : undefined
    const atRisk = confirmation === 'unconfirmed' && toMe && !paysMe && !(mine && entry.type !== 'collect') && change > 0
    const witnessedBy = confirmation === 'confirmed' ? (witnessedOf.get(acceptOf.get(entry.id) ?? entry.id) ?? undefined) : undefined
    const subject = entry.type === 'admit' || entry.type === 'freeze' ? entry.member : entry.type === 'request' ? (entry.from ?? null) : entry.type === 'order' ? entry.to : null
    const counterparty = money ? (paysMe || (mine && money.from === null) ? money.to : (money.from ?? entry.author)) : mine ? subject : entry.author
    rows.push({
      id: entry.id,
      time: entry.time,
      type: entry.type,
      change,
      nominal: money ? (paysMe ? -money.amount : toMe ? money.amount : 0) : entry.type === 'request' && mine ? entry.amount : 0,
      counterparty,
      memo: money?.memo ?? '',
      status: verdict.status,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      ...(verdict.detail ? { detail: verdict.detail } : {}),
      // Another device of this account: it reached this one through a relay.
      ...(mine ? { delivery: delivery.get(entry.id) ?? (entry.author === signer ? 'device' : 'relay') } : {}),
      balanceAfter: running,
      outgoing: mine && money !== undefined && entry.type === 'transfer',
      ...(awaiting ? { awaiting } : {}),
      ...(entry.type === 'transfer' && entry.request ? { pays: entry.request } : {}),
      ...(entry.type === 'order' ? { schedule: entry.everySeconds === undefined ? ('once' as const) : ('repeat' as const) } : {}),
      ...(entry.type === 'request' && requestById.has(entry.id) ? { requestStatus: requestById.get(entry.id)!.status } : {}),
      ...(confirmation ? { confirmation } : {}),
      ...(atRisk ? { atRisk: true as const } : {}),
      ...(witnessedBy ? { witnessedBy } : {}),
    })
  }
  rows.reverse()

  const members: MemberRow[] = Object.entries(result.members)
    .map(([key, m]) => ({ key, balance: result.balances[key] ?? 0, minBalance: m.minBalance, maxBalance: m.maxBalance, frozen: m.frozen, role: m.role }))
    .sort((a, b) => (a.role === b.role ? a.key.localeCompare(b.key) : a.role === 'gatekeeper' ? -1 : 1))

  const rejected: RejectedRow[] = result.entries
    .filter((verdict) => verdict.status === 'rejected')
    .map((verdict) => ({ id: verdict.id, type: verdict.type, author: verdict.author, ...(verdict.reason ? { reason: verdict.reason } : {}), ...(verdict.detail ? { detail: verdict.detail } : {}) }))

  const rateMs = (result.policy?.rateLimitSeconds ?? 0) * 1000
  const nextAt = input.lastTransferTime === undefined ? null : input.lastTransferTime + rateMs
  return {
    id: input.pool,
    policy: result.policy,
    me,
    role,
    memberKeyHere: signer === me,
    governs: role === 'gatekeeper' && signer === me,
    creator: entries.get(input.pool)?.author === me,
    frozen: summary?.frozen ?? false,
    closed: summary?.closed === true,
    balance: result.balances[me] ?? 0,
    held: summary?.held ?? 0,
    minBalance: summary?.minBalance ?? 0,
    maxBalance: summary?.maxBalance ?? null,
    ...(result.supply !== undefined ? { supply: result.supply } : {}),
    ...(result.commons !== undefined ? { commons: result.commons } : {}),
    ...(result.demurrageCollected !== undefined ? { demurrageCollected: result.demurrageCollected } : {}),
    orders: orderRows(result.orders ?? [], entries, me),
    statement: rows,
    requests: requestById,
    requestsToPay: requests.filter((row) => row.direction === 'in' && row.status === 'open' && row.acceptedByMe === undefined),
    requestsOpen: requests.filter((row) => row.direction === 'out' && row.status === 'open'),
    transfersWaiting: rows.filter((row) => row.awaiting !== undefined).reverse(),
    members,
    rejected,
    equivocations: result.equivocations,
    pendingCount: result.entries.filter((verdict) => verdict.status === 'pending').length,
    nextTransferAt: nextAt !== null && nextAt > input.now ? nextAt : null,
    entryCount: entries.size,
    usedInvites: new Set([...entries.values()].flatMap((entry) => (entry.type === 'join' ? [entry.invite] : []))),
    witnessed: input.witnessed,
    unconfirmedCount: rows.filter((row) => row.confirmation === 'unconfirmed').length,
    unconfirmedIncoming: rows.reduce((sum, row) => sum + (row.atRisk ? row.change : 0), 0),
    movements: input.movements,
  }
}
