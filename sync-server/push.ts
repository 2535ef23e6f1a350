/**
 * Web Push from the relay (issue 15): wakes a member's closed app when
 * something new arrives in a pool it follows, and says nothing else.
 *
 *   GET  /push/key                                     → 200 {"publicKey"}: the relay's VAPID key (base64url, 65 bytes)
 *   POST /push/subscribe   {"subscription":{"endpoint","keys":{"p256dh","auth"}},"pools":[64 hex…]} → 201 {"pools":n}
 *   POST /push/unsubscribe {"endpoint"}                → 200 {"removed":true|false}
 *
 * - **What a push carries**: `{"pool":"<id>"}` and nothing more (no amount, name, memo,
 *   count or kind of entry), encrypted for the browser (RFC 8291, webPush.ts), so the push
 *   service carries bytes it cannot read. The phone learns what arrived by syncing, as always.
 * - **When**: the relay learns that a pool changed only for pools it witnesses (witness.ts
 *   follows them; it tells this module when an entry by someone else than the relay
 *   arrives). One push per subscription and pool at most every PUSH_INTERVAL_MS_MIN, the
 *   rest coalesced into one sent when the interval is over, with a `Topic` so the push
 *   service also keeps only the latest while the phone is unreachable.
 * - **Whom it calls**: only `https://` endpoints on the hosts of the browsers' push services
 *   (PUSH_HOSTS_DEFAULT, or the operator's list): a subscription cannot make the relay post
 *   to an address of the subscriber's choosing. `allowHttp` is for tests against a loopback
 *   stand-in for a push service. An endpoint the push service calls gone (404, 410) is dropped.
 * - **What the relay learns**: that one browser follows these pools (one endpoint names them
 *   all, as a browser has one subscription per app). Members who want their pools unlinkable
 *   even to their relay leave Web Push off; the app says so before it subscribes.
 * - Kept in DIR/push-vapid.json (the relay's key, mode 0600) and DIR/push-subscriptions.json.
 *   Logs carry a short hash of an endpoint, never the endpoint (it is a capability).
 */
import { createHash, type JsonWebKey } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import {
  PUSH_ENDPOINT_CHARS_MAX, PUSH_HOSTS_DEFAULT, PUSH_INTERVAL_MS_MIN, PUSH_POOLS_PER_SUBSCRIPTION_MAX, PUSH_REQUEST_BYTES_MAX,
  PUSH_SEND_TIMEOUT_MS, PUSH_SUBSCRIPTIONS_MAX, PUSH_TTL_SECONDS,
} from './limits.ts'
import { base64url, encryptPushMessage, fromBase64url, generateVapidKeys, vapidAuthorization, vapidKeysFromJwk, type VapidKeys } from './webPush.ts'

export const VAPID_KEY_FILE_NAME = 'push-vapid.json'
export const PUSH_SUBSCRIPTIONS_FILE_NAME = 'push-subscriptions.json'

export interface PushOptions {
  /** Hosts a push endpoint may be on: exact names, or `*.example.com` for any subdomain (PUSH_HOSTS_DEFAULT unless the operator says). */
  readonly hosts?: readonly string[]
  /** Accept `http://` endpoints: only for a loopback stand-in for a push service in tests. */
  readonly allowHttp?: boolean
  /** The VAPID `sub` claim: how a push service reaches the relay's operator (a mailto: or https: URL). */
  readonly subject?: string
}

interface Subscription {
  readonly endpoint: string
  readonly p256dh: Uint8Array
  readonly auth: Uint8Array
  readonly pools: Set<string>
}

interface StoredSubscription {
  readonly endpoint: string
  readonly keys: { readonly p256dh: string; readonly auth: string }
  readonly pools: readonly string[]
}

const POOL = /^[0-9a-f]{64}$/
const B64URL = /^[A-Za-z0-9_-]+={0,2}$/

export class PushRelay {
  readonly #keys: VapidKeys
  readonly #file: string
  readonly #hosts: readonly string[]
  readonly #allowHttp: boolean
  readonly #subject: string
  readonly #now: () => number
  readonly #log: (event: string, fields?: Record<string, unknown>) => void
  readonly #send: typeof fetch
  readonly #subscriptions = new Map<string, Subscription>()
  /** When each (endpoint, pool) was last pushed, and the timers of pushes waiting for their interval. */
  readonly #lastSentAt = new Map<string, number>()
  readonly #waiting = new Map<string, NodeJS.Timeout>()
  readonly #inFlight = new Set<Promise<void>>()
  #closed = false

