import { describe, expect, it } from 'vitest'
import type { Policy } from '../../core/index.ts'
import { paymentNotes } from './payment-notes.ts'

const POLICY: Policy = { kind: 'mutual-credit', name: 'T', symbol: 'T', decimals: 2, minBalance: -10_000, maxBalance: 20_000, rateLimitSeconds: 60 }

describe('payment notes', () => {
  it('shows the levy and what the payee receives', () => {
    expect(paymentNotes({ policy: { ...POLICY, feeBasisPoints: 150 }, amount: 1000, payerBalance: 0, payerHeld: 0, payeeBalance: 0 })).toEqual({ levy: 15, received: 985, payerAfter: -1000 })
    expect(paymentNotes({ policy: POLICY, amount: 1000, payerBalance: 0, payerHeld: 0, payeeBalance: 0 }).levy).toBe(0)
  })

  it('warns below the soft minimum only when crossed, counting what is on hold', () => {
    const policy = { ...POLICY, softMinBalance: -5_000 }
    expect(paymentNotes({ policy, amount: 5_000, payerBalance: 0, payerHeld: 0, payeeBalance: 0 }).belowSoftMin).toBeUndefined()
    expect(paymentNotes({ policy, amount: 5_001, payerBalance: 0, payerHeld: 0, payeeBalance: 0 }).belowSoftMin).toEqual({ after: -5_001, level: -5_000 })
    expect(paymentNotes({ policy, amount: 1, payerBalance: 0, payerHeld: 5_000, payeeBalance: 0 }).belowSoftMin).toEqual({ after: -5_001, level: -5_000 })
  })

  it('warns above the soft maximum on what the payee receives after the levy, and not for an unknown payee', () => {
    const policy = { ...POLICY, softMaxBalance: 10_000, feeBasisPoints: 100 }
    expect(paymentNotes({ policy, amount: 10_100, payerBalance: 0, payerHeld: 0, payeeBalance: 0 }).aboveSoftMax).toBeUndefined()
    expect(paymentNotes({ policy, amount: 10_200, payerBalance: 0, payerHeld: 0, payeeBalance: 0 }).aboveSoftMax).toEqual({ after: 10_098, level: 10_000 })
    expect(paymentNotes({ policy, amount: 50_000, payerBalance: 0, payerHeld: 0, payeeBalance: undefined }).aboveSoftMax).toBeUndefined()
  })
})
