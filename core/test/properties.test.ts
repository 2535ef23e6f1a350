/**
 * Properties of the validator over random pools (fast-check, explicit run
 * counts; a failure prints its seed and shrinks to a small counterexample).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  Ledger, SignatureCache, decodeEntry, encodeEntry, entryIdOf, replay, type Entry, type PublicKeyHex,
} from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor, type Actor } from './fixtures.ts'

const ACTORS = ['alice', 'bob', 'carol', 'dave', 'erin'].map(actor)

type Action =
  | { kind: 'transfer'; from: number; to: number; amount: number; dt: number }
  | { kind: 'issue'; to: number; amount: number; dt: number }
  | { kind: 'fork'; from: number; to: number; amount: number; dt: number }
  | { kind: 'freeze'; who: number; dt: number }
  | { kind: 'late-admit'; who: number; dt: number }
  | { kind: 'request'; from: number; to: number; amount: number; dt: number; pay: boolean }
  | { kind: 'answer'; how: 'accept' | 'reject' | 'cancel'; pick: number; dt: number }
  | { kind: 'close'; who: number; dt: number }
  | { kind: 'checkpoint'; dt: number }
  | { kind: 'late-fork'; from: number; to: number; amount: number; back: number; dt: number }
  | { kind: 'listing'; who: number; how: 'post' | 'edit' | 'unlist'; pick: number; category: number; life: number; dt: number }
  | { kind: 'categories'; list: number; dt: number }
  | { kind: 'tick'; by: number; dt: number }
  | { kind: 'order'; from: number; to: number; amount: number; every: number; count: number; dt: number }
  | { kind: 'collect'; pick: number; period: number; dt: number }

const ORDER_ACTIONS: fc.Arbitrary<Action>[] = [
  fc.record({ kind: fc.constant('order' as const), from: fc.nat(4), to: fc.nat(4), amount: fc.integer({ min: 1, max: 400 }), every: fc.integer({ min: 0, max: 3 }), count: fc.nat(3), dt: fc.integer({ min: 0, max: MINUTE }) }),
  fc.record({ kind: fc.constant('collect' as const), pick: fc.nat(), period: fc.nat(1), dt: fc.integer({ min: 0, max: 3 * MINUTE }) }),
]

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  // Standing orders (every = 0: a scheduled payment) and their payments, collected by the payee, sometimes too early or twice.
  { weight: 2, arbitrary: ORDER_ACTIONS[0]! },
  { weight: 4, arbitrary: ORDER_ACTIONS[1]! },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: fc.nat(4), to: fc.nat(4), amount: fc.integer({ min: 1, max: 700 }), dt: fc.integer({ min: -MINUTE, max: 3 * MINUTE }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('issue' as const), to: fc.nat(4), amount: fc.integer({ min: 1, max: 900 }), dt: fc.integer({ min: 0, max: MINUTE }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fork' as const), from: fc.nat(4), to: fc.nat(4), amount: fc.integer({ min: 1, max: 700 }), dt: fc.integer({ min: 0, max: MINUTE }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('freeze' as const), who: fc.nat(4), dt: fc.integer({ min: 0, max: MINUTE }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('late-admit' as const), who: fc.nat(4), dt: fc.integer({ min: 0, max: MINUTE }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('request' as const), from: fc.nat(4), to: fc.nat(4), amount: fc.integer({ min: 1, max: 700 }), dt: fc.integer({ min: 0, max: 2 * MINUTE }), pay: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('answer' as const), how: fc.constantFrom('accept' as const, 'accept' as const, 'reject' as const, 'cancel' as const), pick: fc.nat(), dt: fc.integer({ min: 0, max: MINUTE }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), who: fc.nat(4), dt: fc.integer({ min: 0, max: MINUTE }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('checkpoint' as const), dt: fc.integer({ min: 0, max: 2 * MINUTE }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('late-fork' as const), from: fc.nat(4), to: fc.nat(4), amount: fc.integer({ min: 1, max: 700 }), back: fc.nat(6), dt: fc.integer({ min: 0, max: MINUTE }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('listing' as const), who: fc.nat(4), how: fc.constantFrom('post' as const, 'post' as const, 'edit' as const, 'unlist' as const), pick: fc.nat(), category: fc.nat(3), life: fc.nat(3), dt: fc.integer({ min: 0, max: 2 * MINUTE }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('categories' as const), list: fc.nat(2), dt: fc.integer({ min: 0, max: MINUTE }) }) },
  // A tick by the gatekeeper (by 0) or, sometimes, by a member who may not; up to two days on, past demurrage boundaries.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), by: fc.nat(3), dt: fc.integer({ min: 0, max: 2 * 24 * 60 * MINUTE }) }) },
)

/** Daily demurrage above a small free base, so that random histories cross boundaries. */
const DEMURRAGE = { rateNum: 3, rateDen: 100, periodSeconds: 86_400, freeBase: 100 }

