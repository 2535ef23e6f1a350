/** A seed replays exactly: same trace, same final state, same network counters. */
import { describe, expect, it } from 'vitest'
import { runSimulation } from '../simulation.ts'

describe('a seed', () => {
  it('replays exactly', async () => {
    for (const seed of [3, 11]) {
      const first = await runSimulation({ seed, devices: 5, steps: 12 })
      const second = await runSimulation({ seed, devices: 5, steps: 12 })
      expect(second.trace).toEqual(first.trace)
      expect(second.fingerprint).toBe(first.fingerprint)
      expect(second.figures).toEqual(first.figures)
    }
  }, 120_000)
})
