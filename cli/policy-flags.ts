/**
 * The flags that set a pool's rules, shared by `pool create` (the genesis)
 * and `pool update` (a gatekeeper's policy entry): same names, same ranges,
 * the ranges from core/limits.ts. A flag maps to the policy field of the same
 * name in camelCase (--offline-count-max → offlineCountMax).
 */
import {
  BALANCE_ABS_MAX, DEMURRAGE_PERIOD_SECONDS_MAX, DEMURRAGE_PERIOD_SECONDS_MIN, DEMURRAGE_RATE_DEN_MAX, FEE_BASIS_POINTS_MAX, INVITE_TTL_SECONDS_MAX, OFFLINE_ALLOWANCE_SECONDS_MAX, OFFLINE_COUNT_MAX_MAX,
  HOUR_RATE_PART_MAX, RATE_LIMIT_SECONDS_MAX, RECOVERY_APPROVALS_MAX, WITNESSES_COUNT_MAX, isHex, type PolicyChange, type PublicKeyHex,
} from '../core/index.ts'
import { integerFlag, maxBalanceFlag, minBalanceFlag } from './args.ts'
import { UsageError } from './errors.ts'

/** Flags of the fields a gatekeeper may change after the genesis (POLICY_CHANGEABLE_KEYS); `pool create` takes them too. */
export const POLICY_FLAGS = {
  name: { type: 'string' }, symbol: { type: 'string' }, 'min-balance': { type: 'string' }, 'max-balance': { type: 'string' },
  'rate-limit-seconds': { type: 'string' }, 'fee-basis-points': { type: 'string' },
  'soft-min-balance': { type: 'string' }, 'soft-max-balance': { type: 'string' },
  witness: { type: 'string', multiple: true },
  'offline-count-max': { type: 'string' }, 'offline-amount-max': { type: 'string' },
  'offline-allowance-seconds': { type: 'string' }, 'invite-ttl-seconds': { type: 'string' },
  'demurrage-rate': { type: 'string' }, 'demurrage-period-seconds': { type: 'string' }, 'demurrage-free-base': { type: 'string' },
  'hour-rate': { type: 'string' },
  'recovery-approvals': { type: 'string' },
} as const

/** Fixed when the pool is created: `pool update` refuses them by name rather than as unknown flags. */
export const FIXED_POLICY_FLAGS = { type: { type: 'string' }, decimals: { type: 'string' }, 'two-step': { type: 'boolean' } } as const

export type PolicyFlagValues = {
  [K in keyof typeof POLICY_FLAGS]?: (typeof POLICY_FLAGS)[K] extends { multiple: true } ? string[] : string
}

/**
 * `--witness` as given, order kept (the first is the primary witness); undefined
 * when absent. With `allowNone`, `--witness none` alone means "no witness" ([]).
 */
export function witnessesFlag(values: readonly string[] | undefined, allowNone: boolean): PublicKeyHex[] | undefined {
  if (values === undefined || values.length === 0) return undefined
  if (allowNone && values.includes('none')) {
    if (values.length > 1) throw new UsageError(`expected --witness none alone (it clears the list), got it with ${values.length - 1} more --witness`)
    return []
  }
  for (const key of values) {
    if (!isHex(key as unknown, 32)) {
      const shown = key.length > 70 ? `${JSON.stringify(key.slice(0, 70))}…` : JSON.stringify(key)
      throw new UsageError(`expected --witness a public key (64 lower-case hex characters)${allowNone ? ' or none' : ''}, got ${shown}`)
    }
  }
  const repeated = values.find((key, i) => values.indexOf(key) !== i)
  if (repeated !== undefined) throw new UsageError(`expected each --witness once, got ${repeated} twice`)
  if (values.length > WITNESSES_COUNT_MAX) throw new UsageError(`expected at most ${WITNESSES_COUNT_MAX} --witness keys, got ${values.length}`)
  return [...values] as PublicKeyHex[]
}

/** The offline-risk, invitation and recovery fields given on the command line (absent when not given). */
export function offlineFlags(values: PolicyFlagValues): Pick<PolicyChange, 'offlineCountMax' | 'offlineAmountMax' | 'offlineAllowanceSeconds' | 'inviteTtlSeconds' | 'recoveryApprovals'> {
  const recoveryApprovals = integerFlag(values['recovery-approvals'], 'recovery-approvals', 1, RECOVERY_APPROVALS_MAX)
  const offlineCountMax = integerFlag(values['offline-count-max'], 'offline-count-max', 0, OFFLINE_COUNT_MAX_MAX)
  const offlineAmountMax = integerFlag(values['offline-amount-max'], 'offline-amount-max', 0, BALANCE_ABS_MAX)
  const offlineAllowanceSeconds = integerFlag(values['offline-allowance-seconds'], 'offline-allowance-seconds', 0, OFFLINE_ALLOWANCE_SECONDS_MAX)
  const inviteTtlSeconds = integerFlag(values['invite-ttl-seconds'], 'invite-ttl-seconds', 1, INVITE_TTL_SECONDS_MAX)
  return {
    ...(offlineCountMax !== undefined ? { offlineCountMax } : {}),
    ...(offlineAmountMax !== undefined ? { offlineAmountMax } : {}),
    ...(offlineAllowanceSeconds !== undefined ? { offlineAllowanceSeconds } : {}),
    ...(inviteTtlSeconds !== undefined ? { inviteTtlSeconds } : {}),
    ...(recoveryApprovals !== undefined ? { recoveryApprovals } : {}),
  }
}

