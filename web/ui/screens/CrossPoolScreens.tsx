/**
 * Between pools (issue 19), loaded on first visit (LazyCrossPool.tsx): a
 * pool's page of other communities (its trustlines and what is used of them,
 * asking to be paid from another community, and the payments between pools
 * with their states), and the page a cross-pool payment request opens (the
 * route, both amounts and the rates before confirming, then the states).
 * Names from links and pools are someone else's text: always in <bdi>.
 */
import { useEffect, useState } from 'preact/hooks'
import type { Policy } from '../../../core/index.ts'
import { formatAmountIn, parseAmount } from '../../lib/amount.ts'
import { parseHourRate } from '../../lib/hour-rate.ts'
import { encodeLink } from '../../links/link-codec.ts'
import type { CrossPayload } from '../../links/link-payloads.ts'
import { crossEn, type CrossStrings } from '../../strings/cross.en.ts'
import { catalogue, language } from '../../strings/i18n.ts'
import type { Text } from '../../strings/phrase.ts'
import type { CrossPayment, CrossPool, Quote, RoutePool } from '../../wallet/cross-pool.ts'
import { CrossPool as CrossPoolClass, PATH_WAIT_SECONDS_DEFAULT } from '../../wallet/cross-pool.ts'
import type { Outcome } from '../../wallet/outcome.ts'
import { CopyField } from '../components/CopyField.tsx'
import { Field } from '../components/Field.tsx'
import { QrImage } from '../components/QrImage.tsx'
import { iso, Words } from '../components/Words.tsx'
import { clockTime } from '../format.ts'
import { hrefOf } from '../router.ts'
import { refusalText } from '../refusal-text.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

const words = (): CrossStrings => catalogue().cross ?? crossEn

/** The wallet's cross-pool module, once loaded. */
function useCrossPool(): CrossPool | undefined {
  const wallet = useWallet()
  const [cross, setCross] = useState<CrossPool | undefined>()
  useEffect(() => {
    let live = true
    void wallet.crossPool().then((loaded) => live && setCross(loaded))
    return () => {
      live = false
    }
  }, [wallet])
  return cross
}

function amountIn(amount: number, pool: { decimals: number; symbol: string } | undefined): string {
  return pool ? `${formatAmountIn(amount, pool.decimals, language())} ${pool.symbol}` : String(amount)
}

// ---- a pool's page of other communities -----------------------------------------------

