/**
 * A new pool's witness: the relay's key from GET /witness, checked strictly,
 * or none when the relay cannot say. `fetch` is stubbed here, in unit tests
 * only (the app uses the browser's); the wallet is real, on fake-indexeddb.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { OFFLINE_ALLOWANCE_SECONDS_DEFAULT, OFFLINE_AMOUNT_MAX_DEFAULT, OFFLINE_COUNT_MAX_DEFAULT, type Policy } from '../../core/index.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { createPoolWithWitness, parseWitnessKey, probeRelayWitness, witnessKeyOfAnswer } from './pool-witness.ts'
import { Wallet } from './wallet.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 2, minBalance: -10_000, maxBalance: null, rateLimitSeconds: 60 }
const KEY = 'ab'.repeat(32)
const RELAY = 'ws://127.0.0.1:8080/sync'
let dbCount = 0

/** A stub fetch that records the addresses asked and answers with `answer`. */
function stubFetch(answer: () => Promise<Response>): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = []
  const fn = (async (input: RequestInfo | URL) => {
    asked.push(String(input))
    return answer()
  }) as typeof fetch
  return { fetch: fn, asked }
}

const json = (body: string, status = 200): (() => Promise<Response>) => async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })

async function wallet(relay = RELAY): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(`pool-witness-test-${++dbCount}`), sync: new OfflineSyncEngine(relay), now: () => Date.UTC(2026, 11, 7, 12) })
}

describe('asking the relay for its witness key', () => {
  it('reads the key from the relay origin of the sync address', async () => {
    const stub = stubFetch(json(`{"publicKey":"${KEY}"}\n`))
    expect(await probeRelayWitness(RELAY, { fetch: stub.fetch })).toEqual({ ok: true, key: KEY })
    expect(stub.asked).toEqual(['http://127.0.0.1:8080/witness'])
    const secure = stubFetch(json(`{"publicKey":"${KEY}"}`))
    await probeRelayWitness('wss://relay.example/sync', { fetch: secure.fetch })
    expect(secure.asked).toEqual(['https://relay.example/witness'])
  })

  it('takes nothing but 64 lower-case hex characters', () => {
    expect(witnessKeyOfAnswer(`{"publicKey":"${KEY}","other":1}`)).toBe(KEY)
    for (const bad of [
      `{"publicKey":"${KEY.toUpperCase()}"}`, `{"publicKey":"${KEY.slice(1)}"}`, `{"publicKey":"${KEY}0"}`, `{"publicKey":" ${KEY}"}`,
      `["${KEY}"]`, `"${KEY}"`, `{"key":"${KEY}"}`, `{"publicKey":42}`, 'null', 'not json', `{"publicKey":"${KEY}","pad":"${'x'.repeat(2000)}"}`,
    ]) expect(witnessKeyOfAnswer(bad), bad.slice(0, 40)).toBeUndefined()
  })

  it('says why there is no key: unreachable, no witness, a bad answer, no relay', async () => {
    expect(await probeRelayWitness(RELAY, { fetch: stubFetch(async () => Promise.reject(new TypeError('Failed to fetch'))).fetch })).toEqual({ ok: false, problem: 'unreachable' })
    expect(await probeRelayWitness(RELAY, { fetch: stubFetch(json('not found', 404)).fetch })).toEqual({ ok: false, problem: 'no-witness' })
    expect(await probeRelayWitness(RELAY, { fetch: stubFetch(json('oops', 502)).fetch })).toEqual({ ok: false, problem: 'unreachable' })
    expect(await probeRelayWitness(RELAY, { fetch: stubFetch(json('<html>the app</html>')).fetch })).toEqual({ ok: false, problem: 'invalid-answer' })
    expect(await probeRelayWitness('', { fetch: stubFetch(json(`{"publicKey":"${KEY}"}`)).fetch })).toEqual({ ok: false, problem: 'no-relay' })
  })

  it('gives up after the timeout when the relay never answers', async () => {
    const hanging = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch
    const started = Date.now()
    expect(await probeRelayWitness(RELAY, { fetch: hanging, timeoutMs: 50 })).toEqual({ ok: false, problem: 'unreachable' })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('forgives spaces and capitals in a pasted key, nothing else', () => {
    expect(parseWitnessKey(`  ${KEY.toUpperCase()} `)).toBe(KEY)
    expect(parseWitnessKey(KEY.slice(2))).toBeUndefined()
    expect(parseWitnessKey('')).toBeUndefined()
  })
})

describe('creating a pool', () => {
  it('names the relay as witness, with core’s default offline limits, when /witness answers', async () => {
    const creator = await wallet()
    const stub = stubFetch(json(`{"publicKey":"${KEY}"}`))
    const created = await createPoolWithWitness(creator, POLICY, { fetch: stub.fetch })
    if (!created.ok) throw new Error('pool not created')
    expect(created.value.witness).toEqual({ kind: 'relay', key: KEY })
    expect(creator.pool(created.value.pool)!.policy).toEqual({
      ...POLICY, witnesses: [KEY], offlineCountMax: OFFLINE_COUNT_MAX_DEFAULT, offlineAmountMax: OFFLINE_AMOUNT_MAX_DEFAULT, offlineAllowanceSeconds: OFFLINE_ALLOWANCE_SECONDS_DEFAULT,
    })
    expect(creator.pool(created.value.pool)!.witnessed).toBe(true)
    expect(stub.asked).toEqual(['http://127.0.0.1:8080/witness'])
  })

  it('creates it without a witness when the relay cannot be reached, and says so', async () => {
    const creator = await wallet()
    const created = await createPoolWithWitness(creator, POLICY, { fetch: stubFetch(async () => Promise.reject(new TypeError('offline'))).fetch })
    if (!created.ok) throw new Error('pool not created')
    expect(created.value.witness).toEqual({ kind: 'none', problem: 'unreachable' })
    expect(creator.pool(created.value.pool)!.policy).toEqual(POLICY)
    expect(creator.pool(created.value.pool)!.witnessed).toBe(false)
  })

  it('asks again at creation when the first answer failed, and prefers a pasted key to the relay', async () => {
    const creator = await wallet()
    const stub = stubFetch(json(`{"publicKey":"${KEY}"}`))
    const retried = await createPoolWithWitness(creator, POLICY, { fetch: stub.fetch, probe: { ok: false, problem: 'unreachable' } })
    expect(retried.ok && retried.value.witness).toEqual({ kind: 'relay', key: KEY })
    const pasted = 'cd'.repeat(32) as typeof KEY
    const other = stubFetch(json(`{"publicKey":"${KEY}"}`))
    const chosen = await createPoolWithWitness(creator, POLICY, { fetch: other.fetch, pasted: parseWitnessKey(pasted)! })
    if (!chosen.ok) throw new Error('pool not created')
    expect(chosen.value.witness).toEqual({ kind: 'pasted', key: pasted })
    expect(creator.pool(chosen.value.pool)!.policy?.witnesses).toEqual([pasted])
    expect(other.asked).toEqual([])
  })
})
