/** Flag parsing and checking for the CLI, on node:util's parseArgs. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { AMOUNT_MAX, BALANCE_ABS_MAX, isHex, type PublicKeyHex } from '../core/index.ts'
import { UsageError } from './errors.ts'

type Options = NonNullable<ParseArgsConfig['options']>

export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0])
  }
}

/** `--min-balance -1000` reads as a flag and its value, not as two flags. */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined
    const next = argv[i + 1]
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${token}=${next}`)
      i++
    } else out.push(token)
  }
  return out
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`expected --${flag}, got nothing`)
  return value
}

/** A whole number from min to max, written in decimal digits. */
export function integerFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value)) throw new UsageError(`expected --${flag} a whole number, got ${JSON.stringify(value)}`)
  const number = Number(value)
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`expected --${flag} from ${min} to ${max}, got ${value}`)
  }
  return number
}

export function amountFlag(value: string | undefined): number {
  const amount = integerFlag(required(value, 'amount'), 'amount', 1, AMOUNT_MAX)
  return amount!
}

export function minBalanceFlag(value: string | undefined): number | undefined {
  return integerFlag(value, 'min-balance', -BALANCE_ABS_MAX, 0)
}

/** `none` means no maximum. */
export function maxBalanceFlag(value: string | undefined): number | null | undefined {
  if (value === 'none') return null
  return integerFlag(value, 'max-balance', 1, BALANCE_ABS_MAX)
}

export function publicKeyFlag(value: string | undefined, flag: string): PublicKeyHex {
  const key = required(value, flag)
  if (!isHex(key, 32)) throw new UsageError(`expected --${flag} a public key (64 lower-case hex characters), got ${JSON.stringify(key)}`)
  return key as PublicKeyHex
}

/** T is ISO-8601 or milliseconds since 1970; absent means `now`. */
export function timeFlag(value: string | undefined, flag: string, now: number): number {
  if (value === undefined) return now
  if (/^\d+$/.test(value)) {
    const ms = Number(value)
    if (Number.isSafeInteger(ms)) return ms
  } else if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value)
    if (Number.isFinite(ms)) return ms
  }
  throw new UsageError(`expected --${flag} as ISO-8601 (2026-11-22T10:00:00Z) or milliseconds since 1970, got ${JSON.stringify(value)}`)
}