const CATEGORY_LISTS = [['Food'], ['Food', 'Repairs'], []]
const CATEGORY_NAMES = [undefined, 'Food', 'Repairs', 'Garden']

const WITNESS = actor('witness')

const scenarioArb = fc.record({
  witnessed: fc.boolean(),
  issued: fc.boolean(),
  twoStep: fc.boolean(),
  feeBasisPoints: fc.constantFrom(0, 0, 150, 2000),
  demurrage: fc.boolean(),
  members: fc.integer({ min: 2, max: 4 }),
  maxBalance: fc.option(fc.integer({ min: 500, max: 3000 }), { nil: null }),
  actions: fc.array(actionArb, { minLength: 1, maxLength: 25 }),
})


/** Builds a pool from a scenario. Members beyond `members` are strangers (not admitted) until a late admit. */
function build(s: { witnessed?: boolean; issued: boolean; twoStep?: boolean; feeBasisPoints?: number; demurrage?: boolean; members: number; maxBalance: number | null; actions: Action[] }): PoolBuilder {
  const extra = {
    ...(s.twoStep ? { twoStep: true } : {}), ...(s.feeBasisPoints ? { feeBasisPoints: s.feeBasisPoints } : {}),
    ...(s.witnessed ? { witnesses: [WITNESS.key], offlineCountMax: 1, offlineAmountMax: 800 } : {}),
    ...(s.demurrage ? { demurrage: DEMURRAGE } : {}),
  }
  const p = new PoolBuilder(s.issued ? { kind: 'issued', minBalance: 0, maxBalance: s.maxBalance, ...extra } : { maxBalance: s.maxBalance, ...extra })
  const answerable: Entry[] = []
  for (let i = 0; i < s.members; i++) p.admit(ACTORS[i]!, T0 + i + 1)
  const clock = new Map<Actor, number>()
  let now = T0 + 10
  const timeFor = (who: Actor, dt: number) => {
    now += Math.max(0, dt)
    // sometimes an author's clock lags others: that shows in the (time, id) order, not in its own chain
    const t = Math.max(clock.get(who) ?? T0, now + Math.min(0, dt))
    clock.set(who, t)
    return t
  }
  // The latest checkpoint, and who signed something since: a payer whose chain it covers pays online, naming it.
  let checkpoint: Entry | undefined
  const moved = new Set<Actor>()
  const listings: Entry[] = []
  const orders: (Entry & { to: PublicKeyHex })[] = []
  for (const a of s.actions) {
    // Orders between admitted members (mostly), so that their payments reach the order rules.
    if (a.kind === 'order' && a.from % s.members !== a.to % s.members) {
      const from = ACTORS[a.from % s.members]!
      const t = timeFor(from, a.dt)
      const body = { to: ACTORS[a.to % s.members]!.key, amount: a.amount, ...(a.every ? { everySeconds: a.every * 60 } : { start: t + MINUTE }), ...(a.every && a.count ? { count: a.count } : {}) }
      const o = p.sign(from, 'order', body, { time: t }) as Entry & { to: PublicKeyHex }
      orders.push(o)
    }
    if (a.kind === 'collect' && orders.length > 0) {
      const o = orders[a.pick % orders.length]!
      // sometimes the payer revokes instead
      if (a.pick % 6 === 1) {
        const payer = ACTORS.find((x) => x.key === o.author)!
        p.answer('cancel', payer, o, timeFor(payer, a.dt))
        continue
      }
      // usually the payee collects; sometimes the payer tries
      const who = ACTORS.find((x) => x.key === (a.pick % 7 === 0 ? o.author : o.to))!
      p.sign(who, 'collect', { order: o.id, period: a.period }, { time: timeFor(who, a.dt), deps: [o.id] })
    }
    if (a.kind === 'categories') p.sign(p.gatekeeper, 'categories', { categories: CATEGORY_LISTS[a.list]! }, { time: timeFor(p.gatekeeper, a.dt) })
    if (a.kind === 'listing') {
      // usually its author edits or withdraws a listing; sometimes someone else tries
      const who = ACTORS[a.who]!
      const t = timeFor(who, a.dt)
      const target = listings[a.pick % Math.max(1, listings.length)]
      const category = CATEGORY_NAMES[a.category]
      const body = { kind: a.pick % 2 ? 'offer' : 'want', title: `Item ${a.pick % 7}`, ...(category ? { category } : {}), ...(a.life ? { expires: t + a.life * 2 * MINUTE } : {}) }
      if (a.how === 'post' || !target) listings.push(p.sign(who, 'listing', body, { time: t }))
      else if (a.how === 'edit') p.sign(who, 'listing', { ...body, edits: target.id }, { time: t, deps: [target.id] })
      else p.sign(who, 'unlist', { listing: target.id }, { time: t, deps: [target.id] })
    }
    if (a.kind !== 'checkpoint' && 'from' in a) moved.add(ACTORS[a.from]!)
    if (a.kind === 'transfer' && a.from !== a.to) {
      const from = ACTORS[a.from]!
      // half of them, so that offline runs long enough to meet the cap too
      const online = checkpoint && !moved.has(from) && a.amount % 2 === 0 ? { deps: [checkpoint.id] } : {}
      answerable.push(p.transfer(from, ACTORS[a.to]!, a.amount, timeFor(from, a.dt), online))
    }
    if (a.kind === 'request' && a.from !== a.to) {
      const payee = ACTORS[a.to]!
      // A third of them recurring (rules/recurring.ts): accepting one makes a standing order the collects below pay.
      const request = a.amount % 3 === 0
        ? p.sign(payee, 'request', { amount: a.amount, from: ACTORS[a.from]!.key, everySeconds: 60 * (1 + (a.amount % 2)), ...(a.amount % 4 ? { count: 2 } : {}) }, { time: timeFor(payee, a.dt) })
        : p.request(payee, a.amount, timeFor(payee, a.dt), ACTORS[a.from]!)
      answerable.push(request)
      if (a.pay && request.type === 'request' && 'everySeconds' in request) {
        const accepted = p.answer('accept', ACTORS[a.from]!, request, timeFor(ACTORS[a.from]!, a.dt + MINUTE))
        orders.push({ ...accepted, to: payee.key } as Entry & { to: PublicKeyHex })
        // the payee collects the first payment at once, half of the time
        if (a.dt % 2 === 0) p.sign(payee, 'collect', { order: accepted.id, period: 0 }, { time: timeFor(payee, MINUTE), deps: [accepted.id] })
      } else if (a.pay) p.payRequest(ACTORS[a.from]!, request, timeFor(ACTORS[a.from]!, a.dt + MINUTE), payee)
    }
    if (a.kind === 'answer' && answerable.length > 0) {
      const target = answerable[a.pick % answerable.length]! as Entry & { to?: PublicKeyHex; amount: number }
      // usually the right party answers; sometimes the wrong one tries
      const payer = ACTORS.find((x) => x.key === target.author)!
      const payee = target.type === 'transfer' ? ACTORS.find((x) => x.key === target.to)! : ACTORS.find((x) => x.key === (target as { from?: string }).from) ?? payer
      const who = a.how === 'cancel' ? (a.pick % 5 === 0 ? payee : payer) : a.pick % 5 === 0 ? payer : payee
      const answer = p.answer(a.how, who, target, timeFor(who, a.dt))
      if (a.how === 'accept' && target.type === 'request' && 'everySeconds' in target) orders.push({ ...answer, to: target.author } as Entry & { to: PublicKeyHex })
    }
    if (a.kind === 'tick') {
      const who = a.by === 0 ? p.gatekeeper : ACTORS[a.by - 1]!
      p.sign(who, 'tick', {}, { time: timeFor(who, a.dt) })
    }
    if (a.kind === 'close') p.close(ACTORS[a.who]!, timeFor(ACTORS[a.who]!, a.dt))
    if (a.kind === 'issue') p.issue(ACTORS[a.to]!, a.amount, timeFor(p.gatekeeper, a.dt))
    if (a.kind === 'freeze') p.freeze(ACTORS[a.who]!, timeFor(p.gatekeeper, a.dt))
    if (a.kind === 'late-admit') p.admit(ACTORS[a.who]!, timeFor(p.gatekeeper, a.dt))
    // A checkpoint over every chain's tip (in an unwitnessed pool it is refused: not-witness).
    if (a.kind === 'checkpoint') {
      checkpoint = p.checkpoint(WITNESS, timeFor(WITNESS, a.dt))
      moved.clear()
    }
    if (a.kind === 'late-fork' && a.from !== a.to) {
      // a twin of an older entry of the author's chain, dated early: an attacker's late fork
      const from = ACTORS[a.from]!
      const own = p.entries.filter((e) => e.author === from.key)
      const target = own[Math.max(0, own.length - 1 - a.back)]
      if (target) p.transfer(from, ACTORS[a.to]!, a.amount, target.time + 1, { seq: target.seq, prev: target.prev })
    }
    if (a.kind === 'fork' && a.from !== a.to) {
      // the same chain position signed twice, as from two offline devices
      const from = ACTORS[a.from]!
      const t = timeFor(from, a.dt)
      const first = p.transfer(from, ACTORS[a.to]!, a.amount, t)
      const other = ACTORS.find((x, i) => i !== a.from && i !== a.to)!
      p.transfer(from, other, a.amount, t + 1, { seq: first.seq, prev: first.prev })
    }
  }
  return p
}

