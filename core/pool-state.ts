/**
 * The state a pool's log adds up to, and the rules that move it.
 *
 * `evaluate` is the whole rule book for one entry in replay order: it reads
 * the state and returns a verdict, and makes the change an accepted entry
 * brings only when asked to (`commit`), so the same code answers "would this
 * payment go through?" before a member signs it. Each rule's checks and its
 * change sit side by side; no closures, because a full replay runs this once
 * per entry.
 */
import type {
  AcceptEntry, CancelEntry, Entry, EntryId, MemberLimits, Policy, PublicKeyHex, RejectEntry, RequestEntry, TransferEntry,
} from './entry.ts'
import type { RejectionReason } from './reasons.ts'
import { BALANCE_ABS_MAX } from './limits.ts'

export type Role = 'member' | 'gatekeeper'

export interface MemberState {
  readonly role: Role
  /** Limits set for this member alone; undefined means the pool's default. */
  readonly minBalance: number | undefined
  readonly maxBalance: number | null | undefined
  readonly frozen: boolean
  /** The admit or join that first made this key a member. */
  readonly since: EntryId
}

interface InviteState {
  readonly invitee: PublicKeyHex
  readonly limits: MemberLimits
  usedBy: PublicKeyHex | undefined
}

export type RequestStatus = 'open' | 'paid' | 'rejected' | 'cancelled'

export interface RequestState {
  readonly payee: PublicKeyHex
  readonly amount: number
  readonly from: PublicKeyHex | undefined
  readonly memo: string | undefined
  status: RequestStatus
  /** The transfer that paid it, or the reject/cancel that closed it. */
  settledBy: EntryId | undefined
}

/** A change of balances, recorded where it happens in the order; statements are made from these. */
export interface Movement {
  /** The transfer or issue whose money moved. */
  readonly entry: EntryId
  /** The entry whose application moved it: the transfer itself, or the payee's accept in a two-step pool. */
  readonly at: EntryId
  readonly time: number
  /** null for an issue (new tokens). */
  readonly from: PublicKeyHex | null
  readonly to: PublicKeyHex
  /** What the payer paid; the payee got `amount − fee`, the commons `fee`. */
  readonly amount: number
  readonly fee: number
  readonly memo: string | undefined
}

/** How an accepted entry changes the verdict of an earlier one (a two-step transfer's outcome). */
export interface Settlement {
  readonly id: EntryId
  readonly status: 'accepted' | 'rejected' | 'cancelled'
  readonly reason?: RejectionReason
  readonly detail?: string
}

export type Evaluation =
  | { readonly status: 'accepted'; readonly initiated?: true; readonly settles?: Settlement }
  | { readonly status: 'rejected'; readonly reason: RejectionReason; readonly detail: string }

const ACCEPTED: Evaluation = Object.freeze({ status: 'accepted' })
const INITIATED: Evaluation = Object.freeze({ status: 'accepted', initiated: true })

/** The levy on `amount` at `basisPoints`/10,000, rounded down, computed without passing 2^53. */
export function feeOf(amount: number, basisPoints: number): number {
  return Math.floor(amount / 10_000) * basisPoints + Math.floor(((amount % 10_000) * basisPoints) / 10_000)
}

export class PoolState {
  policy: Policy | undefined
  creator: PublicKeyHex | undefined
  readonly members = new Map<PublicKeyHex, MemberState>()
  readonly balances = new Map<PublicKeyHex, number>()
  /** Time of each member's last accepted transfer, for the rate limit. */
  readonly lastTransferTime = new Map<PublicKeyHex, number>()
  readonly invites = new Map<EntryId, InviteState>()
  readonly inviteKeys = new Set<PublicKeyHex>()
  /** Authors frozen by their own double spend, from the standing entry of the fork on. */
  readonly equivocators = new Set<PublicKeyHex>()
  readonly closed = new Set<PublicKeyHex>()
  /** Two-step transfers waiting for the payee, and what each payer has on hold for them. */
  readonly initiated = new Map<EntryId, TransferEntry>()
  readonly held = new Map<PublicKeyHex, number>()
  readonly requests = new Map<EntryId, RequestState>()
  readonly movements: Movement[] = []
  supply = 0
  /** Levies collected: the pool's common account. */
  commons = 0

  balanceOf(key: PublicKeyHex): number {
    return this.balances.get(key) ?? 0
  }

  heldBy(key: PublicKeyHex): number {
    return this.held.get(key) ?? 0
  }

  /** The lowest balance `key` may reach by paying. */
  minBalanceOf(key: PublicKeyHex): number {
    return this.members.get(key)?.minBalance ?? this.policy?.minBalance ?? 0
  }

