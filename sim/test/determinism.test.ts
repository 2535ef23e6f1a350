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
})
