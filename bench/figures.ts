/** The shape of a benchmark figure, as `npm run bench` prints it and writes it to bench/results.json. */
export interface Figure {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** A baseline measured in the same run, and value ÷ baseline. */
  readonly baseline?: number
  readonly ratio?: number
  readonly note?: string
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
