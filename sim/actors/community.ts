/**
 * The community features, played by honest members and one cheater:
 *
 * - a member asks for a payment (`request`, sometimes naming the payer);
 *   others pay it by reference, the payer asked refuses it, the requester
 *   withdraws it;
 * - in two-step pools, payees accept or reject initiated transfers and
 *   payers cancel them;
 * - a member whose own ledger shows nothing owed and nothing in flight
 *   closes its account (sometimes too early: the app usually keeps it);
 * - the gatekeeper invites a newcomer with a one-time key, the newcomer
 *   joins with it, and a gate-crasher who saw the invite's QR over a
 *   shoulder tries to use it too (at most one join per invite may stand).
 *
 * Every choice is drawn from the run's Prng.
 */
import {
  signJoinInvite, type Entry, type EntryId, type InviteEntry, type JoinEntry, type PublicKeyHex, type RequestEntry, type TransferEntry,
} from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { KeyPair } from '../keys.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import { offlineRoom, sendPayment, short } from './honestMember.ts'

function usable(device: Device): boolean {
  device.refresh()
  const me = device.ledger.member(device.key.publicKey)
  return me !== undefined && !me.frozen && !me.closed
}

/**
 * Publishes `entry` if the app's preview allows it, or anyway 40 % of the time (an outdated app, a
 * stale view). A transfer in a witnessed pool is paid online when it can be, and otherwise only
 * within the offline allowance (honestMember.ts, offlineRoom).
 */
async function send(device: Device, entry: Entry, prng: Prng, trace: Trace, what: string): Promise<boolean> {
  if (entry.type === 'transfer' && device.ledger.witnessed) {
    const room = offlineRoom(device)
    if (entry.amount > room.amountLeft) {
      device.payments.keptForCap++
      trace.note(`${device.name}: app kept a draft (${what}: offline allowance too small)`)
      return false
    }
    return sendPayment(device, entry, room.online, prng, trace, what)
  }
  const preview = device.preview(entry)
  const refused = preview !== undefined && preview.status === 'rejected'
  if (refused && !prng.chance(0.4)) {
    trace.note(`${device.name}: app kept a draft (${what}: ${preview.reason})`)
    return false
  }
  await device.publish(entry)
  trace.note(`${device.name}: ${what} seq ${entry.seq}${refused ? ` though preview said ${preview.reason}` : ''}`)
  return true
}

/** A member asks for a payment, from anyone (a shop's QR) or from one member. */
export async function requestPayment(requester: Device, members: readonly PublicKeyHex[], prng: Prng, trace: Trace): Promise<void> {
  if (!usable(requester)) return
  const others = members.filter((key) => key !== requester.key.publicKey)
  const from = others.length > 0 && prng.chance(0.5) ? prng.pick(others) : undefined
  const amount = prng.int(1, 200)
  const entry = requester.draft<RequestEntry>({ type: 'request', amount, ...(from ? { from } : {}), ...(prng.chance(0.3) ? { memo: `sim ${prng.int(0, 999)}` } : {}) })
  await send(requester, entry, prng, trace, `asks ${amount}${from ? ` from ${short(from)}` : ''}`)
}

/**
 * The device looks at what waits for it in its own ledger and answers one
 * thing: pays or refuses a request, withdraws its own request, accepts or
 * rejects a transfer to it, cancels its own initiated transfer.
 */
