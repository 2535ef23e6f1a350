/**
 * One member, several devices, in the wallet (docs/devices.md): linking a new
 * device through the sealed answer, paying from both offline and agreeing on
 * one balance, removing a device (its later entries rejected everywhere),
 * bad link input, and recovery by the gatekeeper. No network: entries travel
 * by hand (exchange), and the relay's mailbox is an in-memory stand-in behind
 * `fetch` with the relay's HTTP shape (the real relay's mailbox is used by
 * e2e/devices.spec.ts and tested in sync-server/test/mailbox.test.ts).
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RECOVERY_WAIT_SECONDS, type Policy } from '../../core/index.ts'
import { DEVICE_LINK_TTL_MS } from '../links/device-link.ts'
import { openWalletDb } from '../storage/wallet-db.ts'
import { OfflineSyncEngine } from '../sync/sync-engine.ts'
import { community as communityOf, exchange } from './test-community.ts'
import { Wallet } from './wallet.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'Time bank', symbol: 'HRS', decimals: 0, minBalance: -1000, maxBalance: 2000, rateLimitSeconds: 60 }
const RELAY = 'ws://relay.test/sync'
let clock = Date.UTC(2026, 11, 7, 12)
let dbCount = 0

async function device(): Promise<Wallet> {
  return Wallet.open({ db: await openWalletDb(`devices-test-${++dbCount}`), sync: new OfflineSyncEngine(RELAY), now: () => clock })
}

function community(policy: Policy): ReturnType<typeof communityOf> {
  return communityOf(policy, device, (ms) => (clock += ms))
}

/** The relay's mailbox HTTP (sync-server/mailbox.ts) in memory: POST keeps the bytes, GET lists them in base64. */
function mailboxes(): { boxes: Map<string, Uint8Array[]>; fetch: typeof fetch; down: boolean } {
  const state = { boxes: new Map<string, Uint8Array[]>(), down: false, fetch: undefined as unknown as typeof fetch }
  state.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (state.down) throw new TypeError('Failed to fetch')
    const url = new URL(String(input))
    const box = url.pathname.replace('/mailbox/', '')
    if (init?.method === 'POST') {
      state.boxes.set(box, [...(state.boxes.get(box) ?? []), new Uint8Array(init.body as Uint8Array)])
      return new Response('{}', { status: 201 })
    }
    const messages = (state.boxes.get(box) ?? []).map((data, i) => ({ id: String(i), time: i, data: btoa(String.fromCharCode(...data)) }))
    return new Response(JSON.stringify({ messages }), { status: 200 })
  }) as typeof fetch
  return state
}

