import { useState } from 'preact/hooks'
import { askNotificationPermission, notificationPermission, type NotifyPermission } from '../../notify/system-notify.ts'
import { useStrings } from '../wallet-context.ts'

/** Settings: system notifications when money arrives, asked for on a tap; the in-app banner needs no permission. */
export function NotificationSettings() {
  const t = useStrings()
  const [permission, setPermission] = useState<NotifyPermission>(notificationPermission)
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
    </>
  )
}
