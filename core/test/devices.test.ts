/**
 * Devices (rules/devices.ts, revocations.ts): certificates, attribution to
 * the member, revocation cutoffs in any arrival order, suspension of a device
 * that forks, spending caps, and attackers' tries against each rule.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Ledger, SignatureCache, entryIdOf, replay, type Entry, type EntryId } from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf, type Actor } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const phone = actor('alice phone')
const laptop = actor('alice laptop')
const thief = actor('thief')
const witness = actor('witness')
const ASOF = T0 + 1000 * MINUTE
const cache = new SignatureCache()

function certify(p: PoolBuilder, member: Actor, device: Actor, time: number, extra: { name?: string; spendCap?: number } = {}) {
  return p.sign(member, 'device', { device: device.key, ...extra }, { time })
}

function revoke(p: PoolBuilder, by: Actor, device: Actor, after: Entry | null, time: number, deps: EntryId[] = []) {
  return p.sign(by, 'revoke', { device: device.key, afterSeq: after?.seq ?? 0, ...(after ? { afterEntry: after.id } : {}) },
    { time, deps: [...new Set([...(after ? [after.id] : []), ...deps])] })
}

/** alice and bob members; alice certifies her phone. */
function pool(policy = {}) {
  const p = new PoolBuilder(policy)
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  const cert = certify(p, alice, phone, T0 + 3, { name: 'Phone' })
  return { p, cert }
}

const result = (p: PoolBuilder, asOf = ASOF) => replay(p.entries, { asOf, cache })

