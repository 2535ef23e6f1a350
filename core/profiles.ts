/**
 * Profiles as a replay result shows them: each member's latest accepted
 * `profile` entry, in replay order (core/rules/profiles.ts judges each). A
 * pure reading of the verdicts, so it adds nothing to the ledger: `heroes
 * replay` prints it as `profiles`, and the app reads names from it.
 */
import type { Entry, EntryId, PublicKeyHex } from './entry.ts'
import type { ReplayResult } from './ledger.ts'

/** A member's latest accepted profile. */
export interface ProfileSummary {
  readonly name: string
  readonly bio?: string
  readonly initials?: string
  readonly picture?: string
  /** The profile entry it comes from. */
  readonly entry: EntryId
}

/**
 * Each member's latest accepted profile, by key (keys sorted), from a result's
 * verdicts (which are in replay order) and a lookup of the entries themselves.
 */
export function profilesOf(result: Pick<ReplayResult, 'entries'>, entryOf: (id: EntryId) => Entry | undefined): Record<string, ProfileSummary> {
  const latest = new Map<PublicKeyHex, ProfileSummary>()
  for (const verdict of result.entries) {
    if (verdict.type !== 'profile' || verdict.status !== 'accepted') continue
    const entry = entryOf(verdict.id)
    if (entry?.type !== 'profile') continue
    latest.set(entry.author, {
      name: entry.name, ...(entry.bio !== undefined ? { bio: entry.bio } : {}), ...(entry.initials !== undefined ? { initials: entry.initials } : {}),
      ...(entry.picture !== undefined ? { picture: entry.picture } : {}), entry: entry.id,
    })
  }
  const sorted: Record<string, ProfileSummary> = {}
  for (const key of [...latest.keys()].sort()) sorted[key] = latest.get(key)!
  return sorted
}
