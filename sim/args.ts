/** `npm run sim -- [--seeds N] [--seed S] [--first F] [--devices D] [--steps K] [--pools P] [--relays R] [--stock-relay] [--no-witnesses] [--seconds T] [--processes N] [--quiet]` */

import { availableParallelism } from 'node:os'

export interface SimArgs {
  /** One seed to replay; when given, --seeds is ignored. */
  readonly seed: number | undefined
  readonly seeds: number
  /** First seed of a campaign (seeds F, F+1, … F+N−1). */
  readonly first: number
  readonly devices: number
  readonly steps: number
  readonly pools: number | undefined
  readonly relays: number | undefined
  readonly quiet: boolean
  /** Relays exactly as sync-server runs them, without the suggested fix (reproduces the stale-sync-state storm). */
  readonly stockRelay: boolean
  /** No pool names a witness: every seed plays as it did before witnesses existed. */
  readonly noWitnesses: boolean
  /** Start no seed after this many seconds (a campaign with a time budget); the summary still prints. */
  readonly seconds: number | undefined
  /** Child processes running seeds at once (default: one per core, at most two). */
  readonly processes: number
}

const USAGE = 'usage: npm run sim -- [--seeds N] [--seed S] [--first F] [--devices D] [--steps K] [--pools P] [--relays R] [--stock-relay] [--no-witnesses] [--seconds T] [--processes N] [--quiet]'

export function parseSimArgs(argv: readonly string[]): SimArgs {
  const values = new Map<string, string>()
  const flags = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--quiet' || arg === '--help' || arg === '--stock-relay' || arg === '--no-witnesses') {
      flags.add(arg)
      continue
    }
    const [name, inline] = arg.split('=', 2) as [string, string | undefined]
    if (!['--seeds', '--seed', '--first', '--devices', '--steps', '--pools', '--relays', '--seconds', '--processes'].includes(name)) throw new Error(`unknown option ${arg}\n${USAGE}`)
    const value = inline ?? argv[++i]
    if (value === undefined) throw new Error(`expected a value after ${name}\n${USAGE}`)
    values.set(name, value)
  }
  if (flags.has('--help')) throw new Error(USAGE)
  const int = (name: string, fallback: number | undefined, min: number): number | undefined => {
    const raw = values.get(name)
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`expected ${name} a whole number ≥ ${min}, got ${raw}\n${USAGE}`)
    return n
  }
  return {
    seed: int('--seed', undefined, 0),
    seeds: int('--seeds', 20, 1)!,
    first: int('--first', 1, 0)!,
    devices: int('--devices', 6, 3)!,
    steps: int('--steps', 40, 1)!,
    pools: int('--pools', undefined, 1),
    relays: int('--relays', undefined, 1),
    quiet: flags.has('--quiet'),
    stockRelay: flags.has('--stock-relay'),
    noWitnesses: flags.has('--no-witnesses'),
    seconds: int('--seconds', undefined, 1),
    processes: int('--processes', Math.max(1, Math.min(2, availableParallelism())), 1)!,
  }
}
