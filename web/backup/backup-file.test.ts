import { describe, expect, it } from 'vitest'
import { openBackup, sealBackup, type ScryptParams } from './backup-file.ts'
import type { WalletSnapshot } from './wallet-snapshot.ts'

/** The cheapest cost files may use, so the suite stays fast; the app uses 2^17. */
const FAST: ScryptParams = { N: 2 ** 14, r: 8, p: 1 }
const SNAPSHOT: WalletSnapshot = {
  phrase: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  displayName: 'Zoë',
  createdAt: 1,
  pools: [{ id: 'a'.repeat(64), relayUrl: '', derivation: { kind: 'member', pool: 'a'.repeat(64), index: 0 }, status: 'member', joinedAt: 2, lines: ['{"x":1}'] }],
  contacts: [{ pool: 'a'.repeat(64), key: 'b'.repeat(64), name: 'Bob' }],
}

describe('backup file', () => {
  it('opens with the right password and gives back the wallet', async () => {
    const file = await sealBackup(SNAPSHOT, 'correct horse', FAST)
    expect(file).not.toContain('abandon')
    expect(await openBackup(file, 'correct horse')).toEqual({ ok: true, snapshot: SNAPSHOT })
  })
  it('says wrong password, damaged, not a backup, unsupported', async () => {
    const file = await sealBackup(SNAPSHOT, 'correct horse', FAST)
    expect(await openBackup(file, 'wrong horse!')).toEqual({ ok: false, problem: 'wrong-password' })
    expect(await openBackup('{"hello":1}', 'x')).toEqual({ ok: false, problem: 'not-a-backup' })
    expect(await openBackup('not json', 'x')).toEqual({ ok: false, problem: 'not-a-backup' })
    const parsed = JSON.parse(file)
    expect(await openBackup(JSON.stringify({ ...parsed, version: 2 }), 'correct horse')).toEqual({ ok: false, problem: 'unsupported-version' })
    // A weakened cost parameter is refused before any work, and an altered header fails authentication.
    expect(await openBackup(JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, N: 2 ** 10 } }), 'correct horse')).toEqual({ ok: false, problem: 'unsupported-version' })
    expect(await openBackup(JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, N: 2 ** 15 } }), 'correct horse')).toEqual({ ok: false, problem: 'wrong-password' })
    expect(await openBackup(JSON.stringify({ ...parsed, nonce: '!!' }), 'correct horse')).toEqual({ ok: false, problem: 'damaged' })
  })
  it('refuses a short password', async () => {
    await expect(sealBackup(SNAPSHOT, 'short', FAST)).rejects.toThrow(RangeError)
  })
})
