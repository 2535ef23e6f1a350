/** Seeds 101–200 of the simulation (split in files so vitest runs them on both cores). */
import { describe, expect, it } from 'vitest'
import { failuresIn } from './seedRange.ts'

describe('simulation seeds 101–200', () => {
  it('keeps every invariant on every seed', async () => {
    const failures = await failuresIn(101, 100)
    expect(failures, failures.join('\n\n')).toEqual([])
  }, 300_000)
})
