/**
 * Fuzzing the entry decoder: random bytes and mutated signed entries. It must
 * never throw, only accept canonical bytes, and never let a changed signed
 * entry through with a valid signature (the id check plus the signature bind
 * every byte of the line).
 */
import { describe, expect, it } from 'vitest'
import { decodeEntry, encodeEntry, verifyEntrySignature } from '../../core/index.ts'
import { Prng } from '../prng.ts'
import { mutate } from './mutator.ts'
import { signedLines } from './signedSamples.ts'

const lines = signedLines()

describe('decodeEntry under fuzzing', () => {
  it('accepts every sample as it stands', () => {
    for (const line of lines) {
      const decoded = decodeEntry(line)
      expect(decoded.ok, line).toBe(true)
      if (decoded.ok) expect(verifyEntrySignature(decoded.entry)).toBe(true)
    }
  })

  it('never throws on random text and accepts none of it', () => {
    const prng = new Prng(20261122, 'random-text')
    for (let i = 0; i < 3_000; i++) {
      const bytes = prng.bytes(prng.int(0, 400))
      const text = prng.chance(0.5) ? new TextDecoder().decode(bytes) : String.fromCharCode(...bytes)
      const decoded = decodeEntry(text)
      expect(decoded.ok).toBe(false)
      if (!decoded.ok) expect(decoded.detail.length).toBeGreaterThan(0)
    }
  })

  it('never accepts a changed signed entry as validly signed', () => {
    const prng = new Prng(20261122, 'mutations')
    let decodedAnyway = 0
    for (let i = 0; i < 6_000; i++) {
      const original = prng.pick(lines)
      const mutated = mutate(original, prng)
      if (mutated === original) continue
      let decoded: ReturnType<typeof decodeEntry>
      expect(() => (decoded = decodeEntry(mutated)), mutated).not.toThrow()
      decoded = decodeEntry(mutated)
      if (!decoded.ok) {
        expect(decoded.reason).toBe('malformed')
        continue
      }
      // Decoding is canonical: what was accepted re-encodes to the very bytes.
      expect(encodeEntry(decoded.entry)).toBe(mutated)
      expect(verifyEntrySignature(decoded.entry), `a changed line verified: ${mutated}`).toBe(false)
      decodedAnyway++
    }
    // Mutations of the signature itself keep the structure: some must reach the signature check.
    expect(decodedAnyway).toBeGreaterThan(0)
  })

  it('refuses structured changes: every field of every sample set to odd values', () => {
    const prng = new Prng(7, 'fields')
    const odd: unknown[] = [null, true, 0, -1, 1.5, -0, 2 ** 53, '', 'x', [], {}, ['a'], { a: 1 }, 'A'.repeat(5000)]
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>
      for (const key of Object.keys(record)) {
        for (let k = 0; k < 4; k++) {
          const changed = { ...record, [key]: prng.pick(odd) }
          const text = JSON.stringify(changed)
          if (text === JSON.stringify(record)) continue // the odd value was the value already (deps: [])
          const decoded = decodeEntry(text)
          if (decoded.ok) expect(verifyEntrySignature(decoded.entry), text).toBe(false)
        }
      }
    }
  })
})
