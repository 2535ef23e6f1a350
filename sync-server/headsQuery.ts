/**
 * POST /heads: which of a device's parked documents changed on this relay.
 *
 * A device that holds complete shards whole unloads them from its Repo and
 * keeps their heads digest (core/sync/headsDigest.ts). When it comes back, it
 * sends those digests here in one request and syncs only the documents named
 * in the answer: those whose digest differs from the relay's (a vandal wrote
 * there, or an equivocating entry arrived) and those the relay cannot tell
 * without loading (never loaded or saved since it started). The documents
 * that did not change are also forgotten from the peer's announce list
 * (PeerDocuments), so that reconnecting does not resync them either.
 *
 * Bad input gets 400 and a sentence saying what was expected; nothing is changed.
 */
import type { DocumentId } from '@automerge/automerge-repo'
import type { HeadsAnswer } from '../core/sync/index.ts'
import { HEADS_QUERY_DOCUMENTS_MAX, PEER_ID_CHARS_MAX } from './limits.ts'

export type HeadsQueryResult = { readonly status: 200; readonly answer: HeadsAnswer } | { readonly status: 400; readonly error: string }

const DIGEST = /^[0-9a-f]{32}$/
/** automerge-repo document ids: base58check of 16 bytes. */
const DOCUMENT_ID = /^[1-9A-HJ-NP-Za-km-z]{20,40}$/

export function answerHeadsQuery(
  text: string,
  digestOf: (documentId: DocumentId) => string | undefined,
  forget: (peerId: string, documentId: DocumentId) => void,
): HeadsQueryResult {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { status: 400, error: 'expected a JSON body {"peer": "…", "documents": {"<document id>": "<32 hex digits>"}}, got text that does not parse' }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { status: 400, error: 'expected a JSON object with "documents", got something else' }
  const { peer, documents } = body as { peer?: unknown; documents?: unknown }
  if (peer !== undefined && (typeof peer !== 'string' || peer.length === 0 || peer.length > PEER_ID_CHARS_MAX)) {
    return { status: 400, error: `expected "peer" a peer id of 1 to ${PEER_ID_CHARS_MAX} characters, got ${typeof peer === 'string' ? `${peer.length} characters` : typeof peer}` }
  }
  if (documents === null || typeof documents !== 'object' || Array.isArray(documents)) return { status: 400, error: 'expected "documents" an object of document id → heads digest, got something else' }
  const pairs = Object.entries(documents as Record<string, unknown>)
  if (pairs.length > HEADS_QUERY_DOCUMENTS_MAX) return { status: 400, error: `expected at most ${HEADS_QUERY_DOCUMENTS_MAX} documents, got ${pairs.length}` }
  for (const [id, digest] of pairs) {
    if (!DOCUMENT_ID.test(id)) return { status: 400, error: `expected document ids in base58, got ${JSON.stringify(id.slice(0, 60))}` }
    if (typeof digest !== 'string' || !DIGEST.test(digest)) return { status: 400, error: `expected the digest of ${id} as 32 hex digits, got ${JSON.stringify(String(digest).slice(0, 60))}` }
  }
  const changed: string[] = []
  for (const [id, digest] of pairs) {
    if (digestOf(id as DocumentId) === digest) {
      if (peer !== undefined) forget(peer, id as DocumentId)
    } else {
      changed.push(id)
    }
  }
  return { status: 200, answer: { changed } }
}
