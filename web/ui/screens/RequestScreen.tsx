import { useEffect, useState } from 'preact/hooks'
import { takeRequestPrefill } from '../prefill.ts'
import { parseAmount } from '../../lib/amount.ts'
import { encodeLink } from '../../links/link-codec.ts'
import { paymentNotes } from '../../wallet/payment-notes.ts'
import { CopyField } from '../components/CopyField.tsx'
import { NfcWrite } from '../components/NfcWrite.tsx'
import { Field } from '../components/Field.tsx'
import { MemberSelect } from '../components/MemberSelect.tsx'
import { QrImage } from '../components/QrImage.tsx'
import { SigningBlocked } from '../components/SigningBlocked.tsx'
import { iso, Words } from '../components/Words.tsx'
import type { Text } from '../../strings/phrase.ts'
import { money } from '../format.ts'
import { hrefOf, navigate } from '../router.ts'
import { refusalText } from '../refusal-text.ts'
import { useStrings, useWallet } from '../wallet-context.ts'
import { REPEAT_SECONDS } from '../components/ScheduledPayments.tsx'

/**
 * Ask to be paid. The main path signs a `request` entry (exact amount, note,
 * optionally the member asked) and goes to its page, which shows the code and
 * link and what became of it. Below, the unsigned payment address (key and
 * name only) stays for "pay me any amount": a stall's printed code, a tip, a
 * gatekeeper issuing tokens in an issued pool.
 */
export function RequestScreen({ pool }: { pool: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const view = wallet.pool(pool)
  const [prefill] = useState(() => takeRequestPrefill(pool))
  const [amount, setAmount] = useState(prefill?.amount ?? '')
  const [memo, setMemo] = useState(prefill?.memo ?? '')
  const [from, setFrom] = useState(prefill?.from ?? '')
  /** A recurring request (rent, dues): how often, and how many times at most (empty: until stopped). */
  const [repeat, setRepeat] = useState<'' | keyof typeof REPEAT_SECONDS>('')
  const [times, setTimes] = useState('')
  const [timesError, setTimesError] = useState('')
  const [name, setName] = useState(wallet.displayName)
  const [amountError, setAmountError] = useState('')
  const [refusal, setRefusal] = useState<Text>('')
  const [signing, setSigning] = useState(false)
  const [address, setAddress] = useState('')
  useEffect(() => {
    if (!view) return
    const shown = name.trim()
    // A slower encoding of an older name must not overwrite the newer one.
    let live = true
    void encodeLink({ kind: 'pay', pool, to: view.me, ...(shown ? { name: shown } : {}) }, location.origin).then((link) => live && setAddress(link))
    return () => {
      live = false
    }
  }, [view?.me, name])
  if (!view) return <p>{t.wallet.problems['unknown-pool']}</p>
  const policy = view.policy
  const parsed = parseAmount(amount, policy?.decimals ?? 0)
  const notes = parsed.ok
    ? paymentNotes({ policy, amount: parsed.minorUnits, payerBalance: 0, payerHeld: 0, payeeBalance: view.balance })
    : undefined

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault()
    setRefusal('')
    if (!parsed.ok) return setAmountError(t.pay.amountProblem[parsed.problem])
    setAmountError('')
    const count = times.trim() === '' ? undefined : Number(times.trim())
    if (repeat && count !== undefined && (!Number.isSafeInteger(count) || count < 1)) return setTimesError(t.orders.timesProblem)
    setTimesError('')
    if (name.trim() !== wallet.displayName) await wallet.setDisplayName(name)
    setSigning(true)
    const outcome = repeat
      ? await wallet.orders.ask(pool, parsed.minorUnits, memo, from || undefined, { everySeconds: REPEAT_SECONDS[repeat], ...(count !== undefined ? { count } : {}) })
      : await wallet.makeRequest(pool, parsed.minorUnits, memo, from || undefined)
    setSigning(false)
    if (outcome.ok) navigate({ name: 'payment-request', pool, request: outcome.value })
    else setRefusal(refusalText(t, outcome.refusal, policy, Date.now()))
  }

  return (
    <section aria-labelledby="request-title">
      <p class="crumb">
        <a href={hrefOf({ name: 'pool', pool })}>← <bdi>{policy?.name}</bdi></a>
      </p>
      <h1 id="request-title">{t.request.title}</h1>
      <p>{t.request.intro}</p>
      <SigningBlocked pool={pool} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field id="request-amount" label={t.request.amount(iso(policy?.symbol ?? ''))} value={amount} onInput={setAmount} error={amountError || undefined} inputMode="decimal" required />
        <Field id="request-memo" label={t.request.memo} value={memo} onInput={setMemo} dir="auto" />
        <MemberSelect id="request-from" label={t.request.from} noneLabel={t.request.fromAnyone} pool={pool} members={view.members} me={view.me} value={from} onChange={setFrom} />
        <div class="field">
          <label for="request-repeat">{t.orders.repeat}</label>
          <select id="request-repeat" value={repeat} onChange={(event) => setRepeat(event.currentTarget.value as typeof repeat)} data-testid="request-repeat">
            <option value="">{t.orders.repeatNone}</option>
            {(Object.keys(REPEAT_SECONDS) as (keyof typeof REPEAT_SECONDS)[]).map((name) => (
              <option key={name} value={name}>{t.orders.repeatEvery[name]}</option>
            ))}
          </select>
        </div>
        {repeat && (
          <>
            <Field id="request-times" label={t.orders.times} value={times} onInput={setTimes} error={timesError || undefined} inputMode="numeric" />
            <p class="hint" data-testid="request-repeat-hint">{t.orders.requestRepeatHint}</p>
          </>
        )}
        <Field id="request-name" label={t.request.name} value={name} onInput={setName} autoComplete="nickname" dir="auto" />
        {notes && notes.levy > 0 && <p class="hint" data-testid="request-levy">{t.request.levy(iso(money(notes.received, policy)), iso(money(notes.levy, policy)))}</p>}
        {notes?.aboveSoftMax && (
          <p class="notice warn" data-testid="soft-max-warning">
            {t.request.softMaxWarning(iso(money(notes.aboveSoftMax.after, policy)), iso(money(notes.aboveSoftMax.level, policy)))}
          </p>
        )}
        {refusal && (
          <p class="notice error" role="alert" data-testid="request-refusal">
            <Words text={refusal} />
          </p>
        )}
        <button type="submit" disabled={signing} data-testid="request-submit">
          {signing ? t.request.signing : t.request.submit}
        </button>
      </form>

      <details class="card address">
        <summary>{t.request.addressTitle}</summary>
        <p class="hint">{t.request.addressIntro}</p>
        {address && (
          <>
            <QrImage text={address} label={t.qr.imageAlt(t.request.addressTitle)} />
            <CopyField label={t.request.addressLink} value={address} testId="address-link" />
            <NfcWrite link={address} />
          </>
        )}
      </details>
    </section>
  )
}
