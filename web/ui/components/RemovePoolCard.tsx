import { useState } from 'preact/hooks'
import type { PoolView } from '../../wallet/pool-view.ts'
import { money } from '../format.ts'
import { navigate } from '../router.ts'
import { leaveFlash } from '../use-flash.ts'
import { iso } from './Words.tsx'
import { inserted } from '../../strings/phrase.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * Removing a pool's card from this phone: nothing is signed and nobody is
 * told. When money is still in it (or on hold, or owed) the confirmation says
 * so plainly, and that the recovery phrase and the pool's link bring it back.
 * `open` shows it unfolded (a refused join leaves a card with nothing in it).
 */
export function RemovePoolCard({ pool, view, open = false }: { pool: string; view: PoolView; open?: boolean }) {
  const wallet = useWallet()
  const t = useStrings()
  const [confirming, setConfirming] = useState(false)
  const policy = view.policy
  const moneyLeft = view.balance !== 0 || view.held !== 0
  const remove = async (): Promise<void> => {
    await wallet.removePool(pool)
    leaveFlash(t.removePool.removed(inserted(policy?.name ?? '')))
    navigate({ name: 'home' }, true)
  }
  return (
    <details class="key-details remove-pool" open={open} data-testid="remove-pool">
      <summary>{t.removePool.title}</summary>
      <p>{t.removePool.intro}</p>
      {confirming ? (
        <div class="card" role="group" aria-labelledby="remove-confirm">
          {moneyLeft && (
            <p class="notice warn" data-testid="remove-pool-warning">
              {t.removePool.moneyLeft(iso(money(view.balance, policy)))}
            </p>
          )}
          <p id="remove-confirm">{t.removePool.confirm}</p>
          <div class="row">
            <button type="button" onClick={() => void remove()} data-testid="remove-pool-confirm" autoFocus>
              {t.removePool.yes}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t.removePool.no}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="secondary" onClick={() => setConfirming(true)} data-testid="remove-pool-start">
          {t.removePool.start}
        </button>
      )}
    </details>
  )
}
