/**
 * The Ed25519 edge-case vector files, normalised for tests: one shape whatever the source.
 * Each JSON file says where its vectors came from (`source`) and how they were checked (`notes`).
 */
import rfc8032 from './rfc8032.json'
import wycheproof from './wycheproof.json'
import cctv from './cctv.json'
import speccheck from './speccheck.json'

export interface Vector {
  /** "file#number" as the source numbers it: RFC test name, Wycheproof tcId, CCTV number, speccheck case. */
  id: string
  pub: string
  msg: string
  sig: string
  /** The source's own flags (Wycheproof, CCTV), else []. */
  flags: readonly string[]
  /** @noble/ed25519 verify(…, { zip215: false }) when the file was written. */
  reference: boolean
  /** Node / OpenSSL crypto.verify when the file was written, no pre-checks ("error" if it threw). */
  native: boolean | 'error'
  /** The vector as stored, for source-specific fields. */
  raw: Record<string, unknown>
}

export interface VectorFile {
  name: string
  source: string
  vectors: Vector[]
}

interface StoredFile {
  source: string
  vectors: Array<Record<string, unknown>>
}

function load(name: string, file: StoredFile, idField: string): VectorFile {
  const vectors = file.vectors.map((raw): Vector => ({
    id: `${name}#${String(raw[idField])}`,
    pub: raw.pub as string,
    msg: raw.msg as string,
    sig: raw.sig as string,
    flags: (raw.flags as string[] | null) ?? [],
    reference: raw.reference as boolean,
    native: raw.native as boolean | 'error',
    raw,
  }))
  return { name, source: file.source, vectors }
}

export const VECTOR_FILES: readonly VectorFile[] = [
  load('rfc8032', rfc8032 as StoredFile, 'name'),
  load('wycheproof', wycheproof as StoredFile, 'tcId'),
  load('cctv', cctv as StoredFile, 'number'),
  load('speccheck', speccheck as StoredFile, 'case'),
]

export const ALL_VECTORS: readonly Vector[] = VECTOR_FILES.flatMap((f) => f.vectors)

/** Hex to bytes; the files hold lower-case hex of any even length (Wycheproof has bad lengths on purpose). */
export function bytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}
