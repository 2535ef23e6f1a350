/**
 * New versions, the workbox-window way: the new service worker installs and
 * waits; the app offers the update; on "Update now" it asks the worker to
 * skip waiting and reloads once the new one controls the page. A payment in
 * progress defers the swap (code replaced under a running page breaks lazy
 * chunks, and a reload mid-signing would lose the member's confirmation).
 */
import { Workbox } from 'workbox-window'

export interface UpdateOffer {
  /** True when a new version waits. */
  readonly available: boolean
  subscribe(listener: () => void): () => void
  /** Activates the waiting version unless `busy()` says a payment is in progress; returns whether it did. */
  apply(): boolean
}

export function offerUpdates(busy: () => boolean): UpdateOffer {
  const listeners = new Set<() => void>()
  let available = false
  // No worker in development (vite serves modules live) or where the browser has none.
  const workbox = 'serviceWorker' in navigator && !import.meta.env.DEV ? new Workbox('/sw.js', { scope: '/' }) : undefined
  const offer: UpdateOffer = {
    get available() {
      return available
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    apply() {
      if (!workbox || busy()) return false
      workbox.addEventListener('controlling', () => location.reload())
      workbox.messageSkipWaiting()
      return true
    },
  }
  if (!workbox) return offer
  workbox.addEventListener('waiting', () => {
    available = true
    for (const listener of listeners) listener()
  })
  void workbox.register().catch(() => undefined)
  // Installed apps stay open for days: look for a new version now and then.
  setInterval(() => void workbox?.update().catch(() => undefined), 60 * 60 * 1000)
  return offer
}