describe('a device acts for its member', () => {
  it('pays from the member\'s balance, judged against the member\'s limits', () => {
    const { p, cert } = pool()
    const paid = p.transfer(phone, bob, 600, T0 + MINUTE, { deps: [cert.id] })
    const own = p.transfer(alice, bob, 300, T0 + 3 * MINUTE)
    const over = p.transfer(phone, bob, 200, T0 + 5 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, cert)).toBe('accepted')
    expect(verdictOf(r, paid)).toBe('accepted')
    expect(verdictOf(r, own)).toBe('accepted')
    // 600 + 300 + 200 would take alice below -1000
    expect(verdictOf(r, over)).toBe('rejected:below-min-balance')
    expect(r.balances[alice.key]).toBe(-900)
    expect(r.balances[bob.key]).toBe(900)
    expect(r.balances[phone.key]).toBeUndefined()
    expect(r.members[alice.key]!.devices).toEqual([{ key: phone.key, name: 'Phone', status: 'active', certificate: cert.id }])
    expect(r.members[bob.key]!.devices).toBeUndefined()
  })

  it('shares the member\'s rate limit and is paid nothing itself (a device key is no payee)', () => {
    const { p, cert } = pool()
    const first = p.transfer(alice, bob, 10, T0 + MINUTE)
    const soon = p.transfer(phone, bob, 10, T0 + MINUTE + 1000, { deps: [cert.id] })
    const toDevice = p.transfer(bob, phone, 10, T0 + 2 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, first)).toBe('accepted')
    expect(verdictOf(r, soon)).toBe('rejected:rate-limit')
    expect(verdictOf(r, toDevice)).toBe('rejected:unknown-member')
  })

  it('cannot govern, certify, close or join: only the member key does', () => {
    const p = new PoolBuilder()
    p.admit(alice, T0 + 1, { role: 'gatekeeper' })
    p.admit(bob, T0 + 2)
    const cert = certify(p, alice, phone, T0 + 3)
    const admitted = p.sign(phone, 'admit', { member: thief.key }, { time: T0 + MINUTE, deps: [cert.id] })
    const frozen = p.sign(phone, 'freeze', { member: bob.key }, { time: T0 + 2 * MINUTE })
    const certified = certify(p, phone, laptop, T0 + 3 * MINUTE)
    const closed = p.close(phone, T0 + 4 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, admitted)).toBe('rejected:not-authorized')
    expect(verdictOf(r, frozen)).toBe('rejected:not-authorized')
    expect(verdictOf(r, certified)).toBe('rejected:not-authorized')
    expect(verdictOf(r, closed)).toBe('rejected:not-authorized')
  })

  it('counts a capped device\'s payments against its cap, and refuses its standing orders', () => {
    const p = new PoolBuilder()
    p.admit(alice, T0 + 1)
    p.admit(bob, T0 + 2)
    const cert = certify(p, alice, phone, T0 + 3, { name: 'Kid', spendCap: 150 })
    const a = p.transfer(phone, bob, 100, T0 + MINUTE, { deps: [cert.id] })
    const b = p.transfer(phone, bob, 60, T0 + 3 * MINUTE)
    const c = p.transfer(phone, bob, 50, T0 + 5 * MINUTE)
    const order = p.sign(phone, 'order', { to: bob.key, amount: 10, everySeconds: 3600 }, { time: T0 + 6 * MINUTE })
    const r = result(p)
    expect([a, b, c, order].map((e) => verdictOf(r, e))).toEqual(['accepted', 'rejected:device-cap', 'accepted', 'rejected:device-cap'])
    expect(r.members[alice.key]!.devices![0]).toMatchObject({ spendCap: 150, spent: 150 })
    // a new certificate raises the cap and starts the count again
    const again = certify(p, alice, phone, T0 + 7 * MINUTE, { name: 'Kid', spendCap: 20 })
    const d = p.transfer(phone, bob, 20, T0 + 8 * MINUTE, { deps: [again.id] })
    const r2 = result(p)
    expect(verdictOf(r2, d)).toBe('accepted')
    expect(r2.members[alice.key]!.devices![0]).toMatchObject({ spendCap: 20, spent: 20 })
  })

  it('attacker: a device certified by a non-member acts for nobody', () => {
    const p = new PoolBuilder()
    p.admit(bob, T0 + 1)
    const cert = certify(p, thief, phone, T0 + 2)
    const paid = p.transfer(phone, bob, 10, T0 + MINUTE, { deps: [cert.id] })
    const r = result(p)
    expect(verdictOf(r, cert)).toBe('rejected:not-member')
    expect(verdictOf(r, paid)).toBe('rejected:not-member')
  })

  it('attacker: a member certifying another member\'s key or device gets device-taken', () => {
    const { p } = pool()
    const member = certify(p, alice, bob, T0 + MINUTE)
    const taken = certify(p, bob, phone, T0 + 2 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, member)).toBe('rejected:device-taken')
    expect(verdictOf(r, taken)).toBe('rejected:device-taken')
  })

  it('attacker: a gatekeeper admitting a member\'s device key as a member of its own gets device-taken; the device keeps paying for its member', () => {
    const { p } = pool()
    const admitted = p.admit(phone, T0 + MINUTE)
    const paid = p.transfer(phone, bob, 10, T0 + 2 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, admitted)).toBe('rejected:device-taken')
    expect(verdictOf(r, paid)).toBe('accepted')
    expect(r.members[phone.key]).toBeUndefined()
    expect(r.balances[alice.key]).toBe(-10)
  })

  it('attacker: a certificate replayed into another pool is refused (the pool is inside the signed bytes)', () => {
    const { cert } = pool()
    const other = new PoolBuilder({ name: 'Other pool' })
    other.admit(alice, T0 + 1)
    other.admit(bob, T0 + 2)
    // the certificate copied as it is, and re-labelled with the other pool's id (and the id that content has)
    const relabelled = { ...cert, pool: other.pool } as Entry
    const forged = { ...relabelled, id: entryIdOf(relabelled as never) } as Entry
    const paid = other.transfer(phone, bob, 10, T0 + MINUTE, { deps: [] })
    const r = replay([...other.entries, cert, forged], { asOf: ASOF, cache, pool: other.pool })
    expect(r.entries.find((v) => v.id === cert.id)?.reason).toBe('wrong-pool')
    expect(r.entries.find((v) => v.id === forged.id)?.reason).toBe('bad-signature')
    expect(verdictOf(r, paid)).toBe('rejected:not-member')
    expect(r.members[alice.key]!.devices).toBeUndefined()
  })
})

