/**
 * Writing this device's next entry in a pool: place it at the head of the
 * author's chain and, for a transfer, name as `deps` what it relies on
 * (payments received and the admission since its last entry), so every device
 * orders the received money before the spending of it. A transfer also names
 * the witness's latest checkpoint when the wallet passes one (connected, and
 * it covers the chain head: witness-status.ts): that makes it online, not held
 * to the offline cap once a checkpoint covers it promptly.
 */
import { chainHead, DEPS_COUNT_MAX, signEntry, type Entry, type EntryId, type PublicKeyHex, type UnsignedEntry } from '../../core/index.ts'

type Body<E extends Entry> = Omit<UnsignedEntry<E>, 'pool' | 'author' | 'seq' | 'prev' | 'deps' | 'time'>

export interface AuthorContext {
  readonly pool: EntryId
  readonly entries: Iterable<Entry>
  readonly secretKey: Uint8Array
  readonly author: PublicKeyHex
  /**
   * For a linked device's key: the member it signs for (whose credits it names) and its
   * certificate, which its first entry names so that it sorts after it (docs/devices.md).
   */
  readonly device?: { readonly member: PublicKeyHex; readonly certificate?: EntryId }
  readonly now: number
  /** The checkpoint that makes a transfer online (witness-status.ts `coveringCheckpoint`), named only by transfers. */
  readonly checkpoint?: EntryId
}

/** Signs `body` as the author's next entry. `extraDeps` are always included (a join's invite). */
export function authorEntry<E extends Entry>(context: AuthorContext, body: Body<E>, extraDeps: readonly EntryId[] = []): E {
  const list = [...context.entries]
  const head = chainHead(list, context.pool, context.author)
  const deps = new Set<EntryId>(extraDeps)
  const device = context.device
  if (device?.certificate !== undefined && head.seq === 1) deps.add(device.certificate)
  // Only spending relies on what was received; an invite or an admit naming credits would make
  // it wait (pending) on a device that has not seen them, such as a newcomer's phone offline.
  // A payment request relies on the admission only: it must sort after it, and a payer's phone
  // should not have to hold the requester's incoming payments to judge it.
  const type = (body as { type: string }).type
  if (type === 'transfer' && context.checkpoint !== undefined && deps.size < DEPS_COUNT_MAX) deps.add(context.checkpoint)
  if (type === 'transfer' || type === 'request') {
    for (const id of unreferencedCredits(list, context.author, device?.member ?? context.author, type === 'request')) {
      if (deps.size >= DEPS_COUNT_MAX) break
      deps.add(id)
    }
  }
  const unsigned = {
    ...body,
    pool: context.pool,
    author: context.author,
    seq: head.seq,
    prev: head.prev,
    deps: [...deps].sort(),
    // Time never goes back in a chain, even if this device's clock did.
    time: Math.max(context.now, head.time),
  } as unknown as UnsignedEntry<E>
  return signEntry<E>(unsigned, context.secretKey)
}

/** Entries by others that credit or admit `me` (the account) and none of the author's entries names yet; newest first. */
function unreferencedCredits(entries: readonly Entry[], author: PublicKeyHex, me: PublicKeyHex, admissionOnly: boolean): EntryId[] {
  const referenced = new Set<EntryId>()
  for (const entry of entries) if (entry.author === author) for (const dep of entry.deps) referenced.add(dep)
  return entries
    .filter((entry) => entry.author !== author && entry.author !== me && !referenced.has(entry.id) && isAboutMe(entry, me) && (!admissionOnly || entry.type === 'admit'))
    .sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1))
    .map((entry) => entry.id)
}

function isAboutMe(entry: Entry, me: PublicKeyHex): boolean {
  switch (entry.type) {
    case 'transfer':
    case 'issue':
      return entry.to === me
    case 'admit':
      return entry.member === me
    default:
      return false
  }
}
