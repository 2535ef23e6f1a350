/**
 * Issue 17 on the command line: device add, a device paying with the ordinary
 * commands, device revoke with its default and explicit cutoffs, and what
 * replay and statement say. Commands run in-process on real files.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInProcess, type Run } from './run-in-process.ts'

const T0 = Date.UTC(2026, 11, 7, 9)
const T = (minutes: number) => String(T0 + minutes * 60_000)
const AS_OF = T(10_000)

describe('heroes CLI: devices', () => {
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
  const replayOf = async () => JSON.parse((await run(['replay', 'log', '--as-of', AS_OF])).out)
  const verdict = (result: { entries: { id: string; status: string; reason?: string }[] }, id: unknown) => {
    const v = result.entries.find((e) => e.id === id)!
    return v.reason ? `${v.status}:${v.reason}` : v.status
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-devices-'))
    for (const name of ['gk', 'alice', 'bob', 'phone', 'laptop']) {
      const r = await run(['keygen'])
      writeFileSync(path(`${name}.json`), r.out)
      keys[name] = JSON.parse(r.out).publicKey
    }
    const genesis = await run(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Devices', '--time', T(0)])
    writeFileSync(path('log'), genesis.out)
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.alice!, '--time', T(1)])
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.bob!, '--time', T(2)])
  })

  it('device add prints the certificate; a device key pays with heroes transfer; replay lists the devices', async () => {
    const cert = await append(['device', 'add', '--key', 'alice.json', '--log', 'log', '--device', keys.phone!, '--name', 'Phone', '--time', T(3)])
    expect(cert).toMatchObject({ type: 'device', author: keys.alice, device: keys.phone, name: 'Phone', seq: 1 })
    expect(cert.warning).toBe('')
    const paid = await append(['transfer', '--key', 'phone.json', '--log', 'log', '--to', keys.bob!, '--amount', '250', '--time', T(5)])
    expect(paid).toMatchObject({ type: 'transfer', author: keys.phone, seq: 1 })
    // its first entry names its certificate, so it sorts after it whatever the clocks say
    expect(paid.deps).toContain(cert.id)
    expect(paid.warning).toBe('')
    const r = await replayOf()
    expect(verdict(r, paid.id)).toBe('accepted')
    expect(r.balances[keys.alice!]).toBe(-250)
    expect(r.balances[keys.phone!]).toBeUndefined()
    expect(r.members[keys.alice!].devices).toEqual([{ key: keys.phone, name: 'Phone', status: 'active', certificate: cert.id }])
    // statements stay by member key
    const statement = await run(['statement', 'log', '--member', keys.alice!, '--as-of', AS_OF])
    expect(statement.code, statement.err).toBe(0)
    expect(statement.out).toContain(paid.id as string)
  })

  it('refuses to pay the device\'s own member, and a device key certifying a device', async () => {
    const self = await run(['transfer', '--key', 'phone.json', '--log', 'log', '--to', keys.alice!, '--amount', '5', '--time', T(6)])
    expect(self.code).toBe(2)
    expect(self.err).toMatch(/payer itself \(the member this device signs for\)/)
    const byDevice = await run(['device', 'add', '--key', 'phone.json', '--log', 'log', '--device', keys.laptop!, '--time', T(6)])
    expect(byDevice.code).toBe(2)
    expect(byDevice.err).toMatch(/only the member key certifies devices/)
  })

  it('a capped device is warned past its cap', async () => {
    const cert = await append(['device', 'add', '--key', 'alice.json', '--log', 'log', '--device', keys.laptop!, '--name', 'Laptop', '--spend-cap', '100', '--time', T(7)])
    expect(cert).toMatchObject({ spendCap: 100 })
    const over = await append(['transfer', '--key', 'laptop.json', '--log', 'log', '--to', keys.bob!, '--amount', '150', '--time', T(9)])
    expect(over.warning).toMatch(/device-cap/)
    expect(verdict(await replayOf(), over.id)).toBe('rejected:device-cap')
  })

  it('device revoke defaults to the device\'s last entry in LOG; later entries are rejected', async () => {
    const second = await append(['transfer', '--key', 'phone.json', '--log', 'log', '--to', keys.bob!, '--amount', '10', '--time', T(12)])
    const revocation = await append(['device', 'revoke', '--key', 'alice.json', '--log', 'log', '--device', keys.phone!, '--time', T(14)])
    expect(revocation).toMatchObject({ type: 'revoke', device: keys.phone, afterSeq: 2, afterEntry: second.id })
    expect(revocation.deps).toContain(second.id)
    // the phone (or a thief holding it) signs on: warned; and once more dated before the revocation
    const late = await append(['transfer', '--key', 'phone.json', '--log', 'log', '--to', keys.bob!, '--amount', '10', '--time', T(15)])
    expect(late.warning).toMatch(/device-revoked/)
    const r = await replayOf()
    expect(verdict(r, revocation.id)).toBe('accepted')
    expect(verdict(r, second.id)).toBe('accepted')
    expect(verdict(r, late.id)).toBe('rejected:device-revoked')
    expect(r.members[keys.alice!].devices.map((d: { status: string }) => d.status)).toEqual(['revoked', 'active'])
  })

  it('device revoke --after-seq names that entry; a cutoff past the log is refused', async () => {
    const tooFar = await run(['device', 'revoke', '--key', 'alice.json', '--log', 'log', '--device', keys.laptop!, '--after-seq', '5', '--time', T(20)])
    expect(tooFar.code).toBe(2)
    expect(tooFar.err).toMatch(/expected --after-seq at most 1/)
    const zero = await append(['device', 'revoke', '--key', 'alice.json', '--log', 'log', '--device', keys.laptop!, '--after-seq', '0', '--time', T(20)])
    expect(zero).toMatchObject({ afterSeq: 0 })
    expect(zero).not.toHaveProperty('afterEntry')
    const r = await replayOf()
    expect(r.members[keys.alice!].devices.map((d: { status: string }) => d.status)).toEqual(['revoked', 'revoked'])
    expect(readFileSync(path('log'), 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(8)
  })

  it('documents the commands in heroes --help', async () => {
    const help = await run(['--help'])
    expect(help.out).toContain('heroes device add --key MEMBER_KEY --log LOG --device PUBKEY [--name TEXT] [--spend-cap N] [--time T]')
    expect(help.out).toContain('heroes device revoke --key MEMBER_KEY --log LOG --device PUBKEY [--after-seq N] [--time T]')
    expect(help.out).toContain('"devices"')
  })
})

describe('heroes CLI: recovery by gatekeepers', () => {
  let dir: string
  const keys: Record<string, string> = {}
  const path = (name: string) => join(dir, name)
  const run = (args: string[]): Promise<Run> => runInProcess(dir, args)
  const DAY = 24 * 60
  async function append(args: string[]): Promise<Record<string, unknown> & { warning: string }> {
    const r = await run(args)
    expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0)
    appendFileSync(path('log'), r.out)
    return { ...JSON.parse(r.out), warning: r.err }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-recovery-'))
    for (const name of ['gk', 'gk2', 'alice', 'bob', 'fresh']) {
      const r = await run(['keygen'])
      writeFileSync(path(`${name}.json`), r.out)
      keys[name] = JSON.parse(r.out).publicKey
    }
    const genesis = await run(['pool', 'create', '--key', 'gk.json', '--type', 'mutual-credit', '--name', 'Recovery', '--time', T(0)])
    writeFileSync(path('log'), genesis.out)
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.gk2!, '--role', 'gatekeeper', '--time', T(1)])
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.alice!, '--time', T(2)])
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.bob!, '--time', T(3)])
    await append(['transfer', '--key', 'alice.json', '--log', 'log', '--to', keys.bob!, '--amount', '120', '--time', T(4)])
  })

  it('recover request and two approvals move the account; replay prints the outcome', async () => {
    const request = await append(['recover', 'request', '--key', 'fresh.json', '--log', 'log', '--member', keys.alice!, '--time', T(10 * DAY)])
    expect(request).toMatchObject({ type: 'recover', author: keys.fresh, member: keys.alice, seq: 1 })
    const first = await append(['recover', 'approve', '--key', 'gk.json', '--log', 'log', '--entry', request.id as string, '--time', T(10 * DAY + 1)])
    expect(first).toMatchObject({ type: 'approve', entry: request.id })
    const second = await append(['recover', 'approve', '--key', 'gk2.json', '--log', 'log', '--entry', request.id as string, '--time', T(10 * DAY + 2)])
    expect(second.warning).toBe('')
    const r = JSON.parse((await run(['replay', 'log', '--as-of', T(20 * DAY)])).out)
    expect(r.recoveries).toEqual([{ id: request.id, member: keys.alice, key: keys.fresh, approvals: [keys.gk, keys.gk2], needed: 2, status: 'recovered', completedBy: second.id }])
    expect(r.balances[keys.fresh!]).toBe(-120)
    expect(r.balances[keys.alice!]).toBe(0)
    expect(r.members[keys.alice!].frozen).toBe(true)
  })

  it('refuses an approve of an entry that is no recovery request, and a request by a key with entries', async () => {
    const bad = await run(['recover', 'approve', '--key', 'gk.json', '--log', 'log', '--entry', '0'.repeat(64), '--time', T(11 * DAY)])
    expect(bad.code).toBe(2)
    const used = await run(['recover', 'request', '--key', 'gk2.json', '--log', 'log', '--member', keys.bob!, '--time', T(11 * DAY)])
    expect(used.code).toBe(2)
    expect(used.err).toMatch(/expected a new key/)
  })
})