describe('revoking a device', () => {
  /** The phone signs four payments; alice revokes it after seq `after` (the phone's entries are seq 1..4). */
  function fourPayments() {
    const { p, cert } = pool()
    const pays = [p.transfer(phone, bob, 10, T0 + MINUTE, { deps: [cert.id] })]
    for (let i = 2; i <= 4; i++) pays.push(p.transfer(phone, bob, 10, T0 + i * 2 * MINUTE))
    return { p, cert, pays }
  }

  it('keeps the chain up to the cutoff and voids the rest, in any arrival order', () => {
    const { p, pays } = fourPayments()
    const revocation = revoke(p, alice, phone, pays[1]!, T0 + 20 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, revocation)).toBe('accepted')
    expect(pays.map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'rejected:device-revoked', 'rejected:device-revoked'])
    expect(r.members[alice.key]!.devices![0]!.status).toBe('revoked')
    expect(r.balances[alice.key]).toBe(-20)
    // the member is not frozen
    const after = p.transfer(alice, bob, 5, T0 + 30 * MINUTE)
    expect(verdictOf(result(p), after)).toBe('accepted')
    const expected = JSON.stringify(result(p))
    fc.assert(fc.property(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), (shuffled) => {
      expect(JSON.stringify(replay(shuffled, { asOf: ASOF, cache }))).toBe(expected)
    }), { numRuns: 30 })
  })

  it('attacker: a revoked device back-dating entries before the revocation gets them voided', () => {
    const { p, pays } = fourPayments()
    // alice revokes after seq 4 at minute 20; the thief signs seq 5 and 6 dated minute 9 (before every other entry after seq 4)
    const revocation = revoke(p, alice, phone, pays[3]!, T0 + 20 * MINUTE)
    const late1 = p.transfer(phone, bob, 10, T0 + 9 * MINUTE, { seq: 5, prev: pays[3]!.id })
    const late2 = p.transfer(phone, bob, 10, T0 + 10 * MINUTE, { seq: 6, prev: late1.id })
    const r = result(p)
    expect(verdictOf(r, revocation)).toBe('accepted')
    expect(verdictOf(r, late1)).toBe('rejected:device-revoked')
    expect(verdictOf(r, late2)).toBe('rejected:device-revoked')
    expect(r.balances[bob.key]).toBe(40)
  })

  it('attacker: a history that branches just before the revocation is void however it is dated', () => {
    const { p, pays } = fourPayments()
    // a twin of seq 3 (a fork at or below the cutoff), dated before the honest seq 3
    const branch = p.transfer(phone, bob, 500, pays[1]!.time + 1, { seq: 3, prev: pays[1]!.id })
    const revocation = revoke(p, alice, phone, pays[3]!, T0 + 20 * MINUTE)
    const r = result(p)
    expect(verdictOf(r, revocation)).toBe('accepted')
    expect(verdictOf(r, branch)).toBe('rejected:device-revoked')
    expect(pays.map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'accepted', 'accepted'])
    expect(r.balances[bob.key]).toBe(40)
  })

  it('attacker: a device that forks its own chain is suspended; its member is not frozen', () => {
    const { p, pays } = fourPayments()
    const twin = p.transfer(phone, bob, 10, pays[3]!.time + 1, { seq: 4, prev: pays[2]!.id })
    const next = p.transfer(phone, bob, 10, T0 + 30 * MINUTE, { seq: 5, prev: pays[3]!.id })
    const own = p.transfer(alice, bob, 10, T0 + 32 * MINUTE)
    const paid = p.transfer(bob, alice, 10, T0 + 34 * MINUTE)
    const r = result(p)
    expect([verdictOf(r, pays[3]!), verdictOf(r, twin)].sort()).toEqual(['accepted', 'rejected:equivocation'])
    expect(verdictOf(r, next)).toMatch(/^rejected:(device-suspended|equivocation)$/)
    expect(verdictOf(r, own)).toBe('accepted')
    expect(verdictOf(r, paid)).toBe('accepted')
    expect(r.members[alice.key]!.frozen).toBe(false)
    expect(r.members[alice.key]!.devices![0]!.status).toBe('suspended')
  })

  it('resolves two devices revoking each other to both revoked, each at the cutoff the other named', () => {
    const { p, cert, pays } = fourPayments()
    const cert2 = certify(p, alice, laptop, T0 + 4, { name: 'Laptop' })
    const l1 = p.transfer(laptop, bob, 10, T0 + 3 * MINUTE, { deps: [cert2.id] })
    const l2 = p.transfer(laptop, bob, 10, T0 + 11 * MINUTE)
    // concurrently, the laptop removes the phone after seq 3 and the phone the laptop after seq 1
    const byLaptop = revoke(p, laptop, phone, pays[2]!, T0 + 12 * MINUTE, [cert.id])
    const byPhone = revoke(p, phone, laptop, l1, T0 + 12 * MINUTE)
    const r = result(p)
    expect([byLaptop, byPhone].map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted'])
    expect(pays.map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'accepted', 'rejected:device-revoked'])
    expect([verdictOf(r, l1), verdictOf(r, l2)]).toEqual(['accepted', 'rejected:device-revoked'])
    expect(r.members[alice.key]!.devices!.map((d) => [d.name, d.status])).toEqual([['Phone', 'revoked'], ['Laptop', 'revoked']])
    // the member key is untouched, and certifies a new device
    const tablet = actor('alice tablet')
    const cert3 = certify(p, alice, tablet, T0 + 14 * MINUTE)
    const t1 = p.transfer(tablet, bob, 10, T0 + 15 * MINUTE, { deps: [cert3.id] })
    expect(verdictOf(result(p), t1)).toBe('accepted')
  })

  it('resolves concurrent revocations of one device to the lowest cutoff, and the member key over a device', () => {
    const { p, cert, pays } = fourPayments()
    const cert2 = certify(p, alice, laptop, T0 + 4, { name: 'Laptop' })
    const l1 = p.transfer(laptop, bob, 10, T0 + 3 * MINUTE, { deps: [cert2.id] })
    const l2 = p.transfer(laptop, bob, 10, T0 + 11 * MINUTE)
    const byLaptop = revoke(p, laptop, phone, pays[2]!, T0 + 12 * MINUTE, [cert.id])
    // alice, concurrently, removes the phone after seq 2: the phone's own revocation of the laptop (its seq 5) is past that
    const byAlice = revoke(p, alice, phone, pays[1]!, T0 + 13 * MINUTE)
    const byPhone = revoke(p, phone, laptop, l1, T0 + 12 * MINUTE)
    const r = result(p)
    expect([byLaptop, byAlice, byPhone].map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'rejected:device-revoked'])
    expect(pays.map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'rejected:device-revoked', 'rejected:device-revoked'])
    expect([verdictOf(r, l1), verdictOf(r, l2)]).toEqual(['accepted', 'accepted'])
    expect(r.members[alice.key]!.devices!.map((d) => d.status)).toEqual(['revoked', 'active'])
    // two revocations leave the same entries out: the verdicts, details included, do not depend on arrival
    const expected = JSON.stringify(r)
    fc.assert(fc.property(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), (shuffled) => {
      expect(JSON.stringify(replay(shuffled, { asOf: ASOF, cache }))).toBe(expected)
      const ledger = new Ledger(p.pool, { cache })
      for (const e of shuffled) ledger.add([e], ASOF)
      expect(JSON.stringify(ledger.result())).toBe(expected)
    }), { numRuns: 40 })
  })

  it('refuses a device\'s revocation past the cutoff the member key set for it, and a revocation by an outsider', () => {
    const { p, cert, pays } = fourPayments()
    const cert2 = certify(p, alice, laptop, T0 + 4)
    const l1 = p.transfer(laptop, bob, 10, T0 + 3 * MINUTE, { deps: [cert2.id] })
    const byAlice = revoke(p, alice, laptop, l1, T0 + 5 * MINUTE)
    const byLaptop = revoke(p, laptop, phone, pays[0]!, T0 + 6 * MINUTE, [cert.id])
    const byBob = revoke(p, bob, phone, pays[0]!, T0 + 7 * MINUTE, [cert.id])
    const r = result(p)
    expect(verdictOf(r, byAlice)).toBe('accepted')
    expect(verdictOf(r, byLaptop)).toBe('rejected:device-revoked')
    expect(verdictOf(r, byBob)).toBe('rejected:not-device')
    expect(pays.map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'accepted', 'accepted'])
  })

  it('does not certify a revoked key again', () => {
    const { p, pays } = fourPayments()
    revoke(p, alice, phone, pays[3]!, T0 + 20 * MINUTE)
    const again = certify(p, alice, phone, T0 + 21 * MINUTE)
    expect(verdictOf(result(p), again)).toBe('rejected:device-revoked')
  })

  it('never voids what a witness covered before the revocation', () => {
    const { p, pays } = fourPayments()
    p.policy({ witnesses: [witness.key] }, T0 + 5)
    const covered = p.checkpoint(witness, T0 + 9 * MINUTE)
    const revocation = revoke(p, alice, phone, pays[1]!, T0 + 20 * MINUTE)
    const later = p.transfer(phone, bob, 10, T0 + 21 * MINUTE)
    p.checkpoint(witness, T0 + 22 * MINUTE)
    const r = result(p)
    expect(r.entries.find((v) => v.id === pays[3]!.id)!.witnessed).toBe(covered.id)
    expect(verdictOf(r, revocation)).toBe('accepted')
    expect(pays.map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'accepted', 'accepted'])
    expect(verdictOf(r, later)).toBe('rejected:device-revoked')
    // incrementally, one entry at a time, the same
    const ledger = new Ledger(p.pool, { cache })
    for (const e of p.entries) ledger.add([e], ASOF)
    expect(JSON.stringify(ledger.result())).toBe(JSON.stringify(r))
  })

  it('refuses a cutoff that is not the device\'s entry at that seq', () => {
    const { p, pays } = fourPayments()
    const wrong = p.sign(alice, 'revoke', { device: phone.key, afterSeq: 3, afterEntry: pays[0]!.id }, { time: T0 + 20 * MINUTE, deps: [pays[0]!.id] })
    expect(verdictOf(result(p), wrong)).toBe('rejected:bad-cutoff')
  })
})

