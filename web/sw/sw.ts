/**
 * The service worker: precaches the app shell and the wasm files so that the
 * installed app starts with no network, and answers every navigation with
 * index.html (routes live in the URL fragment anyway).
 *
 * It deliberately knows nothing about pools, keys or automerge: money logic in
 * a worker that outlives the page would be a second place for bugs, and
 * workers forbid the top-level await automerge's loader uses.
 *
 * It shows no notification of its own and takes no Web Push: the page shows a notification
 * when money arrives (web/notify/) and the worker only opens the app when it is tapped.
 *
 * A new version waits (no skipWaiting on install): the page offers the update
 * and sends SKIP_WAITING only when no payment is being made (web/pwa/update-offer.ts).
 */
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> }

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

/** Paths the relay answers itself; the worker must never hand them index.html. */
const RELAY_PATHS = [/^\/sync/, /^\/healthz/, /^\/metrics/]

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
