/**
 * What a Heroes link or QR code can carry. Every kind travels in the URL
 * fragment (after #), which browsers never send to a server, so an invite's
 * secret reaches only the device that opens the link.
 */

/** A one-time invite: everything needed to join with both phones offline. */
export interface InvitePayload {
  readonly kind: 'invite'
  readonly pool: string
  /** The relay the gatekeeper uses; empty when the app's own origin is meant. */
  readonly relay: string
  /** The pool's genesis entry line, so the new member can check the invite without a network. */
  readonly genesis: string
  /** The gatekeeper-signed invite entry line. */
  readonly invite: string
  /**
   * The gatekeeper's entries between genesis and the invite, oldest first, when
   * they fit: with them the newcomer's phone accepts the invite (and the join)
   * at once, offline; without them both wait, pending, for the gatekeeper's history.
   */
  readonly chain?: readonly string[]
  /** The invite's one-time secret key (hex); it signs the join's `inviteSig` and nothing else. */
  readonly secret: string
  /** A name the gatekeeper gave the pool's invitee, shown as a hint only. */
  readonly label?: string
}

/** Pay a member: their per-pool public key, and optionally what they ask for. */
export interface PayPayload {
  readonly kind: 'pay'
  readonly pool: string
  readonly to: string
  readonly amount?: number
  readonly memo?: string
  /** The payee's self-chosen display name; untrusted, shown as text only. */
  readonly name?: string
}

/**
 * A signed payment request (`request` entry): its line first (the app sends
 * it alone, to keep the QR code small; a longer list of the requester's
 * earlier entries is accepted too), so a payer's phone offline can judge it
 * and pay it by reference. Amount and payee come from the signed entry, not
 * from the link, so they cannot be changed on the way.
 */
export interface RequestPayload {
  readonly kind: 'request'
  readonly pool: string
  /** Entry lines, the request first. */
  readonly lines: readonly string[]
  /** The requester's self-chosen display name; untrusted, shown as text only. */
  readonly name?: string
}

/** A member asking a gatekeeper to be admitted under this per-pool public key. */
export interface JoinRequestPayload {
  readonly kind: 'join-request'
  readonly pool: string
  readonly member: string
  readonly name?: string
}

/** A pool's public description: enough to ask to join it or to restore a key for it. */
export interface PoolPayload {
  readonly kind: 'pool'
  readonly pool: string
  readonly relay: string
  readonly genesis: string
}

/**
 * A payment shown face to face: the signed transfer and as much of the payer's
 * chain before it as fits. The payee's phone keeps it at once; it counts
 * ("settled") once the payer's whole history has arrived, usually through a relay.
 */
export interface ReceiptPayload {
  readonly kind: 'receipt'
  readonly pool: string
  /** Entry lines, the transfer first. */
  readonly lines: readonly string[]
}

/**
 * Pay a member of another pool (issue 19): the payee's pool (its genesis, so a
 * payer's phone can follow it and read its rate and trust), the payee's key,
 * the amount to arrive in the payee's pool, and the hashlock condition whose
 * preimage only the payee's phone holds. Nothing here is trusted for money:
 * the route and rates come from the pools' signed entries, and the payee's
 * pool pays only what its own gateway was paid.
 */
export interface CrossPayload {
  readonly kind: 'cross'
  readonly pool: string
  readonly relay: string
  readonly genesis: string
  readonly to: string
  readonly amount: number
  /** SHA-256 of the payee's secret preimage, hex. */
  readonly condition: string
  /** The payee's self-chosen display name; untrusted, shown as text only. */
  readonly name?: string
}

export type LinkPayload = InvitePayload | PayPayload | RequestPayload | JoinRequestPayload | PoolPayload | ReceiptPayload | CrossPayload
export type LinkKind = LinkPayload['kind']
