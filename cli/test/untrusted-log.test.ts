/**
 * Issue 13, item 9: a log is a file anyone may have appended to. The CLI
 * builds only on the validly signed entries of one pool, says which lines it
 * ignored, and asks which pool is meant when the log holds several.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeEntry, fromHex, signEntry, type AdmitEntry, type EntryId, type PublicKeyHex } from '../../core/index.ts'

const BIN = new URL('../../bin/heroes.mjs', import.meta.url).pathname
const T = (minutes: number) => String(Date.UTC(2026, 10, 22, 10, minutes))

describe('heroes CLI on an untrusted log', () => {
  let dir: string
  const keys: Record<string, string> = {}
  let pool: string
  let evilPool: string
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' })
    return { code: r.status, out: r.stdout, err: r.stderr }
  }
  const read = (name: string) => readFileSync(join(dir, name), 'utf8')
  const lineCount = (name: string) => read(name).trim().split('\n').length
  /** A copy of `entry` whose signature no longer verifies (same id: the id does not cover the signature). */
  const forge = (line: string) => {
    const entry = JSON.parse(line)
    entry.sig = (entry.sig[0] === '0' ? '1' : '0') + entry.sig.slice(1)
    return JSON.stringify(entry)
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-cli13-'))
    for (const name of ['gk', 'alice', 'bob', 'mallory']) {
      const r = run(['keygen'])
      writeFileSync(join(dir, `${name}.json`), r.out)
      keys[name] = JSON.parse(r.out).publicKey
    }
    const g = run(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Time bank', '--time', T(0)])
    expect(g.code, g.err).toBe(0)
    pool = JSON.parse(g.out).id
    writeFileSync(join(dir, 'pool.log'), g.out)
    for (const [i, member] of ['alice', 'bob'].entries()) {
      const r = run(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', keys[member]!, '--time', T(1 + i)])
      expect(r.code, r.err).toBe(0)
      appendFileSync(join(dir, 'pool.log'), r.out)
    }

    // Mallory's own pool, and 20 lines of it: more lines than the real pool holds.
    const e = run(['pool', 'create', '--key', 'mallory.json', '--type', 'issued', '--name', 'Evil', '--time', T(0)])
    expect(e.code, e.err).toBe(0)
    evilPool = JSON.parse(e.out).id
    const secret = fromHex(JSON.parse(read('mallory.json')).secretKey, 32)!
    let prev = evilPool as EntryId
    const junk: string[] = []
    for (let seq = 2; seq <= 21; seq++) {
      const admit = signEntry<AdmitEntry>({
        type: 'admit', pool: evilPool as EntryId, author: keys.mallory as PublicKeyHex, seq, prev, deps: [], time: Number(T(seq)),
        member: keys.alice as PublicKeyHex,
      }, secret)
      prev = admit.id
      junk.push(encodeEntry(admit))
    }
    writeFileSync(join(dir, 'evil.lines'), e.out + junk.join('\n') + '\n')
  }, 60_000)

  it('builds a new entry on the author\'s verified head, never on a forged line, and names the forged line', () => {
    // Alice's real first transfer, and a forged twin that would otherwise be her seq 2.
    const first = run(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', keys.bob!, '--amount', '5', '--time', T(10)])
    expect(first.code, first.err).toBe(0)
    writeFileSync(join(dir, 'forged.log'), read('pool.log') + first.out)
    const second = run(['transfer', '--key', 'alice.json', '--log', 'forged.log', '--to', keys.bob!, '--amount', '5', '--time', T(12)])
    appendFileSync(join(dir, 'forged.log'), forge(second.out) + '\n')
    const forgedLine = lineCount('forged.log')

    const r = run(['transfer', '--key', 'alice.json', '--log', 'forged.log', '--to', keys.bob!, '--amount', '7', '--time', T(14)])
    expect(r.code, r.err).toBe(0)
    const entry = JSON.parse(r.out)
    expect(entry).toMatchObject({ seq: 2, prev: JSON.parse(first.out).id })
    expect(r.err).toBe(`heroes transfer: ignored 1 line of forged.log: 1 bad-signature (line ${forgedLine})\n`)
  })

  it('does not let a forged genesis of another pool, or lines of another pool, choose the pool', () => {
    // A forged genesis is no pool: the log still holds one, and the command acts on it.
    writeFileSync(join(dir, 'forged-genesis.log'), read('pool.log') + forge(read('evil.lines').split('\n')[0]!) + '\n' + read('evil.lines').split('\n').slice(1).join('\n'))
    const r = run(['transfer', '--key', 'alice.json', '--log', 'forged-genesis.log', '--to', keys.bob!, '--amount', '5', '--time', T(10)])
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out).pool).toBe(pool)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/^heroes transfer: ignored 21 lines of forged-genesis\.log: 21 wrong-pool \(lines 4, 5, 6, 7, 8, …\)$/m)
  })

  it('asks for --pool when the log holds two validly signed pools, whatever their sizes', () => {
    writeFileSync(join(dir, 'mixed.log'), read('pool.log') + read('evil.lines'))
    const commands: string[][] = [
      ['transfer', '--key', 'alice.json', '--log', 'mixed.log', '--to', keys.bob!, '--amount', '5', '--time', T(10)],
      ['admit', '--key', 'gk.json', '--log', 'mixed.log', '--member', keys.mallory!, '--time', T(10)],
      ['close', '--key', 'alice.json', '--log', 'mixed.log', '--time', T(10)],
      ['replay', 'mixed.log', '--as-of', T(59)],
      ['statement', 'mixed.log', '--member', keys.alice!, '--as-of', T(59)],
      ['statement', 'mixed.log', '--all'],
    ]
    for (const args of commands) {
      const r = run(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.out).toBe('')
      expect(r.err).toBe(`heroes ${args[0]}: mixed.log holds 2 pools; pass --pool ID: ${pool} "Time bank", ${evilPool} "Evil"\n`)
    }

    const t = run(['transfer', '--key', 'alice.json', '--log', 'mixed.log', '--to', keys.bob!, '--amount', '5', '--time', T(10), '--pool', pool])
    expect(t.code, t.err).toBe(0)
    expect(JSON.parse(t.out)).toMatchObject({ pool, seq: 1, prev: null })
    expect(t.err).toMatch(/^heroes transfer: ignored 21 lines of mixed\.log: 21 wrong-pool \(lines 4, 5, 6, 7, 8, …\)\n$/)

    const replay = run(['replay', 'mixed.log', '--as-of', T(59), '--pool', evilPool])
    expect(replay.code, replay.err).toBe(0)
    expect(JSON.parse(replay.out)).toMatchObject({ pool: evilPool, policy: { name: 'Evil' } })
    const statement = run(['statement', 'mixed.log', '--member', keys.alice!, '--as-of', T(59), '--pool', pool])
    expect(statement.code, statement.err).toBe(0)
    expect(JSON.parse(statement.out).pool).toBe(pool)

    const notThere = run(['transfer', '--key', 'alice.json', '--log', 'pool.log', '--to', keys.bob!, '--amount', '5', '--pool', evilPool])
    expect(notThere).toMatchObject({ code: 2, out: '' })
    expect(notThere.err).toBe(`heroes transfer: expected --pool one of the pools in pool.log (${pool} "Time bank"), got ${evilPool}\n`)
    const badId = run(['statement', 'pool.log', '--all', '--pool', 'xyz'])
    expect(badId).toMatchObject({ code: 2, err: 'heroes statement: expected --pool a pool id (64 hex characters), got "xyz"\n' })
  })

  it('names every kind of ignored line in one line, in line order within a kind', () => {
    const lines = read('pool.log').trim().split('\n')
    const evil = read('evil.lines').trim().split('\n')
    // 1 genesis, 2 malformed, 3 admit, 4 bad-signature, 5 admit, 6 wrong-pool, 7 malformed
    writeFileSync(join(dir, 'junk.log'), [lines[0], 'not json', lines[1], forge(lines[2]!), lines[2], evil[3], '{"v":1}'].join('\n') + '\n')
    const r = run(['replay', 'junk.log', '--as-of', T(59)])
    expect(r.code, r.err).toBe(0)
    expect(r.err).toBe('heroes replay: ignored 4 lines of junk.log: 2 malformed (lines 2, 7), 1 bad-signature (line 4), 1 wrong-pool (line 6)\n')
    expect(JSON.parse(r.out).malformed.map((m: { line: number }) => m.line)).toEqual([2, 7])
  })

  it('keeps refusing a log without a pool', () => {
    writeFileSync(join(dir, 'empty.log'), '')
    expect(run(['transfer', '--key', 'alice.json', '--log', 'empty.log', '--to', keys.bob!, '--amount', '5'])).toMatchObject({
      code: 2, err: 'heroes transfer: expected empty.log to hold a pool (its genesis entry first), got no entries\n',
    })
    writeFileSync(join(dir, 'headless.log'), read('pool.log').split('\n').slice(1).join('\n'))
    const headless = run(['transfer', '--key', 'alice.json', '--log', 'headless.log', '--to', keys.bob!, '--amount', '5'])
    expect(headless.code).toBe(2)
    expect(headless.err).toMatch(/^heroes transfer: expected headless\.log to hold a pool \(its genesis entry first\), got no validly signed genesis among 2 entries\n$/)
    const replay = run(['replay', 'empty.log'])
    expect(replay.code, replay.err).toBe(0)
    expect(JSON.parse(replay.out)).toMatchObject({ pool: null, entries: [], malformed: [] })
  })
})
