/** heroes witness --key FILE --log LOG [--time T] [--pool ID] */
import { CLOCK_SKEW_MS_MAX, TIME_MS_MAX, signCheckpoint, type PublicKeyHex } from '../../core/index.ts'
import { parseFlags, required, timeFlag } from '../args.ts'
import { printChecked } from '../author.ts'
import { readKeyFile } from '../files.ts'
import { UsageError } from '../errors.ts'
import { loadPool } from '../pool.ts'

/**
 * Prints one checkpoint: the witness's statement that at T it held what LOG
 * holds that verifies and its previous checkpoint did not cover (no heads
 * when nothing changed: it still proves the time). The key need not be a
 * member; a key the pool does not name as a witness gets its checkpoint with
 * a warning, as any entry the pool would refuse.
 *
 * The pool is judged as of T plus the clock skew a witness allows: an entry
 * dated later could not have been held at T, and covering it would make the
 * checkpoint misdated (it would not count: core/coverage.ts); the next
 * checkpoint covers it.
 */
export function witnessCommand(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' } })
  const key = readKeyFile(required(values.key, 'key'))
  const logPath = required(values.log, 'log')
  const explicit = values.time !== undefined
  let time = timeFlag(values.time, 'time', now)
  const horizon = (t: number) => Math.min(TIME_MS_MAX, t + CLOCK_SKEW_MS_MAX)
  const { ledger } = loadPool(logPath, values.pool, horizon(time))
  const head = ledger.chainHead(key.publicKey)
  if (time < head.time) {
    if (explicit) throw new UsageError(`expected --time at or after ${new Date(head.time).toISOString()} (the witness's previous checkpoint), got ${values.time}`)
    time = head.time // a clock behind the chain must not break it
    ledger.add([], horizon(time))
  }
  const checkpoint = signCheckpoint(ledger, key.secretKey, time, { whenUnchanged: true })!
  printChecked(ledger, checkpoint, () => {
    const witnesses: readonly PublicKeyHex[] = ledger.policy?.witnesses ?? []
    if (witnesses.includes(key.publicKey)) return undefined
    return { reason: 'not-witness', detail: `${key.publicKey.slice(0, 12)}… is not among the pool's witnesses${witnesses.length === 0 ? ' (it has none)' : ''}` }
  })
  return 0
}
