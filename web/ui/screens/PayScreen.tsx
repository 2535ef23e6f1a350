import { useEffect, useState } from 'preact/hooks'
import type { ComponentChildren, VNode } from 'preact'
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
import { dateOf, money, nameOnly } from '../format.ts'
import { hrefOf, navigate } from '../router.ts'
import { refusalText } from '../refusal-text.ts'
import { leaveFlash } from '../use-flash.ts'
import { everyText, REPEAT_SECONDS } from '../components/ScheduledPayments.tsx'
import { useStrings, useWallet } from '../wallet-context.ts'
import type { OrderPlan } from '../../wallet/standing-orders.ts'

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
  const [errors, setErrors] = useState<{ to?: string; amount?: string; date?: string; times?: string }>({})
  const [refusal, setRefusal] = useState<Text>('')
  const [scanning, setScanning] = useState(false)
  /** Now or on a later date ('YYYY-MM-DD', local), and whether it repeats, how often and how many times. */
  const [later, setLater] = useState(false)
  const [date, setDate] = useState('')
  const [repeat, setRepeat] = useState<'' | keyof typeof REPEAT_SECONDS>('')
  const [times, setTimes] = useState('')

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

  /** What the When and Repeat fields ask for: a payment now, a plan for the wallet's standing orders, or what is wrong with them. */
  const planOf = (): 'now' | 'bad-date' | 'bad-times' | OrderPlan => {
    let start: number | undefined
    if (later) {
      const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
      // Nine in the morning, local time, of the day chosen: a payment for "the 1st" is not due at midnight.
      start = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]), 9).getTime() : NaN
      if (!Number.isSafeInteger(start) || start < Date.now()) return 'bad-date'
    }
    const count = times.trim() === '' ? undefined : Number(times.trim())
    if (repeat && count !== undefined && (!Number.isSafeInteger(count) || count < 1)) return 'bad-times'
    if (!repeat && start === undefined) return 'now'
    return { ...(repeat ? { everySeconds: REPEAT_SECONDS[repeat] } : {}), ...(repeat && count !== undefined ? { count } : {}), ...(start !== undefined ? { start } : {}) }
  }

  const review = (event: Event): void => {
    event.preventDefault()
    setRefusal('')
    const next: { to?: string; amount?: string; date?: string; times?: string } = {}
    if (!KEY.test(toKey)) next.to = pasted.trim() !== '' && errors.to ? errors.to : t.pay.toProblem
    const parsed = parseAmount(amount, decimals)
    if (!parsed.ok) next.amount = t.pay.amountProblem[parsed.problem]
    const plan = planOf()
    if (plan === 'bad-date') next.date = t.orders.dateProblem
    if (plan === 'bad-times') next.times = t.orders.timesProblem
    setErrors(next)
    if (next.to || next.amount || next.date || next.times || !parsed.ok) return
    // The review runs the validator's own preview first: what cannot go through is refused here, in its words.
    // A payment made now is previewed as it is; a later or repeating one is judged when each payment falls due.
    if (plan === 'now') {
      const check = wallet.checkPayment(pool, toKey, parsed.minorUnits, memo)
      if (!check.ok) return setRefusal(refusalText(t, check.refusal, policy, Date.now()))
    }
    setReviewing(true)
  }

  const confirm = async (): Promise<void> => {
    const parsed = parseAmount(amount, decimals)
    if (!parsed.ok) return
    const plan = planOf()
    if (plan === 'bad-date' || plan === 'bad-times') return
    setSigning(true)
    const outcome = plan === 'now' ? await wallet.pay(pool, toKey, parsed.minorUnits, memo) : await wallet.orders.create(pool, toKey, parsed.minorUnits, memo, plan)
    if (outcome.ok && plan !== 'now') await wallet.clearDraft(pool)
    setSigning(false)
    setReviewing(false)
    if (outcome.ok) {
      leaveFlash(plan === 'now' ? t.pay.paid(inserted(money(parsed.minorUnits, policy)), inserted(payeeName)) : t.orders.set(inserted(money(parsed.minorUnits, policy)), inserted(payeeName)))
      navigate({ name: 'pool', pool }, true)
    } else {
      setRefusal(refusalText(t, outcome.refusal, policy, Date.now()))
    }
  }

  const parsedAmount = parseAmount(amount, decimals)
  const notes = parsedAmount.ok && KEY.test(toKey) ? paymentNotesIn(view, toKey, parsedAmount.minorUnits) : undefined
  const amountOf = (value: number): VNode => iso(money(value, policy))
  const reviewPlan = reviewing ? planOf() : 'now'
  /** "Pay 5.00 to Bob", "… every week", "… on 1 Jan 2027": what the button signs. */
  const confirmText = (sum: VNode, name: VNode): ComponentChildren => {
    if (typeof reviewPlan !== 'object') return t.pay.confirm(sum, name)
    if (reviewPlan.everySeconds !== undefined) {
      const every = everyText(t, reviewPlan.everySeconds) + (reviewPlan.count !== undefined ? t.orders.timesText(reviewPlan.count) : '')
      return t.orders.confirmRepeat(sum, name, reviewPlan.start !== undefined ? `${every} (${dateOf(reviewPlan.start)})` : every)
    }
    return t.orders.confirmLater(sum, name, dateOf(reviewPlan.start!))
  }
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
          <h2 id="review-title">{confirmText(amountOf(parsedAmount.minorUnits), <Person pool={pool} member={toKey} />)}</h2>
          {reviewPlan !== 'now' && typeof reviewPlan === 'object' && (
            <p class="hint" data-testid="plan-hint">{reviewPlan.everySeconds !== undefined ? t.orders.repeatHint : t.orders.laterHint}</p>
          )}
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
              {signing ? t.pay.signing : confirmText(amountOf(parsedAmount.minorUnits), iso(payeeName))}
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
          <details class="pay-when" open={later || repeat !== ''} data-testid="pay-when">
            <summary>{later || repeat ? (repeat ? t.orders.repeatEvery[repeat] : t.orders.whenLater) : t.orders.whenSummary}</summary>
            <fieldset>
              <legend>{t.orders.when}</legend>
              <label class="choice">
                <input type="radio" name="pay-when" checked={!later} onChange={() => setLater(false)} /> {t.orders.whenNow}
              </label>
              <label class="choice">
                <input type="radio" name="pay-when" checked={later} onChange={() => setLater(true)} data-testid="pay-later" /> {t.orders.whenLater}
              </label>
              {later && (
                <div class="field">
                  <label for="pay-date">{t.orders.date}</label>
                  <input id="pay-date" type="date" value={date} onInput={(event) => setDate(event.currentTarget.value)} aria-invalid={errors.date ? 'true' : undefined} aria-describedby={errors.date ? 'pay-date-error' : undefined} />
                  {errors.date && <p class="error" id="pay-date-error" role="alert">{errors.date}</p>}
                </div>
              )}
            </fieldset>
            <div class="field">
              <label for="pay-repeat">{t.orders.repeat}</label>
              <select id="pay-repeat" value={repeat} onChange={(event) => setRepeat(event.currentTarget.value as typeof repeat)} data-testid="pay-repeat">
                <option value="">{t.orders.repeatNone}</option>
                {(Object.keys(REPEAT_SECONDS) as (keyof typeof REPEAT_SECONDS)[]).map((name) => (
                  <option value={name} key={name}>
                    {t.orders.repeatEvery[name]}
                  </option>
                ))}
              </select>
            </div>
            {repeat && <Field id="pay-times" label={t.orders.times} value={times} onInput={setTimes} error={errors.times} inputMode="numeric" />}
          </details>
          <button type="submit" data-testid="pay-review">
            {t.pay.review}
          </button>
        </form>
      )}
    </section>
  )
}
