import { useState } from 'preact/hooks'
import type { ComponentChildren, VNode } from 'preact'
import type { OrderRow, PoolView } from '../../wallet/pool-view.ts'
import type { Text } from '../../strings/phrase.ts'
import { money, timeOf } from '../format.ts'
import { refusalText } from '../refusal-text.ts'
import { useStrings, useWallet } from '../wallet-context.ts'
import { Person } from './Person.tsx'
import { iso, Words } from './Words.tsx'

/** How an interval reads: one of the pay screen's choices by name, else in days or seconds. */
export function everyText(t: ReturnType<typeof useStrings>, seconds: number): string {
  for (const [name, value] of Object.entries(REPEAT_SECONDS) as [keyof typeof REPEAT_SECONDS, number][]) {
    if (value === seconds) return t.orders.everyText[name]
  }
  return t.orders.everySeconds(seconds)
}

/** The intervals the pay screen offers. */
export const REPEAT_SECONDS = { day: 86_400, week: 7 * 86_400, fourWeeks: 28 * 86_400, month: 30 * 86_400 } as const

/**
 * This member's repeating and scheduled payments, both ways: what each
 * promises, how much is paid, when the next falls due, and Stop (or Cancel,
 * for a one-time payment) on those this member pays. Shown only when there is one.
 */
export function ScheduledPayments({ pool, view }: { pool: string; view: PoolView }) {
  const wallet = useWallet()
  const t = useStrings()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ ok: boolean; text: Text } | null>(null)
  if (view.orders.length === 0 && !message) return null
  const policy = view.policy
  const amount = (value: number): VNode => iso(money(value, policy))
  const stop = async (row: OrderRow): Promise<void> => {
    if (!confirm(t.orders.stopConfirm)) return
    setBusy(true)
    const outcome = await wallet.orders.stop(pool, row.id)
    setBusy(false)
    setMessage(outcome.ok ? { ok: true, text: t.orders.stopped } : { ok: false, text: refusalText(t, outcome.refusal, policy, Date.now()) })
  }
  const describe = (row: OrderRow): ComponentChildren => {
    const name = <Person pool={pool} member={row.counterparty} />
    if (row.everySeconds === null) return row.direction === 'out' ? t.orders.outOnce(amount(row.amount), name) : t.orders.inOnce(amount(row.amount), name)
    const every = everyText(t, row.everySeconds) + (row.count !== null ? t.orders.timesText(row.count) : '')
    return row.direction === 'out' ? t.orders.outRepeat(amount(row.amount), name, every) : t.orders.inRepeat(amount(row.amount), name, every)
  }
  return (
    <section class="card" aria-labelledby="scheduled-title" data-testid="scheduled">
      <h2 id="scheduled-title">{t.orders.title}</h2>
      {message && (
        <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'} data-testid="scheduled-message">
          <Words text={message.text} />
        </p>
      )}
      <ul class="plain-list">
        {view.orders.map((row) => (
          <li key={row.id} class="in-flight-item" data-testid="scheduled-item" data-status={row.status}>
            <p id={`order-${row.id}`}>
              {describe(row)}
              {row.memo && <span class="memo"> “<bdi>{row.memo}</bdi>”</span>}
            </p>
            <p class="hint">
              {t.orders.status[row.status]}
              {row.everySeconds !== null && t.orders.separator + t.orders.paidSoFar(row.paid, row.count)}
              {row.nextDueAt !== null && t.orders.separator + t.orders.next(timeOf(row.nextDueAt))}
            </p>
            {/* The payer stops what it pays; the payee may end what it asked for by a recurring request. */}
            {(row.direction === 'out' || row.request !== undefined) && row.status === 'active' && (
              <div class="row">
                <button type="button" class="secondary small" disabled={busy} onClick={() => void stop(row)} aria-describedby={`order-${row.id}`} data-testid="scheduled-stop">
                  {row.everySeconds === null ? t.orders.cancel : t.orders.stop}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {view.orders.some((row) => row.direction === 'in' && row.status === 'active') && <p class="hint">{t.orders.collectedHint}</p>}
    </section>
  )
}
