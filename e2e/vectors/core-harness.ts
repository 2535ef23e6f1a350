/**
 * What the Chromium vectors test runs in the browser: the core's own code,
 * bundled (e2e/vectors.spec.ts builds it with vite), computing the demurrage
 * vectors and replaying a signed log. The Node side imports this same file,
 * so the two outputs are compared byte for byte.
 */
import { Ledger, decodeEntry, statement, type Entry, type EntryId, type PublicKeyHex } from '../../core/index.ts'
import { runDemurrageVector, type DemurrageVector } from '../../core/test/vectors/demurrage-run.ts'

/** Every vector's outcome, as one JSON text. */
export function demurrageVectors(vectors: readonly DemurrageVector[]): string {
  return JSON.stringify(vectors.map(runDemurrageVector))
}

/** A full replay of the lines as of `asOf`, and each member's statement, as one JSON text. */
export function replayLines(lines: readonly string[], pool: string, asOf: number): string {
  const entries: Entry[] = []
  for (const line of lines) {
    const decoded = decodeEntry(line)
    if (!decoded.ok) throw new Error(`expected entry lines, got one that does not decode: ${decoded.detail}`)
    entries.push(decoded.entry)
  }
  const ledger = new Ledger(pool as EntryId)
  ledger.add(entries, asOf)
  const result = ledger.result()
  const statements = Object.keys(result.balances).sort().map((member) => [member, statement(ledger.movements(), member as PublicKeyHex)])
  return JSON.stringify({ result, statements })
}
