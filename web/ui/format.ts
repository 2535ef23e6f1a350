/** Display helpers that need the pool's policy or the wallet's contacts. */
import type { Policy } from '../../core/index.ts'
import { formatAmount } from '../lib/amount.ts'
import { shortKey } from '../lib/short-key.ts'
import type { Wallet } from '../wallet/wallet.ts'

export function money(amount: number, policy: Policy | null): string {
  if (!policy) return String(amount)
  return `${formatAmount(amount, policy.decimals)} ${policy.symbol}`
}

/** A member as people see them: the local name, else the short key. */
export function who(wallet: Wallet, pool: string, key: string): string {
  return wallet.nameOf(pool, key) ?? shortKey(key)
}

/** The members one may pay or ask: everyone else who is not frozen, by name. */
export function otherMembers(wallet: Wallet, pool: string, members: readonly { key: string; frozen: boolean }[], me: string): { key: string; name: string }[] {
  return members
    .filter((member) => member.key !== me && !member.frozen)
    .map((member) => ({ key: member.key, name: who(wallet, pool, member.key) }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

export function timeOf(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

export function waitFor(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} min` : `${seconds} s`
}
