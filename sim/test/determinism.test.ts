/** A seed replays exactly: same trace, same final state, same network counters. */
import { describe, expect, it } from 'vitest'
import { runSimulation } from '../simulation.ts'

describe('a seed', () => {
  // Seed 3: one witness, the double spender on three phones; seed 11: two witnesses, the backup down
  // with a jumping clock; both with faults. Seed 6: a pool with demurrage founded a day before the run
  // (charges and a gatekeeper's tick, issue 18).
  it('replays exactly', async () => {
    for (const seed of [3, 11, 6]) {
      const first = await runSimulation({ seed, devices: 5, steps: 10 })
      const second = await runSimulation({ seed, devices: 5, steps: 10 })
      expect(second.trace).toEqual(first.trace)
      expect(second.fingerprint).toBe(first.fingerprint)
      expect(second.figures).toEqual(first.figures)
    }
  }, 180_000)

  // Seed 10 at 4 devices: two witnessed pools linked (issue 19), path payments fulfilled on both hops
  // by the gateway service's own round, and some refused in the payer's pool.
  it('replays exactly with payments between pools', async () => {
    const first = await runSimulation({ seed: 10, devices: 4, steps: 10 })
    const second = await runSimulation({ seed: 10, devices: 4, steps: 10 })
    expect(first.ok, first.violations.join('\n')).toBe(true)
    expect(first.figures.between.fulfilled).toBeGreaterThan(0)
    expect(second.trace).toEqual(first.trace)
    expect(second.fingerprint).toBe(first.fingerprint)
    expect(second.figures).toEqual(first.figures)
  }, 120_000)
})
