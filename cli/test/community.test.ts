/** The CLI side of issue 7: requests, two-step transfers, levies, closing, statements. */
import { describe, expect, it, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIN = new URL('../../bin/heroes.mjs', import.meta.url).pathname
const T = (minutes: number) => String(Date.UTC(2026, 10, 22, 10, minutes))

describe('heroes CLI: requests, two-step transfers, levies, statements', () => {
  let dir: string
  const keys: Record<string, string> = {}
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' })
  const append = (args: string[]) => {
    const r = run(args)
    expect(r.status, r.stderr).toBe(0)
    appendFileSync(join(dir, 'pool.log'), r.stdout)
    return JSON.parse(r.stdout)
  }
  const result = () => JSON.parse(run(['replay', 'pool.log', '--as-of', T(59)]).stdout)
  const status = (id: string) => result().entries.find((e: { id: string }) => e.id === id)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-cli7-'))
    for (const name of ['gk', 'alice', 'bob']) {
      const r = run(['keygen'])
      writeFileSync(join(dir, `${name}.json`), r.stdout)
      keys[name] = JSON.parse(r.stdout).publicKey
    }
    const g = run(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Levy bank', '--two-step', '--fee-basis-points', '200', '--soft-min-balance', '-800', '--time', T(0)])
    expect(g.status, g.stderr).toBe(0)
    writeFileSync(join(dir, 'pool.log'), g.stdout)
    append(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', keys.alice!, '--time', T(1)])
    append(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', keys.bob!, '--time', T(2)])
  }, 60_000)

  it('a two-step transfer is initiated, rejected, re-sent and accepted; the levy goes to commons', () => {
    const t1 = append(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', keys.bob!, '--amount', '50', '--time', T(3)])
    expect(status(t1.id).status).toBe('initiated')
    append(['reject', '--key', 'bob.json', '--log', 'pool.log', '--entry', t1.id, '--time', T(4)])
    expect(status(t1.id)).toMatchObject({ status: 'rejected', reason: 'rejected-by-payee' })
    const t2 = append(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', keys.bob!, '--amount', '50', '--time', T(5)])
    append(['accept', '--key', 'bob.json', '--log', 'pool.log', '--entry', t2.id, '--time', T(6)])
    const r = result()
    expect(status(t2.id).status).toBe('accepted')
    expect(r.balances[keys.alice!]).toBe(-50)
    expect(r.balances[keys.bob!]).toBe(49)
    expect(r.commons).toBe(1)
  })

  it('a request is paid by reference; amount and payee come from it; a mismatch is refused', () => {
    const req = append(['request', '--key', 'bob.json', '--log', 'pool.log', '--from', keys.alice!, '--amount', '120', '--memo', 'eggs', '--time', T(7)])
    const mismatch = run(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--request', req.id, '--amount', '100', '--time', T(8)])
    expect(mismatch.status).not.toBe(0)
    expect(mismatch.stderr).toMatch(/expected --amount 120 \(the request's amount\), got 100/)
    const pay = append(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--request', req.id, '--time', T(8)])
    expect(pay).toMatchObject({ to: keys.bob, amount: 120, request: req.id, memo: 'eggs' })
    expect(result().requests[req.id].status).toBe('paid')
  })

  it('prints a statement with a running balance, as JSON and CSV', () => {
    const json = JSON.parse(run(['statement', 'pool.log', '--member', keys.bob!, '--as-of', T(59)]).stdout)
    expect(json.rows.map((r: { balance: number }) => r.balance)).toEqual([49, 167])
    const csv = run(['statement', 'pool.log', '--member', keys.bob!, '--csv', '--as-of', T(59)]).stdout.split('\r\n')
    expect(csv[0]).toBe('time,entry,type,counterparty,amount,fee,memo,balance')
    expect(csv[2]).toContain(',1.18,0.02,eggs,1.67')
    const filtered = JSON.parse(run(['statement', 'pool.log', '--member', keys.bob!, '--from', T(7), '--as-of', T(59)]).stdout)
    expect(filtered.rows).toHaveLength(1)
    const all = run(['statement', 'pool.log', '--all', '--as-of', T(59)]).stdout.split('\r\n')
    expect(all[0]).toBe('time,entry,at,type,from,to,amount,fee,memo')
  })

  it('closes an account only at zero', () => {
    const blocked = append(['close', '--key', 'bob.json', '--log', 'pool.log', '--time', T(9)])
    expect(status(blocked.id)).toMatchObject({ status: 'rejected', reason: 'close-blocked' })
  })
})
