/**
 * Profiles (core/rules/profiles.ts): a member's display name, bio, initials and picture in one
 * pool. Each test tries what an attacker would: a non-member's name, a name for someone
 * else's key, text that hides or reorders, a picture that is not a small raster image,
 * a profile too large for an entry.
 */
import { describe, expect, it } from 'vitest'
import {
  chainHead, decodeEntry, encodeEntry, entryIdOf, payloadText, profilesOf, replay, signedMessage, PROFILE_BIO_CHARS_MAX, PROFILE_NAME_CHARS_MAX,
  PROFILE_PICTURE_CHARS_MAX, type Entry, type ProfileEntry,
} from '../index.ts'
import { signBytes } from '../keys.ts'
import { MINUTE, PoolBuilder, T0, actor, verdictOf } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const mallory = actor('mallory')

function pool() {
  const p = new PoolBuilder()
  p.admit(alice, T0 + 1)
  p.admit(bob, T0 + 2)
  return p
}

/** Profiles as `heroes replay` prints them: the latest accepted per member. */
function namesOf(r: ReturnType<typeof replay>, entries: readonly Entry[]) {
  const byId = new Map(entries.map((e) => [e.id, e]))
  const profiles = profilesOf(r, (id) => byId.get(id))
  return Object.keys(profiles).length > 0 ? profiles : undefined
}

function profile(p: PoolBuilder, who: typeof alice, body: Record<string, unknown>, time = T0 + MINUTE) {
  return p.sign<ProfileEntry>(who, 'profile', body, { time })
}

/**
 * A profile line made by hand, as an attacker would (signEntry refuses to make malformed
 * entries): `author` is claimed, `signer` really signs.
 */
function handSigned(p: PoolBuilder, author: typeof alice, signer: typeof alice, body: Record<string, unknown>): string {
  const head = chainHead(p.entries, p.pool, author.key)
  const draft: Record<string, unknown> = { v: 1, type: 'profile', pool: p.pool, author: author.key, seq: head.seq, prev: head.prev, deps: [], time: T0 + MINUTE, ...body }
  draft.id = entryIdOf(draft)
  draft.sig = signBytes(signedMessage('profile', payloadText(draft)), signer.secretKey)
  return encodeEntry(draft as unknown as Entry)
}

describe('profiles: a member names itself in one pool', () => {
  it('shows the latest accepted profile of each member in the replay', () => {
    const p = pool()
    profile(p, alice, { name: 'Alice', bio: 'Bread on Saturdays', initials: 'AL' })
    const second = profile(p, alice, { name: 'Alice B.' }, T0 + 2 * MINUTE)
    profile(p, bob, { name: 'بوب' })
    const r = p.replay()
    expect(verdictOf(r, second)).toBe('accepted')
    expect(namesOf(r, p.entries)?.[alice.key]).toEqual({ name: 'Alice B.', entry: second.id })
    expect(namesOf(r, p.entries)?.[bob.key]?.name).toBe('بوب')
  })

  it('leaves `profiles` out of a replay where nobody signed one', () => {
    const p = pool()
    expect(namesOf(p.replay(), p.entries)).toBeUndefined()
  })

  it('refuses a profile from a key that is not a member (not-member)', () => {
    const p = pool()
    const fake = profile(p, mallory, { name: 'Alice' })
    const r = p.replay()
    expect(verdictOf(r, fake)).toBe('rejected:not-member')
    expect(namesOf(r, p.entries)).toBeUndefined()
  })

  it('cannot name another key: a profile claiming Alice as author but signed by Mallory is a bad signature', () => {
    const p = pool()
    const decoded = decodeEntry(handSigned(p, alice, mallory, { name: 'Mallory is Alice' }))
    if (!decoded.ok) throw new Error(decoded.detail)
    const forged = decoded.entry
    const r = replay([...p.entries, forged], { asOf: T0 + 10 * MINUTE })
    expect(verdictOf(r, forged)).toBe('rejected:bad-signature')
    expect(namesOf(r, [...p.entries, forged])).toBeUndefined()
  })

  it('refuses a field naming someone else: a profile is only ever about its author', () => {
    const p = pool()
    const decoded = decodeEntry(handSigned(p, mallory, mallory, { name: 'Bob', member: bob.key }))
    expect(decoded.ok).toBe(false)
    expect(!decoded.ok && decoded.detail).toContain('unexpected field "member"')
  })

  it('refuses a frozen member\'s profile (frozen)', () => {
    const p = pool()
    p.freeze(bob, T0 + 3)
    const entry = profile(p, bob, { name: 'Bob again' })
    expect(verdictOf(p.replay(), entry)).toBe('rejected:frozen')
  })

  it('refuses a profile signed for another pool (wrong-pool)', () => {
    const p = pool()
    const other = new PoolBuilder({ name: 'Other' }, actor('other gatekeeper'))
    const entry = p.sign<ProfileEntry>(alice, 'profile', { name: 'Alice' }, { time: T0 + MINUTE, pool: other.pool })
    expect(verdictOf(p.replay(), entry)).toBe('rejected:wrong-pool')
  })

  it('keeps a profile in the author\'s chain: a second profile at the same seq is a fork like any other', () => {
    const p = pool()
    const first = profile(p, alice, { name: 'Alice' })
    const twin = p.sign<ProfileEntry>(alice, 'profile', { name: 'Not Alice' }, { time: T0 + MINUTE, seq: first.seq, prev: first.prev })
    const r = p.replay()
    expect(r.equivocations.map((e) => e.author)).toEqual([alice.key])
    const standing = r.equivocations[0]!.standing
    expect(namesOf(r, p.entries)?.[alice.key]?.entry).toBe(standing)
    expect([first.id, twin.id]).toContain(standing)
  })
})

