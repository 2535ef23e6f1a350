import { useState } from 'preact/hooks'
import { closeBlockers } from '../../wallet/close-account.ts'
import type { PoolView } from '../../wallet/pool-view.ts'
import { money } from '../format.ts'
import { refusalText } from '../refusal-text.ts'
import { inserted, sentences, type Text } from '../../strings/phrase.ts'
import { Words } from './Words.tsx'
import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * Leaving a pool safely: the conditions in words, what stands in the way
 * right now, a confirmation, then a signed `close` the validator judges. When
 * it refuses, its reason is shown in words next to the button.
 */
export function CloseAccount({ pool, view }: { pool: string; view: PoolView }) {
  const wallet = useWallet()
  const t = useStrings()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [refusal, setRefusal] = useState<Text>('')
  const policy = view.policy
  const blockers = closeBlockers(view)
  const lines: Text[] = [
    ...(blockers.balance !== undefined ? [t.closeAccount.balanceNotZero(inserted(money(blockers.balance, policy)))] : []),
    ...(blockers.held !== undefined ? [t.closeAccount.held(inserted(money(blockers.held, policy)))] : []),
    ...(blockers.incoming > 0 ? [t.closeAccount.incoming(blockers.incoming)] : []),
    ...(blockers.requests > 0 ? [t.closeAccount.requests(blockers.requests)] : []),
  ]
  const close = async (): Promise<void> => {
    setBusy(true)
    const outcome = await wallet.closeAccount(pool)
    setBusy(false)
    setConfirming(false)
    if (!outcome.ok) {
      const why = refusalText(t, outcome.refusal, policy, Date.now())
      setRefusal(sentences([t.closeAccount.refused(why), ...lines]))
    }
  }
  return (
    <details class="key-details close-account" data-testid="close-account">
      <summary>{t.closeAccount.title}</summary>
      <p>{t.closeAccount.intro}</p>
      <ul class="plain">
        {t.closeAccount.conditions.map((condition) => (
          <li key={condition}>{condition}</li>
        ))}
      </ul>
      <p>
        <strong>{t.closeAccount.now}</strong> <Words text={lines.length > 0 ? sentences(lines) : t.closeAccount.ready} />
      </p>
      {refusal && (
        <p class="notice error" role="alert" data-testid="close-refusal">
          <Words text={refusal} />
        </p>
      )}
      {confirming ? (
        <div class="card" role="group" aria-labelledby="close-confirm">
          <p id="close-confirm">{t.closeAccount.confirm}</p>
          <div class="row">
            <button type="button" disabled={busy} onClick={() => void close()} data-testid="close-confirm" autoFocus>
              {t.closeAccount.yes}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t.closeAccount.no}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="secondary" onClick={() => { setRefusal(''); setConfirming(true) }} data-testid="close-start">
          {t.closeAccount.start}
        </button>
      )}
    </details>
  )
}
