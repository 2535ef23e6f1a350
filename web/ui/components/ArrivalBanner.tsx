import { useState } from 'preact/hooks'
import { inserted } from '../../strings/phrase.ts'
import { arrivalPhrase, poolName } from '../arrival-text.ts'
import { useArrivals } from '../arrivals-context.ts'
import { hrefOf } from '../router.ts'
import { useStrings, useWallet } from '../wallet-context.ts'
import { Words } from './Words.tsx'

/**
 * Money or a request that arrived and was not looked at yet: the newest, how
 * many more, and a way to the pool. Not shown for the pool on screen (its
 * statement marks the rows instead). Dismissing hides it for this visit; the
 * pool's badge stays until the pool is opened.
 */
export function ArrivalBanner({ openPool }: { openPool: string | undefined }) {
  const t = useStrings()
  const wallet = useWallet()
  const arrivals = useArrivals()
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set())
  const shown = (arrivals?.allUnseen() ?? []).filter((arrival) => arrival.pool !== openPool && !dismissed.has(arrival.id))
  const newest = shown[0]
  return (
    <div role="status" aria-live="polite" class="arrival-slot">
      {newest && (
        <div class="notice ok arrival" data-testid="arrival-banner">
          <p>
            <strong>
              <Words text={arrivalPhrase(t, wallet, newest)} />
            </strong>{' '}
            <span class="hint">
              <Words text={t.notify.inPool(inserted(poolName(wallet, newest.pool)))} />
              {shown.length > 1 && <>, {t.notify.more(shown.length - 1)}</>}
            </span>
          </p>
          <p class="row">
            <a class="button small" href={hrefOf({ name: 'pool', pool: newest.pool })}>{t.notify.open}</a>
            <button type="button" class="small secondary" onClick={() => setDismissed(new Set([...dismissed, ...shown.map((a) => a.id)]))}>
              {t.notify.dismiss}
            </button>
          </p>
        </div>
      )}
    </div>
  )
}
