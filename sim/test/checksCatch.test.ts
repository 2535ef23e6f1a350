/**
 * The checks are worth something only if they fail when they should: a
 * device that silently lost an entry, one that took a forgery, or one that
 * lost a checkpoint (its final verdicts change) must make its seed fail, and
 * the report must name the seed and how to replay it.
 */
import { describe, expect, it } from 'vitest'
import { formatFailure } from '../report.ts'
import { runSimulation, type SimOptions } from '../simulation.ts'

describe('a deliberately broken device', () => {
  it('that dropped an entry is caught, and the seed is reported with its replay command', async () => {
    const options: SimOptions = { seed: 7, devices: 4, steps: 8, sabotage: 'drop-entry' }
    const result = await runSimulation(options)
    expect(result.ok).toBe(false)
    expect(result.violations.some((v) => v.includes('lacks'))).toBe(true)
    expect(result.violations.some((v) => v.includes('replays differ'))).toBe(true)
    const report = formatFailure(result, options)
    expect(report).toContain('FAIL seed 7')
    expect(report).toContain('npm run sim -- --seed 7 --devices 4 --steps 8')
    expect(report).toMatch(/t\+ +\d+\.\ds /)
  })

  it('that accepted a forged entry is caught', async () => {
    // A seed with a forger at work (drawn by the scenario): search a few.
    let caught = false
    for (let seed = 1; seed <= 30 && !caught; seed++) {
      const result = await runSimulation({ seed, devices: 5, steps: 12, sabotage: 'accept-forgery' })
      if (result.figures.forged === 0) continue
      expect(result.ok).toBe(false)
      expect(result.violations.some((v) => v.includes('FORGED') || v.includes('bad signature') || v.includes('another pool') || v.includes('of pool'))).toBe(true)
      caught = true
    }
    expect(caught).toBe(true)
  }, 120_000)

  it('that lost a checkpoint, so what it showed as final is no longer covered, is caught', async () => {
    // Seed 4 names one witness; its first checkpoint is taken from a member's phone at the end.
    const result = await runSimulation({ seed: 4, devices: 4, steps: 8, sabotage: 'drop-checkpoint' })
    expect(result.figures.witness.covered).toBeGreaterThan(0)
    expect(result.ok).toBe(false)
    expect(result.violations.some((v) => v.includes('finality') && v.includes('was covered by'))).toBe(true)
  })

  it('the same seed without sabotage passes', async () => {
    const result = await runSimulation({ seed: 7, devices: 4, steps: 8 })
    expect(result.violations).toEqual([])
  })
})
