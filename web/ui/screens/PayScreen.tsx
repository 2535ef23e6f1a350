import { useEffect, useState } from 'preact/hooks'
import type { VNode } from 'preact'
import { formatAmount, parseAmount } from '../../lib/amount.ts'
import { decodeLink, linkRoute } from '../../links/link-codec.ts'
import { linkProblemText } from '../link-problem-text.ts'
import { paymentNotesIn } from '../../wallet/payment-notes.ts'
import { WitnessNotes } from '../components/Confirmation.tsx'
import { Field } from '../components/Field.tsx'
import { MemberSelect } from '../components/MemberSelect.tsx'
import { Person } from '../components/Person.tsx'
import { QrScanner } from '../components/QrScanner.tsx'
import { iso, Words } from '../components/Words.tsx'
import { inserted, type Text } from '../../strings/phrase.ts'
import { SigningBlocked } from '../components/SigningBlocked.tsx'
import { money, nameOnly } from '../format.ts'
import { hrefOf, navigate } from '../router.ts'
import { refusalText } from '../refusal-text.ts'
import { leaveFlash } from '../use-flash.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

const KEY = /^[0-9a-f]{64}$/

/**
 * Pay: to, amount, note → review → confirm. The draft is saved as it is typed
 * and survives a refusal, a reload or a crash; it is cleared only by a payment
 * the validator accepted.
 */
