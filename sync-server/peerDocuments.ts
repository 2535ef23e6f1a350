/**
 * Which documents each client peer has touched, remembered across its
 * reconnections.
 *
 * Why: automerge-repo keeps a relay's sync state for a peer after the peer
 * disconnects, and resets it (forgetting what it believes it sent) only when
 * it begins a sync itself, which a relay does only for documents it announces.
 * A client that lost a message before reconnecting then waits forever for
 * changes the relay thinks it already sent (measured: a device catching up
 * after being offline stalled with 28 of 200 documents behind). Announcing to
 * a returning client the documents it had touched restarts their sync cleanly,
 * and tells it nothing new: it had asked for them by id.
 */
export class PeerDocuments {
  readonly #byPeer = new Map<string, Set<string>>()
  readonly #peersMax: number
  readonly #documentsMax: number

  constructor(peersMax: number, documentsPerPeerMax: number) {
    this.#peersMax = peersMax
    this.#documentsMax = documentsPerPeerMax
  }

  note(peerId: string, documentId: string): void {
    let documents = this.#byPeer.get(peerId)
    if (!documents) {
      if (this.#byPeer.size >= this.#peersMax) this.#byPeer.delete(this.#byPeer.keys().next().value as string)
      this.#byPeer.set(peerId, (documents = new Set()))
    }
    if (documents.size < this.#documentsMax) documents.add(documentId)
  }

  /** The peer parked the document (it holds it whole and unchanged): do not announce it on the peer's return. */
  forget(peerId: string, documentId: string): void {
    this.#byPeer.get(peerId)?.delete(documentId)
  }

  touched(peerId: string, documentId: string): boolean {
    return this.#byPeer.get(peerId)?.has(documentId) ?? false
  }
}
