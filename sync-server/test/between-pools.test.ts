/**
 * Path payments A → B → C through real relays (issue 19): three relay
 * processes on loopback, one per pool, each its pool's witness (checkpoints
 * every second); entries made with the CLI in real time and carried by
 * `heroes sync`. First by hand (every step a command), then with two
 * `heroes gateway run` services, one per link, as processes: they forward,
 * settle, count, and stop forwarding while their stop file exists.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { runInProcess, type Run } from '../../cli/test/run-in-process.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { sleep } from './rawClient.ts'
import { spawnRelay, type RelayProcess } from './relayProcess.ts'

const { dirs, processes } = cleanUpAfterAll()
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const services: ChildProcess[] = []
afterAll(() => {
  for (const child of services) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** Three pools, each with its relay as witness, linked A–B and B–C, alice in A and carol in C. */
async function world() {
  const dir = mkdtempSync(join(tmpdir(), 'heroes-paths-relays-'))
  dirs.push(dir)
  const path = (name: string) => join(dir, name)
  const run = (args: string[]): Promise<Run> => runInProcess(dir, args)
  const relays: Record<string, RelayProcess> = {}
  const witnessKeys: Record<string, string> = {}
  for (const name of ['A', 'B', 'C']) {
    const relay = await spawnRelay(['--port', '0', '--data-dir', path(`relay-${name}`), '--checkpoint-interval-seconds', '1'])
    processes.push(relay)
    relays[name] = relay
    witnessKeys[name] = ((await (await fetch(`${relay.httpUrl}/witness`)).json()) as { publicKey: string }).publicKey
  }
  const keys: Record<string, string> = {}
  for (const name of ['gkA', 'gkB', 'gkC', 'alice', 'carol', 'gwAB', 'gwBA', 'gwBC', 'gwCB']) {
    const r = await run(['keygen'])
    writeFileSync(path(`${name}.json`), r.out)
    keys[name] = JSON.parse(r.out).publicKey
  }
  async function append(log: string, args: string[]): Promise<Json> {
    const r = await run(args)
    expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0)
    expect(r.err, args.join(' ')).not.toContain('warning')
    appendFileSync(path(log), r.out)
    return JSON.parse(r.out)
  }
  async function sync(name: string, log = `${name}.log`): Promise<void> {
    const r = await run(['sync', '--relay', relays[name]!.syncUrl, '--log', log, '--timeout-seconds', '30'])
    expect(r.code, r.err).toBe(0)
  }
  async function replayOf(log: string): Promise<Json> {
    const r = await run(['replay', log])
    expect(r.code, r.err).toBe(0)
    return JSON.parse(r.out)
  }
  /** Syncs pool `name` until `test` holds of its replay (at most `seconds`). */
  async function until(name: string, what: string, test: (r: Json) => boolean, seconds = 30): Promise<Json> {
    const deadline = Date.now() + seconds * 1000
    for (;;) {
      await sync(name)
      const r = await replayOf(`${name}.log`)
      if (test(r)) return r
      if (Date.now() > deadline) throw new Error(`expected ${what} in pool ${name} within ${seconds} s, got none`)
      await sleep(300)
    }
  }
  const witnessed = (name: string, id: string) => until(name, `a checkpoint covering ${id}`, (r) => Boolean(r.entries.find((v: Json) => v.id === id)?.witnessed))

  const pools: Record<string, string> = {}
  const rates: Record<string, string[]> = { A: ['--hour-rate', '1/1'], B: ['--hour-rate', '1/4', '--decimals', '0'], C: ['--hour-rate', '3/2'] }
  for (const name of ['A', 'B', 'C']) {
    const r = await run(['pool', 'create', '--key', `gk${name}.json`, '--type', 'mutual-credit', '--name', `Pool ${name}`,
      '--witness', witnessKeys[name]!, '--min-balance', '-100000', '--max-balance', 'none', ...rates[name]!])
    expect(r.code, r.err).toBe(0)
    writeFileSync(path(`${name}.log`), r.out)
    pools[name] = JSON.parse(r.out).id
  }
  await append('A.log', ['admit', '--key', 'gkA.json', '--log', 'A.log', '--member', keys.alice!])
  await append('C.log', ['admit', '--key', 'gkC.json', '--log', 'C.log', '--member', keys.carol!])
  const trusts: [string, string, string][] = [['A', 'B', 'gwAB'], ['B', 'A', 'gwBA'], ['B', 'C', 'gwBC'], ['C', 'B', 'gwCB']]
  const last: Record<string, string> = {}
  for (const [x, y, gw] of trusts) {
    last[x] = (await append(`${x}.log`, ['trust', '--key', `gk${x}.json`, '--log', `${x}.log`, '--pool', pools[y]!, '--limit-hours', '100', '--gateway', keys[gw]!])).id
  }
  for (const name of ['A', 'B', 'C']) await witnessed(name, last[name]!)
  const genesisLine = (name: string) => readFileSync(path(`${name}.log`), 'utf8').split('\n').find((l) => l.includes(`"id":"${pools[name]}"`))! + '\n'
  return { dir, path, run, relays, keys, pools, append, sync, replayOf, until, witnessed, genesisLine }
}


