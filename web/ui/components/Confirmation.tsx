import type { PoolView, StatementRow } from '../../wallet/pool-view.ts'
import { money } from '../format.ts'
import { useStrings, useWallet } from '../wallet-context.ts'
import { iso } from './Words.tsx'

type Shown = 'confirmed' | 'unconfirmed' | 'at-risk' | 'no-witness'

/** Icons for the eye only (aria-hidden): the words say it, colour never alone. */
const ICONS: Record<Shown, string> = { confirmed: '✓', unconfirmed: '◷', 'at-risk': '◷', 'no-witness': '–' }

/** A payment's witnessed state in words: confirmed, not yet (at risk when received), or never (no witness). */
export function ConfirmationState({ row }: { row: StatementRow }) {
  const t = useStrings()
  if (!row.confirmation) return null
  const shown: Shown = row.atRisk ? 'at-risk' : row.confirmation
  const words = { confirmed: t.row.confirmed, unconfirmed: t.row.unconfirmed, 'at-risk': t.row.atRisk, 'no-witness': t.row.noWitness }[shown]
  return (
    <span class={`confirmation confirmation-${shown}`} data-testid="row-confirmation" data-confirmation={shown}>
      <span class="confirmation-icon" aria-hidden="true">{ICONS[shown]}</span> {words}
    </span>
  )
}

/**
 * What witnessing means for this member now, said calmly: a pool without a
 * witness says once that its payments stay unconfirmed; a witnessed one says
 * what may still be paid offline and how much received is not confirmed yet.
 * `pay`: the pay screen, which also says when a payment now counts as online.
 */
export function WitnessNotes({ pool, view, pay = false }: { pool: string; view: PoolView; pay?: boolean }) {
  const wallet = useWallet()
  const t = useStrings()
  const status = wallet.witnessStatus(pool)
  if (!status) return null
  if (!status.witnessed) {
    // Said once, on the pool screen; the pay screen has nothing to add.
    if (pay) return null
    return (
      <p class="notice" role="note" data-testid="no-witness">
        {t.pool.noWitness}
      </p>
    )
  }
  const canPay = view.role !== 'none' && !view.frozen && !view.closed
  const allowance = status.allowance
  const online = status.checkpoint !== undefined
  const used = allowance !== undefined && (allowance.countLeft === 0 || allowance.amountLeft === 0)
  return (
    <>
      {canPay && allowance && (
        <p class={used && !online ? 'notice warn' : 'hint'} data-testid="offline-allowance">
          {used ? (online ? t.pool.allowanceUsedOnline : t.pool.allowanceUsed) : t.pool.allowance(allowance.countLeft, iso(money(allowance.amountLeft, view.policy)))}
        </p>
      )}
      {pay && canPay && online && !used && (
        <p class="hint" data-testid="pay-online">
          {t.pay.online}
        </p>
      )}
      {!pay && view.unconfirmedIncoming > 0 && (
        <p class="notice" role="note" data-testid="unconfirmed-incoming">
          {t.pool.unconfirmedIncoming(iso(money(view.unconfirmedIncoming, view.policy)))}
        </p>
      )}
    </>
  )
}
