/** Keys derived from the seed and a name, so a seed rebuilds the same people. */
import { sha256 } from '@noble/hashes/sha2.js'
import { publicKeyOf, utf8, type PublicKeyHex } from '../core/index.ts'

export interface KeyPair {
  readonly secretKey: Uint8Array
  readonly publicKey: PublicKeyHex
}

export function keyPairFor(seed: number, name: string): KeyPair {
  const secretKey = sha256(utf8(`heroes/sim/${seed}/${name}`))
  return { secretKey, publicKey: publicKeyOf(secretKey) }
}
