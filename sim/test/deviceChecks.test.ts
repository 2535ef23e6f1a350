/**
 * The checks of issue 17's trouble (deviceChecks.ts) fail when they should:
 * a forked device left active or its member frozen, two devices that revoked
 * each other where one stays active, a recovery that moves the wrong amount,
 * follows an active owner or lets the old key spend after it, a lost
 * member's recovery that never completes, an impostor's that does. The
 * replay is a stand-in written by hand (the real validator never does any of
 * this); the world holds only what the checks read.
 */
import { describe, expect, it } from 'vitest'
import type { Entry, EntryVerdict, Movement, ReplayResult } from '../../core/index.ts'
import { deviceProblems } from '../deviceChecks.ts'
import type { PoolCast, World } from '../world.ts'

const POOL = 'f'.repeat(64)
const MEMBER = 'a'.repeat(64)
const LAPTOP = 'b'.repeat(64)
const TABLET = 'c'.repeat(64)
const NEW = 'd'.repeat(64)
const SHOP = 'e'.repeat(64)
const T = Date.UTC(2026, 10, 22, 10)

const entry = (id: string, author: string, type: Entry['type'], time: number, extra: Record<string, unknown> = {}): Entry =>
  ({ id, author, type, time, seq: 1, prev: null, deps: [], pool: POOL, ...extra }) as unknown as Entry
const verdict = (e: Entry, status: EntryVerdict['status'], reason?: string, witnessed: string | null = null): EntryVerdict =>
  ({ id: e.id, type: e.type, author: e.author, seq: e.seq, status, ...(reason ? { reason } : {}), witnessed }) as EntryVerdict

function world(truth: Partial<World['truth']>): { world: World; cast: PoolCast } {
  const cast = { plan: { pool: POOL }, witnessing: { witnesses: [], offlineAmountMax: 100 } } as unknown as PoolCast
  const w = { pools: [cast], truth: { deviceForks: [], mutualRevocations: [], recoveries: [], ...truth } } as unknown as World
  return { world: w, cast }
}

function ledger(result: Partial<ReplayResult>, movements: Movement[] = []) {
  const full = { members: {}, balances: {}, entries: [], equivocations: [], ...result } as unknown as ReplayResult
  return { result: () => full, movements: () => movements }
}

const byIdOf = (entries: Entry[]) => new Map(entries.map((e) => [e.id, e]))

