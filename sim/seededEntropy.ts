/**
 * While a simulation runs, Math.random and crypto.getRandomValues draw from
 * its PRNG. automerge (wasm) makes actor ids with crypto.getRandomValues and
 * automerge-repo makes session ids with Math.random; seeding both makes the
 * hashes of automerge changes, and so every sync message, the same on every
 * replay of a seed.
 *
 * Not covered: node:crypto's randomUUID captured by the `uuid` package at
 * import (automerge-repo's storage ids). The simulation pre-writes every
 * storage id into its in-memory storage so that path never runs.
 */
import type { Prng } from './prng.ts'

export interface EntropyPatch {
  restore(): void
}

export function seedGlobalEntropy(prng: Prng): EntropyPatch {
  const webCrypto = globalThis.crypto as unknown as Record<string, unknown>
  const originalRandom = Math.random
  const ownGetRandomValues = Object.getOwnPropertyDescriptor(webCrypto, 'getRandomValues')
  Math.random = () => prng.float()
  webCrypto.getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
    if (array) {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
      bytes.set(prng.bytes(bytes.length))
    }
    return array
  }
  return {
    restore() {
      Math.random = originalRandom
      if (ownGetRandomValues) Object.defineProperty(webCrypto, 'getRandomValues', ownGetRandomValues)
      else delete webCrypto.getRandomValues
    },
  }
}
