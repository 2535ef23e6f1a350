/** heroes statement LOG --member PUBKEY [--csv] [--from T] [--to T] [--counterparty PUBKEY] [--as-of T] */
import { Ledger, choosePool, formatAmount, statement, statementCsv, poolCsv, type PublicKeyHex } from '../../core/index.ts'
import { parseFlags, publicKeyFlag, timeFlag } from '../args.ts'
import { readLog } from '../files.ts'
import { UsageError } from '../errors.ts'
import { verifyEd25519 } from '../../sync-server/native-verify.ts'

export function statementCommand(argv: string[], now: number): number {
  const { values, positionals } = parseFlags(argv, {
    member: { type: 'string' }, csv: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' },
    counterparty: { type: 'string' }, 'as-of': { type: 'string' }, all: { type: 'boolean' },
  }, true)
  if (positionals.length !== 1) throw new UsageError(`expected one LOG file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`)
  const { entries } = readLog(positionals[0]!)
  const pool = choosePool(entries, { verifier: verifyEd25519 })
  if (pool === undefined) throw new UsageError(`expected ${positionals[0]} to hold a pool, got no entries`)
  const ledger = new Ledger(pool, { verifier: verifyEd25519 })
  ledger.add(entries, timeFlag(values['as-of'], 'as-of', now))
  const decimals = ledger.policy?.decimals ?? 0
  if (values.all) {
    // the whole pool, for its gatekeeper's books
    process.stdout.write(poolCsv(ledger.movements(), decimals))
    return 0
  }
  const member = publicKeyFlag(values.member, 'member')
  const rows = statement(ledger.movements(), member as PublicKeyHex, {
    ...(values.from !== undefined ? { from: timeFlag(values.from, 'from', now) } : {}),
    ...(values.to !== undefined ? { to: timeFlag(values.to, 'to', now) } : {}),
    ...(values.counterparty !== undefined ? { counterparty: publicKeyFlag(values.counterparty, 'counterparty') } : {}),
  })
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
