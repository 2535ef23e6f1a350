/**
 * Issue 18 on the command line: standing orders (order create, run, revoke)
 * and scheduled payments (schedule, cancel), seen through `replay`.
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


describe('heroes CLI: standing orders and scheduled payments', () => {
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
    dir = mkdtempSync(join(tmpdir(), 'heroes-orders-'))
    for (const name of ['gk', 'alice', 'bob', 'relay']) {
      const r = await run(['keygen'])
      writeFileSync(path(`${name}.json`), r.out)
      keys[name] = JSON.parse(r.out).publicKey
    }
    const genesis = await run(['pool', 'create', '--key', 'gk.json', '--type', 'issued', '--name', 'Orders', '--time', T(0)])
    writeFileSync(path('log'), genesis.out)
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.alice!, '--time', T(0, 1)])
    await append(['admit', '--key', 'gk.json', '--log', 'log', '--member', keys.bob!, '--time', T(0, 2)])
    await append(['issue', '--key', 'gk.json', '--log', 'log', '--to', keys.alice!, '--amount', '1000', '--time', T(0, 3)])
  })

  async function replayOf() {
    return JSON.parse((await run(['replay', 'log', '--as-of', AS_OF])).out)
  }

  it('order run prints the payments due, once; replay shows the order', async () => {
    const order = await append(['order', 'create', '--key', 'alice.json', '--log', 'log', '--to', keys.bob!, '--amount', '100',
      '--every-seconds', '604800', '--count', '3', '--memo', 'rent', '--coordinator', keys.relay!, '--time', T(1)])
    expect(order).toMatchObject({ type: 'order', everySeconds: 604_800, count: 3 })
    expect(order).not.toHaveProperty('start')
    const due = await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(8, 1)])
    expect(due.code, due.err).toBe(0)
    const lines = due.out.trim().split('\n')
    expect(lines.map((l) => JSON.parse(l).period)).toEqual([0, 1])
    appendFileSync(path('log'), due.out)
    expect((await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(8, 2)])).out).toBe('')
    // The coordinator collects the third when due; the payee's later run finds nothing left.
    const third = await run(['order', 'run', '--key', 'relay.json', '--log', 'log', '--time', T(15, 1)])
    expect(third.out.trim().split('\n').map((l) => JSON.parse(l).period)).toEqual([2])
    appendFileSync(path('log'), third.out)
    expect((await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(30)])).out).toBe('')
    const r = await replayOf()
    expect(r.balances[keys.bob!]).toBe(300)
    expect(r.orders).toEqual([expect.objectContaining({ id: order.id, payer: keys.alice, payee: keys.bob, amount: 100, everySeconds: 604_800, paid: 3, status: 'finished' })])
  })

  it('schedule takes effect at --at; cancel withdraws it before then; order revoke stops an order', async () => {
    const kept = await append(['schedule', '--key', 'alice.json', '--log', 'log', '--to', keys.bob!, '--amount', '50', '--at', T(40), '--time', T(31)])
    const dropped = await append(['schedule', '--key', 'alice.json', '--log', 'log', '--to', keys.bob!, '--amount', '70', '--at', T(40), '--time', T(31, 1)])
    await append(['cancel', '--key', 'alice.json', '--log', 'log', '--entry', String(dropped.id), '--time', T(32)])
    expect((await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(39)])).out).toBe('')
    const due = await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(40)])
    expect(due.out.trim().split('\n').map((l) => JSON.parse(l).order)).toEqual([kept.id])
    appendFileSync(path('log'), due.out)
    const weekly = await append(['order', 'create', '--key', 'alice.json', '--log', 'log', '--to', keys.bob!, '--amount', '10', '--every-seconds', '86400', '--time', T(41)])
    await append(['order', 'revoke', '--key', 'alice.json', '--log', 'log', '--entry', String(weekly.id), '--time', T(41, 1)])
    expect((await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(50)])).out).toBe('')
    const r = await replayOf()
    const status = Object.fromEntries(r.orders.map((o: { id: string; status: string }) => [o.id, o.status]))
    expect([status[String(kept.id)], status[String(dropped.id)], status[String(weekly.id)]]).toEqual(['finished', 'revoked', 'revoked'])
    expect(r.balances[keys.bob!]).toBe(350)
  })

  it('order run asks again for a period the payer could not pay, a day after the refused try, not at once', async () => {
    // Alice holds 650: a daily order of 400 pays once, then cannot.
    const order = await append(['order', 'create', '--key', 'alice.json', '--log', 'log', '--to', keys.bob!, '--amount', '400', '--every-seconds', '86400', '--count', '3', '--time', T(60)])
    const first = await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(61, 1)])
    expect(first.out.trim().split('\n').map((l) => JSON.parse(l).period)).toEqual([0, 1])
    appendFileSync(path('log'), first.out)
    const verdicts = (await replayOf()).entries.filter((v: { type: string }) => v.type === 'collect').slice(-2).map((v: { status: string; reason?: string }) => v.reason ?? v.status)
    expect(verdicts).toEqual(['accepted', 'below-min-balance'])
    // Just after: nothing (the refused try is fresh). A day later, after Alice was paid: period 1 again, and 2.
    expect((await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(61, 2)])).out).toBe('')
    await append(['issue', '--key', 'gk.json', '--log', 'log', '--to', keys.alice!, '--amount', '1000', '--time', T(61, 3)])
    const retried = await run(['order', 'run', '--key', 'bob.json', '--log', 'log', '--time', T(62, 2)])
    expect(retried.out.trim().split('\n').map((l) => JSON.parse(l).period)).toEqual([1, 2])
    appendFileSync(path('log'), retried.out)
    const r = await replayOf()
    expect(r.orders.find((o: { id: string }) => o.id === order.id)).toMatchObject({ paid: 3, status: 'finished' })
  })

  it('refuses bad order flags with one line', async () => {
    for (const [args, message] of [
      [['order', 'create', '--to', 'x', '--amount', '1', '--every-seconds', '60'], /--to/],
      [['order', 'create', '--amount', '1', '--every-seconds', '59'], /--to|every-seconds/],
      [['order', 'fly'], /order create/],
      [['schedule', '--amount', '5'], /--to/],
    ] as const) {
      const r = await run([...args, '--key', 'alice.json', '--log', 'log'])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toMatch(message)
    }
  })
})
