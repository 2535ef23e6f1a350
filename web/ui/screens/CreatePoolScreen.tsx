import { useEffect, useState } from 'preact/hooks'
import { FEE_BASIS_POINTS_MAX, OFFLINE_AMOUNT_MAX_DEFAULT, OFFLINE_COUNT_MAX_DEFAULT, RATE_LIMIT_SECONDS_DEFAULT, type Policy, type PoolKind } from '../../../core/index.ts'
import { formatAmount, parseAmount } from '../../lib/amount.ts'
import { parseHourRate } from '../../lib/hour-rate.ts'
import { createPoolWithWitness, parseWitnessKey, probeRelayWitness, type WitnessProbe } from '../../wallet/pool-witness.ts'
import { initialsOf } from '../../wallet/people.ts'
import { Field } from '../components/Field.tsx'
import { iso, Words } from '../components/Words.tsx'
import { inserted, type Text } from '../../strings/phrase.ts'
import { navigate } from '../router.ts'
import { leaveFlash } from '../use-flash.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * A gatekeeper starts a pool: kind, name, symbol, decimals, limits and the
 * pace of payments. The relay the app syncs through is asked at once whether
 * it witnesses pools (GET /witness); if so the pool names it as its witness
 * (pool-witness.ts), else it is created without one and says so.
 */