  /** The highest balance `key` may reach by being paid; null for no maximum. */
  maxBalanceOf(key: PublicKeyHex): number | null {
    const own = this.members.get(key)?.maxBalance
    return own !== undefined ? own : (this.policy?.maxBalance ?? null)
  }

  isFrozen(key: PublicKeyHex): boolean {
    return (this.members.get(key)?.frozen ?? false) || this.#isEquivocator(key)
  }

  #isEquivocator(key: PublicKeyHex): boolean {
    return this.equivocators.size > 0 && this.equivocators.has(key)
  }

  #isClosed(key: PublicKeyHex): boolean {
    return this.closed.size > 0 && this.closed.has(key)
  }

  /**
   * Judges one entry whose chain position and equivocation status are
   * already checked; with `commit`, an accepted entry's change is made too.
   */
  evaluate(entry: Entry, commit = false): Evaluation {
    if (entry.type === 'pool') {
      if (commit) {
        this.policy = entry.policy
        this.creator = entry.author
        this.members.set(entry.author, { role: 'gatekeeper', minBalance: undefined, maxBalance: undefined, frozen: false, since: entry.id })
      }
      return ACCEPTED
    }
    const policy = this.policy!
    if (entry.type === 'join') return this.#evaluateJoin(entry, commit)

    const author = this.members.get(entry.author)
    if (!author) return reject('not-member', `${short(entry.author)} is not a member of this pool`)
    if (this.#isClosed(entry.author)) return reject('account-closed', `${short(entry.author)} closed its account`)
    if (author.frozen || this.#isEquivocator(entry.author)) return reject('frozen', `${short(entry.author)} is frozen`)

    switch (entry.type) {
      case 'transfer':
        return this.#evaluateTransfer(entry, author, commit)
      case 'request':
        return this.#evaluateRequest(entry, commit)
      case 'accept':
      case 'reject':
      case 'cancel':
        return this.#evaluateAnswer(entry, commit)
      case 'close':
        return this.#evaluateClose(entry.author, commit)
      case 'admit':
      case 'freeze':
      case 'invite':
      case 'issue':
        if (author.role !== 'gatekeeper') return reject('not-authorized', `only a gatekeeper may ${entry.type}; ${short(entry.author)} is a member`)
    }

    switch (entry.type) {
      case 'admit': {
        if (entry.member === this.creator && entry.role === 'member') return reject('not-authorized', "the pool's creator stays a gatekeeper")
        const limitsProblem = this.#limitsProblem(entry)
        if (limitsProblem) return reject('invalid-limits', limitsProblem)
        if (commit) {
          const existing = this.members.get(entry.member)
          this.closed.delete(entry.member)
          this.members.set(entry.member, {
            role: entry.role ?? existing?.role ?? 'member',
            minBalance: entry.minBalance,
            maxBalance: entry.maxBalance,
            frozen: false,
            since: existing?.since ?? entry.id,
          })
        }
        return ACCEPTED
      }
      case 'freeze': {
        const target = this.members.get(entry.member)
        if (!target) return reject('unknown-member', `${short(entry.member)} is not a member of this pool`)
        if (entry.member === this.creator) return reject('not-authorized', "the pool's creator cannot be frozen")
        if (commit) this.members.set(entry.member, { ...target, frozen: true })
        return ACCEPTED
      }
      case 'invite': {
        if (this.members.has(entry.invitee)) return reject('already-member', `the invite key ${short(entry.invitee)} is already a member`)
        if (this.inviteKeys.has(entry.invitee)) return reject('bad-invite', `the invite key ${short(entry.invitee)} was used in another invite`)
        const limitsProblem = this.#limitsProblem(entry)
        if (limitsProblem) return reject('invalid-limits', limitsProblem)
        if (commit) {
          this.inviteKeys.add(entry.invitee)
          this.invites.set(entry.id, { invitee: entry.invitee, limits: { minBalance: entry.minBalance, maxBalance: entry.maxBalance }, usedBy: undefined })
        }
        return ACCEPTED
      }
      case 'issue': {
        if (policy.kind !== 'issued') return reject('wrong-pool-type', `a ${policy.kind} pool has no issues; its balances come from transfers`)
        const request = entry.request === undefined ? undefined : this.requests.get(entry.request)
        if (entry.request !== undefined) {
          const problem = requestProblem(request, entry.request, entry.to, entry.amount, entry.author)
          if (problem) return problem
        }
        const payeeProblem = this.#payeeProblem(entry.to, entry.amount)
        if (payeeProblem) return payeeProblem
        if (this.supply + entry.amount > BALANCE_ABS_MAX) return reject('overflow', `supply would be ${this.supply + entry.amount}, the largest is ${BALANCE_ABS_MAX}`)
        if (commit) {
          if (request) {
            request.status = 'paid'
            request.settledBy = entry.id
          }
          this.supply += entry.amount
          this.balances.set(entry.to, this.balanceOf(entry.to) + entry.amount)
          this.movements.push({ entry: entry.id, at: entry.id, time: entry.time, from: null, to: entry.to, amount: entry.amount, fee: 0, memo: entry.memo })
        }
        return ACCEPTED
      }
    }
    return reject('malformed', `unknown entry type ${(entry as Entry).type}`)
  }

  #evaluateTransfer(entry: TransferEntry, author: MemberState, commit: boolean): Evaluation {
    const policy = this.policy!
    const rateMs = policy.rateLimitSeconds * 1000
    const last = this.lastTransferTime.get(entry.author)
    if (last !== undefined && entry.time - last < rateMs) {
      return reject('rate-limit', `one transfer every ${policy.rateLimitSeconds} s; the next is allowed from ${new Date(last + rateMs).toISOString()}`)
    }
    const request = entry.request === undefined ? undefined : this.requests.get(entry.request)
    if (entry.request !== undefined) {
      const problem = requestProblem(request, entry.request, entry.to, entry.amount, entry.author)
      if (problem) return problem
    }
    const fee = feeOf(entry.amount, policy.feeBasisPoints ?? 0)
    const payeeProblem = this.#payeeProblem(entry.to, entry.amount - fee)
    if (payeeProblem) return payeeProblem
    const balance = this.balanceOf(entry.author)
    const held = this.heldBy(entry.author)
    const min = author.minBalance ?? policy.minBalance ?? 0
    if (balance - held - entry.amount < min) {
      const onHold = held > 0 ? `, ${held} on hold` : ''
      return reject('below-min-balance', `balance ${balance}${onHold}, minimum ${min}: at most ${Math.max(0, balance - held - min)} can be paid`)
    }
    // A payment that answers the payee's own request needs no second step: the payee asked for it.
    if (policy.twoStep && !request) {
      if (commit) {
        this.held.set(entry.author, held + entry.amount)
        this.initiated.set(entry.id, entry)
        this.lastTransferTime.set(entry.author, entry.time)
      }
      return INITIATED
    }
    if (commit) {
      this.#move(entry, entry.id, entry.time, fee)
      this.lastTransferTime.set(entry.author, entry.time)
      if (request) {
        request.status = 'paid'
        request.settledBy = entry.id
      }
    }
    return ACCEPTED
  }

  #move(transfer: TransferEntry, at: EntryId, time: number, fee: number): void {
    this.balances.set(transfer.author, this.balanceOf(transfer.author) - transfer.amount)
    this.balances.set(transfer.to, this.balanceOf(transfer.to) + transfer.amount - fee)
    this.commons += fee
    this.movements.push({ entry: transfer.id, at, time, from: transfer.author, to: transfer.to, amount: transfer.amount, fee, memo: transfer.memo })
  }

  #evaluateRequest(entry: RequestEntry, commit: boolean): Evaluation {
    if (entry.from !== undefined && !this.members.has(entry.from)) return reject('unknown-member', `the payer asked, ${short(entry.from)}, is not a member of this pool`)
    if (commit) this.requests.set(entry.id, { payee: entry.author, amount: entry.amount, from: entry.from, memo: entry.memo, status: 'open', settledBy: undefined })
    return ACCEPTED
  }

  /** accept / reject / cancel of a two-step transfer or a request. */
  #evaluateAnswer(entry: AcceptEntry | RejectEntry | CancelEntry, commit: boolean): Evaluation {
    const transfer = this.initiated.get(entry.entry)
    if (transfer) {
      if (entry.type === 'cancel') {
        if (entry.author !== transfer.author) return reject('not-party', 'only the payer may cancel a transfer')
        if (commit) this.#releaseHold(transfer)
        return { status: 'accepted', settles: { id: transfer.id, status: 'cancelled' } }
      }
      if (entry.author !== transfer.to) return reject('not-party', `only the payee may ${entry.type} a transfer`)
      if (entry.type === 'reject') {
        if (commit) this.#releaseHold(transfer)
        return { status: 'accepted', settles: { id: transfer.id, status: 'rejected', reason: 'rejected-by-payee', detail: 'the payee refused it' } }
      }
      const fee = feeOf(transfer.amount, this.policy!.feeBasisPoints ?? 0)
      const payeeProblem = this.#payeeProblem(transfer.to, transfer.amount - fee, true)
      if (payeeProblem) return payeeProblem
      if (commit) {
        this.#releaseHold(transfer)
        this.#move(transfer, entry.id, entry.time, fee)
      }
      return { status: 'accepted', settles: { id: transfer.id, status: 'accepted' } }
    }
    const request = this.requests.get(entry.entry)
    if (request) {
      if (request.status !== 'open') return reject('not-open', `the request is ${request.status}`)
      if (entry.type === 'accept') return reject('bad-target', 'a request is accepted by paying it (a transfer naming it)')
      if (entry.type === 'cancel' && entry.author !== request.payee) return reject('not-party', 'only the requester may cancel a request')
      if (entry.type === 'reject' && (request.from === undefined || entry.author !== request.from)) return reject('not-party', 'only the payer asked may refuse a request')
      if (commit) {
        request.status = entry.type === 'cancel' ? 'cancelled' : 'rejected'
        request.settledBy = entry.id
      }
      return ACCEPTED
    }
    return reject('not-open', `${short(entry.entry)} is not a transfer or request waiting for an answer`)
  }

  #releaseHold(transfer: TransferEntry): void {
    this.held.set(transfer.author, this.heldBy(transfer.author) - transfer.amount)
    this.initiated.delete(transfer.id)
  }

  #evaluateClose(key: PublicKeyHex, commit: boolean): Evaluation {
    const balance = this.balanceOf(key)
    if (balance !== 0) return reject('close-blocked', `balance is ${balance}, not zero`)
    if (this.heldBy(key) !== 0) return reject('close-blocked', 'an outgoing transfer is still waiting for its payee')
    for (const transfer of this.initiated.values()) {
      if (transfer.to === key) return reject('close-blocked', `an incoming transfer ${short(transfer.id)} is still waiting for an answer`)
    }
    for (const [id, request] of this.requests) {
      if (request.status === 'open' && (request.payee === key || request.from === key)) return reject('close-blocked', `request ${short(id)} is still open`)
    }
    if (commit) this.closed.add(key)
    return ACCEPTED
  }

  #evaluateJoin(entry: Extract<Entry, { type: 'join' }>, commit: boolean): Evaluation {
    if (this.members.has(entry.author)) return reject('already-member', `${short(entry.author)} is already a member`)
    const invite = this.invites.get(entry.invite)
    if (!invite) return reject('bad-invite', `${short(entry.invite)} is not an accepted invite of this pool`)
    if (invite.invitee !== entry.invitee) return reject('bad-invite', `the invite names key ${short(invite.invitee)}, the join ${short(entry.invitee)}`)
    if (invite.usedBy !== undefined) return reject('invite-used', `the invite was used by ${short(invite.usedBy)}`)
    if (commit) {
      invite.usedBy = entry.author
      this.members.set(entry.author, { role: 'member', minBalance: invite.limits.minBalance, maxBalance: invite.limits.maxBalance, frozen: false, since: entry.id })
    }
    return ACCEPTED
  }

  /** Can `to` receive `net`? `accepting` is true when the payee itself completes a two-step transfer. */
  #payeeProblem(to: PublicKeyHex, net: number, accepting = false): Evaluation | undefined {
    const payee = this.members.get(to)
    if (!payee) return reject('unknown-member', `the payee ${short(to)} is not a member of this pool`)
    if (this.#isClosed(to)) return reject('account-closed', `the payee ${short(to)} closed its account`)
    if (!accepting && (payee.frozen || this.#isEquivocator(to))) return reject('payee-frozen', `the payee ${short(to)} is frozen`)
    const balance = this.balanceOf(to)
    const max = payee.maxBalance !== undefined ? payee.maxBalance : (this.policy?.maxBalance ?? null)
    if (max !== null && balance + net > max) {
      return reject('above-max-balance', `the payee's balance ${balance}, maximum ${max}: at most ${Math.max(0, max - balance)} can be received`)
    }
    return undefined
  }

  #limitsProblem(limits: MemberLimits): string | undefined {
    if (this.policy!.kind === 'issued' && limits.minBalance !== undefined && limits.minBalance !== 0) {
      return `an issued pool has minimum balance 0, got ${limits.minBalance}`
    }
    return undefined
  }
}

/** Does a payment (transfer or issue) of `amount` from `payer` to `payee` answer this request? */
function requestProblem(request: RequestState | undefined, id: EntryId, payee: PublicKeyHex, amount: number, payer: PublicKeyHex): Evaluation | undefined {
  if (!request) return reject('bad-target', `${short(id)} is not an accepted request of this pool`)
  if (request.status !== 'open') return reject('request-settled', `the request is ${request.status}`)
  if (request.payee !== payee || request.amount !== amount || (request.from !== undefined && request.from !== payer)) {
    return reject('request-mismatch', `the request asks ${request.amount} for ${short(request.payee)}${request.from ? ` from ${short(request.from)}` : ''}`)
  }
  return undefined
}

function reject(reason: RejectionReason, detail: string): Evaluation {
  return { status: 'rejected', reason, detail }
}

/** A key or id shortened for messages; full values are in the entry itself. */
export function short(hex: string): string {
  return hex.slice(0, 12) + '…'
}
