/**
 * Turns a pool's replay into what the screens show: the member's balance and
 * limits, a statement with a running balance, and each payment's state in
 * words-ready codes. Pure: the same inputs give the same view, so it is tested
 * without a browser.
 */
import { feeOf, type Entry, type EntryVerdict, type Policy, type ReplayResult, type Reason } from '../../core/index.ts'

export type Delivery = 'device' | 'relay'
export type Role = 'gatekeeper' | 'member' | 'none'

export interface StatementRow {
  readonly id: string
  readonly time: number
  readonly type: Entry['type']
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
  /** Newest first. */
  readonly statement: readonly StatementRow[]
  readonly members: readonly MemberRow[]
  readonly rejected: readonly RejectedRow[]
  readonly equivocations: ReplayResult['equivocations']
  /** Entries waiting for something (a missing earlier entry, or a time not reached yet). */
  readonly pendingCount: number
  /** When this member's next transfer is allowed by the rate limit (ms), or null when now. */
  readonly nextTransferAt: number | null
  readonly entryCount: number
  /** Invites some newcomer has used (their join is known here), by invite id. */
  readonly usedInvites: ReadonlySet<string>
}

export interface PoolViewInput {
  readonly pool: string
  readonly me: string
  readonly result: ReplayResult
  readonly entries: ReadonlyMap<string, Entry>
  readonly delivery: ReadonlyMap<string, Delivery>
  readonly lastTransferTime: number | undefined
  readonly now: number
}

/** Types whose entry moves money to someone named in `to`. */
function moneyOf(entry: Entry): { to: string; amount: number; memo: string } | undefined {
  if (entry.type === 'transfer' || entry.type === 'issue') return { to: entry.to, amount: entry.amount, memo: entry.memo ?? '' }
  return undefined
}

export function viewPool(input: PoolViewInput): PoolView {
  const { result, me, entries, delivery } = input
  const summary = result.members[me]
  const role: Role = summary ? summary.role : 'none'
  let running = 0
  const rows: StatementRow[] = []
  for (const verdict of result.entries) {
    const entry = entries.get(verdict.id)
    if (!entry) continue
    const money = moneyOf(entry)
    const mine = entry.author === me
    const toMe = money?.to === me
    const aboutMe = entry.type === 'admit' && entry.member === me
    if (!mine && !toMe && !aboutMe) continue
    let change = 0
    if (money && verdict.status === 'accepted') {
      // An issue comes from nowhere: the gatekeeper's balance does not drop.
      if (mine && entry.type === 'transfer') change -= money.amount
      // A levy, where the pool has one, goes to the commons out of what the payee receives.
      if (toMe) change += money.amount - (entry.type === 'transfer' ? feeOf(money.amount, result.policy?.feeBasisPoints ?? 0) : 0)
    }
    const awaiting = verdict.status === 'initiated' ? (mine ? 'them' : toMe ? 'me' : undefined) : undefined
    running += change
    const subject = entry.type === 'admit' || entry.type === 'freeze' ? entry.member : null
    const counterparty = money ? (mine ? money.to : entry.author) : mine ? subject : entry.author
    rows.push({
      id: entry.id,
      time: entry.time,
      type: entry.type,
      change,
      nominal: money ? (mine && entry.type === 'transfer' ? -money.amount : toMe ? money.amount : 0) : 0,
      counterparty,
      memo: money?.memo ?? '',
      status: verdict.status,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      ...(verdict.detail ? { detail: verdict.detail } : {}),
      ...(mine ? { delivery: delivery.get(entry.id) ?? 'device' } : {}),
      balanceAfter: running,
      outgoing: mine && money !== undefined && entry.type === 'transfer',
      ...(awaiting ? { awaiting } : {}),
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
    frozen: summary?.frozen ?? false,
    closed: summary?.closed === true,
    balance: result.balances[me] ?? 0,
    held: summary?.held ?? 0,
    minBalance: summary?.minBalance ?? 0,
    maxBalance: summary?.maxBalance ?? null,
    ...(result.supply !== undefined ? { supply: result.supply } : {}),
    ...(result.commons !== undefined ? { commons: result.commons } : {}),
    statement: rows,
    members,
    rejected,
    equivocations: result.equivocations,
    pendingCount: result.entries.filter((verdict) => verdict.status === 'pending').length,
    nextTransferAt: nextAt !== null && nextAt > input.now ? nextAt : null,
    entryCount: entries.size,
    usedInvites: new Set([...entries.values()].flatMap((entry) => (entry.type === 'join' ? [entry.invite] : []))),
  }
}
