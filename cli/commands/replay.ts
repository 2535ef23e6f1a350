/** heroes replay LOG [--as-of T] [--pool ID] */
import { isHex, replay, type EntryId } from '../../core/index.ts'
import { parseFlags, timeFlag } from '../args.ts'
import { readLog } from '../files.ts'
import { UsageError } from '../errors.ts'
import { verifyEd25519 } from '../../sync-server/native-verify.ts'

export function replayCommand(argv: string[], now: number): number {
  const { values, positionals } = parseFlags(argv, { 'as-of': { type: 'string' }, pool: { type: 'string' } }, true)
  if (positionals.length !== 1) throw new UsageError(`expected one LOG file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`)
  if (values.pool !== undefined && !isHex(values.pool, 32)) throw new UsageError(`expected --pool a pool id (64 hex characters), got ${JSON.stringify(values.pool)}`)
  const asOf = timeFlag(values['as-of'], 'as-of', now)
  const { entries, malformed } = readLog(positionals[0]!)
  const result = replay(entries, { asOf, verifier: verifyEd25519, ...(values.pool ? { pool: values.pool as EntryId } : {}) })
  process.stdout.write(JSON.stringify({ ...result, malformed }, null, 2) + '\n')
  return 0
}