describe('profiles: text and size limits (decoder)', () => {
  const p = pool()
  const sign = (body: Record<string, unknown>) => decodeEntry(handSigned(p, alice, alice, body))

  it('takes a name of exactly PROFILE_NAME_CHARS_MAX characters and refuses one more', () => {
    expect(sign({ name: 'a'.repeat(PROFILE_NAME_CHARS_MAX) }).ok).toBe(true)
    expect(sign({ name: 'a'.repeat(PROFILE_NAME_CHARS_MAX + 1) }).ok).toBe(false)
  })
  it('refuses an empty name, a name of spaces and one with spaces around it', () => {
    for (const name of ['', '   ', ' Alice', 'Alice ']) expect(sign({ name }).ok, JSON.stringify(name)).toBe(false)
  })
  it('refuses controls, direction overrides and isolates, and invisible marks in a name', () => {
    for (const name of ['Ali\u0000ce', 'Ali\nce', '\u202eecilA', 'Al\u2066ice\u2069', 'Al\u200bice', 'Alice\u200f', '\u061cAlice', 'Al\ufeffice', 'Al\u2060ice']) {
      const decoded = sign({ name })
      expect(decoded.ok, JSON.stringify(name)).toBe(false)
    }
  })
  it('takes names in any script, with emoji sequences', () => {
    for (const name of ['Zoë', 'Ана', 'محمد', '李雷', '👩‍🌾 Maria']) expect(sign({ name }).ok, name).toBe(true)
  })
  it('limits the bio to PROFILE_BIO_CHARS_MAX and refuses a bidi override in it', () => {
    expect(sign({ name: 'A', bio: 'b'.repeat(PROFILE_BIO_CHARS_MAX) }).ok).toBe(true)
    expect(sign({ name: 'A', bio: 'b'.repeat(PROFILE_BIO_CHARS_MAX + 1) }).ok).toBe(false)
    expect(sign({ name: 'A', bio: 'nice \u202e person' }).ok).toBe(false)
  })
  it('takes one to three initials without spaces', () => {
    expect(sign({ name: 'A', initials: 'ABC' }).ok).toBe(true)
    expect(sign({ name: 'A', initials: 'ABCD' }).ok).toBe(false)
    expect(sign({ name: 'A', initials: 'A B' }).ok).toBe(false)
    expect(sign({ name: 'A', initials: '' }).ok).toBe(false)
  })
  it('takes a small PNG, JPEG or WebP data URL and refuses SVG, other schemes and oversize pictures', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo='
    expect(sign({ name: 'A', picture: png }).ok).toBe(true)
    expect(sign({ name: 'A', picture: 'data:image/webp;base64,' + 'A'.repeat(PROFILE_PICTURE_CHARS_MAX - 23) }).ok).toBe(true)
    expect(sign({ name: 'A', picture: 'data:image/webp;base64,' + 'A'.repeat(PROFILE_PICTURE_CHARS_MAX - 22) }).ok).toBe(false)
    for (const picture of ['data:image/svg+xml;base64,PHN2Zz4=', 'https://example.org/a.png', 'javascript:alert(1)', 'data:image/png;base64,<script>', 42]) {
      expect(sign({ name: 'A', picture }).ok, String(picture)).toBe(false)
    }
  })
  it('fits the largest profile in one entry, and refuses the line once it passes ENTRY_BYTES_MAX', () => {
    const largest = { name: '中'.repeat(PROFILE_NAME_CHARS_MAX), bio: '中'.repeat(PROFILE_BIO_CHARS_MAX), initials: '中中中', picture: 'data:image/png;base64,' + 'A'.repeat(PROFILE_PICTURE_CHARS_MAX - 22) }
    expect(sign(largest).ok).toBe(true)
    const deps = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(64, '0'))
    const decoded = sign({ ...largest, deps })
    expect(decoded.ok).toBe(false)
    expect(!decoded.ok && decoded.detail).toContain('bytes')
  })
})
