/**
 * Fuzzing the CLI's log parser: any text, any line endings. It never throws,
 * accounts for every non-blank line exactly once (an entry or a numbered
 * malformed line), and every entry it returns is a line of the input as it
 * stands.
 */
import { describe, expect, it } from 'vitest'
import { parseLog } from '../../cli/files.ts'
import { encodeEntry } from '../../core/index.ts'
import { Prng } from '../prng.ts'
import { mutate } from './mutator.ts'
import { signedLines } from './signedSamples.ts'

const lines = signedLines()

function randomLog(prng: Prng): string {
  const parts: string[] = []
  const count = prng.int(0, 25)
  for (let i = 0; i < count; i++) {
    const roll = prng.float()
    if (roll < 0.4) parts.push(prng.pick(lines))
    else if (roll < 0.7) parts.push(mutate(prng.pick(lines), prng))
    else if (roll < 0.8) parts.push(prng.pick(['', ' ', '\t', '  \t ']))
    else parts.push(String.fromCharCode(...prng.bytes(prng.int(0, 120))))
  }
  const newline = prng.pick(['\n', '\r\n', '\n\n'])
  return parts.join(newline) + (prng.chance(0.5) ? newline : '')
}

describe('parseLog under fuzzing', () => {
  it('never throws and accounts for every non-blank line', () => {
    const prng = new Prng(20261122, 'parse-log')
    for (let i = 0; i < 1_500; i++) {
      const text = randomLog(prng)
      const read = parseLog(text)
      const physical = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
      const nonBlank = physical.filter((line) => line.trim() !== '')
      expect(read.entries.length + read.malformed.length).toBe(nonBlank.length)
      const asGiven = new Set(physical)
      for (const entry of read.entries) expect(asGiven.has(encodeEntry(entry))).toBe(true)
      for (const bad of read.malformed) {
        expect(bad.line).toBeGreaterThanOrEqual(1)
        expect(bad.line).toBeLessThanOrEqual(physical.length)
        expect(physical[bad.line - 1]!.trim()).not.toBe('')
        expect(bad.detail.length).toBeGreaterThan(0)
      }
    }
  })
})