export function AcrossScreen({ pool }: { pool: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const c = words()
  const cross = useCrossPool()
  const view = wallet.pool(pool)
  const [amount, setAmount] = useState('')
  // The name this member signed in the pool is what the payer's phone would show anyway.
  const [name, setName] = useState(() => (view && wallet.nameOf(pool, view.me)) || wallet.displayName)
  const [error, setError] = useState<Text>('')
  const [link, setLink] = useState('')
  if (!view) return <p>{t.wallet.problems['unknown-pool']}</p>
  const policy = view.policy
  const unit = policy ? { decimals: policy.decimals, symbol: policy.symbol } : undefined
  const make = async (event: Event): Promise<void> => {
    event.preventDefault()
    if (!cross) return
    const parsed = parseAmount(amount, policy?.decimals ?? 0)
    if (!parsed.ok) return setError(t.pay.amountProblem[parsed.problem])
    setError('')
    const made = await cross.makeRequest(pool, parsed.minorUnits, name)
    if (!made.ok) return setError(refusalText(t, made.refusal, policy, Date.now()))
    setLink(await encodeLink(made.value, location.origin))
  }
  return (
    <section aria-labelledby="across-title">
      <p class="crumb">
        <a href={hrefOf({ name: 'pool', pool })}>← <bdi>{policy?.name}</bdi></a>
      </p>
      <h1 id="across-title">{c.title(iso(policy?.name ?? ''))}</h1>
      {!cross ? (
        <p aria-busy="true">{t.loading}</p>
      ) : (
        <>
          {policy?.hourRate ? <p class="hint" data-testid="pool-rate">{c.rate(iso(policy.symbol), policy.hourRate.num, policy.hourRate.den)}</p> : <p class="notice warn">{c.noRate}</p>}
          <Trustlines cross={cross} pool={pool} policy={policy} />
          {view.role !== 'none' && policy?.hourRate && (
            <div class="card">
              <h2>{c.askHeading}</h2>
              <p class="hint">{c.askIntro}</p>
              <form onSubmit={(event) => void make(event)} noValidate>
                <Field id="cross-amount" label={c.askAmount(iso(policy.symbol))} value={amount} onInput={setAmount} error={error} inputMode="decimal" />
                <Field id="cross-name" label={c.askName} value={name} onInput={setName} dir="auto" />
                <button type="submit" data-testid="cross-make">{c.askMake}</button>
              </form>
              {link && (
                <>
                  <p class="notice" role="status">{c.askMade}</p>
                  <CopyField label={c.askLink} value={link} testId="cross-link" />
                  <QrImage text={link} label={c.askQr} />
                </>
              )}
            </div>
          )}
          <Payments cross={cross} pool={pool} unit={unit} />
        </>
      )}
    </section>
  )
}

function Trustlines({ cross, pool, policy }: { cross: CrossPool; pool: string; policy: Policy | null }) {
  const c = words()
  const wallet = useWallet()
  // Trustlines are the member key's to sign (core/rules/devices.ts): a gatekeeper's linked device only shows them.
  const gatekeeper = wallet.pool(pool)?.governs === true
  const [editing, setEditing] = useState<string | undefined>()
  const lines = cross.trustlines(pool)
  const units = (value: number): string => amountIn(value, policy ? { decimals: policy.decimals, symbol: policy.symbol } : undefined)
  return (
    <div class="card">
      <h2>{c.trustHeading}</h2>
      <p class="hint">{c.trustIntro}</p>
      {lines.length === 0 ? (
        <p data-testid="trustlines-none">{c.trustNone}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="trustlines">
            <thead>
              <tr>
                <th scope="col">{c.trustPool}</th>
                <th scope="col">{c.trustLimit}</th>
                <th scope="col">{c.trustUsed}</th>
                <th scope="col">{c.trustHeld}</th>
                <th scope="col">{c.trustAvailable}</th>
                {gatekeeper && <th scope="col"><span class="visually-hidden">{c.trustChange}</span></th>}
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.peer} data-testid="trustline" data-peer={line.peer}>
                  <th scope="row"><bdi>{line.peerName ?? line.peer.slice(0, 8)}</bdi></th>
                  <td data-testid="trust-limit">{c.hours(line.limitHours)} <span class="hint">(<bdi>{units(line.limit)}</bdi>)</span></td>
                  <td data-testid="trust-used"><bdi>{units(line.used)}</bdi></td>
                  <td><bdi>{units(line.held)}</bdi></td>
                  <td data-testid="trust-available"><bdi>{units(line.available)}</bdi></td>
                  {gatekeeper && (
                    <td>
                      <button type="button" class="secondary" onClick={() => setEditing(line.peer)} data-testid="trust-change">{c.trustChange}</button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {gatekeeper && editing !== undefined && (
        <TrustForm key={editing} cross={cross} pool={pool} peer={editing} gateway={lines.find((l) => l.peer === editing)?.gateway ?? ''} limit={String(lines.find((l) => l.peer === editing)?.limitHours ?? '')} onDone={() => setEditing(undefined)} />
      )}
      {gatekeeper && editing === undefined && policy?.hourRate && (
        <details data-testid="trust-add">
          <summary>{c.trustAddHeading}</summary>
          <TrustForm cross={cross} pool={pool} peer="" gateway="" limit="" onDone={() => undefined} />
        </details>
      )}
      {gatekeeper && editing === undefined && (
        <details data-testid="rate-change" open={!policy?.hourRate}>
          <summary>{c.rateChangeHeading}</summary>
          <RateForm cross={cross} pool={pool} />
        </details>
      )}
    </div>
  )
}

/**
 * A gatekeeper's form that signs one entry: its refusal in words (the form's own check, or the wallet's
 * and validator's), whether it is signing, and whether the last one was signed.
 */
function useSigningForm(pool: string) {
  const t = useStrings()
  const wallet = useWallet()
  const [problem, setProblem] = useState<Text>('')
  const [saved, setSaved] = useState(false)
  const [signing, setSigning] = useState(false)
  /** The form's own check failed: say so, and nothing is signed. */
  const refuse = (text: Text): void => {
    setSaved(false)
    setProblem(text)
  }
  /** Signs; true when it went through. */
  const sign = async (signEntry: () => Promise<Outcome<unknown>>): Promise<boolean> => {
    setSaved(false)
    setProblem('')
    setSigning(true)
    const outcome = await signEntry()
    setSigning(false)
    if (!outcome.ok) {
      setProblem(refusalText(t, outcome.refusal, wallet.pool(pool)?.policy ?? null, Date.now()))
      return false
    }
    setSaved(true)
    return true
  }
  return { problem, saved, signing, refuse, sign }
}

/** A gatekeeper's new rate to HOUR ("3" or "1/2"), from now on (a policy entry; docs/between-pools.md). */
function RateForm({ cross, pool }: { cross: CrossPool; pool: string }) {
  const c = words()
  const [text, setText] = useState('')
  const { problem, saved, signing, refuse, sign } = useSigningForm(pool)
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault()
    const rate = parseHourRate(text)
    if (!rate) return refuse(c.rateProblem)
    if (await sign(() => cross.setHourRate(pool, rate.num, rate.den))) setText('')
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate data-testid="rate-form">
      <p class="hint">{c.rateChangeIntro}</p>
      <Field id="rate-new" label={c.rateNew} value={text} onInput={setText} inputMode="text" error={problem} />
      <button type="submit" disabled={signing} data-testid="rate-sign">{signing ? c.paySigning : c.rateSign}</button>
      {saved && <p class="notice ok" role="status" data-testid="rate-saved">{c.rateSaved}</p>}
    </form>
  )
}

/** A gatekeeper's new limit for a trustline, or a new trustline (the peer pool's id and the gateway key are pasted). */
function TrustForm({ cross, pool, peer, gateway, limit, onDone }: { cross: CrossPool; pool: string; peer: string; gateway: string; limit: string; onDone: () => void }) {
  const c = words()
  const fresh = peer === ''
  const [peerText, setPeer] = useState(peer)
  const [gatewayText, setGateway] = useState(gateway)
  const [limitText, setLimit] = useState(limit)
  const { problem, saved, signing, refuse, sign } = useSigningForm(pool)
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault()
    const hours = Number(limitText.trim())
    if (limitText.trim() === '' || !Number.isSafeInteger(hours) || hours < 0) return refuse(c.trustLimitProblem)
    if ((await sign(() => cross.setTrust(pool, peerText.trim().toLowerCase(), hours, gatewayText.trim().toLowerCase()))) && !fresh) onDone()
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate data-testid="trust-form">
      {fresh && <Field id="trust-peer" label={c.trustAddPool} value={peerText} onInput={setPeer} />}
      {fresh && <Field id="trust-gateway" label={c.trustAddGateway} value={gatewayText} onInput={setGateway} />}
      <Field id="trust-limit" label={c.trustNewLimit} value={limitText} onInput={setLimit} inputMode="numeric" error={problem} />
      <button type="submit" disabled={signing} data-testid="trust-sign">{signing ? c.paySigning : c.trustSign}</button>
      {saved && <p class="notice" role="status" data-testid="trust-saved">{c.trustSaved}</p>}
    </form>
  )
}

function Payments({ cross, pool, unit, only }: { cross: CrossPool; pool?: string; unit?: { decimals: number; symbol: string } | undefined; only?: string }) {
  const c = words()
  const list = cross.payments(pool).filter((payment) => only === undefined || payment.condition === only)
  if (only !== undefined && list.length === 0) return null
  return (
    <div class="card">
      <h2>{c.paymentsHeading}</h2>
      {list.length === 0 ? <p>{c.paymentsNone}</p> : (
        <ul class="plain">
          {list.map((payment) => <PaymentItem key={payment.prepare} payment={payment} cross={cross} unit={unit ?? unitOf(cross.routePool(payment.pool))} />)}
        </ul>
      )}
    </div>
  )
}

function unitOf(pool: RoutePool | undefined): { decimals: number; symbol: string } | undefined {
  return pool && { decimals: pool.decimals, symbol: pool.symbol }
}

function PaymentItem({ payment, cross, unit }: { payment: CrossPayment; cross: CrossPool; unit: { decimals: number; symbol: string } | undefined }) {
  const c = words()
  const amount = iso(amountIn(payment.amount, unit))
  return (
    <li data-testid="cross-payment" data-state={payment.state} data-direction={payment.direction}>
      <p><strong>{payment.direction === 'out' ? c.outLine(amount) : c.inLine(amount)}</strong></p>
      <p data-testid="cross-state">{(payment.direction === 'out' ? c.states : c.statesIn)[payment.state]}</p>
      <p class="hint">{payment.witnessedAt !== undefined ? c.witnessedAt(clockTime(payment.witnessedAt)) : c.expires(clockTime(payment.expires))}</p>
      {payment.hops.length > 1 && (
        <ol class="hops" data-testid="cross-hops">
          {payment.hops.map((hop) => (
            <li key={hop.pool} data-status={hop.status}>{c.hop(iso(cross.routePool(hop.pool)?.name ?? hop.name), c.hopStates[hop.status])}</li>
          ))}
        </ol>
      )}
    </li>
  )
}

// ---- paying a cross-pool request ------------------------------------------------------

export function CrossPayScreen({ payload }: { payload: CrossPayload }) {
  const wallet = useWallet()
  const t = useStrings()
  const c = words()
  const cross = useCrossPool()
  const [learned, setLearned] = useState<'no' | 'yes' | 'invalid'>('no')
  const [wait, setWait] = useState(PATH_WAIT_SECONDS_DEFAULT)
  const [refusal, setRefusal] = useState<Text>('')
  const [signing, setSigning] = useState(false)
  useEffect(() => {
    if (!cross) return
    void cross.learnPool(payload).then((outcome) => setLearned(outcome.ok ? 'yes' : 'invalid'))
  }, [cross])
  const target = cross?.routePool(payload.pool)
  const targetName = iso(target?.name ?? payload.pool.slice(0, 8))
  const payeeName = iso(payload.name ?? payload.to.slice(0, 8))
  const mine = [...wallet.poolIds()].some((id) => wallet.pool(id)?.me === payload.to)
  const sent = cross?.payments().find((payment) => payment.condition === payload.condition && payment.direction === 'out')
  const quote: Quote | undefined = cross && target ? cross.quote(payload) : undefined
  const problemText = (reason: keyof CrossStrings['problems']): string => c.problems[reason]

  const confirm = async (): Promise<void> => {
    if (!cross) return
    setSigning(true)
    setRefusal('')
    const outcome = await cross.pay(payload, wait)
    setSigning(false)
    if (!outcome.ok) {
      const reason = outcome.refusal.reason
      setRefusal(reason in c.problems ? problemText(reason as keyof CrossStrings['problems']) : refusalText(t, outcome.refusal as Parameters<typeof refusalText>[1], quote?.ok ? wallet.pool(quote.from)?.policy ?? null : null, Date.now()))
    }
  }

  return (
    <section aria-labelledby="cross-pay-title">
      <h1 id="cross-pay-title">{c.payTitle}</h1>
      <p data-testid="cross-to">{c.payTo(payeeName, targetName)}</p>
      {learned === 'invalid' ? (
        <p class="notice error" role="alert" data-testid="cross-problem">{c.problems['pool-invalid']}</p>
      ) : mine ? (
        <p class="notice" data-testid="cross-problem">{c.payOwn}</p>
      ) : !cross || !target ? (
        <p aria-busy="true" data-testid="cross-loading">{c.payLoading(targetName)}</p>
      ) : sent ? (
        <>
          <p class="notice" role="status">{c.paySent}</p>
          <Payments cross={cross} only={payload.condition} />
        </>
      ) : !quote?.ok ? (
        <p class="notice error" role="alert" data-testid="cross-problem">{problemText(quote?.reason ?? 'unknown-pool')}</p>
      ) : (
        <div class="card review" role="group" aria-labelledby="cross-review">
          <h2 id="cross-review">{c.payTheyGet(iso(amountIn(payload.amount, target)))}</h2>
          <p data-testid="cross-cost"><strong>{c.payYouPay(iso(amountIn(quote.amounts[0]!, quote.pools[0])))}</strong></p>
          <h3>{c.payRoute} <span class="hint">({c.payHops(quote.route.length - 1)})</span></h3>
          <ol class="hops" data-testid="cross-route">
            {quote.pools.map((pool, i) => (
              <li key={pool.id}>
                <bdi>{pool.name}</bdi>: <bdi>{amountIn(quote.amounts[i]!, pool)}</bdi>
                {pool.hourRate && <span class="hint"> · {c.rate(iso(pool.symbol), pool.hourRate.num, pool.hourRate.den)}</span>}
              </li>
            ))}
          </ol>
          <div class="field">
            <label for="cross-wait">{c.payWait}</label>
            <select id="cross-wait" value={String(wait)} onChange={(event) => setWait(Number(event.currentTarget.value))} data-testid="cross-wait">
              {waitChoices(quote.route.length - 1).map((seconds) => (
                <option value={String(seconds)} key={seconds}>{c.waitMinutes(seconds / 60)}</option>
              ))}
            </select>
          </div>
          {refusal && <p class="notice error" role="alert" data-testid="cross-refusal"><Words text={refusal} /></p>}
          <button type="button" onClick={() => void confirm()} disabled={signing} data-testid="cross-confirm">
            {signing ? c.paySigning : c.payConfirm(iso(amountIn(quote.amounts[0]!, quote.pools[0])))}
          </button>
        </div>
      )}
      <p class="row">
        <a class="button secondary" href="#/">{t.links.toWallet}</a>
      </p>
    </section>
  )
}

/** The waits offered: the shortest the route allows (whole minutes), 15 minutes, an hour. */
function waitChoices(hops: number): number[] {
  const shortest = Math.ceil(CrossPoolClass.shortestWaitSeconds(hops) / 60) * 60
  return [...new Set([shortest, PATH_WAIT_SECONDS_DEFAULT, 3600])].filter((s) => s >= shortest).sort((a, b) => a - b)
}