export function PayScreen({ pool }: { pool: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const view = wallet.pool(pool)
  const policy = view?.policy ?? null
  const [to, setTo] = useState('')
  /** What is typed or pasted in the key-or-link field; choosing a member clears it rather than filling it with a key. */
  const [pasted, setPasted] = useState('')
  const [amount, setAmount] = useState('')
  const [memo, setMemo] = useState('')
  const [loaded, setLoaded] = useState(false)
  const [reviewing, setReviewing] = useState(false)
  const [signing, setSigning] = useState(false)
  const [errors, setErrors] = useState<{ to?: string; amount?: string }>({})
  const [refusal, setRefusal] = useState<Text>('')
  const [scanning, setScanning] = useState(false)

  useEffect(() => {
    void wallet.draft(pool).then((draft) => {
      if (draft) {
        setTo(draft.to)
        setAmount(draft.amount)
        setMemo(draft.memo)
      }
      setLoaded(true)
    })
  }, [pool])
  useEffect(() => {
    if (loaded) void wallet.saveDraft({ pool, to, amount, memo })
  }, [to, amount, memo, loaded])

  if (!view) return <p>{t.wallet.problems['unknown-pool']}</p>
  const decimals = policy?.decimals ?? 0
  const symbol = policy?.symbol ?? ''
  const payable = Math.max(0, view.balance - view.held - view.minBalance)
  const toKey = to.trim()
  const payeeName = KEY.test(toKey) ? nameOnly(wallet, pool, toKey) : ''
  const payeeKnown = KEY.test(toKey) && view.members.some((member) => member.key === toKey)

  const takeLink = async (text: string): Promise<void> => {
    setScanning(false)
    const trimmed = text.trim()
    if (KEY.test(trimmed)) {
      setTo(trimmed)
      return
    }
    if (!trimmed) return
    const decoded = await decodeLink(trimmed)
    if (!decoded.ok) return setErrors({ to: linkProblemText(t, decoded) })
    // A signed request is paid by reference on its own page: amount and payee cannot be edited.
    if (decoded.payload.kind === 'request') {
      const route = linkRoute(trimmed.replace(/\s+/g, '')) ?? trimmed.replace(/\s+/g, '').replace(/^\//, '')
      return navigate({ name: 'link', link: route })
    }
    if (decoded.payload.kind !== 'pay') return setErrors({ to: t.links.wrongKindForPay })
    if (decoded.payload.pool !== pool) return setErrors({ to: t.links.otherPool })
    const payload = decoded.payload
    setErrors({})
    setTo(payload.to)
    setPasted('')
    if (payload.amount !== undefined) setAmount(formatAmount(payload.amount, decimals).replace(/\u202f/g, ''))
    if (payload.memo) setMemo(payload.memo)
    if (payload.name && !wallet.nameOf(pool, payload.to)) await wallet.setContact(pool, payload.to, payload.name)
  }

  const review = (event: Event): void => {
    event.preventDefault()
    setRefusal('')
    const next: { to?: string; amount?: string } = {}
    if (!KEY.test(toKey)) next.to = pasted.trim() !== '' && errors.to ? errors.to : t.pay.toProblem
    const parsed = parseAmount(amount, decimals)
    if (!parsed.ok) next.amount = t.pay.amountProblem[parsed.problem]
    setErrors(next)
    if (next.to || next.amount || !parsed.ok) return
    // The review runs the validator's own preview first: what cannot go through is refused here, in its words.
    const check = wallet.checkPayment(pool, toKey, parsed.minorUnits, memo)
    if (!check.ok) return setRefusal(refusalText(t, check.refusal, policy, Date.now()))
    setReviewing(true)
  }

  const confirm = async (): Promise<void> => {
    const parsed = parseAmount(amount, decimals)
    if (!parsed.ok) return
    setSigning(true)
    const outcome = await wallet.pay(pool, toKey, parsed.minorUnits, memo)
    setSigning(false)
    setReviewing(false)
    if (outcome.ok) {
      leaveFlash(t.pay.paid(inserted(money(parsed.minorUnits, policy)), inserted(payeeName)))
      navigate({ name: 'pool', pool }, true)
    } else {
      setRefusal(refusalText(t, outcome.refusal, policy, Date.now()))
    }
  }

  const parsedAmount = parseAmount(amount, decimals)
  const notes = parsedAmount.ok && KEY.test(toKey) ? paymentNotesIn(view, toKey, parsedAmount.minorUnits) : undefined
  const amountOf = (value: number): VNode => iso(money(value, policy))
  return (
    <section aria-labelledby="pay-title">
      <p class="crumb">
        <a href={hrefOf({ name: 'pool', pool })}>← <bdi>{policy?.name}</bdi></a>
      </p>
      <h1 id="pay-title">{t.pay.title(iso(policy?.name ?? ''))}</h1>
      <p class="hint" data-testid="payable">{t.pay.available(amountOf(payable))}</p>
      <WitnessNotes pool={pool} view={view} pay />
      <SigningBlocked pool={pool} />
      {refusal && (
        <div class="notice error" role="alert" data-testid="pay-refusal">
          <p>
            <Words text={refusal} />
          </p>
          <p>{t.pay.draftKept}</p>
        </div>
      )}
      {scanning && <QrScanner onText={(text) => void takeLink(text)} onClose={() => setScanning(false)} />}
      {reviewing && parsedAmount.ok ? (
        <div class="card review" role="group" aria-labelledby="review-title">
          <h2 id="review-title">{t.pay.confirm(amountOf(parsedAmount.minorUnits), <Person pool={pool} member={toKey} />)}</h2>
          {memo && <p class="memo">“<bdi>{memo}</bdi>”</p>}
          {!payeeKnown && <p class="notice warn">{t.pay.toUnknown}</p>}
          {notes && notes.levy > 0 && <p class="hint" data-testid="levy-note">{t.pay.levy(amountOf(notes.received), amountOf(notes.levy))}</p>}
          {notes?.belowSoftMin && (
            <p class="notice warn" data-testid="soft-min-warning">{t.pay.softMinWarning(amountOf(notes.belowSoftMin.after), amountOf(notes.belowSoftMin.level))}</p>
          )}
          {notes?.aboveSoftMax && (
            <p class="notice warn" data-testid="soft-max-warning">{t.pay.softMaxWarning(iso(payeeName), amountOf(notes.aboveSoftMax.after), amountOf(notes.aboveSoftMax.level))}</p>
          )}
          <div class="row">
            <button type="button" onClick={() => void confirm()} disabled={signing} data-testid="pay-confirm" autoFocus>
              {signing ? t.pay.signing : t.pay.confirm(amountOf(parsedAmount.minorUnits), iso(payeeName))}
            </button>
            <button type="button" class="secondary" onClick={() => setReviewing(false)}>
              {t.pay.edit}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={review} noValidate>
          <MemberSelect id="pay-member" label={t.pay.chooseMember} noneLabel={t.pay.chooseMemberNone} pool={pool} members={view.members} me={view.me}
            value={view.members.some((m) => m.key === toKey) ? toKey : ''} onChange={(key) => {
              setTo(key)
              setPasted('')
            }} />
          {KEY.test(toKey) && (
            <p class="chosen" data-testid="pay-to-person">
              {t.pay.chosen} <Person pool={pool} member={toKey} avatar />
            </p>
          )}
          <Field id="pay-to" label={t.pay.to} value={pasted} onInput={(value) => {
              setPasted(value)
              const trimmed = value.trim()
              if (KEY.test(trimmed)) setTo(trimmed)
              else if (trimmed === '') setErrors({})
              if (value.includes('/')) void takeLink(value)
            }} error={errors.to} placeholder={t.pay.toPlaceholder} hint={KEY.test(toKey) && !payeeKnown ? t.pay.toUnknown : undefined} />
          <button type="button" class="secondary" onClick={() => setScanning(true)}>
            {t.pay.scan}
          </button>
          <Field id="pay-amount" label={t.pay.amount(iso(symbol))} value={amount} onInput={setAmount} error={errors.amount} inputMode="decimal" />
          <Field id="pay-memo" label={t.pay.memo} value={memo} onInput={setMemo} dir="auto" />
          <button type="submit" data-testid="pay-review">
            {t.pay.review}
          </button>
        </form>
      )}
    </section>
  )
}
