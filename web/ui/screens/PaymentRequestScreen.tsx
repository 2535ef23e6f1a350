import { useEffect, useState } from 'preact/hooks'
import type { ComponentChildren, VNode } from 'preact'
import { encodeLink } from '../../links/link-codec.ts'
import { paymentNotesIn } from '../../wallet/payment-notes.ts'
import type { RequestRow, StatementRow } from '../../wallet/pool-view.ts'
import { CopyField } from '../components/CopyField.tsx'
import { NfcWrite } from '../components/NfcWrite.tsx'
import { QrImage } from '../components/QrImage.tsx'
import { SigningBlocked } from '../components/SigningBlocked.tsx'
import { iso, Words } from '../components/Words.tsx'
import { inserted, plainText, type Text } from '../../strings/phrase.ts'
import { money, nameOnly, timeOf } from '../format.ts'
import { Person } from '../components/Person.tsx'
import { hrefOf } from '../router.ts'
import { refusalText } from '../refusal-text.ts'
import { useStrings, useWallet } from '../wallet-context.ts'
import { everyText } from '../components/ScheduledPayments.tsx'

type Strings = ReturnType<typeof useStrings>

/**
 * One signed payment request. The requester sees its code and link and may
 * withdraw it; the payer sees what it asks (levy and warning levels included)
 * and pays it by reference, or refuses it when asked by name. Its state comes
 * from the validator, so it reads "paid" on every phone that holds the payment.
 */
