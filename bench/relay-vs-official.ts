/**
 * The Heroes relay beside what an operator would otherwise run: the official
 * `@automerge/automerge-repo-sync-server` (a devDependency, 0.2.8, its
 * automerge-repo lifted to ours through package.json's `overrides`: the
 * published one bundles 1.2.1, which refuses most of Heroes' document ids),
 * started by this bench in a process of its own, on the same workloads in the
 * same run (issue 14, item 5):
 *
 *   relay_vs_official_fanout_p99_ratio   Heroes' fan-out p99 ÷ the official server's (1,000 light followers)
 *   relay_vs_official_rss_ratio          Heroes' peak RSS ÷ the official server's, after that workload
 *   relay_vs_official_cpu_ratio          CPU per second of publishing, Heroes ÷ official
 *
 * The Heroes relay verifies every entry, holds a change until it is on disk
 * and guards every connection; the official server does none of that, so the
 * ratios are the price of those. Runs alternate (official, Heroes, official,
 * Heroes) and each figure takes the median of its two runs.
 *
 *   node --import tsx bench/relay-vs-official.ts [--quick]     (--quick: 200 followers for 3 s, one run each)
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { freePort } from '../sync-server/test/relayProcess.ts'
import { measure, startHeroesRelay, type ServerUnderTest, type Step } from './relay-fanout.ts'
import { median, round, type BenchContext } from './figures.ts'

const log = (line: string): void => void process.stderr.write(`  ${line}\n`)

/** The official sync server (its own bin), on a free port and a fresh DATA_DIR. */
async function startOfficialServer(): Promise<ServerUnderTest> {
  const require = createRequire(import.meta.url)
  const main = join(dirname(require.resolve('@automerge/automerge-repo-sync-server/package.json')), 'src', 'index.js')
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'heroes-bench-official-'))
  const child = spawn(process.execPath, [main], { cwd: dataDir, env: { ...process.env, PORT: String(port), DATA_DIR: join(dataDir, 'amrg') }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      if (output.includes(`Listening on port ${port}`)) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then(() => reject(new Error(`expected the official sync server to listen on ${port}, got an exit: ${output.slice(-500)}`)))
  })
  return {
    syncUrl: `ws://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function line(step: Step): string {
  return `p50 ${round(step.p50, 0)} ms, p99 ${round(step.p99, 0)} ms, ${step.delivered} of ${step.expected} delivered, ${round(step.relayCpuPercent, 0)} % of a core, peak RSS ${round(step.rssMb, 0)} MiB`
}

export async function run({ quick, report }: BenchContext): Promise<void> {
  const followers = quick ? 200 : 1000
  const seconds = quick ? 3 : 10
  const rounds = quick ? 1 : 2
  const official: Step[] = []
  const heroes: Step[] = []
  for (let i = 0; i < rounds; i++) {
    official.push(await measure(followers, seconds, startOfficialServer))
    log(`official sync server, ${followers} followers: ${line(official.at(-1)!)}`)
    heroes.push(await measure(followers, seconds, startHeroesRelay))
    log(`Heroes relay, ${followers} followers: ${line(heroes.at(-1)!)}`)
  }
  const of = (steps: Step[], pick: (step: Step) => number): number => median(steps.map(pick))
  const lost = official.some((step) => step.delivered < step.expected) ? '; the official server lost deliveries, which count as the whole wait' : ''
  const p99 = { heroes: of(heroes, (s) => s.p99), official: of(official, (s) => s.p99) }
  const rss = { heroes: of(heroes, (s) => s.rssMb), official: of(official, (s) => s.rssMb) }
  const cpu = { heroes: of(heroes, (s) => s.relayCpuPercent), official: of(official, (s) => s.relayCpuPercent) }
  const setup = `${followers} light followers (10 a document), 20 changes/s for ${seconds} s, median of ${rounds} alternating run(s) each`
  report({
    name: 'relay_vs_official_fanout_p99_ratio', value: round(p99.heroes / Math.max(1, p99.official), 2), unit: 'ratio', baseline: round(p99.official, 0),
    note: `fan-out p99: Heroes ${round(p99.heroes, 0)} ms, official @automerge/automerge-repo-sync-server 0.2.8 (automerge-repo 2.5.6) ${round(p99.official, 0)} ms; ${setup}${lost}`,
  })
  report({
    name: 'relay_vs_official_rss_ratio', value: round(rss.heroes / rss.official, 2), unit: 'ratio', baseline: round(rss.official, 0),
    note: `peak RSS after the fan-out: Heroes ${round(rss.heroes, 0)} MiB, official ${round(rss.official, 0)} MiB; ${setup}`,
  })
  report({
    name: 'relay_vs_official_cpu_ratio', value: round(cpu.heroes / Math.max(0.1, cpu.official), 2), unit: 'ratio', baseline: round(cpu.official, 1),
    note: `CPU while publishing: Heroes ${round(cpu.heroes, 1)} %, official ${round(cpu.official, 1)} % of a core; ${setup}`,
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run({ quick: process.argv.includes('--quick'), report: (figure) => console.log(JSON.stringify(figure)) })
  process.exit(0)
}
