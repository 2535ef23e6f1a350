/**
 * Runs one demurrage vector (demurrage.json) through the core: an account
 * with a balance, a hold and a carried remainder crosses `boundaries` period
 * boundaries. Shared by the Node test (core/test/demurrage.test.ts) and the
 * Chromium one (e2e/vectors.spec.ts), so both run exactly this code.
 */
import { PoolState } from '../../pool-state.ts'
import { demurrageDue } from '../../rules/demurrage.ts'
import type { PublicKeyHex } from '../../entry.ts'

export interface DemurrageVector {
  readonly name: string
  readonly rateNum: number
  readonly rateDen: number
  readonly freeBase: number
  readonly balance: number
  readonly held: number
  readonly carry: number
  readonly boundaries: number
  readonly expect: DemurrageOutcome
}

export interface DemurrageOutcome {
  readonly charge: number
  readonly carry: number
  readonly balance: number
}

const PERIOD_MS = 86_400_000
const HOLDER = 'a'.repeat(64) as PublicKeyHex

export function runDemurrageVector(v: DemurrageVector): DemurrageOutcome {
  const state = new PoolState()
  state.demurrage = { rateNum: v.rateNum, rateDen: v.rateDen, periodMs: PERIOD_MS, freeBase: v.freeBase, anchor: 0 }
  state.balances.set(HOLDER, v.balance)
  if (v.held) state.held.set(HOLDER, v.held)
  if (v.carry) state.demurrageAccounts.set(HOLDER, { boundaries: 0, carry: v.carry })
  const due = demurrageDue(state, HOLDER, v.boundaries * PERIOD_MS)
  return { charge: due.charge, carry: due.carry, balance: v.balance - due.charge }
}
