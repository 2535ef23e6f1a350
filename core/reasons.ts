/**
 * The one catalog of reason codes. Every entry that is not accepted carries
 * one of these; the app turns the code into words, the CLI prints the code.
 * Codes are a contract: add new ones, never rename.
 */

export const REJECTION_REASONS = {
  malformed: 'The entry is not well-formed.',
  'bad-signature': 'A signature does not match the entry and its author.',
  'wrong-pool': 'The entry belongs to another pool.',
  'bad-chain': "The entry does not continue its author's chain (seq, prev or time).",
  equivocation: "Its author signed two different entries at one place in the chain: a double spend. The lower id stands; the rest and everything after it are void, and the author is frozen.",
  'not-member': 'Its author is not a member of the pool.',
  frozen: 'Its author is frozen.',
  'not-authorized': 'Only a gatekeeper may do this.',
  'wrong-pool-type': 'This pool type does not allow it.',
  'unknown-member': 'The other party is not a member of the pool.',
  'payee-frozen': 'The payee is frozen.',
  'already-member': 'The key is already a member.',
  'bad-invite': 'The invitation is not a valid invite of this pool.',
  'invite-used': 'The invitation was already used.',
  'invalid-limits': 'The limits do not fit the pool type.',
  'below-min-balance': "The payment would take the payer's balance below its minimum.",
  'above-max-balance': "The payment would take the payee's balance above its maximum.",
  'rate-limit': 'The payer made another payment too recently.',
  overflow: 'The amount would exceed the largest number the pool can hold.',
  'request-mismatch': 'The payment does not match the request it names (amount, payee or payer).',
  'request-settled': 'The request was already paid, refused or withdrawn.',
  'bad-target': 'The entry answered is not a transfer or request this entry can answer.',
  'not-party': 'Only the other party may answer this.',
  'not-open': 'The transfer or request is no longer waiting for an answer.',
  'rejected-by-payee': 'The payee refused the transfer.',
  'account-closed': 'The account was closed.',
  'close-blocked': 'An account closes only at balance zero with nothing in flight.',
  'not-witness': 'Only a witness the pool names may sign a checkpoint.',
  'witnessed-too-late': 'It claims to be signed longer before a witness first saw it than the pool allows offline.',
  'clock-ahead': "It claims a time later than the witness's clock when it first saw it.",
  'offline-cap': 'It goes past the payments its author may make offline before a witness sees its chain.',
  'invite-expired': 'The invitation expired before the join was witnessed.',
  'inviter-frozen': 'The gatekeeper who signed the invitation was frozen before the join was witnessed.',
  'commons-short': 'The commons does not hold that much.',
  'invalid-policy': 'The policy change is not allowed.',
  'unknown-listing': 'The listing named is not a listing of this pool, or it was withdrawn.',
  'not-listing-author': 'Only its author may edit or withdraw a listing.',
  'listing-expired': 'The listing had expired, or would expire before it was witnessed.',
  'listing-limit': 'Its author already has as many open listings, or listing changes that day, as a pool allows.',
  'unknown-category': 'The category is not on the list the gatekeepers signed.',
  'no-demurrage': 'The pool charges no demurrage, so a tick has nothing to bring up to date.',
  'not-ticker': 'Only a gatekeeper or a witness of the pool may sign a tick.',
  'unknown-order': 'The standing order named is not an order of this pool.',
  'not-collector': 'Only the payee or the coordinator an order names may collect its payments.',
  'order-closed': 'The standing order was revoked, or it promises no payment for that period.',
  'not-due': 'That payment of the standing order is not due yet.',
  'order-period-paid': 'That period of the standing order was already paid.',
  'order-limit': 'The payer already has as many open standing orders as a pool allows.',
  'request-ended': 'The recurring request promises no payment from the time it was accepted on (its count or end date is past).',
  'no-hour-rate': 'The pool has no rate to HOUR, so it cannot trust or be paid from another pool.',
  'invalid-trustline': 'The trustline names a key that cannot be this pool\'s gateway for that pool.',
  'trust-below-balance': 'The trustline would be lower than what the gateway already owes under it.',
  'trust-exceeded': "The gateway's payment would go past the trust this pool gives the other pool.",
  'not-gateway': 'Only a gateway a trustline of this pool names may do this.',
  'wrong-preimage': "The preimage does not hash to the prepare's condition.",
  'prepare-expired': 'The prepare had expired (in witnessed time) before this was witnessed.',
  'not-expired': 'The prepare has not expired yet: only its payee may cancel it before then.',
  'expiry-too-far': 'The prepare expires further ahead than a pool allows.',
  'prepare-limit': 'Its author already has as many open prepares as a pool allows.',
  'no-witness': 'A path payment needs a pool with a witness: its expiry is counted in witnessed time.',
  'expiry-not-decreasing': "The next hop's expiry does not leave the gateway time to fulfil the hop before it.",
  'amount-mismatch': "The next hop's amount is more than the previous hop's amount converted at the pools' rates.",
  'device-revoked': 'Its device was removed by its member: the device counts only up to the cutoff the removal names.',
  'device-suspended': 'Its device signed two entries at one place in its chain and is suspended (its member is not frozen).',
  'device-cap': 'It goes past what the member allowed this device to spend.',
  'device-taken': 'The key is already a member, or a device of another member.',
  'not-device': 'The key is not a device that the signer, or the signer\'s member, certified.',
  'device-limit': 'The member already has as many devices as a pool allows.',
  'recovery-blocked': "The account's key signed something within the waiting period: its owner is active, so it is not recovered.",
  'already-approved': 'This gatekeeper already approved that recovery.',
  'bad-cutoff': "The cutoff a revocation names is not the device's entry at that place in its chain.",
} as const

export const PENDING_REASONS = {
  'no-genesis': "The pool's first entry has not arrived yet.",
  'missing-prev': "The author's previous entry has not arrived yet.",
  'missing-dep': 'An entry it depends on has not arrived yet.',
  'after-pending': 'An entry before it is still pending.',
  future: 'It is dated after the time the log is judged at.',
} as const

export type RejectionReason = keyof typeof REJECTION_REASONS
export type PendingReason = keyof typeof PENDING_REASONS
export type Reason = RejectionReason | PendingReason

export const REASONS: Readonly<Record<Reason, string>> = { ...REJECTION_REASONS, ...PENDING_REASONS }

export function describeReason(reason: Reason): string {
  return REASONS[reason]
}
