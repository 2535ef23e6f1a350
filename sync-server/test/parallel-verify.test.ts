/** Parallel verification fills the cache with exactly the verdicts the serial path gives. */
import { describe, expect, it } from 'vitest'
import { SignatureCache, verifyEntrySignature, type Entry } from '../../core/index.ts'
import { generatePool } from '../../bench/pool-gen.ts'
import { PARALLEL_VERIFY_ENTRIES_MIN, prefillSignatures } from '../parallel-verify.ts'

describe('prefillSignatures', () => {
  it('gives the serial verdict for every entry, valid and tampered', async () => {
    const { entries } = generatePool(PARALLEL_VERIFY_ENTRIES_MIN + 500, 50)
    const mixed: Entry[] = entries.map((e, i) => (i % 7 === 3 ? { ...e, sig: e.sig.slice(0, -2) + (e.sig.endsWith('00') ? '01' : '00') } : e))
    const cache = new SignatureCache()
    const verified = await prefillSignatures(mixed, cache, { workers: 2 })
    expect(verified).toBe(mixed.length)
    let valid = 0
    for (const entry of mixed) {
      const serial = verifyEntrySignature(entry)
      expect(cache.get(entry)).toBe(serial)
      if (serial) valid++
    }
    expect(valid).toBe(mixed.length - Math.floor((mixed.length + 3) / 7))
  })
  it('leaves small batches to the caller', async () => {
    const { entries } = generatePool(100, 10)
    expect(await prefillSignatures(entries, new SignatureCache())).toBe(0)
  })
})