export async function answerSomething(device: Device, prng: Prng, trace: Trace): Promise<void> {
  if (!usable(device)) return
  const me = device.key.publicKey
  const ledger = device.ledger
  const result = ledger.result()
  type Job = () => Promise<unknown>
  const jobs: Job[] = []
  for (const [key, request] of Object.entries(result.requests ?? {})) {
    const id = key as EntryId
    // Recurring requests have their own actor (recurringRequests.ts): accepted, never paid by a transfer.
    if (request.status !== 'open' || request.everySeconds !== undefined) continue
    if (request.payee === me) {
      jobs.push(() => send(device, device.draft({ type: 'cancel', entry: id }, [id]), prng, trace, `withdraws its request ${id.slice(0, 8)}`))
    } else if (request.from === undefined || request.from === me) {
      jobs.push(() => send(device, device.draft<TransferEntry>({ type: 'transfer', to: request.payee, amount: request.amount, request: id }, [id]), prng, trace, `pays request ${id.slice(0, 8)} (${request.amount} to ${short(request.payee)})`))
      if (request.from === me) jobs.push(() => send(device, device.draft({ type: 'reject', entry: id }, [id]), prng, trace, `refuses request ${id.slice(0, 8)}`))
    }
  }
  for (const verdict of result.entries) {
    if (verdict.status !== 'initiated') continue
    const transfer = ledger.entry(verdict.id)
    if (!transfer || transfer.type !== 'transfer') continue
    const id: EntryId = transfer.id
    if (transfer.to === me) {
      jobs.push(() => send(device, device.draft({ type: prng.chance(0.75) ? 'accept' : 'reject', entry: id }, [id]), prng, trace, `answers transfer ${id.slice(0, 8)}`))
    } else if (transfer.author === me) {
      jobs.push(() => send(device, device.draft({ type: 'cancel', entry: id }, [id]), prng, trace, `cancels its transfer ${id.slice(0, 8)}`))
    }
  }
  if (jobs.length === 0) return
  await prng.pick(jobs)()
}

/** A member closes its account when its own ledger shows balance zero and nothing in flight (or, rarely, anyway). */
export async function closeAccount(candidates: readonly Device[], prng: Prng, trace: Trace): Promise<void> {
  const ready = candidates.filter((device) => usable(device) && device.ledger.balanceOf(device.key.publicKey) === 0 && device.ledger.heldBy(device.key.publicKey) === 0)
  const device = ready.length > 0 ? prng.pick(ready) : candidates.length > 0 && prng.chance(0.2) ? prng.pick(candidates) : undefined
  if (!device || !usable(device)) return
  await send(device, device.draft({ type: 'close' }), prng, trace, 'closes its account')
}

/** The gatekeeper signs an invite for a fresh one-time key. */
export async function invite(gatekeeper: Device, inviteKey: KeyPair, prng: Prng, trace: Trace): Promise<InviteEntry | undefined> {
  if (!usable(gatekeeper)) return undefined
  const body: Record<string, unknown> = { type: 'invite', invitee: inviteKey.publicKey }
  if (gatekeeper.ledger.policy?.kind === 'mutual-credit' && prng.chance(0.3)) body.minBalance = -prng.pick([50, 200])
  const entry = gatekeeper.draft<InviteEntry>(body)
  await gatekeeper.publish(entry)
  trace.note(`${gatekeeper.name}: invites key ${short(inviteKey.publicKey)} (${entry.id.slice(0, 8)})`)
  return entry
}

/**
 * Someone holding the invite's secret joins with its own key. The newcomer
 * does it once its device has the invite; the gate-crasher (who copied the
 * QR) does the same with the same invite. Returns whether a join was sent.
 */
export async function joinWithInvite(device: Device, inviteEntry: InviteEntry, inviteKey: KeyPair, trace: Trace, who: string): Promise<boolean> {
  device.refresh()
  if (!device.ledger.entry(inviteEntry.id)) return false
  if (device.signed.some((entry) => entry.type === 'join')) return false
  const inviteSig = signJoinInvite(device.pool, inviteEntry.id, device.key.publicKey, inviteKey.secretKey)
  const entry = device.draft<JoinEntry>({ type: 'join', invite: inviteEntry.id, invitee: inviteKey.publicKey, inviteSig }, [inviteEntry.id])
  await device.publish(entry)
  trace.note(`${device.name}: ${who} joins with invite ${inviteEntry.id.slice(0, 8)} as ${short(device.key.publicKey)}`)
  return true
}
