/**
 * Issue 13, item 10: times come from users. The CLI takes milliseconds in
 * range or ISO-8601 with an offset, refuses anything else in one line, and
 * never prints a stack trace, even at the last instant there is.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { timeFlag } from '../args.ts'

const BIN = new URL('../../bin/heroes.mjs', import.meta.url).pathname
const T = (minutes: number) => String(Date.UTC(2026, 10, 22, 10, minutes))

describe('times given to the CLI', () => {
  const Z = Date.UTC(2026, 10, 22, 10, 0, 0)

  it('reads milliseconds in range and ISO-8601 with Z or an offset', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['8640000000000000', 8_640_000_000_000_000],
      [String(Z), Z],
      ['2026-11-22T10:00:00Z', Z],
      ['2026-11-22T10:00:00.123+01:00', Z - 3_600_000 + 123],
      ['2026-11-22T10:00+01:00', Z - 3_600_000],
      ['2026-11-22T10:00:00.5-02:30', Z + 2.5 * 3_600_000 + 500],
      ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
      ['1970-01-01T00:00:00Z', 0],
    ]
    for (const [text, ms] of cases) expect(timeFlag(text, 'time', 1), text).toBe(ms)
    expect(timeFlag(undefined, 'time', 42)).toBe(42)
  })

  it('refuses ISO-8601 without an offset, dates alone, times out of range and junk, saying what was expected', () => {
    const cases: [string, string][] = [
      ['2026-11-22T10:00:00', 'no Z or offset'],
      ['2026-11-22T10:00', 'no Z or offset'],
      ['2026-11-22', 'a date without a time'],
      ['8640000000000001', 'out of range'],
      ['99999999999999999999', 'out of range'],
      ['-1', 'out of range'],
      ['1969-12-31T23:59:59Z', 'out of range'],
      ['2026-02-29T10:00:00Z', 'no such date or time'],
      ['2026-11-22T24:00:00Z', 'no such date or time'],
      ['2026-11-22T10:00:00+24:00', 'no such date or time'],
      ['yesterday', ''],
      ['', ''],
      ['1e3', ''],
    ]
    for (const [text, problem] of cases) {
      expect(() => timeFlag(text, 'as-of', 1), text).toThrow(
        `expected --as-of as ISO-8601 with Z or an offset (2026-11-22T10:00:00Z, 2026-11-22T11:00:00+01:00) or milliseconds since 1970 (0 to 8640000000000000), got ${JSON.stringify(text)}${problem ? ` (${problem})` : ''}`)
    }
  })

  describe('on the command line', () => {
    let dir: string
    let alice: string
    let bob: string
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' })
      return { code: r.status, out: r.stdout, err: r.stderr }
    }
    const noStack = (r: { err: string }) => expect(r.err).not.toMatch(/\n\s+at /)

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'heroes-cli13t-'))
      for (const name of ['gk', 'alice', 'bob']) writeFileSync(join(dir, `${name}.json`), run(['keygen']).out)
      alice = JSON.parse(readFileSync(join(dir, 'alice.json'), 'utf8')).publicKey
      bob = JSON.parse(readFileSync(join(dir, 'bob.json'), 'utf8')).publicKey
      writeFileSync(join(dir, 'pool.log'), run(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Time bank', '--time', T(0)]).out)
      appendFileSync(join(dir, 'pool.log'), run(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', alice, '--time', T(1)]).out)
      appendFileSync(join(dir, 'pool.log'), run(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', bob, '--time', T(2)]).out)
    }, 60_000)

    it('refuses a time without an offset on every command that takes one, in one line with exit 2', () => {
      const cases = [
        ['pool', 'create', '--key', 'gk.json', '--type', 'issued', '--name', 'x', '--time', '2026-11-22T10:00:00'],
        ['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '1', '--time', '2026-11-22T10:00:00'],
        ['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '1', '--time', '8640000000000001'],
        ['replay', 'pool.log', '--as-of', '2026-11-22'],
        ['replay', 'pool.log', '--as-of', '99999999999999999999'],
        ['statement', 'pool.log', '--member', alice, '--from', '2026-11-22T10:00'],
        ['statement', 'pool.log', '--member', alice, '--to', '-5'],
      ]
      for (const args of cases) {
        const r = run(args)
        expect(r.code, args.join(' ')).toBe(2)
        expect(r.out).toBe('')
        expect(r.err, args.join(' ')).toMatch(/^heroes \w+: expected --(time|as-of|from|to) as ISO-8601 with Z or an offset .*, got "[^"]*"( \([A-Za-z ]+\))?\n$/)
      }
    })

    it('takes the extreme times, and never prints a stack trace', () => {
      const late = run(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '1', '--time', '8640000000000000'])
      expect(late.code, late.err).toBe(0)
      expect(JSON.parse(late.out).time).toBe(8_640_000_000_000_000)
      appendFileSync(join(dir, 'pool.log'), late.out)
      const iso = run(['transfer', '--key', 'bob.json', '--log', 'pool.log', '--to', alice, '--amount', '1', '--time', '2026-11-22T10:03:00.250+01:00'])
      expect(iso.code, iso.err).toBe(0)
      expect(JSON.parse(iso.out).time).toBe(Date.UTC(2026, 10, 22, 9, 3, 0, 250))

      // A second transfer at the last instant there is: the rate limit's "next allowed" lies past it.
      const cases = [
        ['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', bob, '--amount', '1', '--time', '8640000000000000'],
        ['replay', 'pool.log', '--as-of', '0'],
        ['replay', 'pool.log', '--as-of', '8640000000000000'],
        ['statement', 'pool.log', '--member', alice, '--as-of', '0'],
        ['statement', 'pool.log', '--member', alice, '--as-of', '8640000000000000', '--from', '0', '--to', '8640000000000000'],
        ['statement', 'pool.log', '--all', '--as-of', '8640000000000000'],
      ]
      for (const args of cases) {
        const r = run(args)
        noStack(r)
        if (args[0] === 'transfer') appendFileSync(join(dir, 'pool.log'), r.out)
        expect(r.err.trim().split('\n').length, `${args.join(' ')}: ${r.err}`).toBeLessThanOrEqual(1)
        if (r.code !== 0) {
          expect(r.code, args.join(' ')).toBe(1)
          expect(r.err, args.join(' ')).toMatch(/^heroes \w+: internal error: .+\n$/)
        }
      }
      const early = run(['replay', 'pool.log', '--as-of', '0'])
      expect(early.code, early.err).toBe(0)
      expect(JSON.parse(early.out).entries.every((e: { status: string }) => e.status === 'pending')).toBe(true)
    })
  })
})
