/**
 * What stands between a member and closing its account, read from the pool
 * view in the validator's own terms (core's `close-blocked`): a balance other
 * than zero, money on hold, incoming two-step payments not answered, open
 * requests by or to the member. Advice only: the validator decides.
 */
import type { PoolView } from './pool-view.ts'

export interface CloseBlockers {
  /** The balance, when it is not zero. */
  readonly balance?: number
  /** Outgoing two-step payments on hold, when any. */
  readonly held?: number
  /** Incoming two-step payments waiting for this member's answer. */
  readonly incoming: number
  /** Open requests made by or asked of this member. */
  readonly requests: number
}

export function closeBlockers(view: PoolView): CloseBlockers {
  return {
    ...(view.balance !== 0 ? { balance: view.balance } : {}),
    ...(view.held !== 0 ? { held: view.held } : {}),
    incoming: view.transfersWaiting.filter((row) => row.awaiting === 'me').length,
    requests: view.requestsOpen.length + view.requestsToPay.length,
  }
}

export function canClose(blockers: CloseBlockers): boolean {
  return blockers.balance === undefined && blockers.held === undefined && blockers.incoming === 0 && blockers.requests === 0
}