describe('the offline cap holds per member, across its devices', () => {
  it('counts the member key\'s and every device\'s offline payments together', () => {
    const { p, cert } = pool({ witnesses: [witness.key], offlineCountMax: 3, offlineAmountMax: 1000 })
    const cert2 = certify(p, alice, laptop, T0 + 4)
    const a = p.transfer(alice, bob, 10, T0 + MINUTE)
    const b = p.transfer(phone, bob, 10, T0 + 3 * MINUTE, { deps: [cert.id] })
    const c = p.transfer(laptop, bob, 10, T0 + 5 * MINUTE, { deps: [cert2.id] })
    const d = p.transfer(phone, bob, 10, T0 + 7 * MINUTE)
    const r = result(p)
    expect([a, b, c, d].map((e) => verdictOf(r, e))).toEqual(['accepted', 'accepted', 'accepted', 'rejected:offline-cap'])
    const ledger = new Ledger(p.pool, { cache })
    ledger.add(p.entries, ASOF)
    expect(ledger.offlineAllowance(alice.key)).toMatchObject({ countLeft: 0 })
    expect(ledger.offlineAllowance(phone.key)).toMatchObject({ countLeft: 0 })
  })
})

describe('signatures are bound to their pool and type', () => {
  it('a certificate re-labelled as a revocation does not verify', () => {
    const { p, cert } = pool()
    const { name: _name, ...rest } = cert as Entry & { name?: string }
    const relabelled = { ...rest, type: 'revoke', afterSeq: 0 } as unknown as Entry
    const forged = { ...relabelled, id: entryIdOf(relabelled as never) } as Entry
    const r = replay([...p.entries, forged], { asOf: ASOF, cache })
    expect(r.entries.find((v) => v.id === forged.id)?.reason).toBe('bad-signature')
    expect(r.members[alice.key]!.devices![0]!.status).toBe('active')
  })
})

