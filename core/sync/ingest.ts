/**
 * Judging what a shared document says. Pure: given the document's (key, line)
 * pairs, the pool and a signature check, it returns the entries worth keeping
 * and counts the rest. Nothing here trusts what a document says.
 */
import { decodeEntry, type Entry, type EntryId } from '../index.ts'

/** Why a line from a document was not taken. */
export type IgnoredReason = 'malformed' | 'bad-signature' | 'wrong-pool' | 'unreadable'

export interface IngestCounts {
  malformed: number
  'bad-signature': number
  'wrong-pool': number
  /** Values that were not strings, or keys past the scan limit, or a replaced entries map. */
  unreadable: number
}

export function emptyIngestCounts(): IngestCounts {
  return { malformed: 0, 'bad-signature': 0, 'wrong-pool': 0, unreadable: 0 }
}

export interface LineJudgement {
  /** Entries that decoded, belong to the pool and carry a valid signature. */
  accepted: Array<{ key: string; entry: Entry; line: string }>
  /** Lines not taken, with the reason; a caller counts each distinct line once. */
  ignored: Array<{ key: string; line: string; reason: IgnoredReason }>
}

/**
 * Decodes and verifies each line. `known(key, line)` lets the caller skip lines
 * it already accepted (a document is re-read on every change; decoding and
 * verifying again would cost a signature check per entry per change).
 */
export function judgeLines(
  lines: ReadonlyArray<readonly [string, string]>,
  pool: EntryId,
  verify: (entry: Entry) => boolean,
  known: (key: string, line: string) => boolean,
): LineJudgement {
  const accepted: LineJudgement['accepted'] = []
  const ignored: LineJudgement['ignored'] = []
  for (const [key, line] of lines) {
    if (known(key, line)) continue
    const decoded = decodeEntry(line)
    if (!decoded.ok) {
      ignored.push({ key, line, reason: 'malformed' })
      continue
    }
    const entry = decoded.entry
    if (entry.pool !== pool) {
      ignored.push({ key, line, reason: 'wrong-pool' })
      continue
    }
    if (!verify(entry)) {
      ignored.push({ key, line, reason: 'bad-signature' })
      continue
    }
    accepted.push({ key, entry, line })
  }
  return { accepted, ignored }
}

/**
 * Which of the entries that belong in a document are missing from it or say
 * something else there: those get published again. `present` maps the
 * document's keys to their lines as read.
 */
export function entriesToRepublish(
  expected: Iterable<readonly [EntryId, string]>,
  present: ReadonlyMap<string, string>,
): Array<[EntryId, string]> {
  const missing: Array<[EntryId, string]> = []
  for (const [id, line] of expected) if (present.get(id) !== line) missing.push([id, line])
  return missing
}