const ASOF = T0 + 10_000 * MINUTE
const cache = new SignatureCache()
const run = (entries: Entry[], asOf = ASOF) => JSON.stringify(replay(entries, { asOf, cache }))

describe('replay is a pure function of the set of entries', () => {
  it('gives byte-identical results for any order and any duplicates', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { maxLength: 40 }), fc.integer(), (s, dupPicks, seed) => {
        const p = build(s)
        const expected = run(p.entries)
        const shuffled = fc.sample(fc.shuffledSubarray(p.entries, { minLength: p.entries.length, maxLength: p.entries.length }), { seed, numRuns: 1 })[0]!
        const dups = dupPicks.map((i) => p.entries[i % p.entries.length]!)
        expect(run([...shuffled, ...dups])).toBe(expected)
      }),
      { numRuns: 150 },
    )
  })

  it('gives the same result incrementally, whatever the parts and their order', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(5), { minLength: 1, maxLength: 60 }), fc.integer(), (s, partOf, seed) => {
        const p = build(s)
        const expected = run(p.entries)
        const parts: Entry[][] = [[], [], [], [], [], []]
        p.entries.forEach((e, i) => parts[partOf[i % partOf.length]!]!.push(e))
        const order = fc.sample(fc.shuffledSubarray(parts, { minLength: 6, maxLength: 6 }), { seed, numRuns: 1 })[0]!
        const ledger = new Ledger(p.pool, { cache })
        for (const part of order) ledger.add(part, ASOF)
        expect(JSON.stringify(ledger.result())).toBe(expected)
        // applying one entry at a time, in log order, takes the incremental path
        const oneByOne = new Ledger(p.pool, { cache })
        for (const e of p.entries) oneByOne.add([e], ASOF)
        expect(JSON.stringify(oneByOne.result())).toBe(expected)
      }),
      { numRuns: 150 },
    )
  })

  it('gives the same result when asOf moves forward step by step', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = build(s)
        const times = [...new Set(p.entries.map((e) => e.time))].sort((a, b) => a - b)
        const ledger = new Ledger(p.pool, { cache })
        ledger.add(p.entries, T0)
        for (const t of times) ledger.add([], t)
        const last = times[times.length - 1]!
        expect(JSON.stringify(ledger.result())).toBe(run(p.entries, last))
      }),
      { numRuns: 60 },
    )
  })
})

