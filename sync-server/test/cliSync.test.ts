/** heroes sync: the union both ways, and one line on failure. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { encodeEntry } from '../../core/index.ts'
import { makePool } from '../../core/sync/test/poolFixture.ts'
import { run } from '../../cli/commands/sync.ts'
import { startRelay, type Relay } from '../index.ts'

async function runCaptured(argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = ''
  let stdout = ''
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
  try {
    return { code: await run(argv), stderr, stdout }
  } finally {
    err.mockRestore()
    out.mockRestore()
  }
}

describe('heroes sync', () => {
  let relay: Relay
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-cli-sync-'))
    relay = await startRelay({ port: 0, dataDir: join(dir, 'data') })
  })
  afterAll(async () => {
    await relay.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('publishes a log, fetches it back from the genesis alone, and merges both ways', async () => {
    const fixture = makePool(3)
    fixture.transfer(fixture.members[0]!, fixture.members[1]!, 4)
    const full = join(dir, 'full.log')
    writeFileSync(full, fixture.entries.map((e) => encodeEntry(e) + '\n').join(''))
    expect((await runCaptured(['--relay', relay.syncUrl, '--log', full, '--timeout-seconds', '20'])).code).toBe(0)

    const genesisOnly = join(dir, 'genesis.log')
    writeFileSync(genesisOnly, encodeEntry(fixture.genesis) + '\n')
    const fetched = await runCaptured(['--relay', relay.httpUrl, '--log', genesisOnly, '--timeout-seconds', '20'])
    expect(fetched.code).toBe(0)
    const lines = readFileSync(genesisOnly, 'utf8').trimEnd().split('\n')
    expect(lines.length).toBe(fixture.entries.length)
    expect(new Set(lines).size).toBe(lines.length)
    expect([...lines].sort()).toEqual(fixture.entries.map((e) => encodeEntry(e)).sort())

    // A new payment in one log reaches the other through the relay.
    const payment = fixture.transfer(fixture.members[1]!, fixture.members[2]!, 1)
    writeFileSync(genesisOnly, readFileSync(genesisOnly, 'utf8') + encodeEntry(payment) + '\n')
    expect((await runCaptured(['--relay', relay.syncUrl, '--log', genesisOnly])).code).toBe(0)
    expect((await runCaptured(['--relay', relay.syncUrl, '--log', full])).code).toBe(0)
    expect(readFileSync(full, 'utf8')).toContain(payment.id)
  }, 60_000)

  it('exits 1 with one line when the relay cannot be reached or refuses', async () => {
    const log = join(dir, 'one.log')
    writeFileSync(log, encodeEntry(makePool(0).genesis) + '\n')
    const unreachable = await runCaptured(['--relay', 'ws://127.0.0.1:9/sync', '--log', log])
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(unreachable.stderr).toContain('cannot reach the relay at ws://127.0.0.1:9/sync: ECONNREFUSED')
    // A bare ws://host:port means the relay's /sync, as a bare http:// address does.
    expect((await runCaptured(['--relay', relay.syncUrl.replace(/\/sync$/, ''), '--log', log])).code).toBe(0)
    const wrongPath = await runCaptured(['--relay', `${relay.httpUrl}/elsewhere`, '--log', log])
    expect(wrongPath.code).toBe(1)
    expect(wrongPath.stderr).toContain('HTTP 404')
  })

  it('exits 2 with one line for bad flags or a bad log', async () => {
    const missing = await runCaptured(['--relay', relay.syncUrl])
    expect(missing).toMatchObject({ code: 2, stderr: 'heroes sync: expected --log, got nothing\n' })
    const badTimeout = await runCaptured(['--relay', relay.syncUrl, '--log', 'x', '--timeout-seconds', 'soon'])
    expect(badTimeout.code).toBe(2)
    expect(badTimeout.stderr).toContain('expected --timeout-seconds a whole number, got "soon"')
    const garbage = join(dir, 'garbage.log')
    writeFileSync(garbage, 'not an entry\n')
    const bad = await runCaptured(['--relay', relay.syncUrl, '--log', garbage])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^heroes sync: expected every line of .* to be an entry, got line 1: /)
    expect((await runCaptured(['--relay', 'ftp://x', '--log', garbage])).code).toBe(2)
  })
})
