/**
 * Web Push, on the member's tap in Settings (issue 15): this browser's push
 * subscription, with the pools the wallet follows, given to the relay that
 * served the app (sync-server/push.ts), so the relay can wake a closed app.
 * What a push carries is `{"pool"}` alone; the service worker shows the
 * notice words this page left it (in the member's language) and opens that
 * pool, and the app learns what arrived by syncing, as always.
 *
 * Loaded only from Settings and, when a subscription exists, once after the
 * app starts (to name pools joined since): never in the first load.
 */
import type { Catalogue } from '../strings/languages.ts'
import { pushEn, type PushStrings } from '../strings/push.en.ts'
import { PUSH_WORDS_CACHE, PUSH_WORDS_URL } from './push-words.ts'

/** The relay takes at most this many pools per subscription (sync-server/limits.ts PUSH_POOLS_PER_SUBSCRIPTION_MAX). */
const POOLS_MAX = 64

export type WebPushState = 'unsupported' | 'off' | 'on'
export type WebPushProblem = 'denied' | 'no-relay' | 'push-service'

/** Web Push's words in `language` (English's load with this module). */
export function pushWords(language: Catalogue): PushStrings {
  return language.push ?? pushEn
}

/** The worker's notice: the app's name and the content-free sentence, in `language`. */
function notice(language: Catalogue): { title: string; body: string } {
  return { title: language.strings.appName, body: pushWords(language).notice }
}

export function webPushSupported(): boolean {
  return typeof window !== 'undefined' && 'PushManager' in window && 'serviceWorker' in navigator && typeof Notification !== 'undefined'
}

async function subscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.ready
  return registration.pushManager.getSubscription()
}

export async function webPushState(): Promise<WebPushState> {
  if (!webPushSupported()) return 'unsupported'
  return (await subscription().catch(() => null)) ? 'on' : 'off'
}

/** Subscribes this browser (asking for notifications first) and gives the relay the subscription and `pools`. */
export async function enableWebPush(pools: readonly string[], language: Catalogue): Promise<{ ok: true } | { ok: false; problem: WebPushProblem }> {
  if ((await Notification.requestPermission().catch(() => Notification.permission)) !== 'granted') return { ok: false, problem: 'denied' }
  await leaveWords(notice(language))
  let key: string
  try {
    const response = await fetch('/push/key', { cache: 'no-store' })
    const body = response.ok ? ((await response.json()) as { publicKey?: unknown }) : {}
    if (typeof body.publicKey !== 'string') return { ok: false, problem: 'no-relay' }
    key = body.publicKey
  } catch {
    return { ok: false, problem: 'no-relay' }
  }
  let subscribed: PushSubscription
  try {
    const registration = await navigator.serviceWorker.ready
    subscribed = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64url(key) })
  } catch {
    return { ok: false, problem: 'push-service' }
  }
  if (!(await tellRelay(subscribed, pools, language))) {
    await subscribed.unsubscribe().catch(() => false)
    return { ok: false, problem: 'no-relay' }
  }
  return { ok: true }
}

/** After a start, or when the pools change: the relay hears the current pools (and the worker the current words), if subscribed. */
export async function refreshWebPush(pools: readonly string[], language: Catalogue): Promise<void> {
  if (!webPushSupported() || Notification.permission !== 'granted') return
  const current = await subscription().catch(() => null)
  if (current) await tellRelay(current, pools, language)
}

export async function disableWebPush(): Promise<void> {
  const current = await subscription().catch(() => null)
  if (!current) return
  await fetch('/push/unsubscribe', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ endpoint: current.endpoint }) }).catch(() => undefined)
  await current.unsubscribe().catch(() => false)
}

/** The worker's notice words, in the member's language now. */
async function leaveWords(words: { title: string; body: string }): Promise<void> {
  try {
    const cache = await caches.open(PUSH_WORDS_CACHE)
    await cache.put(PUSH_WORDS_URL, new Response(JSON.stringify(words), { headers: { 'Content-Type': 'application/json' } }))
  } catch {
    // Without Cache Storage the worker's notice has the app's name alone.
  }
}

async function tellRelay(subscribed: PushSubscription, pools: readonly string[], language: Catalogue): Promise<boolean> {
  await leaveWords(notice(language))
  if (pools.length === 0) return true
  try {
    const response = await fetch('/push/subscribe', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subscription: subscribed.toJSON(), pools: pools.slice(0, POOLS_MAX) }) })
    return response.ok
  } catch {
    return false
  }
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = new Uint8Array(new ArrayBuffer(binary.length))
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