export function CreatePoolScreen() {
  const t = useStrings()
  const wallet = useWallet()
  const [kind, setKind] = useState<PoolKind>('mutual-credit')
  const [name, setName] = useState('')
  const [symbol, setSymbol] = useState('')
  const [decimals, setDecimals] = useState('2')
  const [credit, setCredit] = useState('100')
  const [max, setMax] = useState('')
  const [rate, setRate] = useState(String(RATE_LIMIT_SECONDS_DEFAULT))
  const [twoStep, setTwoStep] = useState(false)
  const [levy, setLevy] = useState('')
  const [softMin, setSoftMin] = useState('')
  const [softMax, setSoftMax] = useState('')
  /** One whole unit's worth in HOUR, "1" or "1/2" (issue 19); empty: no rate, no trade with other pools. */
  const [hourRate, setHourRate] = useState('')
  const [error, setError] = useState<Text>('')
  /** The relay's answer to GET /witness; undefined while asking. */
  const [probe, setProbe] = useState<WitnessProbe | undefined>(undefined)
  const [pasted, setPasted] = useState('')
  const [pastedError, setPastedError] = useState('')
  useEffect(() => {
    let live = true
    void probeRelayWitness(wallet.relayUrl).then((answer) => live && setProbe(answer))
    return () => {
      live = false
    }
  }, [wallet])
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault()
    const digits = Number(decimals)
    const seconds = Number(rate)
    if (!/^\d+$/.test(decimals) || digits > 8) return setError(t.create.numberProblem(t.create.decimals))
    if (!/^\d+$/.test(rate)) return setError(t.create.numberProblem(t.create.rateSeconds))
    const creditParsed = kind === 'mutual-credit' && credit.trim() !== '' && credit.trim() !== '0' ? parseAmount(credit, digits) : ({ ok: true, minorUnits: 0 } as const)
    if (!creditParsed.ok) return setError(t.create.numberProblem(t.create.creditLimit))
    const maxParsed = max.trim() === '' ? null : parseAmount(max, digits)
    if (maxParsed && !maxParsed.ok) return setError(t.create.numberProblem(t.create.maxBalance))
    // A percentage with two decimals is a number of basis points.
    const levyParsed = levy.trim() === '' ? null : parseAmount(levy, 2)
    if (levyParsed && (!levyParsed.ok || levyParsed.minorUnits > FEE_BASIS_POINTS_MAX)) return setError(t.create.numberProblem(t.create.levy))
    const softParsed = kind === 'mutual-credit' && softMin.trim() !== '' ? parseAmount(softMin, digits) : null
    if (softParsed && (!softParsed.ok || softParsed.minorUnits > creditParsed.minorUnits)) return setError(t.create.numberProblem(t.create.softMin))
    const softMaxParsed = softMax.trim() !== '' ? parseAmount(softMax, digits) : null
    if (softMaxParsed && (!softMaxParsed.ok || (maxParsed?.ok && softMaxParsed.minorUnits > maxParsed.minorUnits))) return setError(t.create.numberProblem(t.create.softMax))
    const hour = hourRate.trim() === '' ? undefined : parseHourRate(hourRate)
    if (hourRate.trim() !== '' && !hour) return setError(t.create.numberProblem(t.create.hourRate))
    const policy: Policy = {
      kind,
      name: name.trim().normalize('NFC'),
      symbol: symbol.trim().normalize('NFC'),
      decimals: digits,
      minBalance: creditParsed.minorUnits === 0 ? 0 : -creditParsed.minorUnits,
      maxBalance: maxParsed && maxParsed.ok ? maxParsed.minorUnits : null,
      rateLimitSeconds: seconds,
      ...(twoStep ? { twoStep: true } : {}),
      ...(levyParsed && levyParsed.ok ? { feeBasisPoints: levyParsed.minorUnits } : {}),
      ...(softParsed && softParsed.ok ? { softMinBalance: -softParsed.minorUnits } : {}),
      ...(softMaxParsed && softMaxParsed.ok ? { softMaxBalance: softMaxParsed.minorUnits } : {}),
      ...(hour ? { hourRate: hour } : {}),
    }
    const pastedKey = pasted.trim() === '' ? undefined : parseWitnessKey(pasted)
    if (pasted.trim() !== '' && pastedKey === undefined) return setPastedError(t.create.witnessKeyProblem)
    setPastedError('')
    const outcome = await createPoolWithWitness(wallet, policy, { ...(pastedKey ? { pasted: pastedKey } : {}), ...(probe ? { probe } : {}) })
    if (!outcome.ok) return setError(t.create.problem(inserted(outcome.refusal.detail ?? '')))
    // The creator's name from Settings, signed in this pool only (the pool screen offers it otherwise).
    if (wallet.displayName) await wallet.people.sign(outcome.value.pool, { name: wallet.displayName, initials: initialsOf(wallet.displayName) })
    if (outcome.value.witness.kind === 'none') leaveFlash(t.create.createdWithoutWitness)
    navigate({ name: 'manage', pool: outcome.value.pool }, true)
  }
  const digitsShown = /^\d+$/.test(decimals) && Number(decimals) <= 8 ? Number(decimals) : 2
  const witnessed = pasted.trim() !== '' ? parseWitnessKey(pasted) !== undefined : probe?.ok === true
  return (
    <section aria-labelledby="create-title">
      <h1 id="create-title">{t.create.title}</h1>
      <p>{t.create.intro}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <fieldset>
          <legend>{t.create.kind}</legend>
          {(['mutual-credit', 'issued'] as const).map((value) => (
            <label class="choice" key={value}>
              <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
              <span>
                <strong>{value === 'mutual-credit' ? t.create.mutualCredit : t.create.issued}</strong>
                <span class="hint">{value === 'mutual-credit' ? t.create.mutualCreditHint : t.create.issuedHint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <Field id="pool-name" label={t.create.name} value={name} onInput={setName} required dir="auto" />
        <Field id="pool-symbol" label={t.create.symbol} value={symbol} onInput={setSymbol} required dir="auto" />
        <Field id="pool-decimals" label={t.create.decimals} value={decimals} onInput={setDecimals} inputMode="numeric" />
        {kind === 'mutual-credit' && <Field id="pool-credit" label={t.create.creditLimit} value={credit} onInput={setCredit} inputMode="decimal" />}
        <Field id="pool-max" label={t.create.maxBalance} value={max} onInput={setMax} inputMode="decimal" />
        <Field id="pool-rate" label={t.create.rateSeconds} value={rate} onInput={setRate} inputMode="numeric" />
        {kind === 'mutual-credit' && <Field id="pool-soft-min" label={t.create.softMin} value={softMin} onInput={setSoftMin} inputMode="decimal" />}
        <Field id="pool-soft-max" label={t.create.softMax} value={softMax} onInput={setSoftMax} inputMode="decimal" />
        <Field id="pool-levy" label={t.create.levy} value={levy} onInput={setLevy} inputMode="decimal" />
        <Field id="pool-hour-rate" label={t.create.hourRate} value={hourRate} onInput={setHourRate} />
        <label class="choice">
          <input type="checkbox" checked={twoStep} onChange={(event) => setTwoStep(event.currentTarget.checked)} />
          <span>
            <strong>{t.create.twoStep}</strong>
            <span class="hint">{t.create.twoStepHint}</span>
          </span>
        </label>
        <fieldset class="witness-choice">
          <legend>{t.create.witnessTitle}</legend>
          <p class="hint" role="status" data-testid="witness-probe" data-witness={probe === undefined ? 'checking' : probe.ok ? 'relay' : 'none'}>
            {probe === undefined ? t.create.witnessChecking : probe.ok ? t.create.witnessRelay : t.create.witnessNone}
          </p>
          {witnessed && (
            <p class="hint">{t.create.witnessLimits(OFFLINE_COUNT_MAX_DEFAULT, iso(`${formatAmount(OFFLINE_AMOUNT_MAX_DEFAULT, digitsShown)} ${symbol.trim()}`.trim()))}</p>
          )}
          <details open={pasted !== ''}>
            <summary>{t.create.witnessAdvanced}</summary>
            <Field id="pool-witness" label={t.create.witnessKey} value={pasted} onInput={setPasted} error={pastedError || undefined} />
          </details>
        </fieldset>
        {error && (
          <p class="notice error" role="alert">
            <Words text={error} />
          </p>
        )}
        <button type="submit" data-testid="create-submit">{t.create.submit}</button>
      </form>
    </section>
  )
}
