/**
 * Nothing leaves the relay before it is on disk.
 *
 * automerge-repo forwards a change to other peers ~100 ms after it arrives
 * and saves it on its own schedule, so a relay killed in between would have
 * handed out an entry it no longer has after a restart; a device that
 * trusted "the relay has it" would be wrong. So a sync message for a document
 * whose current heads are not yet durable is held until a save that began
 * after it completes. Durable heads come from completed saves (captured when
 * each save starts, which is when automerge-repo takes the document it
 * writes) and from loads (what is on disk is durable by definition).
 */
export interface DurableForwardingOptions {
  /** The document's current heads (hex), or undefined when the relay does not hold it. */
  readonly currentHeads: (documentId: string) => readonly string[] | undefined
  /** A held message waits at most this long (a failing disk must not wedge sync forever). */
  readonly holdMsMax: number
  readonly now?: () => number
  readonly onTimeout?: (documentId: string) => void
}

export interface SaveToken {
  readonly heads: readonly string[] | undefined
  readonly startedAt: number
}

interface Held {
  readonly at: number
  readonly send: () => void
}

export class DurableForwarding {
  readonly #options: DurableForwardingOptions
  readonly #durable = new Map<string, readonly string[]>()
  readonly #held = new Map<string, Held[]>()
  readonly #now: () => number
  #sequence = 0

  constructor(options: DurableForwardingOptions) {
    this.#options = options
    // A strictly increasing clock: a save that starts in the same millisecond as a hold must still count as after it.
    const clock = options.now ?? (() => performance.now())
    this.#now = () => Math.max(clock(), this.#sequence + 1e-6)
  }

  /** Messages waiting for a save, for /metrics and tests. */
  heldCount(): number {
    let count = 0
    for (const list of this.#held.values()) count += list.length
    return count
  }

  /** True when the document's current state is on disk and none of its messages waits: it may leave memory (eviction.ts). */
  settled(documentId: string): boolean {
    return !this.#held.has(documentId) && this.#isDurable(documentId)
  }

  /** Sends now when the document's current state is durable, else when it becomes so. */
  forward(documentId: string, send: () => void): void {
    // Behind a held message of the same document a message waits too: order is kept per document.
    if (!this.#held.has(documentId) && this.#isDurable(documentId)) {
      send()
      return
    }
    const at = this.#tick()
    let list = this.#held.get(documentId)
    if (!list) this.#held.set(documentId, (list = []))
    list.push({ at, send })
  }

  /** Called as a save of the document starts: what it writes is the document as it is now. */
  saving(documentId: string): SaveToken {
    return { heads: this.#options.currentHeads(documentId), startedAt: this.#tick() }
  }

  /** Called when that save is on disk. */
  saved(documentId: string, token: SaveToken): void {
    if (token.heads !== undefined) this.#durable.set(documentId, token.heads)
    this.#release(documentId, (held) => held.at <= token.startedAt || this.#isDurable(documentId))
  }

  /** Called when a document was read from disk with these heads. */
  loaded(documentId: string, heads: readonly string[]): void {
    this.#durable.set(documentId, heads)
    this.#release(documentId, () => this.#isDurable(documentId))
  }

  /** Releases what became durable without a save of ours (nothing new to write) or waited too long. */
  sweep(): void {
    const now = this.#now()
    for (const documentId of [...this.#held.keys()]) {
      const durable = this.#isDurable(documentId)
      this.#release(documentId, (held) => {
        if (durable) return true
        if (now - held.at <= this.#options.holdMsMax) return false
        this.#options.onTimeout?.(documentId)
        return true
      })
    }
  }

  #isDurable(documentId: string): boolean {
    const current = this.#options.currentHeads(documentId)
    if (current === undefined || current.length === 0) return true
    const durable = this.#durable.get(documentId)
    return durable !== undefined && sameHeads(current, durable)
  }

  #release(documentId: string, ready: (held: Held) => boolean): void {
    const list = this.#held.get(documentId)
    if (!list) return
    // Release in order and stop at the first that must wait, so messages of a document never overtake each other.
    let count = 0
    while (count < list.length && ready(list[count]!)) count++
    const go = list.slice(0, count)
    const keep = list.slice(count)
    if (keep.length === 0) this.#held.delete(documentId)
    else this.#held.set(documentId, keep)
    for (const held of go) held.send()
  }

  #tick(): number {
    this.#sequence = this.#now()
    return this.#sequence
  }
}

function sameHeads(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((head) => set.has(head))
}