describe('what a witness covered is final', () => {
  it('no entry added later changes the verdict of a covered entry', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (s, cut) => {
        const p = build({ ...s, witnessed: true })
        // Any prefix of the log is causally closed: an entry's parents were signed before it.
        const prefix = p.entries.slice(0, 1 + (cut % p.entries.length))
        const early = replay(prefix, { asOf: ASOF, cache })
        const late = new Map(replay(p.entries, { asOf: ASOF, cache }).entries.map((v) => [v.id, v]))
        for (const v of early.entries) {
          if (v.witnessed === null) continue
          const now = late.get(v.id)!
          expect(now.witnessed).toBe(v.witnessed)
          // An initiated two-step transfer is answered later: that is its life, not a change of the past.
          if (v.status === 'initiated') continue
          expect([now.status, now.reason]).toEqual([v.status, v.reason])
        }
      }),
      { numRuns: 150 },
    )
  })
})

describe('money is never created, lost or over-spent', () => {
  function checkInvariants(ledger: Ledger, entries: Entry[]) {
    const result = ledger.result()
    const byId = new Map(entries.map((e) => [e.id, e]))
    const total = Object.values(result.balances).reduce((a, b) => a + b, 0) + (result.commons ?? 0)
    if (result.policy!.kind === 'mutual-credit') expect(total).toBe(0)
    else expect(total).toBe(result.supply)
    // walk every movement in order: no limit is ever broken
    const balances = new Map<string, number>()
    let commons = 0
    for (const m of ledger.movements()) {
      if (m.from !== null) {
        const payer = (balances.get(m.from) ?? 0) - m.amount
        expect(payer).toBeGreaterThanOrEqual(result.members[m.from]!.minBalance)
        balances.set(m.from, payer)
      }
      const payee = (balances.get(m.to) ?? 0) + m.amount - m.fee
      const max = result.members[m.to]!.maxBalance
      if (max !== null) expect(payee).toBeLessThanOrEqual(max)
      balances.set(m.to, payee)
      commons += m.fee
    }
    for (const [key, balance] of balances) expect(result.balances[key]).toBe(balance)
    expect(result.commons ?? 0).toBe(commons)
    // and no rate: every transfer that passed the rules is a full interval after the author's previous one,
    // on effective time (an entry never counts as earlier than its prev and deps)
    const effective = new Map<string, number>()
    const effectiveTime = (e: Entry): number => {
      let t = effective.get(e.id)
      if (t !== undefined) return t
      t = e.time
      for (const parent of [...(e.prev ? [e.prev] : []), ...e.deps]) {
        const found = byId.get(parent)
        if (found) t = Math.max(t, effectiveTime(found))
      }
      effective.set(e.id, t)
      return t
    }
    const lastTransfer = new Map<string, number>()
    for (const verdict of result.entries) {
      const passed = verdict.status !== 'pending' && (verdict.status !== 'rejected' || verdict.reason === 'rejected-by-payee')
      const e = byId.get(verdict.id)!
      if (!passed || e.type !== 'transfer') continue
      const last = lastTransfer.get(e.author)
      if (last !== undefined) expect(effectiveTime(e) - last).toBeGreaterThanOrEqual(result.policy!.rateLimitSeconds * 1000)
      lastTransfer.set(e.author, effectiveTime(e))
    }
  }

  it('sums to zero in mutual credit, to the supply in issued pools, and no accepted prefix breaks a limit or the rate', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = build(s)
        const ledger = new Ledger(p.pool, { cache })
        ledger.add(p.entries, ASOF)
        checkInvariants(ledger, p.entries)
      }),
      { numRuns: 200 },
    )
  })

  it('reports every fork with both entries as proof', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = build(s)
        const result = replay(p.entries, { asOf: ASOF, cache })
        const slots = new Map<string, Set<string>>()
        for (const e of p.entries) {
          const key = e.author + ':' + e.seq
          slots.set(key, (slots.get(key) ?? new Set()).add(e.id))
        }
        const forks = [...slots.values()].filter((ids) => ids.size > 1).length
        expect(result.equivocations.length).toBe(forks)
      }),
      { numRuns: 100 },
    )
  })
})

