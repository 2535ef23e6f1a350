import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * Online / offline / syncing: always visible, announced politely when it changes. The relay's
 * address is jargon on a phone's header: it is in the tooltip here and in Settings.
 */
export function SyncIndicator() {
  const wallet = useWallet()
  const t = useStrings()
  const status = wallet.syncStatus
  return (
    <div class={`sync sync-${status}`} role="status" aria-label={t.sync.label} data-testid="sync-status" data-status={status} title={wallet.relayUrl}>
      <span class="dot" aria-hidden="true" />
      <span class="sync-word">{t.sync[status]}</span>
    </div>
  )
}
