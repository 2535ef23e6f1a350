/** Our canonical JSON agrees with the RFC 8785 reference package on everything entries may hold. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import referenceCanonicalize from 'canonicalize'
import { canonicalize, parseCanonical } from '../index.ts'

const safeJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }).map((s) => s.normalize('NFC')),
    fc.maxSafeInteger(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'grapheme' }).map((s) => s.normalize('NFC')), tie('value'), { maxKeys: 4 }),
  ),
})).value

describe('canonicalize', () => {
  it('matches the RFC 8785 reference implementation', () => {
    fc.assert(
      fc.property(safeJson, (value) => {
        expect(canonicalize(value as never)).toBe(referenceCanonicalize(value))
      }),
      { numRuns: 500 },
    )
  })
  it('round-trips through parseCanonical', () => {
    fc.assert(
      fc.property(safeJson, (value) => {
        const text = canonicalize(value as never)
        const parsed = parseCanonical(text)
        expect(parsed.ok && canonicalize(parsed.value)).toBe(text)
      }),
      { numRuns: 300 },
    )
  })
  it('sorts keys by UTF-16 code units', () => {
    expect(canonicalize({ b: 1, a: 2, '\u00e9': 3, '\ud83d\ude00': 4, '\uff61': 5 })).toBe('{"a":2,"b":1,"é":3,"😀":4,"｡":5}')
  })
  it('refuses -0, floats, unsafe integers and non-NFC strings', () => {
    expect(() => canonicalize(-0)).toThrow(/-0/)
    expect(() => canonicalize(1.5)).toThrow(/safe integer/)
    expect(() => canonicalize(2 ** 53)).toThrow(/safe integer/)
    expect(() => canonicalize('e\u0301')).toThrow(/NFC/)
  })
})
