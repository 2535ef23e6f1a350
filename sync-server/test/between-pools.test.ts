/**
 * A path payment A → B → C through real relays (issue 19): three relay
 * processes on loopback, one per pool, each its pool's witness (checkpoints
 * every second); every entry made with the CLI in real time and carried
 * by `heroes sync`; each hop's fulfil witnessed by its own pool's relay
 * before its expiry. A device that fetches each pool from its genesis alone
 * sees every hop fulfilled: gateways' shards are discovered through the
 * trust entries that name them.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runInProcess, type Run } from '../../cli/test/run-in-process.ts'
import { cleanUpAfterAll } from './cleanup.ts'
import { sleep } from './rawClient.ts'
import { spawnRelay, type RelayProcess } from './relayProcess.ts'

const { dirs, processes } = cleanUpAfterAll()

describe('between pools on real relays', () => {
  it('pays along a 2-hop path, each hop witnessed by its pool\'s relay, and a fresh device sees the same outcome', async () => {
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

    async function append(log: string, args: string[]): Promise<{ id: string } & Record<string, unknown>> {
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
    async function replayOf(log: string) {
      const r = await run(['replay', log])
      expect(r.code, r.err).toBe(0)
      return JSON.parse(r.out)
    }
    /** Syncs until the pool's relay has covered `id` with a checkpoint (the log then holds it). */
    async function untilWitnessed(name: string, id: string): Promise<void> {
      for (let attempt = 0; attempt < 40; attempt++) {
        await sync(name)
        const verdict = (await replayOf(`${name}.log`)).entries.find((v: { id: string }) => v.id === id)
        if (verdict?.witnessed) return
        await sleep(500)
      }
      throw new Error(`expected relay ${name} to witness ${id}, got nothing within 20 s`)
    }

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
    for (const name of ['A', 'B', 'C']) await untilWitnessed(name, last[name]!)
    const logs = ['--log', 'A.log', '--log', 'B.log', '--log', 'C.log']
    const route = await run(['route', ...logs, '--from-pool', pools.A!, '--to-pool', pools.C!, '--amount', '1000'])
    expect(route.out).toBe(JSON.stringify({ route: [pools.A, pools.B, pools.C], sourceAmount: 1500, targetAmount: 1000 }) + '\n')

    const { condition } = JSON.parse((await run(['hashlock', '--preimage-out', 'secret.json'])).out)
    const first = await append('A.log', ['pay', '--path', '--key', 'alice.json', ...logs, '--to-pool', pools.C!, '--to', keys.carol!,
      '--amount', '1000', '--condition', condition, '--expires-seconds', '900'])
    await untilWitnessed('A', first.id)
    const second = await append('B.log', ['gateway', 'forward', '--key', 'gwBA.json', ...logs, '--entry', first.id])
    await untilWitnessed('B', second.id)
    const third = await append('C.log', ['gateway', 'forward', '--key', 'gwCB.json', ...logs, '--entry', second.id])
    await untilWitnessed('C', third.id)
    const done = await append('C.log', ['fulfil', '--key', 'carol.json', '--log', 'C.log', '--entry', third.id, '--preimage-file', 'secret.json'])
    await untilWitnessed('C', done.id)
    const settledB = await append('B.log', ['gateway', 'settle', '--key', 'gwBC.json', ...logs, '--entry', second.id])
    await untilWitnessed('B', settledB.id)
    const settledA = await append('A.log', ['gateway', 'settle', '--key', 'gwAB.json', ...logs, '--entry', first.id])
    await untilWitnessed('A', settledA.id)

    // A fresh device: each pool fetched from its genesis alone, through its relay.
    const hops = [['A', first.id], ['B', second.id], ['C', third.id]] as const
    for (const [name, id] of hops) {
      const fresh = `fresh-${name}.log`
      writeFileSync(path(fresh), readGenesisLine(path(`${name}.log`), pools[name]!))
      await sync(name, fresh)
      const seen = await replayOf(fresh)
      expect(seen.prepares[id], `${name} on a fresh device`).toMatchObject({ status: 'fulfilled' })
      expect(Object.values(seen.balances as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(0)
    }
    const [a, c] = [await replayOf('A.log'), await replayOf('C.log')]
    expect(a.balances[keys.alice!]).toBe(-1500)
    expect(c.balances[keys.carol!]).toBe(1000)
  }, 240_000)
})

/** The genesis line of a log (sync writes logs sorted by time, so it is the line whose id is the pool's). */
function readGenesisLine(log: string, pool: string): string {
  const line = readFileSync(log, 'utf8').split('\n').find((l) => l.includes(`"id":"${pool}"`))
  if (!line) throw new Error(`no genesis line in ${log}`)
  return line + '\n'
}
