import { useState } from 'preact/hooks'
import type { VNode } from 'preact'
import type { PoolView } from '../../wallet/pool-view.ts'
import { money } from '../format.ts'
import { Person } from './Person.tsx'
import { hrefOf } from '../router.ts'
import { refusalText } from '../refusal-text.ts'
import type { Text } from '../../strings/phrase.ts'
import { iso, Words } from './Words.tsx'
import { useStrings, useWallet } from '../wallet-context.ts'

type Answer = 'accept' | 'reject' | 'cancel'

/**
 * What waits for an answer, on both sides: requests to pay (Pay / Refuse) and
 * two-step payments to accept (Accept / Refuse); this member's own open
 * requests (Show code / Cancel) and payments on hold (Cancel). Each answer is
 * a signed entry the validator judges; a refusal comes back in words.
 */
export function InFlight({ pool, view }: { pool: string; view: PoolView }) {
  const wallet = useWallet()
  const t = useStrings()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ ok: boolean; text: Text } | null>(null)
  const policy = view.policy
  const name = (key: string): VNode => <Person pool={pool} member={key} />
  const amount = (value: number): VNode => iso(money(value, policy))
  const answer = async (entry: string, kind: Answer): Promise<void> => {
    setBusy(true)
    const outcome = await wallet.answer(pool, entry, kind)
    setBusy(false)
    if (outcome.ok) setMessage({ ok: true, text: kind === 'accept' ? t.inFlight.accepted : kind === 'reject' ? t.inFlight.refused : t.inFlight.cancelledDone })
    else setMessage({ ok: false, text: refusalText(t, outcome.refusal, policy, Date.now()) })
  }
  const incomingTransfers = view.transfersWaiting.filter((row) => row.awaiting === 'me')
  const outgoingTransfers = view.transfersWaiting.filter((row) => row.awaiting === 'them')
  const forMe = view.requestsToPay.length + incomingTransfers.length
  const forOthers = view.requestsOpen.length + outgoingTransfers.length
  if (forMe + forOthers === 0 && !message) return null
  return (
    <div class="in-flight">
      {message && (
        <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'} data-testid="in-flight-message">
          <Words text={message.text} />
        </p>
      )}
      {forMe > 0 && (
        <section class="card" aria-labelledby="for-you-title" data-testid="waiting-for-you">
          <h2 id="for-you-title">{t.inFlight.forYou}</h2>
          <ul class="plain-list">
            {view.requestsToPay.map((row) => (
              <li key={row.id} class="in-flight-item" data-testid="incoming-request">
                <p id={`what-${row.id}`}>
                  {t.inFlight.requestIn(name(row.payee), amount(row.amount))}
                  {row.memo && <span class="memo"> “<bdi>{row.memo}</bdi>”</span>}
                </p>
                <div class="row">
                  <a class="button small" href={hrefOf({ name: 'payment-request', pool, request: row.id })} aria-describedby={`what-${row.id}`}>
                    {t.inFlight.pay}
                  </a>
                  <button type="button" class="secondary small" disabled={busy} onClick={() => void answer(row.id, 'reject')} aria-describedby={`what-${row.id}`}>
                    {t.inFlight.refuse}
                  </button>
                </div>
              </li>
            ))}
            {incomingTransfers.map((row) => (
              <li key={row.id} class="in-flight-item" data-testid="incoming-transfer">
                <p id={`what-${row.id}`}>
                  {t.inFlight.transferIn(row.counterparty ? name(row.counterparty) : iso(''), amount(row.nominal))}
                  {row.memo && <span class="memo"> “<bdi>{row.memo}</bdi>”</span>}
                </p>
                <div class="row">
                  <button type="button" class="small" disabled={busy} onClick={() => void answer(row.id, 'accept')} aria-describedby={`what-${row.id}`} data-testid="accept-payment">
                    {t.inFlight.accept}
                  </button>
                  <button type="button" class="secondary small" disabled={busy} onClick={() => void answer(row.id, 'reject')} aria-describedby={`what-${row.id}`} data-testid="refuse-payment">
                    {t.inFlight.refuse}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {forOthers > 0 && (
        <section class="card" aria-labelledby="for-others-title" data-testid="waiting-for-others">
          <h2 id="for-others-title">{t.inFlight.forOthers}</h2>
          <ul class="plain-list">
            {view.requestsOpen.map((row) => (
              <li key={row.id} class="in-flight-item" data-testid="outgoing-request">
                <p id={`what-${row.id}`}>
                  {row.from ? t.inFlight.requestOut(name(row.from), amount(row.amount)) : t.inFlight.requestOutAnyone(amount(row.amount))}
                  {row.memo && <span class="memo"> “<bdi>{row.memo}</bdi>”</span>}
                </p>
                <div class="row">
                  <a class="button secondary small" href={hrefOf({ name: 'payment-request', pool, request: row.id })} aria-describedby={`what-${row.id}`}>
                    {t.inFlight.show}
                  </a>
                  <button type="button" class="secondary small" disabled={busy} onClick={() => void answer(row.id, 'cancel')} aria-describedby={`what-${row.id}`}>
                    {t.inFlight.cancel}
                  </button>
                </div>
              </li>
            ))}
            {outgoingTransfers.map((row) => (
              <li key={row.id} class="in-flight-item" data-testid="outgoing-transfer">
                <p id={`what-${row.id}`}>
                  {t.inFlight.transferOut(row.counterparty ? name(row.counterparty) : iso(''), amount(-row.nominal))}
                  {row.memo && <span class="memo"> “<bdi>{row.memo}</bdi>”</span>}
                </p>
                <div class="row">
                  <button type="button" class="secondary small" disabled={busy} onClick={() => void answer(row.id, 'cancel')} aria-describedby={`what-${row.id}`} data-testid="cancel-payment">
                    {t.inFlight.cancel}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}
