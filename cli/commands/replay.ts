/** heroes replay LOG [--as-of T] [--pool ID] */
import { profilesOf, replay } from '../../core/index.ts'
import { parseFlags, timeFlag } from '../args.ts'
import { loadPool } from '../pool.ts'
import { UsageError } from '../errors.ts'

/**
 * Judges the pool in LOG (--pool when it holds several) and prints the result
 * with the undecodable lines. An auditor may name a pool whose genesis LOG lacks.
 */
export function replayCommand(argv: string[], now: number): number {
  const { values, positionals } = parseFlags(argv, { 'as-of': { type: 'string' }, pool: { type: 'string' } }, true)
  if (positionals.length !== 1) throw new UsageError(`expected one LOG file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`)
  const asOf = timeFlag(values['as-of'], 'as-of', now)
  const loaded = loadPool(positionals[0]!, values.pool, asOf, { auditor: true })
  const result = loaded.pool === undefined ? replay([], { asOf }) : loaded.ledger.result()
  // Members' names (profile entries), added after the ledger's own fields; present when anyone signed one.
  const profiles = loaded.pool === undefined ? {} : profilesOf(result, (id) => loaded.ledger.entry(id))
  process.stdout.write(JSON.stringify({ ...result, ...(Object.keys(profiles).length > 0 ? { profiles } : {}), malformed: loaded.malformed }, null, 2) + '\n')
  return 0
}
