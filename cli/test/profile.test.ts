/** heroes profile: signs a member's name in a pool; replay shows it under `profiles`; bad input is one line, exit 2. */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIN = new URL('../../bin/heroes.mjs', import.meta.url).pathname

function heroes(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('heroes profile', () => {
  it('signs a profile at --time, shown by replay; the pool refuses a non-member\'s, the CLI a name with a direction override', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heroes-profile-'))
    for (const name of ['gk', 'alice', 'mallory']) writeFileSync(join(dir, `${name}.json`), heroes(['keygen'], dir).out)
    const alice = JSON.parse(readFileSync(join(dir, 'alice.json'), 'utf8')).publicKey as string
    const append = (args: string[]) => {
      const r = heroes(args, dir)
      expect(r.code, r.err).toBe(0)
      appendFileSync(join(dir, 'pool.log'), r.out)
      return JSON.parse(r.out)
    }
    writeFileSync(join(dir, 'pool.log'), heroes(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Time bank', '--time', '2026-11-22T10:00:00Z'], dir).out)
    append(['admit', '--key', 'gk.json', '--log', 'pool.log', '--member', alice, '--time', '2026-11-22T10:01:00Z'])
    writeFileSync(join(dir, 'a.png'), Buffer.from('89504e470d0a1a0a', 'hex'))
    const entry = append(['profile', '--key', 'alice.json', '--log', 'pool.log', '--name', ' Alice ', '--bio', 'Bread', '--initials', 'AL', '--picture', 'a.png', '--time', '2026-11-22T10:02:00Z'])
    expect(entry).toMatchObject({ type: 'profile', name: 'Alice', bio: 'Bread', initials: 'AL', picture: 'data:image/png;base64,iVBORw0KGgo=', time: Date.UTC(2026, 10, 22, 10, 2) })

    const replayed = JSON.parse(heroes(['replay', 'pool.log', '--as-of', '2026-11-22T11:00:00Z'], dir).out)
    expect(replayed.profiles[alice]).toMatchObject({ name: 'Alice', entry: entry.id })

    const stranger = heroes(['profile', '--key', 'mallory.json', '--log', 'pool.log', '--name', 'Alice', '--time', '2026-11-22T10:03:00Z'], dir)
    // Printed (the CLI signs what it is asked to) with a warning; the pool refuses it.
    expect(stranger.err).toContain('will reject this profile: not-member')
    appendFileSync(join(dir, 'pool.log'), stranger.out)
    const after = JSON.parse(heroes(['replay', 'pool.log', '--as-of', '2026-11-22T11:00:00Z'], dir).out)
    expect(Object.keys(after.profiles)).toEqual([alice])
    const bidi = heroes(['profile', '--key', 'alice.json', '--log', 'pool.log', '--name', '\u202eecilA', '--time', '2026-11-22T10:03:00Z'], dir)
    expect(bidi.code).toBe(2)
    expect(bidi.err.trim().split('\n')).toHaveLength(1)
  }, 60_000)
})
