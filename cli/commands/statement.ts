/** heroes statement LOG --member PUBKEY [--csv] [--from T] [--to T] [--counterparty PUBKEY] [--as-of T] [--pool ID] */
import { formatAmount, statement, statementCsv, poolCsv, type PublicKeyHex } from '../../core/index.ts'
import { parseFlags, publicKeyFlag, timeFlag } from '../args.ts'
import { loadPool } from '../pool.ts'
import { UsageError } from '../errors.ts'

export function statementCommand(argv: string[], now: number): number {
  const { values, positionals } = parseFlags(argv, {
    member: { type: 'string' }, csv: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' },
    counterparty: { type: 'string' }, 'as-of': { type: 'string' }, all: { type: 'boolean' }, pool: { type: 'string' },
  }, true)
  if (positionals.length !== 1) throw new UsageError(`expected one LOG file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`)
  const asOf = timeFlag(values['as-of'], 'as-of', now)
  // every flag is checked before the log is read
  const member = values.all ? undefined : publicKeyFlag(values.member, 'member')
  const filter = values.all ? {} : {
    ...(values.from !== undefined ? { from: timeFlag(values.from, 'from', now) } : {}),
    ...(values.to !== undefined ? { to: timeFlag(values.to, 'to', now) } : {}),
    ...(values.counterparty !== undefined ? { counterparty: publicKeyFlag(values.counterparty, 'counterparty') } : {}),
  }
  const { pool, ledger } = loadPool(positionals[0]!, values.pool, asOf)
  const decimals = ledger.policy?.decimals ?? 0
  if (member === undefined) {
    // --all: the whole pool, for its gatekeeper's books
    process.stdout.write(poolCsv(ledger.movements(), decimals))
    return 0
  }
  const rows = statement(ledger.movements(), member as PublicKeyHex, filter)
  if (values.csv) {
    process.stdout.write(statementCsv(rows, decimals))
  } else {
    process.stdout.write(JSON.stringify({
      pool, member, symbol: ledger.policy?.symbol, decimals, balance: ledger.balanceOf(member),
      balanceText: formatAmount(ledger.balanceOf(member), decimals), rows,
    }, null, 2) + '\n')
  }
  return 0
}
