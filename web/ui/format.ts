/** Display helpers that need the pool's policy or the wallet's contacts. */
import type { Policy } from '../../core/index.ts'
import { formatAmountIn } from '../lib/amount.ts'
import { language } from '../strings/i18n.ts'
import type { Wallet } from '../wallet/wallet.ts'

export function money(amount: number, policy: Policy | null): string {
  if (!policy) return String(amount)
  return `${formatAmountIn(amount, policy.decimals, language())} ${policy.symbol}`
}

/**
 * A member as plain text where markup cannot go (an <option>, a confirm(), a label): the name
 * with the key's fingerprint, or the fingerprint alone when no name is known. In markup, use
 * <Person> (components/Person.tsx), which isolates the name from the fingerprint.
 */
export function who(wallet: Wallet, pool: string, key: string): string {
  const person = wallet.people.person(pool, key)
  return person.name === undefined ? person.fingerprint : `${person.name} (${person.fingerprint})`
}

/** A member in a sentence said once (a flash after paying): the name alone, else the fingerprint. */
export function nameOnly(wallet: Wallet, pool: string, key: string): string {
  const person = wallet.people.person(pool, key)
  return person.name ?? person.fingerprint
}

/** The members one may pay or ask: everyone else who is not frozen, by name (`name` for sorting and searching, `label` to show). */
export function otherMembers(wallet: Wallet, pool: string, members: readonly { key: string; frozen: boolean }[], me: string): { key: string; name: string; label: string }[] {
  return members
    .filter((member) => member.key !== me && !member.frozen)
    .map((member) => ({ key: member.key, name: wallet.nameOf(pool, member.key) ?? '', label: who(wallet, pool, member.key) }))
    .sort((a, b) => (a.name === '' ? 1 : 0) - (b.name === '' ? 1 : 0) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
}

/** Does a member match what was typed in a search: the name containing it, or the key starting with it (fingerprint dots ignored)? */
export function matchesSearch(member: { key: string; name: string }, query: string): boolean {
  const q = query.trim().toLocaleLowerCase()
  if (!q) return true
  const name = member.name.normalize('NFC').toLocaleLowerCase()
  return name.includes(q) || (/^[0-9a-f·]+$/.test(q) && member.key.startsWith(q.replace(/·/g, '')))
}

/** A number in the page's language ("1,234" or "1.234"). */
export function count(n: number): string {
  return n.toLocaleString(language())
}

export function timeOf(ms: number): string {
  return new Date(ms).toLocaleString(language(), { dateStyle: 'medium', timeStyle: 'short' })
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

export function waitFor(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} min` : `${seconds} s`
}

/** A rate given as a fraction, as a percentage in the reader's locale: 2/100 → "2%". */
export function percent(num: number, den: number): string {
  return new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: 3 }).format(num / den)
}

/** A day in the page's language ("Dec 14, 2026"). */
export function dateOf(ms: number): string {
  return new Date(ms).toLocaleDateString(language(), { dateStyle: 'medium' })
}
