/**
 * Issue 18 on the command line: a demurrage policy from `pool create` and
 * `pool update`, `heroes tick`, and what `replay` and `statement` show.
 * Commands run in-process on real files.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInProcess, type Run } from './run-in-process.ts'

const DAY = 86_400_000
const T0 = Date.UTC(2026, 0, 1)
const T = (days: number, minutes = 0) => String(T0 + days * DAY + minutes * 60_000)
const AS_OF = T(400)


describe('heroes CLI: demurrage', () => {
  let dir: string
  const keys: Record<string, string> = {}
  const path = (name: string) => join(dir, name)

  const run = (args: string[]): Promise<Run> => runInProcess(dir, args)

  async function append(args: string[]): Promise<Record<string, unknown> & { warning: string }> {
    const r = await run(args)
    expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0)
    appendFileSync(path('log'), r.out)
    return { ...JSON.parse(r.out), warning: r.err }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-demurrage-'))
    for (const name of ['gk', 'alice', 'bob']) {
      const r = await run(['keygen'])
      writeFileSync(path(`${name}.json`), r.out)
      keys[name] = JSON.parse(r.out).publicKey
    }
    const genesis = await run(['pool', 'create', '--key', 'gk.json', '--type', 'issued', '--name', 'Demurrage', '--time', T(0),
      '--demurrage-rate', '2/100', '--demurrage-period-seconds', '2592000'])
    expect(genesis.code, genesis.err).toBe(0)
    writeFileSync(path('log'), genesis.out)
    expect(JSON.parse(genesis.out).policy.demurrage).toEqual({ rateNum: 2, rateDen: 100, periodSeconds: 2_592_000, freeBase: 0 })
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.alice!, '--time', T(0, 1)])
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.bob!, '--time', T(0, 2)])
    await append(['issue', '--key', 'gk.json', '--log', 'log', '--to', keys.alice!, '--amount', '1000', '--time', T(0, 3)])
  })

  it('ticks: 2 % per 30 days on 1,000 for 30 days charges 20 to the commons, shown in replay and statement', async () => {
    const tick = await append(['tick', '--key', 'gk.json', '--log', 'log', '--time', T(30, 3)])
    expect(tick.type).toBe('tick')
    expect(tick.warning).toBe('')
    const replay = JSON.parse((await run(['replay', 'log', '--as-of', AS_OF])).out)
    expect(replay.balances[keys.alice!]).toBe(980)
    expect(replay.commons).toBe(20)
    expect(replay.demurrageCollected).toBe(20)
    const statement = JSON.parse((await run(['statement', 'log', '--member', keys.alice!, '--as-of', AS_OF])).out)
    expect(statement.rows.map((r: { type: string; amount: number }) => [r.type, r.amount])).toEqual([['issue', 1000], ['demurrage', -20]])
    const csv = (await run(['statement', 'log', '--all', '--as-of', AS_OF])).out
    expect(csv).toMatch(/,demurrage,/)
  })

  it("warns when a member signs a tick, which the pool will refuse", async () => {
    const r = await run(['tick', '--key', 'alice.json', '--log', 'log', '--time', T(31)])
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/not-ticker/)
  })

  it('pool update changes the rate from its position, and none turns it off', async () => {
    const update = await append(['pool', 'update', '--key', 'gk.json', '--log', 'log', '--demurrage-rate', '10/100', '--demurrage-period-seconds', '2592000', '--demurrage-free-base', '500', '--time', T(45)])
    expect(update.policy).toEqual({ demurrage: { rateNum: 10, rateDen: 100, periodSeconds: 2_592_000, freeBase: 500 } })
    await append(['tick', '--key', 'gk.json', '--log', 'log', '--time', T(75)])
    const replay = JSON.parse((await run(['replay', 'log', '--as-of', AS_OF])).out)
    // day 75: 10 % of 980 − 500 = 48
    expect(replay.balances[keys.alice!]).toBe(932)
    expect(replay.demurrageCollected).toBe(68)
    const off = await append(['pool', 'update', '--key', 'gk.json', '--log', 'log', '--demurrage-rate', 'none', '--time', T(76)])
    expect(off.policy).toEqual({ demurrage: null })
  })

  it('refuses bad demurrage flags with one line', async () => {
    for (const [args, message] of [
      [['--demurrage-rate', '2/100'], /--demurrage-period-seconds/],
      [['--demurrage-period-seconds', '86400'], /--demurrage-rate/],
      [['--demurrage-rate', '2%', '--demurrage-period-seconds', '86400'], /NUM\/DEN/],
      [['--demurrage-rate', '100/100', '--demurrage-period-seconds', '86400'], /numerator from 1 to 99/],
      [['--demurrage-rate', '1/100', '--demurrage-period-seconds', '60'], /from 86400/],
      [['--demurrage-rate', 'none', '--demurrage-period-seconds', '86400'], /none alone/],
    ] as const) {
      const r = await run(['pool', 'update', '--key', 'gk.json', '--log', 'log', ...args])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toMatch(message)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    }
  })
})
