/** How a failing seed shows itself: what broke, the command that replays it, and what happened before. */
import type { SimOptions, SimResult } from './simulation.ts'

export function replayCommand(options: SimOptions): string {
  const extra = [
    options.pools !== undefined ? ` --pools ${options.pools}` : '',
    options.relays !== undefined ? ` --relays ${options.relays}` : '',
    options.stockRelay ? ' --stock-relay' : '',
    options.witnesses === false ? ' --no-witnesses' : '',
  ].join('')
  return `npm run sim -- --seed ${options.seed} --devices ${options.devices ?? 6} --steps ${options.steps ?? 40}${extra}`
}

export function formatFailure(result: SimResult, options: SimOptions): string {
  return [
    `FAIL seed ${result.seed}: ${result.violations.length} violation(s)`,
    ...result.violations.map((v) => `  - ${v}`),
    ...result.notes.map((n) => `  note: ${n}`),
    `  scenario: ${result.scenario}`,
    `  replay: ${replayCommand(options)}`,
    `  last ${result.trace.length} events:`,
    ...result.trace.map((line) => `    ${line}`),
  ].join('\n')
}