  constructor(options: PushOptions & { dataDir: string; now?: () => number; log?: (event: string, fields?: Record<string, unknown>) => void; fetch?: typeof fetch }) {
    this.#keys = loadOrCreateVapidKeys(join(options.dataDir, VAPID_KEY_FILE_NAME))
    this.#file = join(options.dataDir, PUSH_SUBSCRIPTIONS_FILE_NAME)
    this.#hosts = options.hosts ?? PUSH_HOSTS_DEFAULT
    this.#allowHttp = options.allowHttp ?? false
    this.#subject = options.subject ?? 'mailto:operator@heroes-relay.invalid'
    this.#now = options.now ?? Date.now
    this.#log = options.log ?? (() => {})
    this.#send = options.fetch ?? fetch
    for (const stored of readSubscriptions(this.#file)) {
      const parsed = this.#parse({ subscription: { endpoint: stored.endpoint, keys: stored.keys }, pools: stored.pools })
      if (parsed.ok) this.#subscriptions.set(parsed.subscription.endpoint, parsed.subscription)
    }
  }

  /** The key browsers pass to `pushManager.subscribe` as `applicationServerKey`. */
  get publicKey(): string {
    return base64url(this.#keys.publicKey)
  }

  get subscriptionCount(): number {
    return this.#subscriptions.size
  }

  /** Answers /push/… requests; false for any other path. */
  async handle(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (!pathname.startsWith('/push/')) return false
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
      response.end(JSON.stringify(body) + '\n')
    }
    if (pathname === '/push/key' && request.method === 'GET') {
      reply(200, { publicKey: this.publicKey })
      return true
    }
    if (request.method !== 'POST' || (pathname !== '/push/subscribe' && pathname !== '/push/unsubscribe')) {
      reply(404, { error: 'expected GET /push/key, POST /push/subscribe or POST /push/unsubscribe' })
      return true
    }
    const text = await readBody(request, PUSH_REQUEST_BYTES_MAX)
    if (text === undefined) {
      response.setHeader('Connection', 'close')
      response.on('finish', () => request.destroy())
      reply(413, { error: `expected a body of at most ${PUSH_REQUEST_BYTES_MAX} bytes` })
      return true
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      reply(400, { error: 'expected a JSON body' })
      return true
    }
    if (pathname === '/push/unsubscribe') {
      const endpoint = (body as { endpoint?: unknown } | null)?.endpoint
      if (typeof endpoint !== 'string') {
        reply(400, { error: 'expected {"endpoint"}' })
        return true
      }
      const removed = this.#subscriptions.delete(endpoint)
      if (removed) this.#persist()
      reply(200, { removed })
      return true
    }
    const parsed = this.#parse(body)
    if (!parsed.ok) {
      reply(400, { error: parsed.error })
      return true
    }
    if (!this.#subscriptions.has(parsed.subscription.endpoint) && this.#subscriptions.size >= PUSH_SUBSCRIPTIONS_MAX) {
      reply(507, { error: `the relay keeps at most ${PUSH_SUBSCRIPTIONS_MAX} push subscriptions` })
      return true
    }
    // A browser subscribes again with every pool it follows: the new list replaces the old one.
    this.#subscriptions.set(parsed.subscription.endpoint, parsed.subscription)
    this.#persist()
    this.#log('push-subscribed', { endpoint: shortHash(parsed.subscription.endpoint), pools: parsed.subscription.pools.size })
    reply(201, { pools: parsed.subscription.pools.size })
    return true
  }

  /** Something new arrived in `pool` (by someone else than the relay): wake the browsers that follow it. */
  poolChanged(pool: string): void {
    if (this.#closed) return
    for (const subscription of this.#subscriptions.values()) {
      if (!subscription.pools.has(pool)) continue
      const key = `${subscription.endpoint} ${pool}`
      if (this.#waiting.has(key)) continue
      const wait = (this.#lastSentAt.get(key) ?? -Infinity) + PUSH_INTERVAL_MS_MIN - this.#now()
      if (wait <= 0) {
        this.#push(subscription, pool)
        continue
      }
      const timer = setTimeout(() => {
        this.#waiting.delete(key)
        const current = this.#subscriptions.get(subscription.endpoint)
        if (current?.pools.has(pool) && !this.#closed) this.#push(current, pool)
      }, wait)
      timer.unref()
      this.#waiting.set(key, timer)
    }
  }

  /** Waits for pushes under way (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight])
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const timer of this.#waiting.values()) clearTimeout(timer)
    this.#waiting.clear()
    await this.settled()
  }

  #push(subscription: Subscription, pool: string): void {
    this.#lastSentAt.set(`${subscription.endpoint} ${pool}`, this.#now())
    const sending = this.#deliver(subscription, pool).finally(() => this.#inFlight.delete(sending))
    this.#inFlight.add(sending)
  }

  async #deliver(subscription: Subscription, pool: string): Promise<void> {
    const body = encryptPushMessage(Buffer.from(JSON.stringify({ pool })), subscription.p256dh, subscription.auth)
    try {
      const response = await this.#send(subscription.endpoint, {
        method: 'POST',
        headers: {
          Authorization: vapidAuthorization(subscription.endpoint, this.#keys, this.#subject, this.#now()),
          'Content-Encoding': 'aes128gcm',
          'Content-Type': 'application/octet-stream',
          TTL: String(PUSH_TTL_SECONDS),
          Urgency: 'normal',
          // RFC 8030 topic: the push service replaces an undelivered message of the same pool with this one.
          Topic: createHash('sha256').update(pool).digest('base64url').slice(0, 32),
        },
        body: Buffer.from(body),
        signal: AbortSignal.timeout(PUSH_SEND_TIMEOUT_MS),
      })
      await response.arrayBuffer().catch(() => undefined)
      if (response.status === 404 || response.status === 410) {
        this.#subscriptions.delete(subscription.endpoint)
        this.#persist()
        this.#log('push-gone', { endpoint: shortHash(subscription.endpoint), status: response.status })
      } else if (response.status >= 300) {
        this.#log('push-refused', { endpoint: shortHash(subscription.endpoint), status: response.status })
      }
    } catch (error) {
      this.#log('push-failed', { endpoint: shortHash(subscription.endpoint), message: error instanceof Error ? error.message : String(error) })
    }
  }

  #parse(body: unknown): { ok: true; subscription: Subscription } | { ok: false; error: string } {
    const { subscription, pools } = (body ?? {}) as { subscription?: { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } }; pools?: unknown }
    const endpoint = subscription?.endpoint
    if (typeof endpoint !== 'string' || endpoint.length > PUSH_ENDPOINT_CHARS_MAX) return { ok: false, error: `expected subscription.endpoint, a URL of at most ${PUSH_ENDPOINT_CHARS_MAX} characters` }
    let url: URL
    try {
      url = new URL(endpoint)
    } catch {
      return { ok: false, error: 'expected subscription.endpoint to be a URL' }
    }
    if (url.protocol !== 'https:' && !(this.#allowHttp && url.protocol === 'http:')) return { ok: false, error: `expected an https:// push endpoint, got ${url.protocol}` }
    if (url.username || url.password || !this.#hostAllowed(url.hostname)) return { ok: false, error: `expected an endpoint of a browser's push service (${this.#hosts.join(', ')}), got ${url.hostname}` }
    const p256dh = typeof subscription?.keys?.p256dh === 'string' && B64URL.test(subscription.keys.p256dh) ? fromBase64url(subscription.keys.p256dh) : undefined
    const auth = typeof subscription?.keys?.auth === 'string' && B64URL.test(subscription.keys.auth) ? fromBase64url(subscription.keys.auth) : undefined
    if (!p256dh || p256dh.length !== 65 || p256dh[0] !== 4) return { ok: false, error: 'expected subscription.keys.p256dh, an uncompressed P-256 key (65 bytes, base64url)' }
    if (!auth || auth.length !== 16) return { ok: false, error: 'expected subscription.keys.auth, 16 bytes in base64url' }
    if (!Array.isArray(pools) || pools.length === 0 || pools.length > PUSH_POOLS_PER_SUBSCRIPTION_MAX || !pools.every((pool) => typeof pool === 'string' && POOL.test(pool))) {
      return { ok: false, error: `expected pools, 1 to ${PUSH_POOLS_PER_SUBSCRIPTION_MAX} pool ids of 64 hex characters` }
    }
    return { ok: true, subscription: { endpoint, p256dh, auth, pools: new Set(pools as string[]) } }
  }

  #hostAllowed(host: string): boolean {
    return this.#hosts.some((allowed) => (allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1 : host === allowed))
  }

  #persist(): void {
    const stored: StoredSubscription[] = [...this.#subscriptions.values()].map((s) => ({ endpoint: s.endpoint, keys: { p256dh: base64url(s.p256dh), auth: base64url(s.auth) }, pools: [...s.pools] }))
    writeFileSync(`${this.#file}.tmp`, JSON.stringify(stored), { mode: 0o600 })
    renameSync(`${this.#file}.tmp`, this.#file)
  }
}

function loadOrCreateVapidKeys(file: string): VapidKeys {
  if (existsSync(file)) return vapidKeysFromJwk(JSON.parse(readFileSync(file, 'utf8')) as JsonWebKey)
  // With its documents in PostgreSQL the relay may not have made its data directory yet.
  mkdirSync(dirname(file), { recursive: true })
  const { keys, jwk } = generateVapidKeys()
  writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 })
  return keys
}

function readSubscriptions(file: string): StoredSubscription[] {
  if (!existsSync(file)) return []
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return Array.isArray(stored) ? (stored as StoredSubscription[]) : []
  } catch {
    return []
  }
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12)
}

/** The request's body as text, or undefined past `bytesMax` (then the rest is left unread and the connection closes after the answer). */
function readBody(request: IncomingMessage, bytesMax: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let bytes = 0
    const onData = (chunk: Buffer): void => {
      bytes += chunk.byteLength
      if (bytes > bytesMax) {
        request.off('data', onData)
        request.pause()
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    }
    request.on('data', onData)
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
