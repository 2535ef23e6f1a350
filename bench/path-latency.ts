/**
 * Latency of a 4-hop path payment on loopback relays (issue 19): five pools,
 * each with its own relay process as witness (a checkpoint a second), four
 * `heroes gateway run` processes (one per link; live, then again with --poll), the payer
 * and the payee driven here with the CLI's own functions. Measured: from the
 * payer's first prepare published to its relay until the payer's log shows
 * that hop fulfilled (the payee fulfils as soon as its hop arrives). Baseline,
 * same run and relays: from a one-pool transfer published until the payer's
 * log shows it witnessed. Wall time, median of the runs.
 *   node --import tsx bench/run.ts --only=pathlatency [--quick]
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { main } from '../cli/main.ts'
import { spawnRelay, type RelayProcess } from '../sync-server/test/relayProcess.ts'
import { median, round, type BenchContext } from './figures.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs the CLI in this process in `dir` and returns what it printed (it never writes a log but `sync`). */
async function cli(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) }
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    return { code: await main(args), out, err }
  } finally {
    process.chdir(cwd)
    process.stdout.write = write.out
    process.stderr.write = write.err
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

export async function run({ quick, report }: BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'heroes-bench-paths-'))
  const relays: RelayProcess[] = []
  const services: ChildProcess[] = []
  const names = ['P0', 'P1', 'P2', 'P3', 'P4']
  try {
    const ok = async (args: string[]): Promise<string> => {
      const r = await cli(dir, args)
      if (r.code !== 0) throw new Error(`heroes ${args.join(' ')}: ${r.err}`)
      return r.out
    }
    const append = async (log: string, args: string[]): Promise<Json> => {
      const out = await ok(args)
      appendFileSync(join(dir, log), out)
      return JSON.parse(out)
    }
    const relayOf: Record<string, RelayProcess> = {}
    const witness: Record<string, string> = {}
    for (const name of names) {
      const relay = await spawnRelay(['--port', '0', '--data-dir', join(dir, `relay-${name}`), '--checkpoint-interval-seconds', '1'])
      relays.push(relay)
      relayOf[name] = relay
      witness[name] = ((await (await fetch(`${relay.httpUrl}/witness`)).json()) as { publicKey: string }).publicKey
    }
    const keys: Record<string, string> = {}
    const keyNames = ['alice', 'bob', 'erin', ...names.map((n) => `gk${n}`)]
    for (let i = 0; i + 1 < names.length; i++) keyNames.push(`gw${names[i]}-${names[i + 1]}`, `gw${names[i + 1]}-${names[i]}`)
    for (const name of keyNames) {
      const out = await ok(['keygen'])
      writeFileSync(join(dir, `${name}.json`), out)
      keys[name] = JSON.parse(out).publicKey
    }
    const sync = (name: string, log = `${name}.log`) => ok(['sync', '--relay', relayOf[name]!.syncUrl, '--log', log, '--timeout-seconds', '30'])
    const replayOf = async (name: string): Promise<Json> => JSON.parse(await ok(['replay', `${name}.log`]))
    const until = async (name: string, test: (r: Json) => boolean): Promise<Json> => {
      const deadline = Date.now() + 120_000
      for (;;) {
        await sync(name)
        const r = await replayOf(name)
        if (test(r)) return r
        if (Date.now() > deadline) throw new Error(`bench: waited 120 s on pool ${name}`)
        await sleep(100)
      }
    }
    const pools: Record<string, string> = {}
    const rates = ['1/1', '1/4', '3/2', '7/3', '1/1']
    for (const [i, name] of names.entries()) {
      const out = await ok(['pool', 'create', '--key', `gk${name}.json`, '--type', 'mutual-credit', '--name', `Pool ${name}`, '--witness', witness[name]!,
        '--min-balance', '-1000000', '--max-balance', 'none', '--rate-limit-seconds', '0', '--hour-rate', rates[i]!])
      writeFileSync(join(dir, `${name}.log`), out)
      pools[name] = JSON.parse(out).id
    }
    await append('P0.log', ['admit', '--key', 'gkP0.json', '--log', 'P0.log', '--member', keys.alice!])
    await append('P0.log', ['admit', '--key', 'gkP0.json', '--log', 'P0.log', '--member', keys.bob!])
    await append('P4.log', ['admit', '--key', 'gkP4.json', '--log', 'P4.log', '--member', keys.erin!])
    for (let i = 0; i + 1 < names.length; i++) {
      for (const [x, y] of [[names[i]!, names[i + 1]!], [names[i + 1]!, names[i]!]] as [string, string][]) {
        await append(`${x}.log`, ['trust', '--key', `gk${x}.json`, '--log', `${x}.log`, '--pool', pools[y]!, '--limit-hours', '100000', '--gateway', keys[`gw${x}-${y}`]!])
      }
    }
    for (const name of names) await until(name, (r) => r.entries.every((v: Json) => v.witnessed !== null || v.type === 'checkpoint'))
    /** Starts the four services, live (pushed by the relays) or with --poll (a `heroes sync` of every log each round). */
    const startServices = (mode: 'live' | 'poll'): void => {
      for (let i = 0; i + 1 < names.length; i++) {
        const [x, y] = [names[i]!, names[i + 1]!]
        const config = join(dir, `link-${mode}-${x}-${y}.json`)
        for (const pool of [x, y]) writeFileSync(join(dir, `link-${mode}-${x}-${y}-${pool}.log`), readFileSync(join(dir, `${pool}.log`), 'utf8'))
        writeFileSync(config, JSON.stringify({ pools: [[x, y], [y, x]].map(([p, q]) => ({ log: `link-${mode}-${x}-${y}-${p}.log`, key: `gw${p}-${q}.json`, relay: relayOf[p!]!.syncUrl })) }))
        const child = spawn(process.execPath, [join(ROOT, 'bin/heroes.mjs'), 'gateway', 'run', '--config', config, '--interval-seconds', '1', ...(mode === 'poll' ? ['--poll'] : [])], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] })
        services.push(child)
      }
    }
    const stopServices = async (): Promise<void> => {
      for (const child of services.splice(0)) {
        if (child.exitCode !== null) continue
        child.kill('SIGTERM')
        await new Promise((resolve) => child.once('exit', resolve))
      }
    }
    const logs = names.flatMap((n) => ['--log', `${n}.log`])

    const runs = quick ? 1 : 3
    const baseline: number[] = []
    const latency: Record<'live' | 'poll', number[]> = { live: [], poll: [] }
    let k = 0
    const payment = async (mode: 'live' | 'poll'): Promise<void> => {
      const secret = `secret-${k++}.json`
      const { condition } = JSON.parse(await ok(['hashlock', '--preimage-out', secret]))
      for (const name of names) await sync(name)
      const begun = performance.now()
      const first = await append('P0.log', ['pay', '--path', '--key', 'alice.json', ...logs, '--to-pool', pools.P4!, '--to', keys.erin!,
        '--amount', '100', '--condition', condition, '--expires-seconds', '900'])
      await sync('P0')
      const p4 = await until('P4', (r) => Object.values((r.prepares ?? {}) as Json).some((p: Json) => p.condition === condition && p.status === 'prepared'))
      const [hop] = Object.entries(p4.prepares as Json).find(([, p]) => (p as Json).condition === condition)!
      await append('P4.log', ['fulfil', '--key', 'erin.json', '--log', 'P4.log', '--entry', hop, '--preimage-file', secret])
      await sync('P4')
      await until('P0', (r) => r.prepares?.[first.id]?.status === 'fulfilled')
      latency[mode].push(performance.now() - begun)
    }
    for (const mode of ['live', 'poll'] as const) {
      startServices(mode)
      for (let run = 0; run < runs; run++) {
        if (mode === 'live') {
          // Baseline: one transfer in P0 until the payer's log shows it witnessed.
          const started = performance.now()
          const transfer = await append('P0.log', ['transfer', '--key', 'alice.json', '--log', 'P0.log', '--to', keys.bob!, '--amount', '1'])
          await until('P0', (r) => Boolean(r.entries.find((v: Json) => v.id === transfer.id)?.witnessed))
          baseline.push(performance.now() - started)
        }
        await payment(mode)
      }
      await stopServices()
    }
    const base = median(baseline)
    const value = median(latency.live)
    const polled = median(latency.poll)
    report({
      name: 'path_4hop_latency_ms', value: round(value, 0), unit: 'ms', baseline: round(base, 0), ratio: round(value / base, 2),
      note: `5 pools on 5 loopback relays (a checkpoint a second), 4 gateway services live (the relays push new entries; a round on each, and every second), median of ${runs}; baseline: a one-pool transfer published until witnessed in the payer's log, same run`,
    })
    report({
      name: 'path_4hop_latency_poll_ms', value: round(polled, 0), unit: 'ms', baseline: round(value, 0), ratio: round(polled / value, 2),
      note: `the same 4-hop payment with the 4 services run with --poll (a heroes sync of each log every round, a round a second), median of ${runs}; baseline: the live services above, same run`,
    })
  } finally {
    for (const child of services) if (child.exitCode === null) child.kill('SIGKILL')
    for (const relay of relays) await relay.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}
