/**
 * The relay's Prometheus metrics, on a registry of its own (several relays in
 * one process, as in tests, must not share counters).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

export interface RelayMetrics {
  readonly registry: Registry
  readonly connections: Gauge
  readonly connectionsTotal: Counter
  readonly documents: Gauge
  readonly storedBytes: Gauge
  readonly messages: Counter<'direction'>
  readonly messageBytes: Counter<'direction'>
  readonly refusedFrames: Counter<'reason'>
  readonly limitHits: Counter<'limit'>
  readonly syncLatency: Histogram
  readonly documentLoad: Histogram
  readonly heldMessages: Gauge
  readonly checkpointsSigned: Counter
  readonly collectsSigned: Counter
  readonly witnessedPools: Gauge
  readonly memoryBudget: Gauge
  readonly documentsMemory: Gauge
  readonly evictions: Counter
}

export interface RelaySamples {
  documents(): number
  storedBytes(): number
  heldMessages(): number
  witnessedPools(): number
  memoryBudgetBytes(): number
  documentsMemoryBytes(): number
}

export function createRelayMetrics(sample: RelaySamples): RelayMetrics {
  const registry = new Registry()
  // RSS, CPU, event-loop lag, heap: what an operator checks first.
  collectDefaultMetrics({ register: registry, prefix: 'heroes_relay_' })
  const registers = [registry]
  return {
    registry,
    connections: new Gauge({ name: 'heroes_relay_connections', help: 'Open WebSocket connections', registers }),
    connectionsTotal: new Counter({ name: 'heroes_relay_connections_total', help: 'WebSocket connections accepted since start', registers }),
    documents: new Gauge({
      name: 'heroes_relay_documents', help: 'Documents held in memory by the Repo', registers,
      collect() {
        this.set(sample.documents())
      },
    }),
    storedBytes: new Gauge({
      name: 'heroes_relay_stored_bytes', help: 'Bytes of documents on disk', registers,
      collect() {
        this.set(sample.storedBytes())
      },
    }),
    messages: new Counter({ name: 'heroes_relay_messages_total', help: 'Sync protocol messages, by direction (in, out)', labelNames: ['direction'], registers }),
    messageBytes: new Counter({ name: 'heroes_relay_message_bytes_total', help: 'Bytes of sync protocol messages, by direction', labelNames: ['direction'], registers }),
    refusedFrames: new Counter({
      name: 'heroes_relay_refused_frames_total', help: 'Frames not passed to the Repo, by reason (malformed, too-large, not-carried)',
      labelNames: ['reason'], registers,
    }),
    limitHits: new Counter({ name: 'heroes_relay_limit_hits_total', help: 'Connections cut off or refused for breaking a limit, by limit', labelNames: ['limit'], registers }),
    syncLatency: new Histogram({
      name: 'heroes_relay_sync_message_seconds', help: 'Time to apply one received sync message to its document',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers,
    }),
    heldMessages: new Gauge({
      name: 'heroes_relay_held_messages', help: 'Sync messages waiting for their document to reach the disk', registers,
      collect() {
        this.set(sample.heldMessages())
      },
    }),
    checkpointsSigned: new Counter({ name: 'heroes_relay_checkpoints_signed_total', help: 'Checkpoints this relay signed as a witness and published', registers }),
    collectsSigned: new Counter({ name: 'heroes_relay_collects_signed_total', help: 'Standing-order payments this relay collected as a coordinator and published', registers }),
    witnessedPools: new Gauge({
      name: 'heroes_relay_witnessed_pools', help: 'Pools whose policy names this relay as a witness and that it checkpoints', registers,
      collect() {
        this.set(sample.witnessedPools())
      },
    }),
    memoryBudget: new Gauge({
      name: 'heroes_relay_memory_budget_bytes', help: 'The memory the relay aims to stay under (--memory-budget-mb); compare with _process_resident_memory_bytes', registers,
      collect() {
        this.set(sample.memoryBudgetBytes())
      },
    }),
    documentsMemory: new Gauge({
      name: 'heroes_relay_documents_memory_bytes', help: 'Estimated memory of the documents loaded now (evicted past their share of the budget)', registers,
      collect() {
        this.set(sample.documentsMemoryBytes())
      },
    }),
    evictions: new Counter({ name: 'heroes_relay_evictions_total', help: 'Documents taken out of memory since start (they load again from disk on demand)', registers }),
    documentLoad: new Histogram({
      name: 'heroes_relay_document_load_seconds', help: 'Time to load one document from disk',
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5], registers,
    }),
  }
}