describe('the checks of devices that fork, revoke each other and are recovered', () => {
  const a = entry('a1', LAPTOP, 'transfer', T, { seq: 3, to: SHOP, amount: 5 })
  const b = entry('b1', LAPTOP, 'transfer', T + 1000, { seq: 3, to: SHOP, amount: 7 })
  const fork = { pool: POOL, member: MEMBER, device: { key: { publicKey: LAPTOP }, name: 'laptop', signed: [a] }, twins: [a, b], fromWitnessedHead: true, held: undefined, shown: new Map() }
  const member = (frozen: boolean, status: string) => ({ [MEMBER]: { frozen, devices: [{ key: LAPTOP, status }] } })

  it('passes a suspended device whose member is not frozen, and catches an active one or a frozen member', () => {
    const { world: w, cast } = world({ deviceForks: [fork as never] })
    const equivocations = [{ author: LAPTOP, seq: 3, entries: ['a1', 'b1'] }]
    const good = ledger({ members: member(false, 'suspended') as never, equivocations: equivocations as never, entries: [verdict(a, 'accepted'), verdict(b, 'rejected', 'equivocation')] })
    expect(deviceProblems(w, cast, good, byIdOf([a, b]))).toEqual([])
    const uncertified = ledger({ members: { [MEMBER]: { frozen: false } } as never, equivocations: [], entries: [verdict(a, 'rejected', 'not-member'), verdict(b, 'rejected', 'not-member')] })
    expect(deviceProblems(w, cast, uncertified, byIdOf([a, b]))).toEqual([])
    const bad = ledger({ members: member(true, 'active') as never, equivocations: [], entries: [verdict(a, 'accepted'), verdict(b, 'accepted')] })
    const problems = deviceProblems(w, cast, bad, byIdOf([a, b]))
    expect(problems.some((p) => p.includes('is active, not suspended'))).toBe(true)
    expect(problems.some((p) => p.includes('is not reported'))).toBe(true)
    expect(problems.some((p) => p.includes('is frozen'))).toBe(true)
  })

  it('holds what payees lost from a device fork in a witnessed pool to one offline allowance', () => {
    const lossy = { ...fork, shown: new Map([['a1', 150]]) }
    const { world: w, cast } = world({ deviceForks: [lossy as never] })
    ;(cast.witnessing as unknown as { witnesses: number[] }).witnesses = [0]
    const result = ledger({ members: member(false, 'suspended') as never, equivocations: [{ author: LAPTOP, seq: 3, entries: ['a1', 'b1'] }] as never, entries: [verdict(b, 'accepted', undefined, 'cp'), verdict(a, 'rejected', 'equivocation', 'cp')] })
    expect(deviceProblems(w, cast, result, byIdOf([a, b]))).toEqual([expect.stringContaining('lost 150 to the fork, more than (2 − 1) × offlineAmountMax = 100')])
  })

  it('counts a twin refused for reaching a witness past the allowance as offline risk, not fork loss: both twins so lost pass within 2 × the cap, more does not', () => {
    const late = { ...fork, shown: new Map([['a1', 100], ['b1', 100]]) }
    const { world: w, cast } = world({ deviceForks: [late as never] })
    ;(cast.witnessing as unknown as { witnesses: number[] }).witnesses = [0]
    const equivocations = [{ author: LAPTOP, seq: 3, entries: ['a1', 'b1'] }] as never
    const bothLate = ledger({ members: member(false, 'suspended') as never, equivocations, entries: [verdict(a, 'rejected', 'witnessed-too-late', 'cp'), verdict(b, 'rejected', 'witnessed-too-late', 'cp')] })
    expect(deviceProblems(w, cast, bothLate, byIdOf([a, b]))).toEqual([])
    const tooMuch = { ...fork, shown: new Map([['a1', 150], ['b1', 100]]) }
    const { world: w2, cast: cast2 } = world({ deviceForks: [tooMuch as never] })
    ;(cast2.witnessing as unknown as { witnesses: number[] }).witnesses = [0]
    expect(deviceProblems(w2, cast2, bothLate, byIdOf([a, b]))).toEqual([expect.stringContaining('lost 0 to the fork and 250 witnessed too late, more than 2 × offlineAmountMax = 200')])
  })

  it('catches two devices that revoked each other where one stays active', () => {
    const r1 = entry('r1', LAPTOP, 'revoke', T, { device: TABLET })
    const r2 = entry('r2', TABLET, 'revoke', T, { device: LAPTOP })
    const { world: w, cast } = world({ mutualRevocations: [{ pool: POOL, member: MEMBER, revocations: [r1, r2] } as never] })
    const devices = (s: string) => ({ [MEMBER]: { frozen: false, devices: [{ key: LAPTOP, status: 'revoked' }, { key: TABLET, status: s }] } })
    expect(deviceProblems(w, cast, ledger({ members: devices('revoked') as never, entries: [verdict(r1, 'accepted'), verdict(r2, 'accepted')] }), byIdOf([r1, r2]))).toEqual([])
    const problems = deviceProblems(w, cast, ledger({ members: devices('active') as never, entries: [verdict(r1, 'rejected', 'not-device'), verdict(r2, 'accepted')] }), byIdOf([r1, r2]))
    expect(problems).toEqual([expect.stringContaining(`${TABLET.slice(0, 6)} is active, not revoked`)])
  })

  describe('a recovery', () => {
    const request = entry('req', NEW, 'recover', T + 10, { member: MEMBER })
    const approval = entry('app', SHOP, 'approve', T + 20, { entry: 'req', key: NEW })
    const paid: Movement = { entry: 'pay' as never, at: 'pay' as never, time: T, from: SHOP as never, to: MEMBER as never, amount: 40, fee: 0, memo: undefined }
    const moved = (amount: number): Movement => ({ entry: 'app' as never, at: 'app' as never, time: T + 20, from: MEMBER as never, to: NEW as never, amount, fee: 0, memo: 'recovery' })
    const members = { [MEMBER]: { frozen: true }, [NEW]: { frozen: false } }
    const recoveries = [{ id: 'req', member: MEMBER, key: NEW, approvals: [SHOP], needed: 1, status: 'recovered', completedBy: 'app' }]
    const staged = { pool: POOL, kind: 'lost', member: MEMBER, request, approval, thief: undefined }

    it('passes when the whole balance moves and the old key is frozen', () => {
      const { world: w, cast } = world({ recoveries: [staged as never] })
      const result = ledger({ members: members as never, balances: { [MEMBER]: 0, [NEW]: 40 }, recoveries: recoveries as never, entries: [verdict(request, 'accepted'), verdict(approval, 'accepted')] }, [paid, moved(40)])
      expect(deviceProblems(w, cast, result, byIdOf([request, approval]))).toEqual([])
    })

    it('catches a wrong amount, an owner active before it, the old key spending after it, and a thief accepted', () => {
      const before = entry('x1', MEMBER, 'transfer', T + 5)
      const after = entry('x2', MEMBER, 'transfer', T + 30)
      const { world: w, cast } = world({ recoveries: [{ ...staged, thief: after } as never] })
      const result = ledger({
        members: members as never, balances: { [MEMBER]: 0, [NEW]: 30 }, recoveries: recoveries as never,
        entries: [verdict(before, 'accepted'), verdict(request, 'accepted'), verdict(approval, 'accepted'), verdict(after, 'accepted')],
      }, [paid, moved(30)])
      const problems = deviceProblems(w, cast, result, byIdOf([before, request, approval, after]))
      expect(problems.some((p) => p.includes('moved 30 to the new key, its balance was 40'))).toBe(true)
      expect(problems.some((p) => p.includes('its owner was active'))).toBe(true)
      expect(problems.some((p) => p.includes('accepted after the recovery'))).toBe(true)
      expect(problems.some((p) => p.includes('found phone') && p.includes('accepted'))).toBe(true)
    })

    it("catches a lost member's recovery left open, and an impostor's that completes", () => {
      const open = [{ ...recoveries[0], status: 'open', completedBy: undefined }]
      const { world: lostWorld, cast } = world({ recoveries: [staged as never] })
      const refused = ledger({ members: { [MEMBER]: { frozen: false } } as never, recoveries: open as never, entries: [verdict(request, 'accepted'), verdict(approval, 'rejected', 'recovery-blocked')] })
      expect(deviceProblems(lostWorld, cast, refused, byIdOf([request, approval]))).toEqual([expect.stringContaining('who lost every device and never signed, is open')])
      const owners = entry('own', MEMBER, 'transfer', T - 3 * 86_400_000)
      const asked = { ...request, deps: ['own'] } as unknown as Entry
      const { world: impostorWorld } = world({ recoveries: [{ ...staged, kind: 'active', request: asked } as never] })
      const refusedToo = ledger({ members: { [MEMBER]: { frozen: false } } as never, recoveries: open as never, entries: [verdict(owners, 'accepted'), verdict(asked, 'accepted'), verdict(approval, 'rejected', 'recovery-blocked')] })
      expect(deviceProblems(impostorWorld, cast, refusedToo, byIdOf([owners, asked, approval]))).toEqual([])
      const taken = ledger({ members: members as never, balances: { [MEMBER]: 0, [NEW]: 40 }, recoveries: recoveries as never, entries: [verdict(owners, 'accepted'), verdict(asked, 'accepted'), verdict(approval, 'accepted')] }, [paid, moved(40)])
      const problems = deviceProblems(impostorWorld, cast, taken, byIdOf([owners, asked, approval]))
      expect(problems).toContainEqual(expect.stringContaining('its owner was active'))
      expect(problems).toContainEqual(expect.stringContaining('an impostor recovered'))
    })
  })
})
