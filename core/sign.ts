/** Making entries: fill in the version, compute the id, sign. */
import { canonicalize, type CanonicalValue } from './canonical.ts'
import type { Entry, EntryId, UnsignedEntry } from './entry.ts'
import { PROTOCOL_VERSION } from './limits.ts'
import { entryIdOf, joinInviteMessage, payloadText, signedMessage } from './payload.ts'
import { publicKeyOf, signBytes } from './keys.ts'
import { decodeEntry } from './decode.ts'

/** The canonical JSON line of an entry: how it is stored, sent and shown. */
export function encodeEntry(entry: Entry): string {
  return canonicalize(entry as unknown as CanonicalValue)
}

/**
 * Signs an entry with the author's secret key. A genesis entry may leave
 * `pool` out: it is its own id. The result is decoded again before it is
 * returned, so a caller never holds an entry that other devices would call
 * malformed (an assertion: a failure here is a programmer error).
 */
export function signEntry<E extends Entry>(unsigned: UnsignedEntry<E> | (Omit<UnsignedEntry<E>, 'pool'> & { pool?: EntryId }), secretKey: Uint8Array): E {
  const author = publicKeyOf(secretKey)
  if (unsigned.author !== author) throw new TypeError(`expected author ${author} (the signing key's public key), got ${String(unsigned.author)}`)
  const draft: Record<string, unknown> = { ...unsigned, v: PROTOCOL_VERSION }
  if (draft.type === 'pool') delete draft.pool
  const id = entryIdOf(draft)
  const sig = signBytes(signedMessage(draft.type as Entry['type'], payloadText(draft)), secretKey)
  const entry = { ...draft, id, pool: draft.type === 'pool' ? id : draft.pool, sig } as unknown as E
  const check = decodeEntry(encodeEntry(entry))
  if (!check.ok) throw new TypeError(`expected a well-formed entry, got one that decodes as malformed: ${check.detail}`)
  return entry
}

/** The invite's one-time key signs this to let `member` join with `invite`. */
export function signJoinInvite(pool: EntryId, invite: EntryId, member: string, inviteSecretKey: Uint8Array): string {
  return signBytes(joinInviteMessage(pool, invite, member), inviteSecretKey)
}
