/**
 * The state a pool's log adds up to, and the rules that move it.
 *
 * `evaluate` is the whole rule book for one entry in replay order: it reads
 * the state and returns a verdict plus, when accepted, the change to make.
 * It never changes the state itself, so the same code answers "would this
 * payment go through?" before a member signs it.
 */
import type { Entry, EntryId, MemberLimits, Policy, PublicKeyHex } from './entry.ts'
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

export type Evaluation =
  | { readonly status: 'accepted'; readonly apply: () => void }
  | { readonly status: 'rejected'; readonly reason: RejectionReason; readonly detail: string }

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
  supply = 0

  balanceOf(key: PublicKeyHex): number {
    return this.balances.get(key) ?? 0
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
    return (this.members.get(key)?.frozen ?? false) || this.equivocators.has(key)
  }

  /** Judges one entry whose chain position and equivocation status are already checked. */
  evaluate(entry: Entry): Evaluation {
    if (entry.type === 'pool') {
      return accept(() => {
        this.policy = entry.policy
        this.creator = entry.author
        this.members.set(entry.author, { role: 'gatekeeper', minBalance: undefined, maxBalance: undefined, frozen: false, since: entry.id })
      })
    }
    const policy = this.policy!
    if (entry.type === 'join') return this.#evaluateJoin(entry)

    const author = this.members.get(entry.author)
    if (!author) return reject('not-member', `${short(entry.author)} is not a member of this pool`)
    if (this.isFrozen(entry.author)) return reject('frozen', `${short(entry.author)} is frozen`)

    switch (entry.type) {
      case 'transfer':
        return this.#evaluateTransfer(entry)
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
        const existing = this.members.get(entry.member)
        return accept(() => {
          this.members.set(entry.member, {
            role: entry.role ?? existing?.role ?? 'member',
            minBalance: entry.minBalance,
            maxBalance: entry.maxBalance,
            frozen: false,
            since: existing?.since ?? entry.id,
          })
        })
      }
      case 'freeze': {
        const target = this.members.get(entry.member)
        if (!target) return reject('unknown-member', `${short(entry.member)} is not a member of this pool`)
        if (entry.member === this.creator) return reject('not-authorized', "the pool's creator cannot be frozen")
        return accept(() => this.members.set(entry.member, { ...target, frozen: true }))
      }
      case 'invite': {
        if (this.members.has(entry.invitee)) return reject('already-member', `the invite key ${short(entry.invitee)} is already a member`)
        if (this.inviteKeys.has(entry.invitee)) return reject('bad-invite', `the invite key ${short(entry.invitee)} was used in another invite`)
        const limitsProblem = this.#limitsProblem(entry)
        if (limitsProblem) return reject('invalid-limits', limitsProblem)
        return accept(() => {
          this.inviteKeys.add(entry.invitee)
          this.invites.set(entry.id, { invitee: entry.invitee, limits: { minBalance: entry.minBalance, maxBalance: entry.maxBalance }, usedBy: undefined })
        })
      }
      case 'issue': {
        if (policy.kind !== 'issued') return reject('wrong-pool-type', `a ${policy.kind} pool has no issues; its balances come from transfers`)
        const payeeProblem = this.#payeeProblem(entry.to, entry.amount)
        if (payeeProblem) return payeeProblem
        if (this.supply + entry.amount > BALANCE_ABS_MAX) return reject('overflow', `supply would be ${this.supply + entry.amount}, the largest is ${BALANCE_ABS_MAX}`)
        return accept(() => {
          this.supply += entry.amount
          this.balances.set(entry.to, this.balanceOf(entry.to) + entry.amount)
        })
      }
    }
    return reject('malformed', `unknown entry type ${(entry as Entry).type}`)
  }

  #evaluateTransfer(entry: Extract<Entry, { type: 'transfer' }>): Evaluation {
    const rateMs = this.policy!.rateLimitSeconds * 1000
    const last = this.lastTransferTime.get(entry.author)
    if (last !== undefined && entry.time - last < rateMs) {
      return reject('rate-limit', `one transfer every ${this.policy!.rateLimitSeconds} s; the next is allowed from ${new Date(last + rateMs).toISOString()}`)
    }
    const payeeProblem = this.#payeeProblem(entry.to, entry.amount)
    if (payeeProblem) return payeeProblem
    const balance = this.balanceOf(entry.author)
    const min = this.minBalanceOf(entry.author)
    if (balance - entry.amount < min) {
      return reject('below-min-balance', `balance ${balance}, minimum ${min}: at most ${Math.max(0, balance - min)} can be paid`)
    }
    return accept(() => {
      this.balances.set(entry.author, balance - entry.amount)
      this.balances.set(entry.to, this.balanceOf(entry.to) + entry.amount)
      this.lastTransferTime.set(entry.author, entry.time)
    })
  }

  #evaluateJoin(entry: Extract<Entry, { type: 'join' }>): Evaluation {
    if (this.members.has(entry.author)) return reject('already-member', `${short(entry.author)} is already a member`)
    const invite = this.invites.get(entry.invite)
    if (!invite) return reject('bad-invite', `${short(entry.invite)} is not an accepted invite of this pool`)
    if (invite.invitee !== entry.invitee) return reject('bad-invite', `the invite names key ${short(invite.invitee)}, the join ${short(entry.invitee)}`)
    if (invite.usedBy !== undefined) return reject('invite-used', `the invite was used by ${short(invite.usedBy)}`)
    return accept(() => {
      invite.usedBy = entry.author
      this.members.set(entry.author, { role: 'member', minBalance: invite.limits.minBalance, maxBalance: invite.limits.maxBalance, frozen: false, since: entry.id })
    })
  }

  #payeeProblem(to: PublicKeyHex, amount: number): Evaluation | undefined {
    if (!this.members.has(to)) return reject('unknown-member', `the payee ${short(to)} is not a member of this pool`)
    if (this.isFrozen(to)) return reject('payee-frozen', `the payee ${short(to)} is frozen`)
    const balance = this.balanceOf(to)
    const max = this.maxBalanceOf(to)
    if (max !== null && balance + amount > max) {
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

function accept(apply: () => void): Evaluation {
  return { status: 'accepted', apply }
}

function reject(reason: RejectionReason, detail: string): Evaluation {
  return { status: 'rejected', reason, detail }
}

/** A key or id shortened for messages; full values are in the entry itself. */
export function short(hex: string): string {
  return hex.slice(0, 12) + '…'
}
