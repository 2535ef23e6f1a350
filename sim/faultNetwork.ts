/**
 * The network between simulated peers, and everything that goes wrong with it.
 *
 * Each Repo gets a `SimNetworkAdapter` (an automerge-repo NetworkAdapter) for
 * its current incarnation. The network keeps the wished-for links (device ↔
 * relay, relay ↔ relay) and brings a link up only while both ends are running,
 * online and on the same side of every partition. Each message on a live link
 * meets the faults drawn for the run: it may be lost, lost with the
 * connection (a reset: both ends see the peer leave, and the link comes back
 * after a back-off, as a WebSocket client reconnects), delivered twice, or
 * delayed (reordered when delays differ). A message never crosses from one
 * connection to the next: like TCP, a connection's epoch ends with it.
 *
 * Loss inside a live connection does not happen on TCP; it is injected anyway
 * (automerge's sync protocol must cope or stall), and the healing phase
 * reconnects every link once, as a real client would after a stall.
 */
import { NetworkAdapter, type Message, type PeerId, type PeerMetadata } from '@automerge/automerge-repo'
import type { Prng } from './prng.ts'
import type { Trace } from './trace.ts'

export interface FaultRates {
  /** Chance that one message is lost inside a live connection. */
  readonly drop: number
  /** Chance that one message is delivered twice. */
  readonly duplicate: number
  /** Chance that sending one message kills its connection (the message is lost). */
  readonly reset: number
  /** Delay of each delivery, drawn uniformly; messages overtake each other unless `fifo`. */
  readonly delayMinMs: number
  readonly delayMaxMs: number
  readonly fifo: boolean
  /** Back-off before a reset link reconnects. */
  readonly reconnectMs: number
}

/**
 * Messages one run may send. Seeds send hundreds to tens of thousands; a sync
 * storm sends thousands per virtual second and, without this cap, runs for
 * minutes of real time (seed 298 before sync storms were broken).
 */
export const RUN_MESSAGES_MAX = 400_000

export const NO_FAULTS: FaultRates = { drop: 0, duplicate: 0, reset: 0, delayMinMs: 1, delayMaxMs: 5, fifo: true, reconnectMs: 100 }

interface Node {
  readonly name: string
  adapter: SimNetworkAdapter | undefined
  online: boolean
  /** Partition side; links only join nodes on the same side. */
  side: number
}

interface Link {
  readonly a: string
  readonly b: string
  up: boolean
  /** Bumped on every disconnect: deliveries of an older connection are discarded. */
  epoch: number
  /** A reset link stays down until then. */
  downUntil: number
  /** Last scheduled delivery time per direction, for FIFO links. */
  lastDelivery: Map<string, number>
  /** The adapters joined by the current connection, by node name. */
  ends: Map<string, SimNetworkAdapter>
  /** A message was lost inside the current connection: its sync may have stalled. */
  lossy: boolean
}

export interface NetworkStats {
  sent: number
  delivered: number
  dropped: number
  duplicated: number
  resets: number
  connects: number
}

