/** Small byte helpers shared by the protocol code. No platform APIs beyond TextEncoder. */

const HEX_ALPHABET = '0123456789abcdef'
const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/** Lower-case hex of the bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    out += HEX_ALPHABET[b >> 4]! + HEX_ALPHABET[b & 15]!
  }
  return out
}

/** Strict lower-case hex of an exact length in bytes; returns undefined for anything else. */
export function fromHex(hex: string, lengthBytes: number): Uint8Array | undefined {
  if (hex.length !== lengthBytes * 2 || !/^[0-9a-f]*$/.test(hex)) return undefined
  const out = new Uint8Array(lengthBytes)
  for (let i = 0; i < lengthBytes; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

export function isHex(value: unknown, lengthBytes: number): value is string {
  return typeof value === 'string' && value.length === lengthBytes * 2 && /^[0-9a-f]*$/.test(value)
}

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text)
}

/** Decodes UTF-8, throwing on invalid sequences (never substitutes U+FFFD silently). */
export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes)
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
