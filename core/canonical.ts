/**
 * Canonical JSON (RFC 8785 restricted to what entries use).
 *
 * Entries hold only objects, arrays, strings, safe integers, booleans and null.
 * Floats, -0 and integers beyond ±(2^53−1) are refused outright rather than
 * normalised, because two encoders that normalise differently would sign
 * different bytes for "the same" entry (Scuttlebutt's lesson).
 */

export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined }

/** Thrown for a value that has no canonical form; a programmer error on the encoding side. */
export class CanonicalError extends TypeError {}

/**
 * Encodes a value canonically: keys sorted by UTF-16 code units, no
 * whitespace, strings escaped as ECMAScript's JSON.stringify does, and object
 * members whose value is `undefined` left out (they are absent, not null).
 */
export function canonicalize(value: CanonicalValue): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      if (value.normalize('NFC') !== value) throw new CanonicalError(`expected an NFC string, got ${JSON.stringify(value)}`)
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isSafeInteger(value)) throw new CanonicalError(`expected a safe integer, got ${value}`)
      if (Object.is(value, -0)) throw new CanonicalError('expected an integer, got -0')
      return String(value)
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((item) => canonicalize(item as CanonicalValue)).join(',') + ']'
      const record = value as { readonly [key: string]: CanonicalValue | undefined }
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort()
      return '{' + keys.map((key) => canonicalize(key) + ':' + canonicalize(record[key]!)).join(',') + '}'
    }
    default:
      throw new CanonicalError(`expected a JSON value, got ${typeof value}`)
  }
}

/**
 * Parses text that must already be canonical: parsing then re-encoding has
 * to give back the very same text. That one comparison refuses whitespace,
 * unsorted or duplicate keys, escapes written differently, floats, -0 and
 * exponents. Returns the value, or a sentence saying what was wrong.
 */
export function parseCanonical(text: string): { ok: true; value: CanonicalValue } | { ok: false; error: string } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, error: `expected JSON, got a parse error (${(error as Error).message})` }
  }
  let again: string
  try {
    again = canonicalize(value as CanonicalValue)
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
  if (again !== text) return { ok: false, error: 'expected canonical JSON (sorted keys, no spaces, no duplicates), got another encoding' }
  return { ok: true, value: value as CanonicalValue }
}

/**
 * A deep copy of a value with every object's keys in canonical order (undefined members left out),
 * so what a replay prints of an entry's body does not depend on how the object in memory was built:
 * by its signer's code, or by the decoder from its line (found by the simulation, docs/simulation.md).
 */
export function inCanonicalOrder<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item: unknown) => inCanonicalOrder(item)) as T
  const out: Record<string, unknown> = {}
  const source = value as Record<string, unknown>
  for (const key of Object.keys(source).sort()) if (source[key] !== undefined) out[key] = inCanonicalOrder(source[key])
  return out as T
}
