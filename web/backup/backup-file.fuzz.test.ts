/**
 * Fuzzing the backup-file parser (fast-check, seeded, explicit numRuns).
 *
 * openBackup promises a value, never a throw: { ok: true, snapshot } or
 * { ok: false, problem } with one of its four problems. The file is sealed
 * with XChaCha20-Poly1305 over a header bound as associated data, so any
 * flipped bit in the ciphertext, the nonce, the salt or a bound header field
 * must fail, and nothing mutated may open to a wallet other than the one
 * sealed. Each open of a well-formed file costs one scrypt at N = 2^14, so
 * those properties run a few dozen times.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromBase64url, toBase64url } from '../lib/base64url.ts'
import { openBackup, sealBackup, type BackupOpen, type ScryptParams } from './backup-file.ts'
import type { WalletSnapshot } from './wallet-snapshot.ts'

const FAST: ScryptParams = { N: 2 ** 14, r: 8, p: 1 }
const PASSWORD = 'correct horse'
const SEED = 20261122
const PROBLEMS = new Set(['not-a-backup', 'unsupported-version', 'wrong-password', 'damaged'])
const SNAPSHOT: WalletSnapshot = {
  phrase: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  displayName: 'Zoë',
  createdAt: 1,
  pools: [{ id: 'a'.repeat(64), relayUrl: '', derivation: { kind: 'member', pool: 'a'.repeat(64), index: 0 }, status: 'member', joinedAt: 2, lines: ['{"x":1}'] }],
  contacts: [{ pool: 'a'.repeat(64), key: 'b'.repeat(64), name: 'Bob' }],
}

let sealed = ''
beforeAll(async () => {
  sealed = await sealBackup(SNAPSHOT, PASSWORD, FAST)
})

function expectSafe(result: BackupOpen): void {
  if (result.ok) expect(result.snapshot).toEqual(SNAPSHOT)
  else expect(PROBLEMS.has(result.problem), `unexpected problem ${String(result.problem)}`).toBe(true)
}

/** Flips one bit of a base64url field of the file; undefined if the field is not base64url. */
function flipIn(file: Record<string, unknown>, path: readonly string[], at: number, bit: number): string | undefined {
  const copy = JSON.parse(JSON.stringify(file)) as Record<string, unknown>
  let holder = copy
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>
  const last = path[path.length - 1]!
  const bytes = fromBase64url(holder[last] as string)
  if (!bytes || bytes.length === 0) return undefined
  const i = at % bytes.length
  bytes[i] = bytes[i]! ^ (1 << bit)
  holder[last] = toBase64url(bytes)
  return JSON.stringify(copy)
}

describe('backup file fuzz', () => {
  it('random text never throws and is never taken for a backup', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      // Header-shaped objects whose parameters are wrong (cheap: refused before any scrypt).
      fc.record({
        format: fc.constantFrom('heroes-wallet-backup', 'other'), version: fc.constantFrom(1, 2, '1', null),
        kdf: fc.oneof(fc.jsonValue(), fc.record({ name: fc.constantFrom('scrypt', 'argon2'), N: fc.integer({ min: -5, max: 2 ** 13 }), r: fc.integer(), p: fc.integer(), salt: fc.string() })),
        cipher: fc.constantFrom('xchacha20poly1305', 'aes'), nonce: fc.jsonValue(), ciphertext: fc.jsonValue(),
      }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    )
    await fc.assert(fc.asyncProperty(text, async (t) => {
      const result = await openBackup(t, PASSWORD)
      expect(result.ok).toBe(false)
      expectSafe(result)
    }), { seed: SEED, numRuns: 1000 })
  })

  it('any flipped bit in ciphertext, nonce or salt fails decryption', async () => {
    const file = JSON.parse(sealed) as Record<string, unknown>
    const field = fc.constantFrom<readonly string[]>(['ciphertext'], ['ciphertext'], ['nonce'], ['kdf', 'salt'])
    await fc.assert(fc.asyncProperty(field, fc.nat(), fc.integer({ min: 0, max: 7 }), async (path, at, bit) => {
      const text = flipIn(file, path, at, bit)
      expect(text).toBeDefined()
      expect(await openBackup(text!, PASSWORD)).toEqual({ ok: false, problem: 'wrong-password' })
    }), { seed: SEED, numRuns: 40 })
  }, 60_000)

  it('mutated file text never throws and never opens to another wallet', async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('char' as const), at: fc.nat(), char: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    )
    let opened = 0
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const at = m.at % sealed.length
      const text = m.kind === 'char' ? sealed.slice(0, at) + m.char + sealed.slice(at + 1)
        : m.kind === 'delete' ? sealed.slice(0, at) + sealed.slice(at + m.length) : sealed.slice(0, at)
      const result = await openBackup(text, PASSWORD)
      expectSafe(result)
      if (result.ok) opened++
    }), { seed: SEED, numRuns: 40 })
    // Only harmless edits (JSON whitespace, a base64url character's unused low bits) may still open.
    expect(opened).toBeLessThan(40)
  }, 60_000)

  // Found by this fuzzing: a file could name N up to 2^20 while scrypt's memory was capped at 256 MiB,
  // so N ≥ 2^18 threw noble's "maxmem" error. N is now capped at 2^18 with memory sized to fit it.
  it('a file asking for the dearest allowed N = 2^18 gives a problem value, not an exception', async () => {
    const file = JSON.parse(sealed) as { kdf: Record<string, unknown> }
    const text = JSON.stringify({ ...file, kdf: { ...file.kdf, N: 2 ** 18 } })
    expectSafe(await openBackup(text, PASSWORD))
  }, 60_000)
})

describe('scrypt cost bounds', () => {
  it('refuses a file asking for more than N = 2^18 as unsupported, without allocating for it', async () => {
    const file = JSON.parse(sealed) as { kdf: Record<string, unknown> }
    const result = await openBackup(JSON.stringify({ ...file, kdf: { ...file.kdf, N: 2 ** 19 } }), PASSWORD)
    expect(JSON.stringify(result)).toContain('unsupported-version')
  })
})
