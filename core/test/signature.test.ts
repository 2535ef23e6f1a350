/** Signatures: tampered, re-signed, cross-pool, cross-type, forged and unsigned entries are refused. */
import { describe, expect, it } from 'vitest'
import {
  SignatureCache, decodeEntry, encodeEntry, entryIdOf, replay, signEntry, verifyEntrySignature, type Entry,
} from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const mallory = actor('mallory')

function setup() {
  const p = new PoolBuilder()
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  const t = p.transfer(alice, bob, 100, T0 + MINUTE)
  return { p, t }
}

/** Changes fields, recomputes the id (as an attacker can), keeps the old signature. */
function tamper(entry: Entry, fields: Record<string, unknown>): Entry {
  const changed = { ...entry, ...fields } as Record<string, unknown>
  changed.id = entryIdOf(changed)
  const decoded = decodeEntry(encodeEntry(changed as unknown as Entry))
  if (!decoded.ok) throw new Error(decoded.detail)
  return decoded.entry
}

describe('signatures', () => {
  it('accepts the real thing', () => {
    const { t } = setup()
    expect(verifyEntrySignature(t)).toBe(true)
  })
  it('refuses a tampered amount or payee, even with the id recomputed', () => {
    const { p, t } = setup()
    const more = tamper(t, { amount: 99_999 })
    const other = tamper(t, { to: mallory.key })
    const r = replay([...p.entries.filter((e) => e.id !== t.id), more, other], { asOf: T0 + 10 * MINUTE })
    expect(verdictOf(r, more)).toBe('rejected:bad-signature')
    expect(verdictOf(r, other)).toBe('rejected:bad-signature')
  })
  it('refuses an entry moved to another pool', () => {
    const { t } = setup()
    const other = new PoolBuilder({ name: 'Other pool' })
    other.admit(alice, T0 + 1)
    other.admit(bob, T0 + 2)
    const moved = tamper(t, { pool: other.pool })
    const r = replay([...other.entries, moved], { asOf: T0 + 10 * MINUTE, pool: other.pool })
    expect(verdictOf(r, moved)).toBe('rejected:bad-signature')
  })
  it('shows an entry of another pool as wrong-pool', () => {
    const { p, t } = setup()
    const other = new PoolBuilder({ name: 'Other pool' })
    const r = replay([...other.entries, t], { asOf: T0 + 10 * MINUTE, pool: other.pool })
    expect(verdictOf(r, t)).toBe('rejected:wrong-pool')
    void p
  })
  it('binds the type: the same signature does not pass for another type', () => {
    const { p } = setup()
    const freeze = p.freeze(bob, T0 + MINUTE)
    // same fields, type changed to admit: the domain tag and payload differ
    const asAdmit = tamper(freeze, { type: 'admit' })
    expect(verifyEntrySignature(asAdmit)).toBe(false)
  })
  it('refuses an entry signed by someone else in the author\'s name', () => {
    const { t } = setup()
    const { id: _i, sig: _s, v: _v, ...unsigned } = t
    const forged = signEntry({ ...unsigned, author: mallory.key } as never, mallory.secretKey) as Entry
    const claimed = { ...forged, author: alice.key } as Record<string, unknown>
    claimed.id = entryIdOf(claimed)
    expect(verifyEntrySignature(claimed as unknown as Entry)).toBe(false)
  })
  it('refuses an unsigned entry (zero signature)', () => {
    const { t } = setup()
    expect(verifyEntrySignature({ ...t, sig: '00'.repeat(64) })).toBe(false)
  })
  it('a forged copy does not displace the real entry with the same id, in either order', () => {
    const { p, t } = setup()
    const forged = { ...t, sig: 'ab'.repeat(64) }
    const a = replay([...p.entries, forged], { asOf: T0 + 10 * MINUTE })
    const b = replay([forged, ...p.entries], { asOf: T0 + 10 * MINUTE })
    expect(verdictOf(a, t)).toBe('accepted')
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })
  it('caches verdicts by id and signature', () => {
    const { t } = setup()
    const cache = new SignatureCache()
    expect(verifyEntrySignature(t, cache)).toBe(true)
    expect(verifyEntrySignature({ ...t, sig: '00'.repeat(64) }, cache)).toBe(false)
    expect(cache.size).toBe(2)
    let calls = 0
    verifyEntrySignature(t, cache, () => { calls++; return false })
    expect(calls).toBe(0)
  })
})
