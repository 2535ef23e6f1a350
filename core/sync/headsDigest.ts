/**
 * A short fingerprint of a document's state: its heads, sorted, hashed.
 * Two peers whose digests of a document are equal hold the same document
 * (automerge heads name the whole history), so a device can ask a relay in one
 * small exchange which of many documents changed since it last held them,
 * without syncing each (docs/sync-layout.md, "Catch-up").
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/** 32 hex digits (128 bits) of SHA-256 over the sorted heads joined by commas. */
export function headsDigest(heads: readonly string[]): string {
  return bytesToHex(sha256(utf8ToBytes([...heads].sort().join(',')))).slice(0, 32)
}

/** What a device sends: the document ids it parked with the digest it last held, and its peer id on the relay. */
export interface HeadsQuery {
  readonly peer?: string
  readonly documents: Readonly<Record<string, string>>
}

/** What a relay answers: the ids whose digest differs from what it holds, or that it cannot tell without loading. */
export interface HeadsAnswer {
  readonly changed: readonly string[]
}
