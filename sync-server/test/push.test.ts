/**
 * Web Push from the relay (issue 15). The push service is a stand-in: a real HTTP server on
 * loopback playing the browser vendor's push service (FCM, autopush…), which cannot be reached
 * from this machine. It checks what a real one checks (the VAPID token's signature, audience and
 * expiry) and decrypts each message with the "browser's" subscription keys, as the browser would.
 * The encryption itself is checked against RFC 8291's own example, byte for byte.
 */
import { createECDH, createPublicKey, hkdfSync, createDecipheriv, verify, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSecretKey } from '../../core/index.ts'
import { startRelay, type Relay } from '../index.ts'
import { PUSH_POOLS_PER_SUBSCRIPTION_MAX } from '../limits.ts'
import { PUSH_SUBSCRIPTIONS_FILE_NAME, PushRelay, VAPID_KEY_FILE_NAME } from '../push.ts'
import { base64url, encryptPushMessage, fromBase64url, generateVapidKeys, vapidAuthorization, VAPID_TOKEN_TTL_SECONDS } from '../webPush.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { connectClient, waitFor } from './clients.ts'
import { poolNaming } from './witnessFixture.ts'

const { dirs, clients } = cleanUpAfterAll()

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heroes-push-'))
  dirs.push(dir)
  return dir
}

// RFC 8291, section 5 and Appendix A.
const RFC = {
  plaintext: 'When I grow up, I want to be a watermelon',
  senderPrivate: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
  receiverPublic: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  receiverPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  auth: 'BTBZMqHH6r4Tts7J_aSIgg',
  salt: 'DGv6ra1nlYgDCS1FRnbzlw',
  body:
    'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
}

/** The browser's half of RFC 8291: the plaintext of `body`, with the subscription's private key and auth secret. */
function decrypt(body: Uint8Array, receiverPrivate: Uint8Array, auth: Uint8Array): Uint8Array {
  const buffer = Buffer.from(body)
  const salt = buffer.subarray(0, 16)
  const recordSize = buffer.readUInt32BE(16)
  const idLength = buffer.readUInt8(20)
  expect(recordSize).toBe(4096)
  expect(idLength).toBe(65)
  const senderPublic = buffer.subarray(21, 21 + idLength)
  const receiver = createECDH('prime256v1')
  receiver.setPrivateKey(Buffer.from(receiverPrivate))
  const shared = receiver.computeSecret(senderPublic)
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderPublic]), 32))
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16))
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12))
  const sealed = buffer.subarray(21 + idLength)
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce)
  decipher.setAuthTag(sealed.subarray(sealed.length - 16))
  const padded = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()])
  expect(padded[padded.length - 1]).toBe(2)
  return new Uint8Array(padded.subarray(0, padded.length - 1))
}

/** What a push service checks in `Authorization: vapid t=…, k=…`; returns the token's claims. */
function checkVapid(header: string | undefined, audience: string, publicKey: string): { aud: string; exp: number; sub: string } {
  const match = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)$/.exec(header ?? '')
  expect(match, `Authorization ${header}`).not.toBeNull()
  const [, head, claims, signature, k] = match!
  expect(k).toBe(publicKey)
  const raw = fromBase64url(k!)
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: base64url(raw.subarray(1, 33)), y: base64url(raw.subarray(33)) }, format: 'jwk' })
  expect(verify('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'))).toBe(true)
  expect(JSON.parse(Buffer.from(head!, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'ES256' })
  const parsed = JSON.parse(Buffer.from(claims!, 'base64url').toString()) as { aud: string; exp: number; sub: string }
  expect(parsed.aud).toBe(audience)
  const now = Date.now() / 1000
  expect(parsed.exp).toBeGreaterThan(now)
  expect(parsed.exp).toBeLessThanOrEqual(now + 24 * 3600)
  expect(parsed.sub).toMatch(/^(mailto:|https:)/)
  return parsed
}

