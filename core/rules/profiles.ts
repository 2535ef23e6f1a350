/**
 * Profiles: how a member shows itself in one pool (a display name, a short
 * bio, initials or a small picture). The decoder has already checked sizes
 * and text (no controls, no direction overrides, no invisible marks in a
 * name); the dispatch has checked that the author is a member who may act
 * (not frozen, not closed). A profile is always about its author: there is no
 * field naming anyone else, so nobody can sign a name for another's key.
 */
import type { ProfileEntry } from '../entry.ts'
import { ACCEPTED, type Evaluation, type PoolState } from '../pool-state.ts'

/** Does this profile replace its author's? Yes, for any member who may act: the latest in replay order stands. */
export function profileRule(state: PoolState, entry: ProfileEntry, commit: boolean): Evaluation {
  if (commit) {
    state.profiles.set(entry.author, { name: entry.name, bio: entry.bio, initials: entry.initials, picture: entry.picture, entry: entry.id })
  }
  return ACCEPTED
}
