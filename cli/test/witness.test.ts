/**
 * Issue 13 on the command line: witnessed pools made entirely with the CLI
 * (pool create --witness, heroes witness, pool update, payout), the rules
 * they bring seen through `heroes replay`, and the one-line refusals of bad
 * flags. Commands run in-process on real files; the refusals also through
 * the real binary, as scripts run them.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  OFFLINE_ALLOWANCE_SECONDS_DEFAULT, OFFLINE_AMOUNT_MAX_DEFAULT, WITNESSES_COUNT_MAX,
} from '../../core/index.ts'
import { runInProcess, type Run } from './run-in-process.ts'

const BIN = new URL('../../bin/heroes.mjs', import.meta.url).pathname
const T = (minutes: number) => String(Date.UTC(2026, 10, 22, 10, minutes))
const AS_OF = T(59)

interface Verdict { id: string; status: string; reason?: string; witnessed: string | null }

describe('heroes CLI: witnesses, checkpoints, policy updates and payouts', () => {
  let dir: string
  const keys: Record<string, string> = {}
  const path = (name: string) => join(dir, name)

  /** Runs one command in-process, in `dir`, capturing what it prints. */
  const run = (args: string[]): Promise<Run> => runInProcess(dir, args)

  /** Runs a command that makes an entry, appends it to `log`, returns the entry (and what stderr said). */
  async function append(log: string, args: string[]): Promise<Record<string, unknown> & { id: string; warning: string }> {
    const r = await run(args)
    expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0)
    expect(r.out.trim().split('\n')).toHaveLength(1)
    appendFileSync(path(log), r.out)
    return { ...JSON.parse(r.out), warning: r.err }
  }

  async function replayOf(log: string) {
    const r = await run(['replay', log, '--as-of', AS_OF])
    expect(r.code, r.err).toBe(0)
    return JSON.parse(r.out) as {
      policy: Record<string, unknown>; balances: Record<string, number>; commons?: number; entries: Verdict[]
      witnesses: { key: string; primary: boolean; named: boolean; counted: number; latest: { id: string } | null }[]
    }
  }
  const verdict = (result: { entries: Verdict[] }, id: string) => result.entries.find((e) => e.id === id)!
  const shown = (v: Verdict) => (v.reason ? `${v.status}:${v.reason}` : v.status)

  const create = async (log: string, flags: string[]) => {
    const r = await run(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Time bank', '--min-balance', '-1000', ...flags])
    expect(r.code, r.err).toBe(0)
    writeFileSync(path(log), r.out)
    return JSON.parse(r.out)
  }
  const admitBoth = async (log: string) => {
    await append(log, ['admit', '--key', 'gk.json', '--log', log, '--member', keys.alice!, '--time', T(1)])
    await append(log, ['admit', '--key', 'gk.json', '--log', log, '--member', keys.bob!, '--time', T(2)])
  }
  const pay = (log: string, from: string, to: string, amount: number, minutes: number) =>
    append(log, ['transfer', '--key', `${from}.json`, '--log', log, '--to', keys[to]!, '--amount', String(amount), '--time', T(minutes)])
  const witness = (log: string, minutes: number, key = 'witness') => append(log, ['witness', '--key', `${key}.json`, '--log', log, '--time', T(minutes)])

  /** base.log: a witnessed pool (cap of 2 offline payments), alice and bob admitted, alice paid bob, a checkpoint covers it all. */
  let base: { genesis: Record<string, unknown>; transfer: { id: string }; checkpoint: Record<string, unknown> & { id: string } }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-cli-witness-'))
    for (const name of ['gk', 'alice', 'bob', 'carol', 'witness']) {
      const r = await run(['keygen'])
      writeFileSync(path(`${name}.json`), r.out)
      keys[name] = JSON.parse(r.out).publicKey
    }
    const genesis = await create('base.log', ['--witness', keys.witness!, '--offline-count-max', '2', '--time', T(0)])
    await admitBoth('base.log')
    const transfer = await pay('base.log', 'alice', 'bob', 100, 3)
    const checkpoint = await witness('base.log', 4)
    base = { genesis, transfer, checkpoint }
  })

  it('makes a witnessed pool whose checkpoint, from heroes witness, witnesses the transfer', async () => {
    expect(base.genesis.policy).toMatchObject({
      witnesses: [keys.witness], offlineCountMax: 2, offlineAmountMax: OFFLINE_AMOUNT_MAX_DEFAULT, offlineAllowanceSeconds: OFFLINE_ALLOWANCE_SECONDS_DEFAULT,
    })
    expect(base.genesis.policy).not.toHaveProperty('inviteTtlSeconds')
    expect(base.checkpoint).toMatchObject({ type: 'checkpoint', author: keys.witness, seq: 1, deps: [], time: Number(T(4)) })
    expect(base.checkpoint.warning).toBe('')
    const r = await replayOf('base.log')
    expect(verdict(r, base.transfer.id)).toMatchObject({ status: 'accepted', witnessed: base.checkpoint.id })
    expect(r.witnesses[0]).toMatchObject({ key: keys.witness, primary: true, named: true, latest: { id: base.checkpoint.id } })
    for (const entry of r.entries) expect(entry).toHaveProperty('witnessed')
  })

  it('signs a checkpoint with no heads when nothing changed, and refuses a --time before its previous one', async () => {
    copyFileSync(path('base.log'), path('again.log'))
    const empty = await witness('again.log', 5)
    expect(empty).toMatchObject({ type: 'checkpoint', heads: [], seq: 2, prev: base.checkpoint.id, warning: '' })
    const back = await run(['witness', '--key', 'witness.json', '--log', 'again.log', '--time', T(4)])
    expect(back.code).toBe(2)
    expect(back.out).toBe('')
    expect(back.err).toMatch(/^heroes witness: expected --time at or after 2026-11-22T10:05:00\.000Z \(the witness's previous checkpoint\), got \d+\n$/)
  })

  it('prints a checkpoint by a key the pool does not name, with a not-witness warning', async () => {
    const r = await run(['witness', '--key', 'carol.json', '--log', 'base.log', '--time', T(6)])
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ type: 'checkpoint', author: keys.carol })
    expect(r.err).toMatch(/^warning: the pool will reject this checkpoint: not-witness \(.+\)\n$/)
  })

  it('refuses a frozen member\'s transfer back-dated before the witnessed freeze', async () => {
    copyFileSync(path('base.log'), path('frozen.log'))
    const freeze = await append('frozen.log', ['freeze', '--key', 'gk.json', '--log', 'frozen.log', '--member', keys.alice!, '--time', T(30)])
    // It names alice's chain head, so a witness orders what the log showed of her before the freeze.
    expect(freeze.deps).toContain(base.transfer.id)
    await witness('frozen.log', 31)
    const backdated = await pay('frozen.log', 'alice', 'bob', 10, 5)
    expect(backdated.time).toBe(Number(T(5)))
    expect(backdated.warning).toMatch(/frozen/)
    const checkpoint = await witness('frozen.log', 32)
    const r = await replayOf('frozen.log')
    expect(verdict(r, backdated.id)).toMatchObject({ status: 'rejected', reason: 'frozen', witnessed: checkpoint.id })
  })

  it('holds offline transfers to the pool\'s cap: the third of three with no witness between is offline-cap', async () => {
    copyFileSync(path('base.log'), path('offline.log'))
    const payments = [await pay('offline.log', 'alice', 'bob', 10, 10), await pay('offline.log', 'alice', 'bob', 10, 11), await pay('offline.log', 'alice', 'bob', 10, 12)]
    expect(payments.map((p) => p.warning)).toEqual(['', '', expect.stringMatching(/^warning: the pool will reject this transfer: offline-cap /)])
    const r = await replayOf('offline.log')
    expect(payments.map((p) => shown(verdict(r, p.id)))).toEqual(['accepted', 'accepted', 'rejected:offline-cap'])
  })

  it('lets another gatekeeper change limits but warns that only the creator changes witnesses', async () => {
    copyFileSync(path('base.log'), path('update.log'))
    await append('update.log', ['admit', '--key', 'gk.json', '--log', 'update.log', '--member', keys.bob!, '--role', 'gatekeeper', '--time', T(10)])
    const witnesses = await append('update.log', ['pool', 'update', '--key', 'bob.json', '--log', 'update.log', '--witness', keys.carol!, '--time', T(11)])
    expect(witnesses).toMatchObject({ type: 'policy', author: keys.bob, policy: { witnesses: [keys.carol] } })
    expect(witnesses.warning).toMatch(/^warning: the pool will reject this policy: not-authorized \(.+\)\n$/)
    const limits = await append('update.log', ['pool', 'update', '--key', 'bob.json', '--log', 'update.log', '--offline-count-max', '7', '--max-balance', 'none', '--time', T(12)])
    expect(limits.policy).toEqual({ offlineCountMax: 7, maxBalance: null })
    expect(limits.warning).toBe('')
    const r = await replayOf('update.log')
    expect(shown(verdict(r, witnesses.id))).toBe('rejected:not-authorized')
    expect(shown(verdict(r, limits.id))).toBe('accepted')
    expect(r.policy).toMatchObject({ witnesses: [keys.witness], offlineCountMax: 7, maxBalance: null })
  })

  it('lets the creator add a witness to a pool made without one; its checkpoints then count; --witness none clears the list', async () => {
    const genesis = await create('plain.log', ['--time', T(0)])
    for (const field of ['witnesses', 'offlineCountMax', 'offlineAmountMax', 'offlineAllowanceSeconds', 'inviteTtlSeconds']) expect(genesis.policy).not.toHaveProperty(field)
    await admitBoth('plain.log')
    const before = await run(['witness', '--key', 'witness.json', '--log', 'plain.log', '--time', T(2)])
    expect(before.err).toMatch(/not-witness/)
    const update = await append('plain.log', ['pool', 'update', '--key', 'gk.json', '--log', 'plain.log', '--witness', keys.witness!, '--time', T(3)])
    expect(update).toMatchObject({ type: 'policy', policy: { witnesses: [keys.witness] }, warning: '' })
    const transfer = await pay('plain.log', 'alice', 'bob', 50, 4)
    const checkpoint = await witness('plain.log', 5)
    expect(checkpoint.warning).toBe('')
    let r = await replayOf('plain.log')
    expect(r.policy.witnesses).toEqual([keys.witness])
    expect(verdict(r, transfer.id)).toMatchObject({ status: 'accepted', witnessed: checkpoint.id })
    expect(r.witnesses[0]).toMatchObject({ key: keys.witness, primary: true, latest: { id: checkpoint.id } })
    expect(r.witnesses[0]!.counted).toBeGreaterThanOrEqual(1)

    const clear = await append('plain.log', ['pool', 'update', '--key', 'gk.json', '--log', 'plain.log', '--witness', 'none', '--time', T(6)])
    expect(clear.policy).toEqual({ witnesses: [] })
    r = await replayOf('plain.log')
    expect(shown(verdict(r, clear.id))).toBe('accepted')
    expect(r.policy.witnesses).toEqual([])
  })

  it('writes what pool create is given: witnesses in order, offline limits, the invite time to live', async () => {
    const two = await create('two.log', ['--witness', keys.witness!, '--witness', keys.carol!, '--offline-amount-max', '800', '--offline-allowance-seconds', '3600', '--invite-ttl-seconds', '600', '--time', T(0)])
    expect(two.policy).toMatchObject({ witnesses: [keys.witness, keys.carol], offlineCountMax: 5, offlineAmountMax: 800, offlineAllowanceSeconds: 3600, inviteTtlSeconds: 600 })
    const none = await create('none.log', ['--offline-count-max', '3', '--time', T(0)])
    expect(none.policy.offlineCountMax).toBe(3)
    for (const field of ['witnesses', 'offlineAmountMax', 'offlineAllowanceSeconds', 'inviteTtlSeconds']) expect(none.policy).not.toHaveProperty(field)
  })

  it('pays out of the commons a levy pool collected, and warns when the commons is short or the payer no gatekeeper', async () => {
    await create('levy.log', ['--fee-basis-points', '200', '--time', T(0)])
    await admitBoth('levy.log')
    await pay('levy.log', 'alice', 'bob', 500, 3)
    expect((await replayOf('levy.log')).commons).toBe(10)
    const payout = await append('levy.log', ['payout', '--key', 'gk.json', '--log', 'levy.log', '--to', keys.bob!, '--amount', '10', '--memo', 'thanks', '--time', T(4)])
    expect(payout).toMatchObject({ type: 'payout', to: keys.bob, amount: 10, memo: 'thanks', warning: '' })
    const bobAdmitted = readFileSync(path('levy.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line)).find((e) => e.type === 'admit' && e.member === keys.bob)
    expect(payout.deps).toContain(bobAdmitted.id)
    const short = await run(['payout', '--key', 'gk.json', '--log', 'levy.log', '--to', keys.bob!, '--amount', '1', '--time', T(5)])
    expect(short.code).toBe(0)
    expect(short.err).toMatch(/^warning: the pool will reject this payout: commons-short /)
    const byMember = await run(['payout', '--key', 'alice.json', '--log', 'levy.log', '--to', keys.bob!, '--amount', '1', '--time', T(5)])
    expect(byMember.err).toMatch(/^warning: the pool will reject this payout: not-authorized /)
    const r = await replayOf('levy.log')
    expect(shown(verdict(r, payout.id))).toBe('accepted')
    expect(r.commons).toBe(0)
    expect(r.balances[keys.bob!]).toBe(500)
  })

  it('lists the new commands in --help', async () => {
    const r = await run(['--help'])
    for (const command of ['pool update', 'witness', 'payout']) expect(r.out).toContain(`heroes ${command}`)
    for (const flag of ['--witness PUBKEY', '--offline-count-max', '--offline-amount-max', '--offline-allowance-seconds', '--invite-ttl-seconds']) expect(r.out).toContain(flag)
  })

  it('refuses bad witness and policy flags in one line with exit 2, printing nothing', () => {
    const W = keys.witness!
    const others = Array.from({ length: WITNESSES_COUNT_MAX + 1 }, (_, i) => String(i + 1).repeat(64))
    const create = ['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'x']
    const update = ['pool', 'update', '--key', 'gk.json', '--log', 'base.log']
    const cases: [string[], RegExp][] = [
      [[...create, '--witness', W, '--witness', W], /^heroes pool: expected each --witness once, got [0-9a-f]{64} twice$/],
      [[...create, ...others.flatMap((k) => ['--witness', k])], /^heroes pool: expected at most 4 --witness keys, got 5$/],
      [[...create, '--witness', W.toUpperCase()], /^heroes pool: expected --witness a public key \(64 lower-case hex characters\), got "[0-9A-F]{64}"$/],
      [[...create, '--witness', 'abc'], /^heroes pool: expected --witness a public key/],
      [[...create, '--witness', W, '--offline-count-max', '1001'], /^heroes pool: expected --offline-count-max from 0 to 1000, got 1001$/],
      [[...create, '--invite-ttl-seconds', '0'], /^heroes pool: expected --invite-ttl-seconds from 1 to /],
      [update, /^heroes pool: expected at least one field to change \(--name, .*--invite-ttl-seconds.*\), got none$/],
      [[...update, '--decimals', '3'], /^heroes pool: expected only fields a pool may change \(.*\), got --decimals, which is fixed when the pool is created$/],
      [[...update, '--type', 'issued', '--name', 'y'], /got --type, which is fixed/],
      [[...update, '--two-step'], /got --two-step, which is fixed/],
      [[...update, '--witness', 'none', '--witness', W], /^heroes pool: expected --witness none alone/],
      [[...update, '--witness', 'nope'], /^heroes pool: expected --witness a public key \(64 lower-case hex characters\) or none, got "nope"$/],
      [[...update, '--name', 'x'.repeat(65)], /^heroes pool: expected flags that make a well-formed policy entry, got one every device would refuse: .*policy\.name/],
      [['pool', 'delete'], /^heroes pool: expected 'pool create' or 'pool update', got 'pool delete'$/],
      [['witness', '--key', 'witness.json'], /^heroes witness: expected --log, got nothing$/],
      [['payout', '--key', 'gk.json', '--log', 'base.log', '--to', keys.bob!, '--amount', '0'], /^heroes payout: expected --amount from 1 /],
    ]
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' })
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2)
      expect(r.stdout, args.join(' ')).toBe('')
      const lines = r.stderr.trim().split('\n')
      expect(lines, args.join(' ')).toHaveLength(1)
      expect(lines[0], args.join(' ')).toMatch(message)
    }
    expect(readFileSync(path('base.log'), 'utf8').trim().split('\n')).toHaveLength(5)
  })
})
