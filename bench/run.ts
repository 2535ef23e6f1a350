/**
 * `npm run bench [-- --quick] [--only=verify,replay,sync,catchup,app,witness,market,relaymem,fanout,federated,official,demurrage,paths,pathlatency,devices]`: every
 * benchmark, one table, and bench/results.json (one object per figure: name,
 * value, unit, and baseline + ratio where a baseline is measured in the same
 * run). Speed is measured here, never asserted in tests.
 */
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { measureVerify } from './verify.ts'
import { run as runReplay } from './replay.ts'
import { run as runSync } from './sync.ts'
import { run as runCatchup } from './catchup.ts'
import { run as runApp } from './app.ts'
import { run as runWitness } from './witness.ts'
import { run as runMarket } from './market.ts'
import { run as runRelayMemory } from './relay-memory.ts'
import { run as runFanout } from './relay-fanout.ts'
import { run as runFederated } from './relay-federated.ts'
import { run as runOfficial } from './relay-vs-official.ts'
import { run as runDemurrage } from './demurrage.ts'
import { run as runPaths } from './between-pools.ts'
import { run as runPathLatency } from './path-latency.ts'
import { run as runDevices } from './devices.ts'
import { referenceVerify } from '../core/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'
import { GOALS, judged, round, type Figure } from './figures.ts'

const quick = process.argv.includes('--quick')
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')
const figures: Figure[] = []
const report = (measured: Figure) => {
  const figure = judged(measured)
  figures.push(figure)
  const extra = figure.ratio !== undefined ? `  (baseline ${figure.baseline}, ratio ${figure.ratio})` : ''
  const verdict = figure.goal ? `  goal ${figure.goal}: ${figure.met ? 'met' : 'MISSED'}` : ''
  console.log(`${figure.name.padEnd(44)} ${String(figure.value).padStart(12)} ${figure.unit}${extra}${verdict}`)
}

const started = performance.now()
console.log(`Heroes benchmarks${quick ? ' (quick)' : ''}: Node ${process.versions.node}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`)

const suites: Record<string, () => Promise<void>> = {
  verify: async () => {
    const verify = await measureVerify()
    const noble = verify.find((f) => f.name.startsWith('noble'))!
    for (const f of verify) report({ name: `verify_${f.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_ops_per_s`, value: f.opsPerSecond, unit: 'ops/s', baseline: noble.opsPerSecond, ratio: round(f.ratio, 2) })
    const used = verify.find((f) => /hybrid|pre-?check/i.test(f.name) && /node/i.test(f.name)) ?? verify[0]!
    report({ name: 'verify_native_ratio', value: round(used.ratio, 2), unit: 'ratio', baseline: noble.opsPerSecond, note: `${used.name} ÷ noble sync verify, same run; identical verdicts on 1,082 edge vectors (core/test/ed25519-vectors.test.ts)` })
  },
  replay: () => runReplay({ quick, report }, [
    ...(quick ? [] : [{ name: 'noble', verify: referenceVerify, sizes: [10_000] }]),
    { name: 'native', verify: verifyEd25519 },
  ]),
  sync: () => runSync({ quick, report }),
  catchup: () => runCatchup({ quick, report }),
  app: () => runApp({ quick, report }),
  witness: () => runWitness({ quick, report }),
  market: () => runMarket({ quick, report }),
  relaymem: () => runRelayMemory({ quick, report }),
  fanout: () => runFanout({ quick, report }),
  federated: () => runFederated({ quick, report }),
  official: () => runOfficial({ quick, report }),
  demurrage: () => runDemurrage({ quick, report }),
  paths: () => runPaths({ quick, report }),
  pathlatency: () => runPathLatency({ quick, report }),
  devices: () => runDevices({ quick, report }),
}

for (const [name, suite] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue
  console.log(`-- ${name}`)
  await suite()
}
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(figures, null, 2) + '\n')
console.log(`\n-- goals${quick ? ' (quick: smaller pools and fewer clients than the goals name, so these verdicts only hint; run without --quick to judge)' : ''}`)
for (const name of Object.keys(GOALS)) {
  const figure = figures.find((f) => f.name === name)
  console.log(`${name.padEnd(44)} ${figure ? `${String(figure.value).padStart(12)} ${figure.unit.padEnd(10)} goal ${figure.goal}: ${figure.met ? 'met' : 'MISSED'}` : '(not measured in this run)'}`)
}
console.log(`${figures.length} figures in ${round((performance.now() - started) / 1000, 1)} s → bench/results.json`)
process.exit(0)
