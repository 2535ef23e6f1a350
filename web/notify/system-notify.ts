/**
 * The system's own signals, where the browser allows them: a notification
 * when money arrives while the app is in the background (shown by the service
 * worker, so a tap opens the app even when its tab was closed), and the app
 * icon's badge (Badging API). Made on this phone from what it already holds:
 * nothing is sent anywhere to show them.
 */
export type NotifyPermission = NotificationPermission | 'unsupported'

export function notificationPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

/** Asks once, on the member's tap (browsers ignore a request that no gesture started). */
export async function askNotificationPermission(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported'
  try {
    return await Notification.requestPermission()
  } catch {
    return Notification.permission
  }
}

/** Whether the member is looking at the app now; then the in-app banner says it and no system notification is needed. */
export function appInForeground(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus()
}

/** Shows a notification through the service worker (a tap opens `url`); false when the browser does not allow it. */
export async function showSystemNotification(title: string, body: string, url: string, tag: string): Promise<boolean> {
  if (notificationPermission() !== 'granted') return false
  const registration = await activeRegistration()
  const options: NotificationOptions & { renotify?: boolean } = { body, tag, renotify: true, icon: '/icons/icon-192.png', badge: '/icons/icon-192.png', data: { url } }
  try {
    if (registration) await registration.showNotification(title, options)
    else new Notification(title, options)
    return true
  } catch {
    return false
  }
}

/** How long to wait for the service worker to be active (it may still be installing on a first visit). */
const WORKER_READY_MS_MAX = 5_000

/** The active service worker's registration (showNotification needs an active worker), or undefined when none comes in time. */
async function activeRegistration(): Promise<ServiceWorkerRegistration | undefined> {
  if (!navigator.serviceWorker) return undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), WORKER_READY_MS_MAX)))
  try {
    return await Promise.race([navigator.serviceWorker.ready, late])
  } finally {
    clearTimeout(timer)
  }
}

/** The count on the installed app's icon (Chrome, Edge, Safari on installed apps); nothing where unsupported. */
export function setAppBadge(count: number): void {
  const nav = navigator as Navigator & { setAppBadge?: (n: number) => Promise<void>; clearAppBadge?: () => Promise<void> }
  const done = count > 0 ? nav.setAppBadge?.(count) : nav.clearAppBadge?.()
  void done?.catch(() => undefined)
}
