/** The shape of a benchmark figure, as `npm run bench` prints it and writes it to bench/results.json. */
export interface Figure {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** A baseline measured in the same run, and value ÷ baseline. */
  readonly baseline?: number
  readonly ratio?: number
  readonly note?: string
  /** The goal for this figure, when it has one, and whether this run meets it. */
  readonly goal?: string
  readonly met?: boolean
}

/** The goals of the performance issue, by figure name: at most (≤) or at least (≥) a value. */
export const GOALS: Readonly<Record<string, { readonly atMost?: number; readonly atLeast?: number }>> = {
  replay_cold_ratio: { atLeast: 0.8 },
  verify_native_ratio: { atLeast: 5 },
  replay_warm_entries_per_s: { atLeast: 200_000 },
  incremental_apply_ms: { atMost: 1 },
  sync_latency_p50_ms: { atMost: 120 },
  sync_latency_p99_ms: { atMost: 250 },
  // Issue 14 tightened these (were 2,000 ms, 400 MB and 20 s).
  catchup_1000_of_100k_ms: { atMost: 1_500 },
  catchup_peak_rss_mb: { atMost: 350 },
  join_100k_s: { atMost: 8 },
  join_peak_rss_mb: { atMost: 600 },
  relay_fanout_p99_ms: { atMost: 500 },
  relay_restart_first_served_ms: { atMost: 1_000 },
  app_js_gzip_kb: { atMost: 120 },
  offline_start_ms: { atMost: 1_500 },
  // Issue 13: witnesses keep incremental application cheap and replay close to a pool without one.
  incremental_apply_witnessed_ms: { atMost: 1 },
  checkpoint_apply_ms_per_entry: { atMost: 1 },
  replay_witnessed_ratio: { atLeast: 0.9 },
  // Issue 16: the marketplace on 10,000 listings, offline, in Node and in Chromium.
  market_index_10k_ms: { atMost: 200 },
  market_query_ms: { atMost: 20 },
  market_matches_ms: { atMost: 50 },
  market_index_10k_ms_chromium: { atMost: 200 },
  market_query_ms_chromium: { atMost: 20 },
  market_matches_ms_chromium: { atMost: 50 },
  // Issue 14: a relay holding a million entries in bounded memory.
  relay_1m_entries_rss_mb: { atMost: 1_024 },
  relay_cold_pool_first_entry_ms: { atMost: 200 },
  // Issue 14: thousands of light clients on one relay (bench/relay-fanout.ts; relay_fanout_p99_ms above, with 1,000).
  relay_fanout_knee_clients: { atLeast: 3_000 },
  // Issue 14: several relays (bench/relay-federated.ts).
  relay_federated_p99_ms: { atMost: 1_000 },
  relay_postgres_fanout_p99_ms: { atMost: 1_000 },
  // Issue 14: beside the official automerge-repo sync server (bench/relay-vs-official.ts).
  relay_vs_official_fanout_p99_ratio: { atMost: 1.2 },
  relay_vs_official_rss_ratio: { atMost: 1.5 },
  // Issue 18: replay with demurrage on within 20 % of off.
  replay_demurrage_ratio: { atLeast: 0.8 },
  // Issue 17: payments signed by devices replay within 20 % of the same signed by member keys.
  replay_devices_ratio: { atLeast: 0.8 },
  replay_revoked_devices_ratio: { atLeast: 0.8 },
  // Issue 19 names the figure without a number; 50 ms keeps routing unnoticed on a phone, offline.
  route_100_pools_ms: { atMost: 50 },
}

/** The figure with its goal and verdict attached, when the issue sets one. */
export function judged(figure: Figure): Figure {
  const goal = GOALS[figure.name]
  if (!goal) return figure
  if (goal.atMost !== undefined) return { ...figure, goal: `≤ ${goal.atMost}`, met: figure.value <= goal.atMost }
  return { ...figure, goal: `≥ ${goal.atLeast}`, met: figure.value >= goal.atLeast! }
}

export interface BenchContext {
  readonly quick: boolean
  readonly report: (figure: Figure) => void
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