describe('devices and revocations: the result is a function of the set', () => {
  type Step =
    | { kind: 'pay'; who: number; to: number; amount: number; dt: number; back: boolean }
    | { kind: 'certify'; device: number; cap: number }
    | { kind: 'revoke'; by: number; device: number; keep: number; dt: number }
    | { kind: 'fork'; device: number; back: number }
    | { kind: 'checkpoint'; dt: number }
  const MEMBERS = [alice, bob]
  const DEVICES = [phone, laptop, actor('bob phone')]
  const OWNER = [alice, alice, bob]
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('pay' as const), who: fc.nat(4), to: fc.nat(1), amount: fc.integer({ min: 1, max: 400 }), dt: fc.integer({ min: 0, max: 3 * MINUTE }), back: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('certify' as const), device: fc.nat(2), cap: fc.constantFrom(0, 0, 300) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('revoke' as const), by: fc.nat(4), device: fc.nat(2), keep: fc.nat(4), dt: fc.integer({ min: 0, max: 2 * MINUTE }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('fork' as const), device: fc.nat(2), back: fc.nat(3) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('checkpoint' as const), dt: fc.integer({ min: 0, max: 2 * MINUTE }) }) },
  )
  const scenarioArb = fc.record({ witnessed: fc.boolean(), steps: fc.array(stepArb, { minLength: 1, maxLength: 30 }) })

  /** Keys 0–1 are the members, 2–4 their devices. */
  function build(s: { witnessed: boolean; steps: Step[] }): PoolBuilder {
    const p = new PoolBuilder(s.witnessed ? { witnesses: [witness.key], offlineCountMax: 3, offlineAmountMax: 700 } : {})
    p.admit(alice, T0 + 1)
    p.admit(bob, T0 + 2)
    let now = T0 + 10
    const certs = new Map<number, Entry>()
    for (const step of s.steps) {
      if (step.kind === 'certify') {
        const owner = OWNER[step.device]!
        now += 1000
        certs.set(step.device, certify(p, owner, DEVICES[step.device]!, now, step.cap ? { spendCap: step.cap } : {}))
      }
      if (step.kind === 'pay') {
        const signer = step.who < 2 ? MEMBERS[step.who]! : DEVICES[step.who - 2]!
        const to = MEMBERS[step.to]!
        if (signer === to || (step.who >= 2 && OWNER[step.who - 2] === to)) continue
        now += step.dt
        // sometimes dated back, before entries others signed since
        const time = Math.max(chainHeadTime(p, signer), step.back ? now - 5 * MINUTE : now)
        const cert = step.who >= 2 ? certs.get(step.who - 2) : undefined
        p.transfer(signer, to, step.amount, time, cert ? { deps: [cert.id] } : {})
      }
      if (step.kind === 'revoke') {
        const device = DEVICES[step.device]!
        const signer = step.by < 2 ? MEMBERS[step.by]! : DEVICES[step.by - 2]!
        if (signer === device) continue
        const own = p.entries.filter((e) => e.author === device.key)
        const keep = own.length === 0 ? null : own[Math.min(step.keep, own.length) - 1] ?? null
        now += step.dt
        const cert = certs.get(step.device)
        revoke(p, signer, device, keep, Math.max(now, chainHeadTime(p, signer)), cert ? [cert.id] : [])
      }
      if (step.kind === 'fork') {
        const device = DEVICES[step.device]!
        const own = p.entries.filter((e) => e.author === device.key)
        const target = own[Math.max(0, own.length - 1 - step.back)]
        if (target) p.transfer(device, MEMBERS[OWNER[step.device] === alice ? 1 : 0]!, 7, target.time + 1, { seq: target.seq, prev: target.prev })
      }
      if (step.kind === 'checkpoint') {
        now += step.dt
        p.checkpoint(witness, Math.max(now, chainHeadTime(p, witness)))
      }
    }
    return p
  }
  function chainHeadTime(p: PoolBuilder, who: Actor): number {
    let t = 0
    for (const e of p.entries) if (e.author === who.key && e.time > t) t = e.time
    return t
  }
  const run = (entries: Entry[]) => JSON.stringify(replay(entries, { asOf: ASOF, cache }))

  it('gives byte-identical results for any order and duplicates, and incrementally in any parts', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { maxLength: 20 }), fc.array(fc.nat(4), { minLength: 1, maxLength: 40 }), fc.integer(), (s, dupPicks, partOf, seed) => {
        const p = build(s)
        const expected = run(p.entries)
        const shuffled = fc.sample(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), { seed, numRuns: 1 })[0]!
        expect(run([...shuffled, ...dupPicks.map((i) => p.entries[i % p.entries.length]!)])).toBe(expected)
        const parts: Entry[][] = [[], [], [], [], []]
        shuffled.forEach((e, i) => parts[partOf[i % partOf.length]!]!.push(e))
        const ledger = new Ledger(p.pool, { cache })
        for (const part of parts) ledger.add(part, ASOF)
        expect(JSON.stringify(ledger.result())).toBe(expected)
        const oneByOne = new Ledger(p.pool, { cache })
        for (const e of p.entries) oneByOne.add([e], ASOF)
        expect(JSON.stringify(oneByOne.result())).toBe(expected)
      }),
      { numRuns: 200 },
    )
  })

  it('never lets a device\'s spending pass its member\'s limits or create money', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = replay(build(s).entries, { asOf: ASOF, cache })
        const sum = Object.values(r.balances).reduce((a, b) => a + b, 0)
        expect(sum).toBe(0)
        for (const key of Object.keys(r.balances)) {
          expect(DEVICES.map((d) => d.key)).not.toContain(key)
          expect(r.balances[key]!).toBeGreaterThanOrEqual(-1000)
        }
        for (const d of r.members[alice.key]?.devices ?? []) if (d.spendCap !== undefined) expect(d.spent!).toBeLessThanOrEqual(d.spendCap)
      }),
      { numRuns: 150 },
    )
  })
})
