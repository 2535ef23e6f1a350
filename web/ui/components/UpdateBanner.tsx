import { useEffect, useReducer, useState } from 'preact/hooks'
import type { UpdateOffer } from '../../pwa/update-offer.ts'
import { useStrings } from '../wallet-context.ts'

export function UpdateBanner({ updates }: { updates: UpdateOffer }) {
  const t = useStrings()
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const [dismissed, setDismissed] = useState(false)
  const [deferred, setDeferred] = useState(false)
  useEffect(() => updates.subscribe(() => rerender(undefined)), [updates])
  if (!updates.available || dismissed) return null
  return (
    <div class="notice update" role="region" aria-label={t.update.available}>
      <p>{deferred ? t.update.waitingForPayment : t.update.available}</p>
      <div class="row">
        <button type="button" onClick={() => setDeferred(!updates.apply())}>
          {t.update.reload}
        </button>
        <button type="button" class="secondary" onClick={() => setDismissed(true)}>
          {t.update.later}
        </button>
      </div>
    </div>
  )
}
