import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8 } from './bytes.ts'

/** SHA-256 of a UTF-8 string, as lower-case hex. Entry ids and derived document ids use it. */
export function sha256Hex(text: string): string {
  return toHex(sha256(utf8(text)))
}

export function sha256Bytes(bytes: Uint8Array): Uint8Array {
  return sha256(bytes)
}
