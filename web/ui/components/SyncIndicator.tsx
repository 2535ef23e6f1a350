import { useStrings, useWallet } from '../wallet-context.ts'
import { iso } from './Words.tsx'

/** Online / offline / syncing, and which relay: always visible, announced politely when it changes. */
export function SyncIndicator() {
  const wallet = useWallet()
  const t = useStrings()
  const status = wallet.syncStatus
  return (
    <div class={`sync sync-${status}`} role="status" aria-label={t.sync.label} data-testid="sync-status" data-status={status}>
      <span class="dot" aria-hidden="true" />
      <span class="sync-word">{t.sync[status]}</span>
      <span class="sync-relay" title={wallet.relayUrl}>
        {t.sync.via(iso(wallet.relayUrl))}
      </span>
    </div>
  )
}