export class FaultNetwork {
  readonly #nodes = new Map<string, Node>()
  readonly #links = new Map<string, Link>()
  readonly #byPeerId = new Map<string, string>()
  readonly #cutNext = new Set<string>()
  #rates: FaultRates
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, resets: 0, connects: 0 }
  /** Set once more than RUN_MESSAGES_MAX messages were sent: the message that crossed the line. */
  overBudget: string | undefined

  constructor(private readonly prng: Prng, private readonly trace: Trace, rates: FaultRates) {
    this.#rates = rates
  }

  setRates(rates: FaultRates): void {
    this.#rates = rates
  }

  addNode(name: string): void {
    if (this.#nodes.has(name)) throw new Error(`expected a new node name, got ${name} twice`)
    this.#nodes.set(name, { name, adapter: undefined, online: true, side: 0 })
  }

  /** A link both ends want (it comes up whenever it can). */
  wantLink(a: string, b: string): void {
    const key = linkKey(a, b)
    if (!this.#links.has(key)) this.#links.set(key, { a, b, up: false, epoch: 0, downUntil: 0, lastDelivery: new Map(), ends: new Map(), lossy: false })
  }

  /** A fresh adapter for the next incarnation of `name`'s Repo. */
  adapterFor(name: string, peerId: PeerId): SimNetworkAdapter {
    const node = this.#node(name)
    this.#byPeerId.set(peerId, name)
    return new SimNetworkAdapter(this, node.name)
  }

  setOnline(name: string, online: boolean): void {
    this.#node(name).online = online
    this.reconcile()
  }

  isOnline(name: string): boolean {
    return this.#node(name).online
  }

  /** Splits the nodes: `sideOf(name)` says which side each is on. */
  partition(sideOf: (name: string) => number): void {
    for (const node of this.#nodes.values()) node.side = sideOf(node.name)
    this.reconcile()
  }

  healPartitions(): void {
    this.partition(() => 0)
  }

  /**
   * Lifts every reset back-off, and takes down every live link that lost a message inside its
   * connection and lets it come straight back: a client reconnecting after a stall. A connection
   * that lost nothing has nothing to recover; re-making it too would only hide a sync that fails
   * to converge on a sound link.
   */
  cycleStalledLinks(): void {
    for (const link of this.#links.values()) {
      link.downUntil = 0
      if (link.up && link.lossy) this.#takeDown(link)
    }
    this.reconcile()
  }

  /**
   * The next message from `from` to `to` dies with its connection, as a frame
   * in flight does when a socket breaks; the link comes back after the back-off.
   * For tests that need one precise loss.
   */
  cutOnNextMessage(from: string, to: string): void {
    this.#cutNext.add(`${from}>${to}`)
  }

  // ---- adapter side -------------------------------------------------------

  /** @internal */ attach(adapter: SimNetworkAdapter): void {
    const node = this.#node(adapter.nodeName)
    node.adapter = adapter
    this.reconcile()
  }

  /** @internal */ detach(adapter: SimNetworkAdapter): void {
    const node = this.#node(adapter.nodeName)
    if (node.adapter !== adapter) return
    node.adapter = undefined
    this.reconcile()
  }

  /** @internal */ route(from: SimNetworkAdapter, message: Message): void {
    const target = this.#byPeerId.get(message.targetId)
    const link = target === undefined ? undefined : this.#links.get(linkKey(from.nodeName, target))
    if (!link || !link.up || target === undefined || link.ends.get(from.nodeName) !== from) return
    this.stats.sent++
    if (this.stats.sent > RUN_MESSAGES_MAX) {
      // A sync storm: stop carrying anything so the run ends (in real time) and reports it.
      this.overBudget ??= `${from.nodeName}→${target}, ${message.type} for ${(message as { documentId?: string }).documentId ?? 'no document'}`
      this.stats.dropped++
      return
    }
    const rates = this.#rates
    const cutNow = this.#cutNext.delete(`${from.nodeName}>${target}`)
    if (cutNow || this.prng.chance(rates.reset)) {
      this.stats.resets++
      this.trace.note(`net: connection ${link.a}↔${link.b} reset`)
      link.downUntil = Date.now() + rates.reconnectMs
      // Not from inside the sender's call stack: the Repo is in the middle of sending.
      setTimeout(() => {
        if (link.up) this.#takeDown(link)
        this.reconcile()
      }, 0)
      setTimeout(() => this.reconcile(), rates.reconnectMs + 1)
      return
    }
    if (this.prng.chance(rates.drop)) {
      this.stats.dropped++
      link.lossy = true
      return
    }
    const copies = this.prng.chance(rates.duplicate) ? 2 : 1
    if (copies === 2) this.stats.duplicated++
    for (let i = 0; i < copies; i++) this.#deliverLater(link, from.nodeName, target, message)
  }

  // ---- links --------------------------------------------------------------

  /** Brings up every link that may be up and takes down every link that may not. Deterministic order. */
  reconcile(): void {
    const now = Date.now()
    for (const link of this.#links.values()) {
      const a = this.#node(link.a)
      const b = this.#node(link.b)
      const possible = a.adapter !== undefined && b.adapter !== undefined && a.online && b.online && a.side === b.side && now >= link.downUntil
      if (link.up && !possible) this.#takeDown(link)
      else if (!link.up && possible) this.#bringUp(link, a.adapter!, b.adapter!)
    }
  }

  #bringUp(link: Link, a: SimNetworkAdapter, b: SimNetworkAdapter): void {
    link.up = true
    link.lossy = false
    link.ends = new Map([[link.a, a], [link.b, b]])
    this.stats.connects++
    a.emit('peer-candidate', { peerId: b.peerId!, peerMetadata: b.peerMetadata ?? {} })
    b.emit('peer-candidate', { peerId: a.peerId!, peerMetadata: a.peerMetadata ?? {} })
  }

  #takeDown(link: Link): void {
    link.up = false
    link.epoch++
    link.lastDelivery.clear()
    const a = link.ends.get(link.a)
    const b = link.ends.get(link.b)
    link.ends = new Map()
    // Only running ends hear of it: a crashed Repo is gone, the survivor sees its peer leave.
    if (a && b && this.#node(link.a).adapter === a) a.emit('peer-disconnected', { peerId: b.peerId! })
    if (a && b && this.#node(link.b).adapter === b) b.emit('peer-disconnected', { peerId: a.peerId! })
  }

  #deliverLater(link: Link, fromName: string, toName: string, message: Message): void {
    const rates = this.#rates
    const epoch = link.epoch
    let due = Date.now() + this.prng.int(rates.delayMinMs, Math.max(rates.delayMinMs, rates.delayMaxMs))
    if (rates.fifo) {
      due = Math.max(due, link.lastDelivery.get(fromName) ?? 0)
      link.lastDelivery.set(fromName, due)
    }
    setTimeout(() => {
      const target = link.ends.get(toName)
      if (!link.up || link.epoch !== epoch || !target) {
        this.stats.dropped++
        return
      }
      this.stats.delivered++
      target.emit('message', message)
    }, due - Date.now())
  }

  #node(name: string): Node {
    const node = this.#nodes.get(name)
    if (!node) throw new Error(`expected a known node, got ${name}`)
    return node
  }
}

/** One Repo incarnation's door to the simulated network. */
export class SimNetworkAdapter extends NetworkAdapter {
  constructor(private readonly network: FaultNetwork, readonly nodeName: string) {
    super()
  }

  isReady(): boolean {
    return true
  }

  whenReady(): Promise<void> {
    return Promise.resolve()
  }

  connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
    this.peerId = peerId
    this.peerMetadata = peerMetadata ?? {}
    this.network.attach(this)
  }

  send(message: Message): void {
    this.network.route(this, message)
  }

  disconnect(): void {
    this.network.detach(this)
  }
}

function linkKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}

