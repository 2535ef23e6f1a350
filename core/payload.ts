/**
 * What an entry's id and signature cover.
 *
 * The payload is the entry without `id` and `sig` (so a re-encoded signature
 * never makes a second entry), and a genesis entry leaves out `pool` too,
 * because the pool id is the genesis entry's own id. Version, pool and type
 * are inside the payload, and the signed message starts with a domain tag
 * naming the protocol and the type, so a signature cannot be replayed in
 * another pool, as another type, or by another protocol.
 */
import { canonicalize, type CanonicalValue } from './canonical.ts'
import { concatBytes, utf8 } from './bytes.ts'
import { sha256Hex } from './hash.ts'
import type { Entry, EntryId, EntryType } from './entry.ts'

export const DOMAIN_TAG = 'heroes/v1'

type Payload = Record<string, CanonicalValue | undefined>

/** The signed fields of an entry, as a plain object. */
export function payloadOf(entry: Entry | Record<string, unknown>): Payload {
  const { id: _id, sig: _sig, ...rest } = entry as Record<string, unknown>
  if (rest.type === 'pool') delete rest.pool
  return rest as Payload
}

export function payloadText(entry: Entry | Record<string, unknown>): string {
  return canonicalize(payloadOf(entry))
}

/** The id of an entry: SHA-256 of its canonical payload. */
export function entryIdOf(entry: Entry | Record<string, unknown>): EntryId {
  return sha256Hex(payloadText(entry)) as EntryId
}

/** The bytes an entry's author signs: `heroes/v1/<type>\n` followed by the canonical payload. */
export function signedMessage(type: EntryType, payloadCanonical: string): Uint8Array {
  return concatBytes(utf8(`${DOMAIN_TAG}/${type}\n`), utf8(payloadCanonical))
}

/**
 * The bytes an invite's one-time key signs to let one member join: bound to
 * the pool, the invite entry and the joining member's key, under its own tag.
 */
export function joinInviteMessage(pool: EntryId, invite: EntryId, member: string): Uint8Array {
  return concatBytes(utf8(`${DOMAIN_TAG}/join-invite\n`), utf8(canonicalize({ invite, member, pool })))
}