describe('a flipped bit is never accepted', () => {
  it('a bit flipped anywhere in a line makes it malformed or badly signed, never accepted', () => {
    const p = build({ issued: false, members: 3, maxBalance: null, actions: [
      { kind: 'transfer', from: 0, to: 1, amount: 100, dt: MINUTE }, { kind: 'transfer', from: 1, to: 2, amount: 50, dt: MINUTE },
    ] })
    const lines = p.lines()
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.nat(), fc.nat(7), fc.boolean(), (which, position, bit, rehash) => {
        const line = lines[which]!
        const bytes = new TextEncoder().encode(line)
        const at = position % bytes.length
        bytes[at] = bytes[at]! ^ (1 << bit)
        let text: string
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
        } catch {
          return // not even UTF-8: no decoder gets to see it as an entry
        }
        let decoded = decodeEntry(text)
        if (rehash && !decoded.ok) {
          // an attacker who also recomputes the id: the signature must still fail
          try {
            const obj = JSON.parse(text)
            obj.id = entryIdOf(obj)
            if (obj.type === 'pool') obj.pool = obj.id
            decoded = decodeEntry(encodeEntry(obj))
          } catch {
            return
          }
        }
        if (!decoded.ok) return
        if (decoded.entry.id === p.entries[which]!.id && decoded.entry.sig === p.entries[which]!.sig) return // the flip changed nothing that counts
        const others = p.entries.filter((_, i) => i !== which)
        const result = replay([...others, decoded.entry], { asOf: ASOF, pool: p.pool, cache: new SignatureCache() })
        const verdict = result.entries.find((v) => v.id === decoded.entry.id)!
        expect(verdict.status).not.toBe('accepted')
      }),
      { numRuns: 2000 },
    )
  })
})