/** A browser's push subscription: its keys, and the endpoint the stand-in push service gave it. */
function browser(endpoint: string): { endpoint: string; keys: { p256dh: string; auth: string }; privateKey: Uint8Array; auth: Uint8Array } {
  const ecdh = createECDH('prime256v1')
  ecdh.generateKeys()
  const auth = randomBytes(16)
  return { endpoint, keys: { p256dh: base64url(ecdh.getPublicKey()), auth: base64url(auth) }, privateKey: ecdh.getPrivateKey(), auth }
}

interface Received {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Uint8Array
}

/** The stand-in for a browser vendor's push service: records each message and answers `status(path)`. */
async function fakePushService(status: (path: string) => number = () => 201): Promise<{ server: Server; origin: string; received: Received[] }> {
  const received: Received[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ path: request.url ?? '/', headers: request.headers, body: new Uint8Array(Buffer.concat(chunks)) })
      response.writeHead(status(request.url ?? '/'))
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
}

describe('Web Push messages (RFC 8291, RFC 8292)', () => {
  it('encrypts as RFC 8291’s example does, byte for byte', () => {
    const body = encryptPushMessage(Buffer.from(RFC.plaintext), fromBase64url(RFC.receiverPublic), fromBase64url(RFC.auth), {
      salt: fromBase64url(RFC.salt),
      senderPrivateKey: fromBase64url(RFC.senderPrivate),
    })
    expect(base64url(body)).toBe(RFC.body)
    expect(new TextDecoder().decode(decrypt(body, fromBase64url(RFC.receiverPrivate), fromBase64url(RFC.auth)))).toBe(RFC.plaintext)
  })

  it('uses a fresh key and salt per message, which only the subscription’s keys open; a changed byte fails', () => {
    const subscriber = browser('https://push.example/x')
    const one = encryptPushMessage(Buffer.from('{"pool":"x"}'), fromBase64url(subscriber.keys.p256dh), subscriber.auth)
    const two = encryptPushMessage(Buffer.from('{"pool":"x"}'), fromBase64url(subscriber.keys.p256dh), subscriber.auth)
    expect(base64url(one.subarray(0, 16))).not.toBe(base64url(two.subarray(0, 16)))
    expect(base64url(one.subarray(21, 86))).not.toBe(base64url(two.subarray(21, 86)))
    expect(new TextDecoder().decode(decrypt(one, subscriber.privateKey, subscriber.auth))).toBe('{"pool":"x"}')
    const other = browser('https://push.example/y')
    expect(() => decrypt(one, other.privateKey, other.auth)).toThrow()
    const tampered = new Uint8Array(one)
    tampered[tampered.length - 20]! ^= 1
    expect(() => decrypt(tampered, subscriber.privateKey, subscriber.auth)).toThrow()
    expect(() => encryptPushMessage(Buffer.from('x'), fromBase64url(subscriber.keys.p256dh).subarray(1), subscriber.auth)).toThrow(RangeError)
    expect(() => encryptPushMessage(Buffer.from('x'), fromBase64url(subscriber.keys.p256dh), subscriber.auth.subarray(1))).toThrow(RangeError)
  })

  it('signs a VAPID token for the push service’s origin, valid for hours, that the relay’s public key verifies', () => {
    const { keys } = generateVapidKeys()
    const header = vapidAuthorization('https://fcm.googleapis.com/fcm/send/abc', keys, 'mailto:ops@example.org', Date.now())
    const claims = checkVapid(header, 'https://fcm.googleapis.com', base64url(keys.publicKey))
    expect(claims.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(VAPID_TOKEN_TTL_SECONDS)
    const { keys: other } = generateVapidKeys()
    expect(() => checkVapid(header, 'https://fcm.googleapis.com', base64url(other.publicKey))).toThrow()
  })
})

describe('the relay wakes the browsers that follow a pool, with nothing in the message but the pool', () => {
  let relay: Relay
  let push: Awaited<ReturnType<typeof fakePushService>>
  let dir: string
  beforeAll(async () => {
    push = await fakePushService((path) => (path.startsWith('/gone') ? 410 : 201))
    dir = dataDir()
    relay = await startRelay({
      port: 0, dataDir: dir, witness: { secretKey: generateSecretKey(), checkpointIntervalMs: 500 },
      push: { hosts: ['127.0.0.1'], allowHttp: true, subject: 'mailto:ops@example.org' },
    })
  })
  afterAll(async () => {
    await relay.close()
    await new Promise((resolve) => push.server.close(resolve))
  })

  const post = (path: string, body: unknown): Promise<Response> => fetch(`${relay.httpUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })

  it('gives its VAPID key, kept in its data directory for the operator only', async () => {
    const response = await fetch(`${relay.httpUrl}/push/key`)
    expect(response.status).toBe(200)
    const { publicKey } = (await response.json()) as { publicKey: string }
    expect(fromBase64url(publicKey)).toHaveLength(65)
    expect(statSync(join(dir, VAPID_KEY_FILE_NAME)).mode & 0o077).toBe(0)
  })

  it('refuses subscriptions it must not call or cannot use, each with its reason', async () => {
    const subscriber = browser(`${push.origin}/s/refused`)
    const pool = 'ab'.repeat(32)
    const cases: Array<[unknown, number, RegExp]> = [
      [{ subscription: { ...subscriber, endpoint: 'http://10.0.0.1/internal' }, pools: [pool] }, 400, /push service/],
      [{ subscription: { ...subscriber, endpoint: 'https://user:pw@127.0.0.1/x' }, pools: [pool] }, 400, /push service/],
      [{ subscription: { ...subscriber, endpoint: 'file:///etc/passwd' }, pools: [pool] }, 400, /https/],
      [{ subscription: { ...subscriber, keys: { ...subscriber.keys, p256dh: subscriber.keys.p256dh.slice(4) } }, pools: [pool] }, 400, /p256dh/],
      [{ subscription: { ...subscriber, keys: { ...subscriber.keys, auth: 'AAAA' } }, pools: [pool] }, 400, /auth/],
      [{ subscription: subscriber, pools: [] }, 400, /pools/],
      [{ subscription: subscriber, pools: ['not a pool'] }, 400, /pools/],
      [{ subscription: subscriber, pools: Array.from({ length: PUSH_POOLS_PER_SUBSCRIPTION_MAX + 1 }, (_, i) => i.toString(16).padStart(64, '0')) }, 400, /pools/],
      ['{not json', 400, /JSON/],
      ['x'.repeat(9000), 413, /at most/],
    ]
    for (const [body, status, error] of cases) {
      const response = await post('/push/subscribe', body)
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status)
      expect(((await response.json()) as { error: string }).error).toMatch(error)
    }
    expect(relay.push!.subscriptionCount).toBe(0)
  })

  it('pushes {"pool"} alone, encrypted and signed, when someone pays in a witnessed pool; not for other pools; one push per interval', async () => {
    const fixture = poolNaming([relay.witness!.publicKey])
    const follower = browser(`${push.origin}/s/alice`)
    const elsewhere = browser(`${push.origin}/s/other`)
    expect((await post('/push/subscribe', { subscription: follower, pools: [fixture.pool] })).status).toBe(201)
    expect((await post('/push/subscribe', { subscription: elsewhere, pools: ['cd'.repeat(32)] })).status).toBe(201)
    // The subscriptions file holds no more than the subscription and its pools.
    expect(Object.keys((JSON.parse(readFileSync(join(dir, PUSH_SUBSCRIPTIONS_FILE_NAME), 'utf8')) as object[])[0]!)).toEqual(['endpoint', 'keys', 'pools'])

    const device = await connectClient(relay.syncUrl, fixture.pool)
    clients.push(device)
    await device.sync.publish(fixture.entries)
    await waitFor(() => push.received.some((r) => r.path === '/s/alice'), 15_000, 'a push to the follower')
    await relay.push!.settled()
    const message = push.received.find((r) => r.path === '/s/alice')!
    expect(message.headers['content-encoding']).toBe('aes128gcm')
    expect(message.headers['content-type']).toBe('application/octet-stream')
    expect(Number(message.headers.ttl)).toBeGreaterThan(0)
    expect(message.headers.topic).toMatch(/^[\w-]{1,32}$/)
    const { publicKey } = (await (await fetch(`${relay.httpUrl}/push/key`)).json()) as { publicKey: string }
    checkVapid(message.headers.authorization, push.origin, publicKey)
    expect(new TextDecoder().decode(decrypt(message.body, follower.privateKey, follower.auth))).toBe(JSON.stringify({ pool: fixture.pool }))
    // Nothing of the payment travels: the bytes on the wire name no amount, key or symbol, in clear or otherwise.
    const wire = Buffer.from(message.body).toString('latin1')
    for (const secretive of [fixture.pool, fixture.members[0]!.publicKey, 'WIT', 'transfer']) expect(wire).not.toContain(secretive)
    expect(push.received.some((r) => r.path === '/s/other')).toBe(false)

    // More payments within the interval: held back, then coalesced (a timer waits; no second message now).
    const before = push.received.filter((r) => r.path === '/s/alice').length
    await device.sync.publish([fixture.transfer(fixture.members[0]!, fixture.members[1]!, 5), fixture.transfer(fixture.members[1]!, fixture.members[0]!, 2)])
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(push.received.filter((r) => r.path === '/s/alice').length).toBe(before)
  })

  it('forgets a subscription the push service calls gone, and one the browser unsubscribes', async () => {
    const pool = 'ef'.repeat(32)
    const gone = browser(`${push.origin}/gone/1`)
    const kept = browser(`${push.origin}/s/kept`)
    expect((await post('/push/subscribe', { subscription: gone, pools: [pool] })).status).toBe(201)
    expect((await post('/push/subscribe', { subscription: kept, pools: [pool] })).status).toBe(201)
    const count = relay.push!.subscriptionCount
    relay.push!.poolChanged(pool)
    await relay.push!.settled()
    expect(relay.push!.subscriptionCount).toBe(count - 1)
    expect(await (await post('/push/unsubscribe', { endpoint: kept.endpoint })).json()).toEqual({ removed: true })
    expect(relay.push!.subscriptionCount).toBe(count - 2)
    expect(await (await post('/push/unsubscribe', { endpoint: kept.endpoint })).json()).toEqual({ removed: false })
  })

  it('keeps subscriptions and its key across a restart', async () => {
    const again = new PushRelay({ dataDir: dir, hosts: ['127.0.0.1'], allowHttp: true })
    expect(again.publicKey).toBe(relay.push!.publicKey)
    expect(again.subscriptionCount).toBe(relay.push!.subscriptionCount)
    await again.close()
  })

  it('by default calls only the browsers’ push services, over https', async () => {
    const strict = new PushRelay({ dataDir: dataDir() })
    const subscriber = browser('https://fcm.googleapis.com/fcm/send/abc')
    const answer = async (endpoint: string): Promise<number> => {
      let status = 0
      const response = { writeHead: (s: number) => void (status = s), end: () => {} } as never
      const { Readable } = await import('node:stream')
      const request = Object.assign(Readable.from([Buffer.from(JSON.stringify({ subscription: { ...subscriber, endpoint }, pools: ['ab'.repeat(32)] }))]), { method: 'POST' }) as never
      await strict.handle(request, response, '/push/subscribe')
      return status
    }
    expect(await answer('https://fcm.googleapis.com/fcm/send/abc')).toBe(201)
    expect(await answer('https://web.push.apple.com/QGs')).toBe(201)
    expect(await answer('https://push.apple.com.attacker.example/x')).toBe(400)
    expect(await answer('http://fcm.googleapis.com/fcm/send/abc')).toBe(400)
    expect(await answer(`${push.origin}/s/x`)).toBe(400)
    await strict.close()
  })
})