describe('one member on two devices', () => {
  let c: Awaited<ReturnType<typeof community>>
  let laptop: Wallet
  let relay: ReturnType<typeof mailboxes>

  beforeEach(async () => {
    relay = mailboxes()
    vi.stubGlobal('fetch', (...args: Parameters<typeof fetch>) => relay.fetch(...args))
    c = await community(POLICY)
    laptop = await device()
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  /** Links the laptop to Alice's account (or `owner`'s) through the sealed answer; returns the laptop's device key. */
  async function link(owner: Wallet = c.alice, syncWith: Wallet[] = [c.gatekeeper, c.alice, c.bob]): Promise<string> {
    const pending = (await laptop.devices()).linking.start('Laptop', 'https://app.test')
    expect(pending.text).toMatch(/^https:\/\/app\.test\/#\/d\/[A-Za-z0-9_-]+$/)
    expect(await (await laptop.devices()).linking.poll(pending)).toBeUndefined()
    const alice = (await owner.devices()).linking
    const code = alice.read(pending.text)
    if (!code.ok) throw new Error(JSON.stringify(code.refusal))
    const answered = await alice.answer(c.pool, code.value, '')
    expect(answered.ok && answered.value.sent).toBe(true)
    // What the relay holds is ciphertext: neither the member key nor the pool is readable in it.
    const stored = [...relay.boxes.values()].flat().map((bytes) => new TextDecoder().decode(bytes)).join('')
    expect(stored).not.toContain(owner.pool(c.pool)!.me)
    expect(stored).not.toContain(c.pool)
    expect(await (await laptop.devices()).linking.poll(pending)).toEqual({ ok: true, value: c.pool })
    await exchange(c.pool, ...syncWith, laptop)
    return pending.code.device
  }

  it("a receipt shown by a linked device carries its certificate: a payee who has not synced since the link settles it at once", async () => {
    const laptopKey = await link(c.alice, [c.gatekeeper, c.alice])
    clock += 61_000
    const paid = await laptop.pay(c.pool, c.bobKey, 40, 'face to face')
    expect(paid.ok).toBe(true)
    const receipt = laptop.receiptPayload(c.pool, paid.ok ? paid.value : '')!
    expect(receipt.lines.some((line) => line.includes('"type":"device"') && line.includes(laptopKey))).toBe(true)
    // Bob's phone never saw the certificate: the receipt alone is enough to settle the payment.
    await c.bob.ingestLines(c.pool, receipt.lines)
    expect(c.bob.pool(c.pool)?.balance).toBe(40)
    expect(c.bob.pool(c.pool)?.statement.find((row) => row.memo === 'face to face')?.status).toBe('accepted')
  })

  it("a gatekeeper's linked device pays as the gatekeeper but does not govern: the view says so, and the rules refuse its invite", async () => {
    await link(c.gatekeeper)
    const onLaptop = laptop.pool(c.pool)!
    const onPhone = c.gatekeeper.pool(c.pool)!
    expect([onLaptop.role, onLaptop.governs, onLaptop.memberKeyHere]).toEqual(['gatekeeper', false, false])
    expect([onPhone.role, onPhone.governs, onPhone.memberKeyHere]).toEqual(['gatekeeper', true, true])
    // What the app no longer offers there would only be refused: an invite signed by the device key.
    const invite = await laptop.createInvite(c.pool, 'from the laptop')
    expect(invite.ok).toBe(false)
  })

  it('links a second device by its code: it acts for the member, and both devices agree on one balance after paying offline', async () => {
    const laptopKey = await link()
    expect(laptop.pool(c.pool)?.me).toBe(c.aliceKey)
    expect(laptop.pool(c.pool)?.role).toBe('member')
    // The member key stays on the phone: the laptop may not close the account (core/rules/devices.ts).
    expect([laptop.pool(c.pool)?.memberKeyHere, c.alice.pool(c.pool)?.memberKeyHere]).toEqual([false, true])
    const list = (await c.alice.devices()).devices.list(c.pool)!
    expect(list.map((d) => [d.memberKey, d.name, d.status, d.thisDevice])).toEqual([[true, null, 'active', true], [false, 'Laptop', 'active', false]])
    // Both pay Bob while apart (offline): the phone first, the laptop a minute later.
    clock += 61_000
    expect((await c.alice.pay(c.pool, c.bobKey, 100, 'bread')).ok).toBe(true)
    clock += 61_000
    const fromLaptop = await laptop.pay(c.pool, c.bobKey, 50, 'jam')
    expect(fromLaptop.ok).toBe(true)
    await exchange(c.pool, c.gatekeeper, c.alice, c.bob, laptop)
    for (const w of [c.alice, laptop, c.bob, c.gatekeeper]) expect(w.pool(c.pool)?.members.find((m) => m.key === c.aliceKey)?.balance).toBe(-150)
    expect(laptop.pool(c.pool)?.balance).toBe(-150)
    expect(c.alice.pool(c.pool)?.balance).toBe(-150)
    // The laptop's payment is the member's row on both devices.
    const row = c.alice.pool(c.pool)!.statement.find((r) => r.memo === 'jam')!
    expect([row.status, row.change, row.counterparty]).toEqual(['accepted', -50, c.bobKey])
    expect((await c.alice.devices()).devices.list(c.pool)!.find((d) => d.key === laptopKey)?.lastActivity).toBe(clock)
  })

  it('restores a linked device from its backup file as the same device of the same member', async () => {
    const laptopKey = await link()
    const snapshot = await laptop.snapshot()
    const again = await device()
    await again.restore(snapshot)
    await exchange(c.pool, c.alice, again)
    expect(again.pool(c.pool)?.me).toBe(c.aliceKey)
    const rows = (await again.devices()).devices.list(c.pool)!
    expect(rows.find((row) => row.thisDevice)?.key).toBe(laptopKey)
    // Restored keys wait for their own chain from a relay before they sign (chain-guard.ts), as any restore.
    expect(again.signingBlocked(c.pool)?.reason).toBe('needs-chain-head')
  })

  it('removes a lost device: what it signed before stands, what it signs after is rejected on every device', async () => {
    const laptopKey = await link()
    clock += 61_000
    expect((await laptop.pay(c.pool, c.bobKey, 40, 'before')).ok).toBe(true)
    await exchange(c.pool, c.alice, laptop)
    clock += 1000
    const removed = await (await c.alice.devices()).devices.remove(c.pool, laptopKey)
    expect(removed.ok).toBe(true)
    // The thief, not yet told, pays with the laptop.
    clock += 61_000
    expect((await laptop.pay(c.pool, c.bobKey, 70, 'after')).ok).toBe(true)
    await exchange(c.pool, c.gatekeeper, c.alice, c.bob, laptop)
    for (const w of [c.alice, laptop, c.bob, c.gatekeeper]) expect(w.pool(c.pool)?.members.find((m) => m.key === c.aliceKey)?.balance).toBe(-40)
    const rows = c.alice.pool(c.pool)!.statement
    expect(rows.find((r) => r.memo === 'before')?.status).toBe('accepted')
    expect(rows.find((r) => r.memo === 'after')).toMatchObject({ status: 'rejected', reason: 'device-revoked' })
    const shown = (await c.alice.devices()).devices.list(c.pool)!.find((d) => d.key === laptopKey)!
    expect([shown.status, shown.rejectedAfterRemoval]).toEqual(['revoked', 1])
    // A device does not remove itself here (the member's other device does).
    expect((await (await laptop.devices()).devices.remove(c.pool, laptopKey)).ok).toBe(false)
  })

  it('says what is wrong with a garbled, expired or used code and a dead relay, and signs nothing then', async () => {
    const alice = (await c.alice.devices()).linking
    const entries = (): number => c.alice.poolLines(c.pool).length
    expect(alice.read('https://app.test/#/d/garbled!')).toMatchObject({ ok: false, refusal: { reason: 'link-garbled' } })
    expect(alice.read('not a link at all')).toMatchObject({ ok: false, refusal: { reason: 'link-garbled' } })
    const pending = (await laptop.devices()).linking.start('Old', 'https://app.test')
    // A character changed: still base64url, no longer the code.
    const damaged = pending.text.slice(0, -6) + (pending.text.endsWith('A') ? 'B' : 'A') + pending.text.slice(-5)
    expect(alice.read(damaged).ok).toBe(false)
    const code = alice.read(pending.text)
    if (!code.ok) throw new Error('code')
    relay.down = true
    const before = entries()
    expect(await alice.answer(c.pool, code.value, '')).toMatchObject({ ok: false, refusal: { reason: 'link-relay' } })
    expect(entries()).toBe(before)
    expect(await (await laptop.devices()).linking.poll(pending)).toMatchObject({ ok: false, refusal: { reason: 'link-relay' } })
    relay.down = false
    // Junk and another link's answer in the box are ignored.
    relay.boxes.set('x', [new Uint8Array([1, 2, 3])])
    expect((await alice.answer(c.pool, code.value, 'Tablet')).ok).toBe(true)
    expect(await alice.answer(c.pool, code.value, 'Tablet')).toMatchObject({ ok: false, refusal: { reason: 'link-used' } })
    // Bob's phone cannot certify a key for Alice's account, and a device cannot certify at all.
    clock += DEVICE_LINK_TTL_MS + 1
    expect(alice.read(pending.text)).toMatchObject({ ok: false, refusal: { reason: 'link-expired' } })
    const fresh = (await laptop.devices()).linking.start('', 'https://app.test')
    expect(await (await laptop.devices()).linking.poll({ ...fresh, code: { ...fresh.code, expires: clock - 1 } })).toMatchObject({ ok: false, refusal: { reason: 'link-expired' } })
  })

  it('lets a member with no device and no phrase recover through the gatekeeper, once the owner has been quiet for the waiting time', async () => {
    clock += 61_000
    expect((await c.alice.pay(c.pool, c.bobKey, 120, 'rent')).ok).toBe(true)
    await exchange(c.pool, c.gatekeeper, c.alice, c.bob)
    const fresh = await device()
    expect((await fresh.addPoolFromLink(c.gatekeeper.poolLinkPayload(c.pool)!)).ok).toBe(true)
    await exchange(c.pool, c.gatekeeper, fresh)
    const mine = (await fresh.devices()).recovery
    const asked = await mine.request(c.pool, c.bobKey)
    if (!asked.ok) throw new Error(JSON.stringify(asked.refusal))
    const link = mine.requestLink(c.pool, asked.value, 'https://app.test')!
    const queue = (await c.gatekeeper.devices()).recovery
    expect(await queue.takeRequestLink('https://app.test/#/v/AAAA')).toMatchObject({ ok: false, refusal: { reason: 'link-garbled' } })
    expect(await queue.takeRequestLink(link)).toEqual({ ok: true, value: { pool: c.pool, id: asked.value } })
    expect(queue.queue(c.pool)).toMatchObject([{ id: asked.value, member: c.bobKey, approvals: 0, needed: 1, status: 'open', approvedByMe: false }])
    // Bob was paid a moment ago and signed his join: not yet.
    expect(await queue.approve(c.pool, asked.value)).toMatchObject({ ok: false, refusal: { reason: 'recovery-blocked' } })
    clock += (RECOVERY_WAIT_SECONDS + 60) * 1000
    c.gatekeeper.tick()
    expect((await queue.approve(c.pool, asked.value)).ok).toBe(true)
    expect(queue.queue(c.pool)[0]?.status).toBe('recovered')
    await exchange(c.pool, c.gatekeeper, c.alice, c.bob, fresh)
    fresh.tick()
    expect(mine.mine(c.pool)?.status).toBe('recovered')
    expect(fresh.pool(c.pool)?.role).toBe('member')
    expect(fresh.pool(c.pool)?.balance).toBe(120)
  })
})