describe('the generator', () => {
  it('reaches the rules it means to test (a property over scenarios that never trip a rule proves little)', () => {
    const seen = new Map<string, number>()
    for (const s of fc.sample(scenarioArb, { seed: 42, numRuns: 500 })) {
      const p = build(s)
      const result = replay(p.entries, { asOf: ASOF, cache })
      if (result.demurrageCollected) seen.set('demurrage charged', (seen.get('demurrage charged') ?? 0) + 1)
      const fromRequests = (result.orders ?? []).filter((o) => o.request !== undefined)
      if (fromRequests.length > 0) seen.set('recurring request accepted', (seen.get('recurring request accepted') ?? 0) + 1)
      if (fromRequests.some((o) => o.paid > 0)) seen.set('recurring request paid', (seen.get('recurring request paid') ?? 0) + 1)
      for (const v of result.entries) {
        const key = v.reason ?? v.status
        seen.set(key, (seen.get(key) ?? 0) + 1)
      }
    }
    for (const key of ['accepted', 'initiated', 'rate-limit', 'below-min-balance', 'equivocation', 'not-member', 'frozen', 'rejected-by-payee', 'close-blocked', 'wrong-pool-type', 'not-open', 'offline-cap', 'not-witness', 'not-ticker', 'no-demurrage', 'demurrage charged', 'not-due', 'order-period-paid', 'not-collector', 'recurring request accepted', 'recurring request paid']) {
      expect(seen.get(key) ?? 0, `${key} in ${JSON.stringify([...seen])}`).toBeGreaterThan(0)
    }
  })
})
