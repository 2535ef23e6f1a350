/** An arrival in words: the sentence for the banner (names isolated) and for a system notification (plain text). */
import type { Arrival } from '../notify/arrivals-of.ts'
import { inserted, type Phrase, type Inserted } from '../strings/phrase.ts'
import type { Strings } from '../strings/en.ts'
import type { Wallet } from '../wallet/wallet.ts'
import { money, nameOnly } from './format.ts'

export function arrivalPhrase(t: Strings, wallet: Wallet, arrival: Arrival): Phrase<Inserted> {
  const policy = wallet.pool(arrival.pool)?.policy ?? null
  const amount = inserted(money(arrival.amount, policy))
  const name = arrival.from === null ? undefined : inserted(nameOnly(wallet, arrival.pool, arrival.from))
  switch (arrival.kind) {
    case 'payment':
      return name ? t.notify.paid(name, amount) : t.notify.received(amount)
    case 'two-step':
      return t.inFlight.transferIn(name ?? inserted('?'), amount)
    case 'request':
      return t.inFlight.requestIn(name ?? inserted('?'), amount)
  }
}

/** The pool's name, as the member knows it. */
export function poolName(wallet: Wallet, pool: string): string {
  return wallet.pool(pool)?.policy?.name ?? pool.slice(0, 8)
}