/**
 * `--demurrage-rate NUM/DEN --demurrage-period-seconds N [--demurrage-free-base N]`: the whole
 * demurrage policy (a change replaces all of it, free base 0 unless given); with `allowNone`,
 * `--demurrage-rate none` alone turns it off. Absent when no demurrage flag is given.
 */
export function demurrageFlags(values: PolicyFlagValues, allowNone: boolean): Pick<PolicyChange, 'demurrage'> {
  const rate = values['demurrage-rate']
  const period = values['demurrage-period-seconds']
  const freeBase = values['demurrage-free-base']
  if (rate === undefined && period === undefined && freeBase === undefined) return {}
  if (rate === undefined) throw new UsageError('expected --demurrage-rate NUM/DEN with --demurrage-period-seconds and --demurrage-free-base (a demurrage policy is set whole)')
  if (allowNone && rate === 'none') {
    if (period !== undefined || freeBase !== undefined) throw new UsageError('expected --demurrage-rate none alone (it turns demurrage off)')
    return { demurrage: null }
  }
  const match = /^(\d+)\/(\d+)$/.exec(rate)
  if (!match) throw new UsageError(`expected --demurrage-rate NUM/DEN (for example 2/100 for 2 % a period)${allowNone ? ' or none' : ''}, got ${JSON.stringify(rate)}`)
  const rateDen = integerFlag(match[2], 'demurrage-rate denominator', 2, DEMURRAGE_RATE_DEN_MAX)!
  const rateNum = integerFlag(match[1], 'demurrage-rate numerator', 1, rateDen - 1)!
  if (period === undefined) throw new UsageError('expected --demurrage-period-seconds N with --demurrage-rate (for example 2592000 for 30 days)')
  const periodSeconds = integerFlag(period, 'demurrage-period-seconds', DEMURRAGE_PERIOD_SECONDS_MIN, DEMURRAGE_PERIOD_SECONDS_MAX)!
  return { demurrage: { rateNum, rateDen, periodSeconds, freeBase: integerFlag(freeBase, 'demurrage-free-base', 0, BALANCE_ABS_MAX) ?? 0 } }
}

/** `--hour-rate NUM/DEN`: one whole unit of the pool is worth NUM/DEN HOUR (rules/rates.ts). Absent when not given. */
export function hourRateFlag(values: PolicyFlagValues): Pick<PolicyChange, 'hourRate'> {
  const rate = values['hour-rate']
  if (rate === undefined) return {}
  const match = /^(\d+)\/(\d+)$/.exec(rate)
  if (!match) throw new UsageError(`expected --hour-rate NUM/DEN (for example 1/1: one unit is one HOUR; 1/4: a quarter of one), got ${JSON.stringify(rate)}`)
  const num = integerFlag(match[1], 'hour-rate numerator', 1, HOUR_RATE_PART_MAX)!
  const den = integerFlag(match[2], 'hour-rate denominator', 1, HOUR_RATE_PART_MAX)!
  return { hourRate: { num, den } }
}

/**
 * The change `pool update` asks for: exactly the fields named, in the ranges a
 * policy entry may carry (a levy of 0 removes it). Whether the result fits the
 * pool (soft limits inside hard ones, an issued pool's minimum 0, who may change
 * witnesses) is the validator's to say: the command warns, as for any entry.
 */
export function policyChangeFlags(values: PolicyFlagValues): PolicyChange {
  const change: Record<string, unknown> = {}
  if (values.name !== undefined) change.name = values.name.normalize('NFC')
  if (values.symbol !== undefined) change.symbol = values.symbol.normalize('NFC')
  const minBalance = minBalanceFlag(values['min-balance'])
  if (minBalance !== undefined) change.minBalance = minBalance
  const maxBalance = maxBalanceFlag(values['max-balance'])
  if (maxBalance !== undefined) change.maxBalance = maxBalance
  const rateLimitSeconds = integerFlag(values['rate-limit-seconds'], 'rate-limit-seconds', 0, RATE_LIMIT_SECONDS_MAX)
  if (rateLimitSeconds !== undefined) change.rateLimitSeconds = rateLimitSeconds
  const feeBasisPoints = integerFlag(values['fee-basis-points'], 'fee-basis-points', 0, FEE_BASIS_POINTS_MAX)
  if (feeBasisPoints !== undefined) change.feeBasisPoints = feeBasisPoints
  const softMinBalance = integerFlag(values['soft-min-balance'], 'soft-min-balance', -BALANCE_ABS_MAX, 0)
  if (softMinBalance !== undefined) change.softMinBalance = softMinBalance
  const softMaxBalance = integerFlag(values['soft-max-balance'], 'soft-max-balance', 1, BALANCE_ABS_MAX)
  if (softMaxBalance !== undefined) change.softMaxBalance = softMaxBalance
  const witnesses = witnessesFlag(values.witness, true)
  if (witnesses !== undefined) change.witnesses = witnesses
  return { ...change, ...offlineFlags(values), ...demurrageFlags(values, true), ...hourRateFlag(values) } as PolicyChange
}

/** The flags `pool update` takes, for messages: `--name, --symbol, …`. */
export const POLICY_FLAG_NAMES = Object.keys(POLICY_FLAGS).map((flag) => `--${flag}`)
