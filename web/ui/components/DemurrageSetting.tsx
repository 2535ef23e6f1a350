import { useState } from 'preact/hooks'
import { DEMURRAGE_PERIOD_SECONDS_MAX, type Policy } from '../../../core/index.ts'
import { parseAmount } from '../../lib/amount.ts'
import type { Text } from '../../strings/phrase.ts'
import { refusalText } from '../refusal-text.ts'
import { useStrings, useWallet } from '../wallet-context.ts'
import { Field } from './Field.tsx'
import { Words } from './Words.tsx'

/** A rate typed as a percentage with up to 4 decimals, as NUM/10^6: "2" is 20000/1000000. */
function rateOf(text: string): { rateNum: number; rateDen: number } | undefined {
  const match = /^(\d{1,2})(?:[.,](\d{1,4}))?$/.exec(text.trim())
  if (!match) return undefined
  const rateNum = Number(match[1]) * 10_000 + Number((match[2] ?? '').padEnd(4, '0'))
  return rateNum >= 1 && rateNum < 1_000_000 ? { rateNum, rateDen: 1_000_000 } : undefined
}

/**
 * The gatekeeper console's demurrage: a rate in percent per period of whole
 * days, charged on what a member holds above a free base, paid to the
 * commons. Signs one `policy` entry, which counts from its place in the log;
 * "Turn off" signs `demurrage: null`.
 */
export function DemurrageSetting({ pool, policy }: { pool: string; policy: Policy | null }) {
  const wallet = useWallet()
  const t = useStrings()
  const current = policy?.demurrage ?? undefined
  const [rate, setRate] = useState(current ? String(Number(((current.rateNum / current.rateDen) * 100).toFixed(4))) : '')
  const [days, setDays] = useState(current ? String(Math.max(1, Math.round(current.periodSeconds / 86_400))) : '30')
  const [base, setBase] = useState('')
  const [errors, setErrors] = useState<{ rate?: string; days?: string; base?: string }>({})
  const [message, setMessage] = useState<{ ok: boolean; text: Text } | null>(null)
  const [busy, setBusy] = useState(false)
  const decimals = policy?.decimals ?? 0

  const save = async (off: boolean): Promise<void> => {
    setMessage(null)
    const parsedRate = rateOf(rate)
    const period = Number(days.trim())
    const parsedBase = base.trim() === '' ? { ok: true as const, minorUnits: 0 } : parseAmount(base, decimals)
    const next = {
      ...(!off && !parsedRate ? { rate: t.orders.demurrageRateProblem } : {}),
      ...(!off && (!Number.isSafeInteger(period) || period < 1 || period * 86_400 > DEMURRAGE_PERIOD_SECONDS_MAX) ? { days: t.orders.demurrageDaysProblem } : {}),
      ...(!off && !parsedBase.ok ? { base: t.pay.amountProblem[parsedBase.problem] } : {}),
    }
    setErrors(next)
    if (next.rate || next.days || next.base || !parsedBase.ok) return
    setBusy(true)
    const demurrage = off || !parsedRate ? null : { ...parsedRate, periodSeconds: period * 86_400, freeBase: parsedBase.minorUnits }
    const outcome = await wallet.orders.setDemurrage(pool, demurrage)
    setBusy(false)
    setMessage(outcome.ok ? { ok: true, text: off ? t.orders.demurrageOff : t.orders.demurrageSet } : { ok: false, text: refusalText(t, outcome.refusal, policy, Date.now()) })
  }

  return (
    <section class="card" aria-labelledby="demurrage-title" data-testid="demurrage-setting">
      <h3 id="demurrage-title">{t.orders.demurrageTitle}</h3>
      <p class="hint">{t.orders.demurrageIntro}</p>
      <form onSubmit={(event) => { event.preventDefault(); void save(false) }} noValidate>
        <Field id="demurrage-rate" label={t.orders.demurrageRate} value={rate} onInput={setRate} error={errors.rate} inputMode="decimal" />
        <Field id="demurrage-days" label={t.orders.demurrageDays} value={days} onInput={setDays} error={errors.days} inputMode="numeric" />
        <Field id="demurrage-base" label={t.orders.demurrageBase} value={base} onInput={setBase} error={errors.base} inputMode="decimal" />
        {message && (
          <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'} data-testid="demurrage-message">
            <Words text={message.text} />
          </p>
        )}
        <div class="row">
          <button type="submit" disabled={busy} data-testid="demurrage-save">{t.orders.demurrageSave}</button>
          {current && (
            <button type="button" class="secondary" disabled={busy} onClick={() => void save(true)} data-testid="demurrage-off">{t.orders.demurrageTurnOff}</button>
          )}
        </div>
      </form>
    </section>
  )
}
