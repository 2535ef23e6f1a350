/**
 * How much of a chain a link carries. A newcomer's phone offline can only
 * judge what it holds: an invite is accepted at once when the link also
 * carries the gatekeeper's entries before it, a receipt is settled when the
 * payee has the payer's. Links must stay small enough for a QR code a phone
 * reads at arm's length, so both carry a bounded history, and whatever is
 * missing arrives later through a relay (the entries wait, pending, meanwhile).
 */
import { encodeEntry, type Entry } from '../../core/index.ts'
import { INVITE_CHAIN_ENTRIES_MAX } from '../links/link-codec.ts'

/** Characters of entry lines an invite carries besides genesis and the invite itself. */
export const INVITE_CHAIN_CHARS_MAX = 3000
/** Entries of the payer a receipt carries before the transfer (about three lines fit a readable QR code, with a linked device's certificate). */
export const RECEIPT_CHAIN_ENTRIES_MAX = 1

/**
 * The gatekeeper's entries between genesis and `invite`, oldest first, when
 * they are few, small and depend on nothing else; otherwise none.
 */
export function inviteChain(entries: ReadonlyMap<string, Entry>, invite: Entry): string[] {
  const mine = [...entries.values()].filter((entry) => entry.author === invite.author && entry.seq > 1 && entry.seq < invite.seq).sort((a, b) => a.seq - b.seq)
  if (mine.length !== invite.seq - 2 || mine.length > INVITE_CHAIN_ENTRIES_MAX) return []
  const carried = new Set<string>([invite.pool, ...mine.map((entry) => entry.id)])
  if (![...mine, invite].every((entry) => entry.deps.every((dep) => carried.has(dep)))) return []
  const lines = mine.map((entry) => encodeEntry(entry))
  return lines.reduce((sum, line) => sum + line.length, 0) <= INVITE_CHAIN_CHARS_MAX ? lines : []
}

/**
 * The transfer's line first; then, when a linked device signed it, the member's certificate of that
 * device (without it a payee who has not synced since the link keeps the payment pending); then its
 * author's entries just before it, newest first; all within the bounds.
 */
export function receiptLines(entries: ReadonlyMap<string, Entry>, transfer: Entry): string[] {
  const lines = [encodeEntry(transfer)]
  let chars = lines[0]!.length
  // One pass: the device's certificate (if a device signed it) and its author's earlier entries.
  let certificate: Entry | undefined
  const before: Entry[] = []
  for (const other of entries.values()) {
    if (other.type === 'device' && other.device === transfer.author) certificate ??= other
    else if (other.author === transfer.author && other.seq < transfer.seq) before.push(other)
  }
  before.sort((a, b) => b.seq - a.seq)
  if (certificate) {
    const line = encodeEntry(certificate)
    if (chars + line.length <= INVITE_CHAIN_CHARS_MAX) {
      lines.push(line)
      chars += line.length
    }
  }
  const carriedMax = lines.length + RECEIPT_CHAIN_ENTRIES_MAX
  for (const other of before) {
    const line = encodeEntry(other)
    if (lines.length >= carriedMax || chars + line.length > INVITE_CHAIN_CHARS_MAX) break
    lines.push(line)
    chars += line.length
  }
  return lines
}
