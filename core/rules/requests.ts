/** Payment requests: asked, paid once, refused by the payer asked, withdrawn by the requester. */
import type { AcceptEntry, CancelEntry, EntryId, PublicKeyHex, RejectEntry, RequestEntry } from '../entry.ts'
import { ACCEPTED, reject, short, type Evaluation, type PoolState, type RequestState, type RequestStatus } from '../pool-state.ts'

/** A payee asks: the payer named, if any, must be a member. */
export function requestRule(state: PoolState, entry: RequestEntry, commit: boolean): Evaluation {
  if (entry.from !== undefined && !state.members.has(entry.from)) return reject('unknown-member', `the payer asked, ${short(entry.from)}, is not a member of this pool`)
  if (commit) {
    state.requests.set(entry.id, {
      payee: entry.author, amount: entry.amount, from: entry.from, memo: entry.memo, status: 'open', settledBy: undefined,
      ...(entry.everySeconds !== undefined
        ? { recurring: { everyMs: entry.everySeconds * 1000, count: entry.count ?? null, start: entry.start, until: entry.until ?? null, coordinator: entry.coordinator } }
        : {}),
    })
  }
  return ACCEPTED
}

/** Does a payment (transfer or issue) of `amount` from `payer` to `payee` answer this request? */
export function requestProblem(request: RequestState | undefined, id: EntryId, payee: PublicKeyHex, amount: number, payer: PublicKeyHex): Evaluation | undefined {
  if (!request) return reject('bad-target', `${short(id)} is not an accepted request of this pool`)
  if (request.recurring) return reject('bad-target', 'a recurring request is accepted (an accept naming it), not paid by a transfer')
  if (request.status !== 'open') return reject('request-settled', `the request is ${request.status}`)
  if (request.payee !== payee || request.amount !== amount || (request.from !== undefined && request.from !== payer)) {
    return reject('request-mismatch', `the request asks ${request.amount} for ${short(request.payee)}${request.from ? ` from ${short(request.from)}` : ''}`)
  }
  return undefined
}

export function settleRequest(request: RequestState, status: RequestStatus, by: EntryId): void {
  request.status = status
  request.settledBy = by
}

/** reject / cancel of a request (accepting one is paying it). */
export function answerRequestRule(state: PoolState, entry: AcceptEntry | RejectEntry | CancelEntry, commit: boolean): Evaluation {
  const request = state.requests.get(entry.entry)
  if (!request) return reject('not-open', `${short(entry.entry)} is not a transfer or request waiting for an answer`)
  if (request.status !== 'open') return reject('not-open', `the request is ${request.status}`)
  if (entry.type === 'accept') return reject('bad-target', 'a request is accepted by paying it (a transfer naming it)')
  if (entry.type === 'cancel' && entry.author !== request.payee) return reject('not-party', 'only the requester may cancel a request')
  if (entry.type === 'reject' && (request.from === undefined || entry.author !== request.from)) return reject('not-party', 'only the payer asked may refuse a request')
  if (commit) settleRequest(request, entry.type === 'cancel' ? 'cancelled' : 'rejected', entry.id)
  return ACCEPTED
}
