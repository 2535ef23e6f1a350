/**
 * Who a key is, as this device shows it. In order: the nickname this member
 * gave the key here (contacts.ts, local only: it wins on this device), the
 * name the key signed in the pool (a `profile` entry, core/rules/profiles.ts),
 * the label a gatekeeper gave the invite or join request it came in with
 * (local to the gatekeeper's device, used until the member signs a name), and
 * otherwise nothing. This member's own key goes by its signed name, else the
 * display name of Settings. Every name is shown with the key's fingerprint
 * (shortKey), so two people who sign the same name still differ.
 */
import { PROFILE_BIO_CHARS_MAX, PROFILE_INITIALS_CHARS_MAX, PROFILE_NAME_CHARS_MAX, type EntryId, type ProfileEntry, type ProfileSummary, type PublicKeyHex } from '../../core/index.ts'
import { shortKey } from '../lib/short-key.ts'
import { refused, type Outcome } from './outcome.ts'
import type { PoolBook } from './pool-book.ts'
import type { WalletParts } from './wallet-parts.ts'

export type NameSource = 'nickname' | 'profile' | 'label' | 'display-name' | 'none'

export interface PersonName {
  readonly key: string
  /** What to call them; undefined when nothing is known (show the fingerprint alone). */
  readonly name: string | undefined
  readonly source: NameSource
  /** The key's short fingerprint, to check aloud. */
  readonly fingerprint: string
  /** Their signed profile in this pool, if any. */
  readonly profile: ProfileSummary | undefined
}

/** What a member may sign about itself; text is trimmed and cut to core's limits before signing. */
export interface ProfileInput {
  readonly name: string
  readonly bio?: string
  readonly initials?: string
  readonly picture?: string
}

/** The wallet parts People uses. */
export type PeopleParts = Pick<WalletParts, 'pools' | 'settings' | 'signer' | 'now'>

/** Characters that would make a signed name refused as malformed (controls, direction and invisible marks). */
const UNSIGNABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/** A text as core will take it: NFC, without the characters it refuses, trimmed, cut to `max` (never mid-surrogate). */
export function signableText(text: string, max: number): string {
  let clean = text.normalize('NFC').replace(UNSIGNABLE, '').trim()
  if (clean.length > max) clean = clean.slice(0, max)
  if (/[\ud800-\udbff]$/.test(clean)) clean = clean.slice(0, -1)
  return clean.trim()
}

/** Up to three initials of a name (first letters of its first words), for the picture circle. */
export function initialsOf(name: string): string {
  const letters = name.split(/\s+/).filter(Boolean).map((word) => [...word][0] ?? '')
  return letters.slice(0, PROFILE_INITIALS_CHARS_MAX).join('').toUpperCase()
}

export class People {
  readonly #parts: PeopleParts

  constructor(parts: PeopleParts) {
    this.#parts = parts
  }

  /** Who `key` is in `pool`, and where the name comes from. */
  person(pool: string, key: string): PersonName {
    const fingerprint = shortKey(key)
    const book = this.#parts.pools.get(pool)
    if (!book) return { key, name: undefined, source: 'none', fingerprint, profile: undefined }
    const profile = book.profileOf(key, this.#parts.now())
    const named = (name: string | undefined, source: NameSource): PersonName => ({ key, name, source, fingerprint, profile })
    if (key === book.me) {
      if (profile) return named(profile.name, 'profile')
      const display = this.#parts.settings.profile.displayName
      return display ? named(display, 'display-name') : named(undefined, 'none')
    }
    const nickname = book.nameOf(key)
    if (nickname) return named(nickname, 'nickname')
    if (profile) return named(profile.name, 'profile')
    const label = labelOf(book, key)
    return label ? named(label, 'label') : named(undefined, 'none')
  }

  /** The name alone, when one is known. */
  nameOf(pool: string, key: string): string | undefined {
    return this.person(pool, key).name
  }

  /** This device's signed profile in `pool`, if it signed one. */
  own(pool: string): ProfileSummary | undefined {
    const book = this.#parts.pools.get(pool)
    return book?.profileOf(book.me, this.#parts.now())
  }

  /**
   * Signs this member's profile in `pool` (that pool only, so pools stay
   * unlinkable). Judged by the validator like every entry; right after an
   * offline join it may wait for the gatekeeper's history, like the join.
   */
  async sign(pool: string, input: ProfileInput): Promise<Outcome<ProfileEntry>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    const name = signableText(input.name, PROFILE_NAME_CHARS_MAX)
    if (!name) return refused('profile-name-empty')
    const bio = signableText(input.bio ?? '', PROFILE_BIO_CHARS_MAX)
    const initials = signableText(input.initials ?? '', PROFILE_INITIALS_CHARS_MAX).replace(/\s+/g, '')
    const signed = await this.#parts.signer.sign<ProfileEntry>(
      book,
      { type: 'profile', name, ...(bio ? { bio } : {}), ...(initials ? { initials } : {}), ...(input.picture ? { picture: input.picture } : {}) },
      { allowWaiting: true },
    )
    return signed
  }
}

/** The gatekeeper's label for the invite or join request `key` came in with, on this device. */
function labelOf(book: PoolBook, key: string): string | undefined {
  const direct = book.labels.get(key)
  if (direct) return direct
  const since = book.ledger.membershipEntry(key as PublicKeyHex)
  const join = since && book.store.entries.get(since as EntryId)
  return join?.type === 'join' ? book.labels.get(join.invite) : undefined
}