export function PaymentRequestScreen({ pool, request }: { pool: string; request: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const view = wallet.pool(pool)
  const row = view?.requests.get(request)
  const mine = row?.payee === view?.me
  const [link, setLink] = useState('')
  const [busy, setBusy] = useState(false)
  const [refusal, setRefusal] = useState<Text>('')
  const [done, setDone] = useState<Text>('')
  useEffect(() => {
    if (!mine || row?.status !== 'open') return
    const payload = wallet.requestPayload(pool, request)
    if (payload) void encodeLink(payload, location.origin).then(setLink)
  }, [mine, row?.status, request])
  // Rate limit countdowns and pending entries depend on the clock.
  useEffect(() => {
    const timer = setInterval(() => wallet.tick(), 15_000)
    return () => clearInterval(timer)
  }, [wallet])

  if (!view) return <p class="notice error" role="alert">{t.paymentRequest.notInPool}</p>
  const policy = view.policy
  const back = (
    <p class="crumb">
      <a href={hrefOf({ name: 'pool', pool })}>← <bdi>{policy?.name}</bdi></a>
    </p>
  )
  if (!row) {
    const waiting = wallet.entryLine(pool, request) !== undefined
    return (
      <section aria-labelledby="payment-request-title">
        {back}
        <h1 id="payment-request-title">{t.request.title}</h1>
        <p class="notice warn" role="alert" data-testid="request-problem">
          {waiting ? t.paymentRequest.waiting : t.paymentRequest.unknown}
        </p>
      </section>
    )
  }

  const payeeName = nameOnly(wallet, pool, row.payee)
  const payee = <Person pool={pool} member={row.payee} />
  const amountText = money(row.amount, policy)
  const amount = iso(amountText)
  const amountOf = (value: number): VNode => iso(money(value, policy))
  // A recurring request (rent, dues) is accepted once, not paid: the accept is a standing order.
  const every = row.everySeconds === undefined ? undefined : everyText(t, row.everySeconds) + (row.count !== undefined ? t.orders.timesText(row.count) : '')
  const act = async (what: 'pay' | 'accept' | 'reject' | 'cancel'): Promise<void> => {
    setBusy(true)
    setRefusal('')
    const outcome = what === 'pay' ? await wallet.payRequest(pool, request) : what === 'accept' ? await wallet.orders.accept(pool, request) : await wallet.answer(pool, request, what)
    setBusy(false)
    if (!outcome.ok) return setRefusal(refusalText(t, outcome.refusal, policy, Date.now()))
    setDone(what === 'pay' ? t.paymentRequest.paidFlash(inserted(amountText), inserted(payeeName)) : what === 'accept' ? t.orders.acceptedFlash : what === 'reject' ? t.paymentRequest.refused : t.paymentRequest.cancelled2)
  }
  const askedOfMe = row.from === view.me
  const canPay = !mine && row.status === 'open' && (row.from === undefined || askedOfMe) && row.acceptedByMe === undefined
  const notes = canPay ? paymentNotesIn(view, row.payee, row.amount) : undefined
  const payable = Math.max(0, view.balance - view.held - view.minBalance)

  return (
    <section aria-labelledby="payment-request-title" data-testid="payment-request">
      {back}
      <h1 id="payment-request-title">{mine ? t.paymentRequest.titleMine(amount) : t.paymentRequest.titleTheirs(payee, amount)}</h1>
      {row.memo && <p class="memo">“<bdi>{row.memo}</bdi>”</p>}
      {every && <p class="hint" data-testid="request-repeats">{t.orders.requestRepeats(every)}</p>}
      <p class="hint">
        {row.from === undefined ? t.paymentRequest.askedOfAnyone : askedOfMe ? t.paymentRequest.askedOfYou : t.paymentRequest.askedOf(<Person pool={pool} member={row.from} />)}
        {row.time < Number.MAX_SAFE_INTEGER && <> · <time dateTime={new Date(row.time).toISOString()}>{timeOf(row.time)}</time></>}
      </p>
      <p class={`notice ${row.status === 'paid' || row.status === 'accepted' ? 'ok' : row.status === 'open' ? '' : 'warn'}`} role="status" data-testid="request-state">
        <strong>{t.paymentRequest.state}: </strong>
        {stateText(t, row, settlerName(t, view.statement.find((r) => r.id === row.settledBy), (key) => nameOnly(wallet, pool, key)))}
      </p>
      {row.status === 'open' && (mine || canPay) && <SigningBlocked pool={pool} />}
      {done && (
        <p class="notice ok" role="status" data-testid="request-done">
          <Words text={done} />
        </p>
      )}
      {refusal && (
        <p class="notice error" role="alert" data-testid="pay-refusal">
          <Words text={refusal} />
        </p>
      )}

      {mine && row.status === 'open' && (
        <div class="split">
          <div>
            <p>{t.paymentRequest.showIntro}</p>
            {link && <QrImage text={link} label={t.qr.imageAlt(plainText(t.paymentRequest.titleMine(inserted(amountText))))} />}
          </div>
          <div>
            {link && <CopyField label={t.paymentRequest.link} value={link} testId="request-link" />}
            <NfcWrite link={link} />
            <button type="button" class="secondary" disabled={busy} onClick={() => void act('cancel')} data-testid="request-cancel">
              {t.paymentRequest.cancel}
            </button>
          </div>
        </div>
      )}

      {row.acceptedByMe !== undefined && !done && <p class="notice ok" data-testid="request-accepted-by-you">{t.orders.acceptedByYou}</p>}
      {!mine && row.status === 'open' && !canPay && row.acceptedByMe === undefined && <p class="notice">{t.paymentRequest.notForYou}</p>}
      {canPay && notes && (
        <div class="card review" role="group" aria-labelledby="payment-request-title">
          <p class="hint" data-testid="payable">{t.pay.available(amountOf(payable))}</p>
          {notes.levy > 0 && <p class="hint" data-testid="levy-note">{t.pay.levy(amountOf(notes.received), amountOf(notes.levy))}</p>}
          {notes.belowSoftMin && (
            <p class="notice warn" data-testid="soft-min-warning">
              {t.pay.softMinWarning(amountOf(notes.belowSoftMin.after), amountOf(notes.belowSoftMin.level))}
            </p>
          )}
          {notes.aboveSoftMax && (
            <p class="notice warn" data-testid="soft-max-warning">
              {t.pay.softMaxWarning(iso(payeeName), amountOf(notes.aboveSoftMax.after), amountOf(notes.aboveSoftMax.level))}
            </p>
          )}
          {policy?.twoStep && !every && <p class="hint">{t.paymentRequest.noTwoStep}</p>}
          {every && <p class="hint" data-testid="accept-hint">{t.orders.acceptHint}</p>}
          <div class="row">
            {every ? (
              <button type="button" disabled={busy} onClick={() => void act('accept')} data-testid="accept-request">
                {busy ? t.paymentRequest.signing : t.orders.acceptRequest(amount, iso(payeeName), every)}
              </button>
            ) : (
              <button type="button" disabled={busy} onClick={() => void act('pay')} data-testid="pay-request">
                {busy ? t.paymentRequest.signing : t.paymentRequest.pay(amount, iso(payeeName))}
              </button>
            )}
            {askedOfMe && (
              <button type="button" class="secondary" disabled={busy} onClick={() => void act('reject')} data-testid="refuse-request">
                {t.paymentRequest.refuse}
              </button>
            )}
          </div>
        </div>
      )}
      <p>
        <a href={hrefOf({ name: 'pool', pool })}>{t.paymentRequest.back}</a>
      </p>
    </section>
  )
}

/** Who paid, as this phone knows it: "you" for the payer, the payer's name for the payee; else nobody named. */
function settlerName(t: Strings, settledBy: StatementRow | undefined, name: (key: string) => string): string | undefined {
  if (!settledBy || settledBy.type !== 'transfer') return undefined
  if (settledBy.outgoing) return t.pool.yourName
  return settledBy.counterparty ? name(settledBy.counterparty) : undefined
}

function stateText(t: Strings, row: RequestRow, payer: string | undefined): ComponentChildren {
  switch (row.status) {
    case 'open':
      return t.paymentRequest.open
    case 'paid':
      return payer ? t.paymentRequest.paidBy(iso(payer)) : t.paymentRequest.paid
    case 'rejected':
      return t.paymentRequest.rejected
    case 'cancelled':
      return t.paymentRequest.cancelled
    case 'accepted':
      return t.orders.stateAccepted
  }
}