/** Starts `heroes gateway run` processes for the links of a world, with their metrics and logs. */
function gatewayServices(w: Awaited<ReturnType<typeof world>>) {
  const metricsOf: Record<string, () => Promise<string>> = {}
  const logsOf: Record<string, () => string> = {}
  const service = async (link: string, x: string, y: string, extra: string[] = []) => {
    for (const pool of [x, y]) writeFileSync(w.path(`gw${link}-${pool}.log`), w.genesisLine(pool))
    const key = (pool: string) => `gw${pool}${pool === x ? y : x}.json`
    writeFileSync(w.path(`gw${link}.config.json`), JSON.stringify({
      pools: [x, y].map((pool) => ({ log: `gw${link}-${pool}.log`, key: key(pool), relay: w.relays[pool]!.syncUrl })),
    }))
    const child = spawn(process.execPath, [join(ROOT, 'bin/heroes.mjs'), 'gateway', 'run', '--config', w.path(`gw${link}.config.json`),
      '--interval-seconds', '1', '--metrics-port', '0', '--stop-file', w.path(`stop-${link}`), '--max-amount', '100000', ...extra], { cwd: w.dir, stdio: ['ignore', 'pipe', 'pipe'] })
    services.push(child)
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let stdout = ''
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    logsOf[link] = () => `--- gateway ${link} stdout:\n${stdout}\n--- stderr:\n${stderr}`
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(stderr)
        if (match) {
          clearInterval(timer)
          resolve(Number(match[1]))
        } else if (child.exitCode !== null) {
          clearInterval(timer)
          reject(new Error(`gateway ${link} exited: ${stderr}`))
        }
      }, 50)
    })
    metricsOf[link] = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    return child
  }
  return { service, metricsOf, logsOf }
}

const LOGS = ['--log', 'A.log', '--log', 'B.log', '--log', 'C.log']

