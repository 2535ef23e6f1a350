/**
 * Issue 19 on the command line, with the contracts as the issue writes them:
 * pool update --hour-rate, trust, route (JSON or a one-line reason), and a
 * 2-hop path payment A → B → C run with hashlock, pay --path, gateway
 * forward, fulfil, gateway settle and witness, seen through replay's
 * "trustlines" and "prepares". Commands run in-process on real files.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInProcess, type Run } from './run-in-process.ts'

const T0 = Date.UTC(2026, 0, 1)
const T = (seconds: number) => String(T0 + seconds * 1000)
const AS_OF = T(86_400)

describe('heroes CLI: trust, route and a path payment across three pools', () => {
  let dir: string
  const keys: Record<string, string> = {}
  const pools: Record<string, string> = {}
  const path = (name: string) => join(dir, name)
  const run = (args: string[]): Promise<Run> => runInProcess(dir, args)

  async function append(log: string, args: string[]): Promise<Record<string, unknown>> {
    const r = await run(args)
    expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0)
    expect(r.err, args.join(' ')).not.toContain('warning')
    appendFileSync(path(log), r.out)
    return JSON.parse(r.out)
  }

  async function witness(name: string, at: number) {
    await append(`${name}.log`, ['witness', '--key', `w${name}.json`, '--log', `${name}.log`, '--time', T(at)])
  }

  async function replayOf(name: string, asOf = AS_OF) {
    return JSON.parse((await run(['replay', `${name}.log`, '--as-of', asOf])).out)
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-between-'))
    const names = ['gkA', 'gkB', 'gkC', 'wA', 'wB', 'wC', 'alice', 'carol', 'gwAB', 'gwBA', 'gwBC', 'gwCB']
    for (const name of names) {
      const r = await run(['keygen'])
      writeFileSync(path(`${name}.json`), r.out)
      keys[name] = JSON.parse(r.out).publicKey
    }
    // A: 1 unit = 1 HOUR (set later by pool update); B: a quarter HOUR, no decimals; C: 1.5 HOUR.
    const create: Record<string, string[]> = { A: [], B: ['--hour-rate', '1/4', '--decimals', '0'], C: ['--hour-rate', '3/2'] }
    for (const name of ['A', 'B', 'C']) {
      const r = await run(['pool', 'create', '--key', `gk${name}.json`, '--type', 'mutual-credit', '--name', `Pool ${name}`,
        '--witness', keys[`w${name}`]!, '--min-balance', '-100000', '--max-balance', 'none', '--time', T(0), ...create[name]!])
      expect(r.code, r.err).toBe(0)
      writeFileSync(path(`${name}.log`), r.out)
      pools[name] = JSON.parse(r.out).id
    }
    await append('A.log', ['admit', '--key', 'gkA.json', '--log', 'A.log', '--member', keys.alice!, '--time', T(1)])
    await append('C.log', ['admit', '--key', 'gkC.json', '--log', 'C.log', '--member', keys.carol!, '--time', T(1)])
  })

  it('pool update --hour-rate sets the rate; a bad rate is one line and exit 2', async () => {
    const policy = await append('A.log', ['pool', 'update', '--key', 'gkA.json', '--log', 'A.log', '--hour-rate', '1/1', '--time', T(2)])
    expect(policy).toMatchObject({ type: 'policy', policy: { hourRate: { num: 1, den: 1 } } })
    for (const bad of ['1', '0/1', '1/0', '1.5/1', '1/1000000001']) {
      const r = await run(['pool', 'update', '--key', 'gkA.json', '--log', 'A.log', '--hour-rate', bad, '--time', T(3)])
      expect(r.code, bad).toBe(2)
      expect(r.err.trim().split('\n')).toHaveLength(1)
      expect(r.out).toBe('')
    }
    expect((await replayOf('A')).policy.hourRate).toEqual({ num: 1, den: 1 })
  })

  it('trust prints a gatekeeper\'s trustline; replay shows it as a gateway account with its credit limit', async () => {
    const pairs: [string, string, string, number][] = [['A', 'B', 'gwAB', 100], ['B', 'A', 'gwBA', 100], ['B', 'C', 'gwBC', 100], ['C', 'B', 'gwCB', 100]]
    for (const [x, y, gw, hours] of pairs) {
      const entry = await append(`${x}.log`, ['trust', '--key', `gk${x}.json`, '--log', `${x}.log`, '--pool', pools[y]!,
        '--limit-hours', String(hours), '--gateway', keys[gw]!, '--time', T(10)])
      expect(entry).toMatchObject({ type: 'trust', peer: pools[y], limitHours: hours, gateway: keys[gw] })
    }
    for (const name of ['A', 'B', 'C']) await witness(name, 20)
    expect((await replayOf('B')).trustlines).toEqual({
      [pools.A!]: { gateway: keys.gwBA, limitHours: 100, limit: 400, balance: 0, held: 0, available: 400, entry: expect.any(String) },
      [pools.C!]: { gateway: keys.gwBC, limitHours: 100, limit: 400, balance: 0, held: 0, available: 400, entry: expect.any(String) },
    })
    const self = await run(['trust', '--key', 'gkA.json', '--log', 'A.log', '--pool', pools.A!, '--limit-hours', '5', '--gateway', keys.gwAB!, '--time', T(21)])
    expect(self.code).toBe(2)
  })

  it('route prints the contract JSON, or exits non-zero with a one-line reason', async () => {
    const logs = ['--log', 'A.log', '--log', 'B.log', '--log', 'C.log']
    const r = await run(['route', ...logs, '--from-pool', pools.A!, '--to-pool', pools.C!, '--amount', '1000', '--as-of', T(30)])
    expect(r.code, r.err).toBe(0)
    // 10.00 C units = 15 HOUR = 60 B units = 15.00 A units.
    expect(r.out).toBe(JSON.stringify({ route: [pools.A, pools.B, pools.C], sourceAmount: 1500, targetAmount: 1000 }) + '\n')
    const tooMuch = await run(['route', ...logs, '--from-pool', pools.A!, '--to-pool', pools.C!, '--amount', '100000', '--as-of', T(30)])
    expect(tooMuch.code).toBe(1)
    expect(tooMuch.out).toBe('')
    expect(tooMuch.err).toMatch(/^heroes route: no route: not-enough-trust \(.*\)\n$/)
    const none = await run(['route', '--log', 'A.log', '--log', 'C.log', '--from-pool', pools.A!, '--to-pool', pools.C!, '--amount', '1', '--as-of', T(30)])
    expect(none.code).toBe(1)
    expect(none.err).toMatch(/^heroes route: no route: none /)
  })

  it('pays along the path: hashlock, pay --path, gateway forward, fulfil, gateway settle; all or nothing', async () => {
    const logs = ['--log', 'A.log', '--log', 'B.log', '--log', 'C.log']
    const lock = await run(['hashlock', '--preimage-out', 'secret.json'])
    expect(lock.code, lock.err).toBe(0)
    const { condition } = JSON.parse(lock.out)
    expect(JSON.parse(readFileSync(path('secret.json'), 'utf8')).condition).toBe(condition)

    const first = await append('A.log', ['pay', '--path', '--key', 'alice.json', ...logs, '--to-pool', pools.C!, '--to', keys.carol!,
      '--amount', '1000', '--condition', condition, '--expires-seconds', '900', '--time', T(100)])
    expect(first).toMatchObject({ type: 'prepare', to: keys.gwAB, amount: 1500, condition, expires: T0 + 1000 * 1000, path: { pools: [pools.A, pools.B, pools.C], payee: keys.carol, amount: 1000 } })
    await witness('A', 105)
    const second = await append('B.log', ['gateway', 'forward', '--key', 'gwBA.json', ...logs, '--entry', first.id as string, '--time', T(110)])
    expect(second).toMatchObject({ type: 'prepare', author: keys.gwBA, to: keys.gwBC, amount: 60, expires: T0 + 880 * 1000 })
    await witness('B', 115)
    const third = await append('C.log', ['gateway', 'forward', '--key', 'gwCB.json', ...logs, '--entry', second.id as string, '--time', T(120)])
    expect(third).toMatchObject({ type: 'prepare', author: keys.gwCB, to: keys.carol, amount: 1000, expires: T0 + 760 * 1000 })
    await witness('C', 125)
    // The wrong key, or forwarding the same hop again from a stale view, is refused before anything is signed.
    expect((await run(['gateway', 'forward', '--key', 'gwAB.json', ...logs, '--entry', first.id as string, '--time', T(126)])).code).toBe(2)
    expect((await run(['gateway', 'settle', '--key', 'gwAB.json', ...logs, '--entry', first.id as string, '--time', T(126)])).code).toBe(1)

    const done = await append('C.log', ['fulfil', '--key', 'carol.json', '--log', 'C.log', '--entry', third.id as string, '--preimage-file', 'secret.json', '--time', T(200)])
    expect(done).toMatchObject({ type: 'fulfil', entry: third.id })
    await witness('C', 205)
    await append('B.log', ['gateway', 'settle', '--key', 'gwBC.json', ...logs, '--entry', second.id as string, '--time', T(210)])
    await witness('B', 215)
    await append('A.log', ['gateway', 'settle', '--key', 'gwAB.json', ...logs, '--entry', first.id as string, '--time', T(220)])
    await witness('A', 225)

    const [a, b, c] = [await replayOf('A'), await replayOf('B'), await replayOf('C')]
    expect(a.prepares[first.id as string]).toMatchObject({ status: 'fulfilled' })
    expect(b.prepares[second.id as string]).toMatchObject({ status: 'fulfilled' })
    expect(c.prepares[third.id as string]).toMatchObject({ status: 'fulfilled' })
    expect(a.balances[keys.alice!]).toBe(-1500)
    expect(c.balances[keys.carol!]).toBe(1000)
    expect(b.trustlines[pools.A!]).toMatchObject({ balance: -60, available: 340 })
    for (const r of [a, b, c]) expect(Object.values(r.balances as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(0)
  })

  it('gateway run --once forwards a witnessed prepare, and refuses at once one over --max-amount', async () => {
    const logs = ['--log', 'A.log', '--log', 'B.log', '--log', 'C.log']
    writeFileSync(path('ab.json'), JSON.stringify({ pools: [{ log: 'A.log', key: 'gwAB.json' }, { log: 'B.log', key: 'gwBA.json' }] }))
    const lock = JSON.parse((await run(['hashlock', '--preimage-out', 'secret3.json'])).out)
    const first = await append('A.log', ['pay', '--path', '--key', 'alice.json', ...logs, '--to-pool', pools.C!, '--to', keys.carol!,
      '--amount', '100', '--condition', lock.condition, '--expires-seconds', '900', '--time', T(500)])
    // Not witnessed yet: nothing to do (a gateway forwards only what is final where it was paid).
    expect((await run(['gateway', 'run', '--config', 'ab.json', '--once', '--time', T(502)])).out).toBe('')
    await witness('A', 505)
    const big = await run(['gateway', 'run', '--config', 'ab.json', '--once', '--time', T(510), '--max-amount', '5'])
    expect(big.code, big.err).toBe(0)
    expect(JSON.parse(big.out)).toMatchObject({ action: 'not-forwarded', prepare: first.id, reason: 'limit: 6 is more than --max-amount 5' })
    await witness('A', 515)
    expect((await replayOf('A')).prepares[first.id as string]).toMatchObject({ status: 'cancelled' })
    expect((await run(['gateway', 'run', '--config', 'ab.json', '--time', T(520)])).code).toBe(2)

    const lock2 = JSON.parse((await run(['hashlock', '--preimage-out', 'secret4.json'])).out)
    const second = await append('A.log', ['pay', '--path', '--key', 'alice.json', ...logs, '--to-pool', pools.C!, '--to', keys.carol!,
      '--amount', '100', '--condition', lock2.condition, '--expires-seconds', '900', '--time', T(600)])
    await witness('A', 605)
    const forwarded = await run(['gateway', 'run', '--config', 'ab.json', '--once', '--time', T(610)])
    expect(JSON.parse(forwarded.out)).toMatchObject({ action: 'forward', prepare: second.id, pool: pools.B })
    const b = await replayOf('B', T(620))
    expect(Object.values(b.prepares as Record<string, { condition: string; amount: number; status: string }>).find((p) => p.condition === lock2.condition)).toMatchObject({ amount: 6, status: 'prepared' })
    // A second round does nothing more: its logs are its memory.
    expect((await run(['gateway', 'run', '--config', 'ab.json', '--once', '--time', T(611)])).out).toBe('')
  })

  it('an unanswered path unwinds: the payer cancels after the expiry, not before', async () => {
    const lock = JSON.parse((await run(['hashlock', '--preimage-out', 'secret2.json'])).out)
    const logs = ['--log', 'A.log', '--log', 'B.log', '--log', 'C.log']
    const first = await append('A.log', ['pay', '--path', '--key', 'alice.json', ...logs, '--to-pool', pools.C!, '--to', keys.carol!,
      '--amount', '10', '--condition', lock.condition, '--expires-seconds', '300', '--time', T(1000)])
    await witness('A', 1005)
    const early = await run(['cancel', '--key', 'alice.json', '--log', 'A.log', '--entry', first.id as string, '--time', T(1100)])
    expect(early.code).toBe(0)
    expect(early.err).toContain('not-expired')
    await append('A.log', ['cancel', '--key', 'alice.json', '--log', 'A.log', '--entry', first.id as string, '--time', T(1301)])
    await witness('A', 1305)
    const a = await replayOf('A')
    expect(a.prepares[first.id as string]).toMatchObject({ status: 'cancelled' })
    expect(a.balances[keys.alice!]).toBe(-1500)
  })
})
