/**
 * Issue 18 on the command line: recurring requests (request --every-seconds,
 * accept, order run, cancel), seen through `replay`. Commands run in-process
 * on real files.
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

describe('heroes CLI: recurring requests', () => {
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
    dir = mkdtempSync(join(tmpdir(), 'heroes-recurring-'))
    for (const name of ['gk', 'alice', 'bob', 'carol', 'relay']) {
      const r = await run(['keygen'])
      writeFileSync(path(`${name}.json`), r.out)
      keys[name] = JSON.parse(r.out).publicKey
    }
    const genesis = await run(['pool', 'create', '--key', 'gk.json', '--type', 'issued', '--name', 'Rent', '--time', T(0)])
    writeFileSync(path('log'), genesis.out)
    for (const [i, who] of ['alice', 'bob', 'carol'].entries()) await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys[who]!, '--time', T(0, 1 + i)])
    await append(['issue', '--key', 'gk.json', '--log', 'log', '--to', keys.alice!, '--amount', '1000', '--time', T(0, 5)])
  })

  const replayOf = async () => JSON.parse((await run(['replay', 'log', '--as-of', AS_OF])).out)

  it('request --every-seconds, accepted once, is collected each period by order run; replay shows request and order', async () => {
    const request = await append(['request', '--key', 'bob.json', '--log', 'log', '--from', keys.alice!, '--amount', '100', '--memo', 'rent',
      '--every-seconds', '604800', '--count', '3', '--coordinator', keys.relay!, '--time', T(1)])
    expect(request).toMatchObject({ type: 'request', everySeconds: 604_800, count: 3, coordinator: keys.relay })
    // Carol may not accept a request made to alice: printed, with the validator's word on stderr.
    const carol = await run(['accept', '--key', 'carol.json', '--log', 'log', '--entry', String(request.id), '--time', T(1, 1)])
    expect(carol.err).toContain('not-party')
    const accepted = await append(['accept', '--key', 'alice.json', '--log', 'log', '--entry', String(request.id), '--time', T(1, 2)])
    expect(accepted.warning).toBe('')
    const due = await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(8, 3)])
    expect(due.out.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ type: 'collect', order: accepted.id, period: 0 }), expect.objectContaining({ type: 'collect', order: accepted.id, period: 1 }),
    ])
    appendFileSync(path('log'), due.out)
    expect((await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(8, 4)])).out).toBe('')
    const third = await run(['order', 'run', '--key', 'relay.json', '--log', 'log', '--time', T(15, 3)])
    expect(third.out.trim().split('\n').map((l) => JSON.parse(l).period)).toEqual([2])
    appendFileSync(path('log'), third.out)
    expect((await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(40)])).out).toBe('')
    const r = await replayOf()
    expect(r.balances[keys.bob!]).toBe(300)
    expect(r.requests[String(request.id)]).toMatchObject({ status: 'accepted', everySeconds: 604_800, count: 3, orders: [accepted.id], settledBy: accepted.id })
    expect(r.orders).toEqual([expect.objectContaining({ id: accepted.id, payer: keys.alice, payee: keys.bob, amount: 100, everySeconds: 604_800, paid: 3, status: 'finished', request: request.id })])
  })

  it('the requester ends the payments with cancel --entry ACCEPT; a second accept is refused', async () => {
    const dues = await append(['request', '--key', 'bob.json', '--log', 'log', '--amount', '10', '--every-seconds', '86400', '--time', T(50)])
    expect(dues).not.toHaveProperty('from')
    const accepted = await append(['accept', '--key', 'alice.json', '--log', 'log', '--entry', String(dues.id), '--time', T(50, 1)])
    const again = await run(['accept', '--key', 'alice.json', '--log', 'log', '--entry', String(dues.id), '--time', T(50, 2)])
    expect(again.err).toContain('not-open')
    appendFileSync(path('log'), (await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(51, 2)])).out)
    await append(['cancel', '--key', 'bob.json', '--log', 'log', '--entry', String(accepted.id), '--time', T(51, 3)])
    expect((await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(60)])).out).toBe('')
    const r = await replayOf()
    expect(r.orders.find((o: { id: string }) => o.id === accepted.id)).toMatchObject({ paid: 2, status: 'revoked', request: dues.id })
    expect(r.requests[String(dues.id)]).toMatchObject({ status: 'open', orders: [accepted.id] })
  })

  it('refuses schedule flags without --every-seconds, and bad values, in one line', async () => {
    for (const [flags, says] of [
      [['--count', '3'], '--count only with --every-seconds'],
      [['--every-seconds', '30'], 'expected --every-seconds from 60'],
      [['--every-seconds', '86400', '--count', '0'], 'expected --count from 1'],
      [['--every-seconds', '86400', '--until', T(0)], 'expected --until at or after'],
      [['--every-seconds', '86400', '--start', 'yesterday'], '--start'],
    ] as const) {
      const r = await run(['request', '--key', 'bob.json', '--log', 'log', '--amount', '10', '--time', T(70), ...flags])
      expect(r.code, r.err).not.toBe(0)
      expect(r.out).toBe('')
      expect(r.err).toContain(says)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    }
  })
})