describe('between pools on real relays', () => {
  it('pays along a 2-hop path by hand, each hop witnessed by its pool\'s relay, and a fresh device sees the same outcome', async () => {
    const w = await world()
    const route = await w.run(['route', ...LOGS, '--from-pool', w.pools.A!, '--to-pool', w.pools.C!, '--amount', '1000'])
    expect(route.out).toBe(JSON.stringify({ route: [w.pools.A, w.pools.B, w.pools.C], sourceAmount: 1500, targetAmount: 1000 }) + '\n')

    const { condition } = JSON.parse((await w.run(['hashlock', '--preimage-out', 'secret.json'])).out)
    const first = await w.append('A.log', ['pay', '--path', '--key', 'alice.json', ...LOGS, '--to-pool', w.pools.C!, '--to', w.keys.carol!,
      '--amount', '1000', '--condition', condition, '--expires-seconds', '900'])
    await w.witnessed('A', first.id)
    const second = await w.append('B.log', ['gateway', 'forward', '--key', 'gwBA.json', ...LOGS, '--entry', first.id])
    await w.witnessed('B', second.id)
    const third = await w.append('C.log', ['gateway', 'forward', '--key', 'gwCB.json', ...LOGS, '--entry', second.id])
    await w.witnessed('C', third.id)
    const done = await w.append('C.log', ['fulfil', '--key', 'carol.json', '--log', 'C.log', '--entry', third.id, '--preimage-file', 'secret.json'])
    await w.witnessed('C', done.id)
    const settledB = await w.append('B.log', ['gateway', 'settle', '--key', 'gwBC.json', ...LOGS, '--entry', second.id])
    await w.witnessed('B', settledB.id)
    const settledA = await w.append('A.log', ['gateway', 'settle', '--key', 'gwAB.json', ...LOGS, '--entry', first.id])
    await w.witnessed('A', settledA.id)

    // A fresh device: each pool fetched from its genesis alone, through its relay.
    for (const [name, id] of [['A', first.id], ['B', second.id], ['C', third.id]] as const) {
      const fresh = `fresh-${name}.log`
      writeFileSync(w.path(fresh), w.genesisLine(name))
      await w.sync(name, fresh)
      const seen = await w.replayOf(fresh)
      expect(seen.prepares[id], `${name} on a fresh device`).toMatchObject({ status: 'fulfilled' })
      expect(Object.values(seen.balances as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(0)
    }
    expect((await w.replayOf('A.log')).balances[w.keys.alice!]).toBe(-1500)
    expect((await w.replayOf('C.log')).balances[w.keys.carol!]).toBe(1000)
  }, 240_000)

  it('two gateway services forward and settle on their own, count what they did, and stop forwarding while the stop file exists', async () => {
    const w = await world()
    const { service, metricsOf, logsOf } = gatewayServices(w)
    const ab = await service('AB', 'A', 'B')
    const bc = await service('BC', 'B', 'C')

    const pay = async (amount: number, label: string) => {
      const { condition } = JSON.parse((await w.run(['hashlock', '--preimage-out', `${label}.json`])).out)
      for (const name of ['A', 'B', 'C']) await w.sync(name)
      const started = performance.now()
      const first = await w.append('A.log', ['pay', '--path', '--key', 'alice.json', ...LOGS, '--to-pool', w.pools.C!, '--to', w.keys.carol!,
        '--amount', String(amount), '--condition', condition, '--expires-seconds', '900'])
      await w.sync('A')
      return { first, condition, started }
    }
    const fulfilWhenPrepared = async (label: string, condition: string) => {
      const c = await w.until('C', 'a prepare to carol', (r) => Object.values((r.prepares ?? {}) as Json).some((p: Json) => p.condition === condition && p.to === w.keys.carol && p.status === 'prepared'), 60)
      const [id] = Object.entries(c.prepares as Json).find(([, p]) => (p as Json).condition === condition)!
      await w.append('C.log', ['fulfil', '--key', 'carol.json', '--log', 'C.log', '--entry', id, '--preimage-file', `${label}.json`])
      await w.sync('C')
    }

    // One payment, the gateways doing every step after the payer's and the payee's.
    const one = await pay(1000, 'one')
    try {
      await fulfilWhenPrepared('one', one.condition)
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${logsOf.AB!()}\n${logsOf.BC!()}`)
    }
    const a = await w.until('A', 'the first hop fulfilled', (r) => r.prepares?.[one.first.id]?.status === 'fulfilled', 60)
    const seconds = (performance.now() - one.started) / 1000
    expect(a.balances[w.keys.alice!]).toBe(-1500)
    const b = await w.until('B', 'the middle hop fulfilled', (r) => Object.values((r.prepares ?? {}) as Json).some((p: Json) => p.condition === one.condition && p.status === 'fulfilled'))
    expect(b.trustlines[w.pools.A!]).toMatchObject({ balance: -60 })
    expect(await metricsOf.AB!()).toMatch(/heroes_gateway_actions_total\{action="forward"\} 1\n/)
    expect(await metricsOf.AB!()).toMatch(/heroes_gateway_actions_total\{action="fulfil"\} 1\n/)
    expect(await metricsOf.BC!()).toMatch(/heroes_gateway_actions_total\{action="fulfil"\} 1\n/)
    process.stderr.write(`between-pools relay test: a 2-hop payment took ${seconds.toFixed(1)} s from pay to the payer's hop fulfilled (1 s checkpoints, 1 s gateway rounds)\n`)

    // The kill switch: the B–C gateway stops forwarding; the A–B one still forwards into B.
    writeFileSync(w.path('stop-BC'), '')
    const two = await pay(10, 'two')
    await w.until('B', 'the second payment prepared in B', (r) => Object.values((r.prepares ?? {}) as Json).some((p: Json) => p.condition === two.condition), 60)
    for (let i = 0; i < 40 && !/action="not-forwarded"\}/.test(await metricsOf.BC!()); i++) await sleep(250)
    expect(await metricsOf.BC!()).toMatch(/heroes_gateway_stopped 1\n/)
    expect(await metricsOf.BC!()).toMatch(/heroes_gateway_actions_total\{action="not-forwarded"\} \d+\n/)
    await w.sync('C')
    expect(Object.values(((await w.replayOf('C.log')).prepares ?? {}) as Json).some((p: Json) => p.condition === two.condition)).toBe(false)
    // Back on: it forwards, carol fulfils, and the path completes.
    rmSync(w.path('stop-BC'))
    await fulfilWhenPrepared('two', two.condition)
    await w.until('A', 'the second payment fulfilled', (r) => r.prepares?.[two.first.id]?.status === 'fulfilled', 60)

    ab.kill('SIGTERM')
    bc.kill('SIGTERM')
    const codes = await Promise.all([ab, bc].map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))))))
    expect(codes).toEqual([0, 0])
  }, 300_000)

  it('a stale quote and a trust lowered after the quote fail cleanly: the gateways refuse at once and every hold comes back (one service polling)', async () => {
    const w = await world()
    const { service, metricsOf, logsOf } = gatewayServices(w)
    const ab = await service('AB', 'A', 'B')
    // The B–C service syncs each log every round instead of being pushed (--poll): both ways of keeping up are covered.
    const bc = await service('BC', 'B', 'C', ['--poll'])
    writeFileSync(w.path('stop-BC'), '')
    const payHeld = async (amount: number, label: string) => {
      const { condition } = JSON.parse((await w.run(['hashlock', '--preimage-out', `${label}.json`])).out)
      for (const name of ['A', 'B', 'C']) await w.sync(name)
      const first = await w.append('A.log', ['pay', '--path', '--key', 'alice.json', ...LOGS, '--to-pool', w.pools.C!, '--to', w.keys.carol!,
        '--amount', String(amount), '--condition', condition, '--expires-seconds', '900'])
      await w.sync('A')
      // Held at the B–C link (stop file): the A–B gateway has forwarded into B.
      await w.until('B', 'the payment prepared in B', (r) => Object.values((r.prepares ?? {}) as Json).some((p: Json) => p.condition === condition && p.status === 'prepared'), 60)
      return first
    }
    const unwound = async (first: Json, what: string) => {
      try {
        const a = await w.until('A', what, (r) => r.prepares?.[first.id]?.status === 'cancelled', 60)
        expect(a.members[w.keys.alice!].held).toBeUndefined()
        expect(a.balances[w.keys.alice!] ?? 0).toBe(0)
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${logsOf.AB!()}\n${logsOf.BC!()}`)
      }
    }

    // A stale quote: C's gatekeeper doubles the worth of C's unit after the route was found.
    const stale = await payHeld(1000, 'stale')
    const rate = await w.append('C.log', ['pool', 'update', '--key', 'gkC.json', '--log', 'C.log', '--hour-rate', '3/1'])
    await w.witnessed('C', rate.id)
    rmSync(w.path('stop-BC'))
    await unwound(stale, 'the stale payment refused back to the payer')
    expect(await metricsOf.BC!()).toMatch(/heroes_gateway_actions_total\{action="not-forwarded"\} [1-9]/)
    expect(await metricsOf.AB!()).toMatch(/heroes_gateway_actions_total\{action="refuse"\} 1\n/)

    // A trust lowered after the quote: C now trusts B 10 HOUR (333 C minor units); the payment needs 2000.
    writeFileSync(w.path('stop-BC'), '')
    const short = await payHeld(2000, 'short')
    const lowered = await w.append('C.log', ['trust', '--key', 'gkC.json', '--log', 'C.log', '--pool', w.pools.B!, '--limit-hours', '10', '--gateway', w.keys.gwCB!])
    await w.witnessed('C', lowered.id)
    rmSync(w.path('stop-BC'))
    await unwound(short, 'the payment beyond the trust refused back to the payer')
    const c = await w.replayOf('C.log')
    expect(Object.keys(c.prepares ?? {})).toEqual([])
    expect(c.trustlines[w.pools.B!]).toMatchObject({ limitHours: 10, limit: 333, balance: 0 })

    ab.kill('SIGTERM')
    bc.kill('SIGTERM')
  }, 300_000)

  it('a relay that dies and a gateway killed mid-payment come back: the live gateways reconnect, the restarted one resumes from its logs, and every hop completes', async () => {
    const w = await world()
    const { service, logsOf } = gatewayServices(w)
    const ab = await service('AB', 'A', 'B')
    let bc = await service('BC', 'B', 'C')
    const logs = () => `${logsOf.AB!()}\n${logsOf.BC!()}`
    // Relay B (the middle pool's, which both services hold live connections to) dies and comes back on its port and data.
    const relayB = w.relays.B!
    await relayB.kill('SIGKILL')
    const reborn = await spawnRelay(['--port', String(relayB.port), '--data-dir', w.path('relay-B'), '--checkpoint-interval-seconds', '1'])
    processes.push(reborn)
    w.relays.B = reborn

    writeFileSync(w.path('stop-BC'), '')
    const { condition } = JSON.parse((await w.run(['hashlock', '--preimage-out', 'down.json'])).out)
    for (const name of ['A', 'B', 'C']) await w.sync(name)
    const first = await w.append('A.log', ['pay', '--path', '--key', 'alice.json', ...LOGS, '--to-pool', w.pools.C!, '--to', w.keys.carol!,
      '--amount', '1000', '--condition', condition, '--expires-seconds', '900'])
    await w.sync('A')
    try {
      // The A–B gateway, reconnected to the new relay B, forwards into B.
      await w.until('B', 'the payment prepared in B through the restarted relay', (r) => Object.values((r.prepares ?? {}) as Json).some((p: Json) => p.condition === condition && p.status === 'prepared'), 60)
      // The B–C gateway goes down mid-payment (no chance to finish a round), and comes back without its stop file.
      bc.kill('SIGKILL')
      await new Promise((resolve) => (bc.exitCode !== null || bc.signalCode !== null ? resolve(null) : bc.once('exit', resolve)))
      rmSync(w.path('stop-BC'))
      bc = await service('BC', 'B', 'C')
      const c = await w.until('C', 'the payment prepared to carol', (r) => Object.values((r.prepares ?? {}) as Json).some((p: Json) => p.condition === condition && p.to === w.keys.carol && p.status === 'prepared'), 60)
      const [id] = Object.entries(c.prepares as Json).find(([, p]) => (p as Json).condition === condition)!
      await w.append('C.log', ['fulfil', '--key', 'carol.json', '--log', 'C.log', '--entry', id, '--preimage-file', 'down.json'])
      await w.sync('C')
      const a = await w.until('A', 'the first hop fulfilled', (r) => r.prepares?.[first.id]?.status === 'fulfilled', 60)
      expect(a.balances[w.keys.alice!]).toBe(-1500)
      const b = await w.until('B', 'the middle hop fulfilled', (r) => Object.values((r.prepares ?? {}) as Json).some((p: Json) => p.condition === condition && p.status === 'fulfilled'), 60)
      // Exactly one hop per pool: the restarted gateway forwarded once, from what its logs held.
      expect(Object.values((b.prepares ?? {}) as Json).filter((p: Json) => p.condition === condition)).toHaveLength(1)
      expect(Object.values(((await w.replayOf('C.log')).prepares ?? {}) as Json).filter((p: Json) => p.condition === condition)).toHaveLength(1)
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${logs()}`)
    }
    ab.kill('SIGTERM')
    bc.kill('SIGTERM')
  }, 300_000)
})
