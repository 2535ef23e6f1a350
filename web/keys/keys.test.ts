import { describe, expect, it } from 'vitest'
import { derivePublicKey, deriveSecretKey } from './pool-keys.ts'
import { checkPhrase, newRecoveryPhrase, seedOfPhrase } from './recovery-phrase.ts'

// BIP-39's own test vector phrase (all "abandon" + "about"): a fixed seed for fixed keys.
const PHRASE = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'

describe('recovery phrase', () => {
  it('makes 12 valid words', () => {
    const phrase = newRecoveryPhrase()
    expect(phrase.split(' ')).toHaveLength(12)
    expect(checkPhrase(phrase)).toEqual({ ok: true, phrase })
  })
  it('says what is wrong with a typed phrase', () => {
    expect(checkPhrase('abandon abandon')).toEqual({ ok: false, problem: 'word-count' })
    expect(checkPhrase(PHRASE.replace('about', 'aboot'))).toEqual({ ok: false, problem: 'unknown-word', word: 'aboot' })
    expect(checkPhrase(PHRASE.replace('about', 'abandon'))).toEqual({ ok: false, problem: 'checksum' })
    expect(checkPhrase(`  ${PHRASE.toUpperCase().replace(/ /g, '   ')} `)).toEqual({ ok: true, phrase: PHRASE })
  })
  it('gives the BIP-39 seed of the standard vector', async () => {
    const seed = await seedOfPhrase(PHRASE)
    expect(Buffer.from(seed).toString('hex').slice(0, 32)).toBe('5eb00bbddcf069084889a8ab91555681')
  })
})

describe('per-pool keys', () => {
  it('are the same on every device with the same phrase, and different per pool and per index', async () => {
    const seed = await seedOfPhrase(PHRASE)
    const again = await seedOfPhrase(PHRASE)
    const poolA = 'a'.repeat(64)
    const poolB = 'b'.repeat(64)
    const a0 = derivePublicKey(seed, { kind: 'member', pool: poolA, index: 0 })
    expect(derivePublicKey(again, { kind: 'member', pool: poolA, index: 0 })).toBe(a0)
    const others = [
      derivePublicKey(seed, { kind: 'member', pool: poolB, index: 0 }),
      derivePublicKey(seed, { kind: 'member', pool: poolA, index: 1 }),
      derivePublicKey(seed, { kind: 'creator', nonce: 'c'.repeat(32) }),
    ]
    expect(new Set([a0, ...others]).size).toBe(4)
    expect(deriveSecretKey(seed, { kind: 'member', pool: poolA, index: 0 })).toHaveLength(32)
  })
  it('refuses a seed too short to be one', () => {
    expect(() => deriveSecretKey(new Uint8Array(8), { kind: 'member', pool: 'a', index: 0 })).toThrow(RangeError)
  })
})
