/** Flag parsing on node:util's parseArgs, shared by the CLI and the relay's command line. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
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

export function integerFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value)) throw new UsageError(`expected --${flag} a whole number, got ${JSON.stringify(value)}`)
  const number = Number(value)
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`expected --${flag} from ${min} to ${max}, got ${value}`)
  }
  return number
}
