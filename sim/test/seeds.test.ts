/** Seeds 1–200 of the simulation (seedRange.ts runs them on both cores). */
import { describe, expect, it } from 'vitest'
import { failuresIn } from './seedRange.ts'

describe('simulation seeds 1–200', () => {
  it('keeps every invariant on every seed', async () => {
    const failures = await failuresIn(1, 200)
    expect(failures, failures.join('\n\n')).toEqual([])
  }, 300_000)
})
