/**
 * The command line as scripts and auditors use it: real processes, real
 * files. These lines are a contract (issue 2); keep them as written.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIN = new URL('../../bin/heroes.mjs', import.meta.url).pathname

function heroes(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('heroes CLI', () => {
  let dir: string
  let alice: string
  let bob: string
  const T = (minutes: number) => String(Date.UTC(2026, 10, 22, 10, minutes))

  /** Runs a command that makes an entry and appends it to the log. */
  function append(args: string[]) {
    const r = heroes(args, dir)
    expect(r.code, r.err).toBe(0)
    appendFileSync(join(dir, 'pool.log'), r.out)
    return JSON.parse(r.out)
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-cli-'))
    for (const name of ['gk', 'alice', 'bob']) {
      const r = heroes(['keygen'], dir)
      expect(r.code).toBe(0)
      writeFileSync(join(dir, `${name}.json`), r.out)
    }
    alice = JSON.parse(readFileSync(join(dir, 'alice.json'), 'utf8')).publicKey
    bob = JSON.parse(readFileSync(join(dir, 'bob.json'), 'utf8')).publicKey
    const genesis = heroes(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Time bank', '--symbol', 'TB', '--min-balance', '-1000', '--time', '2026-11-22T10:00:00Z'], dir)
    expect(genesis.code, genesis.err).toBe(0)
    writeFileSync(join(dir, 'pool.log'), genesis.out)
    append(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', alice, '--time', T(1)])
    append(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', bob, '--max-balance', '1500', '--time', T(2)])
  }, 60_000)

  it('--help works and lists every command', () => {
    const r = heroes(['--help'], dir)
    expect(r.code).toBe(0)
    for (const command of ['keygen', 'pool create', 'admit', 'freeze', 'issue', 'transfer', 'replay', 'relay', 'sync']) expect(r.out).toContain(`heroes ${command}`)
  })

  it('keygen prints one JSON object with publicKey and secretKey', () => {
    const key = JSON.parse(heroes(['keygen'], dir).out)
    expect(key.publicKey).toMatch(/^[0-9a-f]{64}$/)
    expect(key.secretKey).toMatch(/^[0-9a-f]{64}$/)
  })

  it('prints entries as one JSON line with the contract fields, and does not write LOG', () => {
    const before = readFileSync(join(dir, 'pool.log'), 'utf8')
    const r = heroes(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '300', '--memo', 'bread', '--time', T(3)], dir)
    expect(r.code, r.err).toBe(0)
    expect(r.out.trim().split('\n')).toHaveLength(1)
    const entry = JSON.parse(r.out)
    for (const field of ['id', 'pool', 'type', 'author', 'seq', 'prev', 'time', 'sig', 'to', 'amount']) expect(entry).toHaveProperty(field)
    expect(entry).toMatchObject({ type: 'transfer', author: alice, to: bob, amount: 300, seq: 1, prev: null })
    expect(readFileSync(join(dir, 'pool.log'), 'utf8')).toBe(before)
  })

  it('replays a pool built by hand to what the rules say, byte-identical whatever the order and repeats', () => {
    append(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '300', '--time', T(3)])
    const tooSoon = heroes(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '1', '--time', String(Number(T(3)) + 5000)], dir)
    expect(tooSoon.code).toBe(0) // the CLI makes it (with a warning); the validator refuses it
    appendFileSync(join(dir, 'pool.log'), tooSoon.out)
    expect(tooSoon.err).toContain('rate-limit')
    append(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '800', '--time', T(5)])
    append(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '700', '--time', T(6)])
    append(['transfer', '--key', 'bob.json', '--log', 'pool.log', '--to', alice, '--amount', '100', '--time', T(7)])

    const r = heroes(['replay', 'pool.log', '--as-of', '2026-11-22T12:00:00Z'], dir)
    expect(r.code).toBe(0)
    const result = JSON.parse(r.out)
    expect(result.balances[alice]).toBe(-900)
    expect(result.balances[bob]).toBe(900)
    const reasons = result.entries.map((e: { status: string; reason?: string }) => e.reason ?? e.status)
    expect(reasons).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'rate-limit', 'below-min-balance', 'accepted', 'accepted'])
    for (const field of ['pool', 'balances', 'entries', 'equivocations', 'malformed']) expect(result).toHaveProperty(field)

    const lines = readFileSync(join(dir, 'pool.log'), 'utf8').trim().split('\n')
    const shuffled = [...lines].reverse().concat(lines.slice(0, 3))
    writeFileSync(join(dir, 'shuffled.log'), shuffled.join('\n') + '\n')
    expect(heroes(['replay', 'shuffled.log', '--as-of', '2026-11-22T12:00:00Z'], dir).out).toBe(r.out)
  })

  it('shows a double spend from two devices (two transfers made from the same LOG) as an equivocation', () => {
    const log = readFileSync(join(dir, 'pool.log'), 'utf8')
    writeFileSync(join(dir, 'fork.log'), log)
    const one = heroes(['transfer', '--key', 'bob.json', '--log', 'fork.log', '--to', alice, '--amount', '50', '--time', T(20)], dir)
    const two = heroes(['transfer', '--key', 'bob.json', '--log', 'fork.log', '--to', alice, '--amount', '60', '--time', T(20)], dir)
    appendFileSync(join(dir, 'fork.log'), one.out + two.out)
    const result = JSON.parse(heroes(['replay', 'fork.log', '--as-of', '2026-11-22T12:00:00Z'], dir).out)
    expect(result.equivocations).toHaveLength(1)
    expect(result.equivocations[0].author).toBe(bob)
    expect(result.equivocations[0].entries.sort()).toEqual([JSON.parse(one.out).id, JSON.parse(two.out).id].sort())
  })

  it('reports lines that are not entries, with line numbers, and still exits 0', () => {
    const log = readFileSync(join(dir, 'pool.log'), 'utf8')
    writeFileSync(join(dir, 'garbled.log'), 'not json\n' + log + '{"v":1}\n')
    const r = heroes(['replay', 'garbled.log'], dir)
    expect(r.code).toBe(0)
    const result = JSON.parse(r.out)
    expect(result.malformed.map((m: { line: number }) => m.line)).toEqual([1, log.trim().split('\n').length + 2])
  })

  it('builds an issued pool with issues', () => {
    const g = heroes(['pool', 'create', '--key', 'gk.json', '--type', 'issued', '--name', 'Market', '--time', T(0)], dir)
    writeFileSync(join(dir, 'issued.log'), g.out)
    const admit = heroes(['admit', '--key', 'gk.json', '--log', 'issued.log', '--member', alice, '--time', T(1)], dir)
    appendFileSync(join(dir, 'issued.log'), admit.out)
    const issue = heroes(['issue', '--key', 'gk.json', '--log', 'issued.log', '--to', alice, '--amount', '250', '--time', T(2)], dir)
    expect(issue.code, issue.err).toBe(0)
    appendFileSync(join(dir, 'issued.log'), issue.out)
    const result = JSON.parse(heroes(['replay', 'issued.log', '--as-of', T(30)], dir).out)
    expect(result.supply).toBe(250)
    expect(result.balances[alice]).toBe(250)
  })

  it('refuses bad arguments with one line on stderr that says what was expected and what came', () => {
    const cases: [string[], RegExp][] = [
      [['transfer', '--key', 'missing.json', '--log', 'pool.log', '--to', bob, '--amount', '1'], /expected a key file at missing\.json/],
      [['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '1.5'], /expected --amount a whole number, got "1\.5"/],
      [['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '0'], /expected --amount from 1/],
      [['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '-5'], /expected --amount from 1/],
      [['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', 'xyz', '--amount', '1'], /expected --to a public key/],
      [['transfer', '--key', 'alice.json', '--log', 'nope.log', '--to', bob, '--amount', '1'], /expected a log file at nope\.log/],
      [['admit', '--key', 'gk.json', '--log', 'pool.log'], /expected --member/],
      [['replay'], /expected one LOG file/],
      [['replay', 'nope.log'], /expected a log file/],
      [['pool', 'create', '--key', 'gk.json', '--type', 'barter', '--name', 'x'], /expected --type mutual-credit or issued/],
      [['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '1', '--time', 'yesterday'], /expected --time as ISO-8601/],
      [['frobnicate'], /expected a command/],
    ]
    writeFileSync(join(dir, 'badkey.json'), '{"secretKey":"12"}')
    cases.push([['transfer', '--key', 'badkey.json', '--log', 'pool.log', '--to', bob, '--amount', '1'], /expected badkey\.json to hold "secretKey" as 64 hex/])
    for (const [args, message] of cases) {
      const r = heroes(args, dir)
      expect(r.code, args.join(' ')).not.toBe(0)
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.err, args.join(' ')).toMatch(message)
      expect(r.out).toBe('')
    }
  })
})
