/**
 * The service worker: precaches the app shell and the wasm files so that the
 * installed app starts with no network, and answers every navigation with
 * index.html (routes live in the URL fragment anyway).
 *
 * It deliberately knows nothing about pools, keys or automerge: money logic in
 * a worker that outlives the page would be a second place for bugs, and
 * workers forbid the top-level await automerge's loader uses.
 *
 * Notifications are the page's (web/notify/): it shows one when money arrives, and the worker
 * opens the app when it is tapped. The one exception is Web Push (web/notify/web-push.ts,
 * sync-server/push.ts): a push names a pool and nothing else, so the worker shows the notice
 * words the page left it ("something new in your wallet", in the member's language), tagged as
 * the page tags that pool's arrivals, so the page's own notice with the figures replaces it.
 *
 * A new version waits (no skipWaiting on install): the page offers the update
 * and sends SKIP_WAITING only when no payment is being made (web/pwa/update-offer.ts).
 */
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { PUSH_WORDS_CACHE, PUSH_WORDS_URL } from '../notify/push-words.ts'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> }

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

/** Paths the relay answers itself; the worker must never hand them index.html. */
const RELAY_PATHS = [/^\/sync/, /^\/healthz/, /^\/metrics/, /^\/push\//]

registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: RELAY_PATHS }))

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    void self.skipWaiting()
  }
})

/**
 * A tap on a notification the page showed (web/notify/system-notify.ts): focus an open window of
 * the app on the pool it names, or open one. Only a same-origin fragment route is followed.
 */
self.addEventListener('notificationclick', (event: NotificationEvent) => {
  event.notification.close()
  const wanted: unknown = (event.notification.data as { url?: unknown } | null)?.url
  const url = new URL(typeof wanted === 'string' && wanted.startsWith('/#/') ? wanted : '/', self.location.origin).href
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      const open = windows[0]
      if (open) {
        await open.focus()
        await open.navigate(url).catch(() => undefined)
        return
      }
      await self.clients.openWindow(url)
    })(),
  )
})

/**
 * A wake-up from the relay (Web Push): `{"pool"}` and nothing else. A window of the app in front
 * already hears of it by syncing and shows its banner; otherwise one notice per pool (the page's
 * arrival notice for that pool, with its figures, replaces it when the app runs).
 */
self.addEventListener('push', (event: PushEvent) => {
  let pool: string | undefined
  try {
    const sent: unknown = event.data?.json()
    const named = (sent as { pool?: unknown } | null)?.pool
    if (typeof named === 'string' && /^[0-9a-f]{64}$/.test(named)) pool = named
  } catch {
    pool = undefined
  }
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      if (windows.some((client) => client.visibilityState === 'visible' && client.focused)) return
      const words = await noticeWords()
      await self.registration.showNotification(words.title, {
        body: words.body,
        tag: pool ? `arrival-${pool}` : 'arrival',
        icon: '/icons/icon-192.png',
        badge: '/icons/icon-192.png',
        data: { url: pool ? `/#/pool/${pool}` : '/' },
      })
    })(),
  )
})

/** The notice's words, as the page left them in the member's language; the app's name alone if none. */
async function noticeWords(): Promise<{ title: string; body?: string }> {
  try {
    const stored = await (await caches.open(PUSH_WORDS_CACHE)).match(PUSH_WORDS_URL)
    const words = (await stored?.json()) as { title?: unknown; body?: unknown } | undefined
    if (typeof words?.title === 'string' && typeof words.body === 'string') return { title: words.title, body: words.body }
  } catch {
    // fall through
  }
  return { title: self.location.hostname }
}
