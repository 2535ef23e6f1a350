/**
 * What a pool's log says about other pools: its trustlines (and the gateway
 * account each names) and the hashlocked prepares of path payments. Kept
 * apart from PoolState's other fields so the rules between pools
 * (rules/trustlines.ts, rules/hashlocks.ts) own their state; states are
 * replaced, never changed in place, so a shallow copy is independent.
 */
import type { EntryId, PaymentPath, PublicKeyHex } from './entry.ts'

/** "This pool trusts `peer` up to `limitHours` HOUR", held by `gateway`: the latest accepted trust entry for that peer. */
export interface TrustlineState {
  readonly peer: EntryId
  readonly gateway: PublicKeyHex
  readonly limitHours: number
  /** The trust entry in force. */
  readonly entry: EntryId
}

export type PrepareStatus = 'prepared' | 'fulfilled' | 'cancelled'

export interface PrepareState {
  readonly from: PublicKeyHex
  readonly to: PublicKeyHex
  readonly amount: number
  readonly condition: string
  readonly expires: number
  readonly path: PaymentPath | undefined
  readonly status: PrepareStatus
  /** The fulfil or cancel that settled it. */
  readonly settledBy: EntryId | undefined
  /** Revealed by the accepted fulfil. */
  readonly preimage: string | undefined
}

export class LinksState {
  /** Trustlines by the trusted pool's id. */
  trustlines = new Map<EntryId, TrustlineState>()
  /** Every key a trustline has named as gateway, with the peer it serves (a key serves one peer, for good). */
  gateways = new Map<PublicKeyHex, EntryId>()
  prepares = new Map<EntryId, PrepareState>()
  /** Open prepares per author, for PREPARES_OPEN_MAX. */
  openPrepares = new Map<PublicKeyHex, number>()

  clone(): LinksState {
    const copy = new LinksState()
    copy.trustlines = new Map(this.trustlines)
    copy.gateways = new Map(this.gateways)
    copy.prepares = new Map(this.prepares)
    copy.openPrepares = new Map(this.openPrepares)
    return copy
  }
}
