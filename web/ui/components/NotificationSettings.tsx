import type { FunctionComponent } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { askNotificationPermission, notificationPermission, type NotifyPermission } from '../../notify/system-notify.ts'
import type { Catalogue } from '../../strings/languages.ts'
import { catalogue } from '../../strings/i18n.ts'
import type { Wallet } from '../../wallet/wallet.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/** Settings: system notifications when money arrives, asked for on a tap; the in-app banner needs no permission. */
export function NotificationSettings() {
  const t = useStrings()
  const [permission, setPermission] = useState<NotifyPermission>(notificationPermission)
  // Web Push's part loads only where the browser has it, and never with the first screen.
  const wallet = useWallet()
  const [WebPush, setWebPush] = useState<FunctionComponent<{ wallet: Wallet; language: Catalogue }> | undefined>(undefined)
  useEffect(() => {
    if ('PushManager' in window) void import('./WebPushSettings.tsx').then((module) => setWebPush(() => module.WebPushSettings), () => undefined)
  }, [])
  return (
    <>
      <h2>{t.notify.title}</h2>
      <p class="hint">{t.notify.intro}</p>
      {permission === 'default' ? (
        <p>
          <button type="button" class="secondary" data-testid="notify-enable" onClick={() => void askNotificationPermission().then(setPermission)}>
            {t.notify.enable}
          </button>
        </p>
      ) : (
        <p data-testid="notify-state" role="status">{t.notify[permission]}</p>
      )}
      {WebPush && <WebPush wallet={wallet} language={catalogue()} />}
    </>
  )
}
