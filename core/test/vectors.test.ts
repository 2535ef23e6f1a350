/** The golden vectors hold, and regenerate byte for byte (so they never drift from the code). */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { decodeEntry, publicKeyOf, fromHex, replay, type Entry } from '../index.ts'
import { buildVectors } from './vectors/generate.ts'

const vectors = JSON.parse(readFileSync(new URL('./vectors/entries.json', import.meta.url), 'utf8'))

describe('golden vectors (core/test/vectors/entries.json)', () => {
  it('keys are consistent', () => {
    for (const { publicKey, secretKey } of Object.values(vectors.keys) as { publicKey: string; secretKey: string }[]) {
      expect(publicKeyOf(fromHex(secretKey, 32)!)).toBe(publicKey)
    }
  })
  for (const c of vectors.cases) {
    it(`${c.name}: ${c.description}`, () => {
      const entries: Entry[] = []
      for (const line of c.lines) {
        const decoded = decodeEntry(line)
        expect(decoded.ok, `line decodes: ${line.slice(0, 60)}`).toBe(true)
        if (decoded.ok) entries.push(decoded.entry)
      }
      expect(replay(entries, { asOf: c.asOf, ...(c.pool ? { pool: c.pool } : {}) })).toEqual(c.expect)
    })
  }
  it('regenerates identically', () => {
    expect(JSON.stringify(buildVectors(), null, 1) + '\n').toBe(readFileSync(new URL('./vectors/entries.json', import.meta.url), 'utf8'))
  })
})
