/**
 * Deterministic per-pool keys. A member's pools must not be linkable, so every
 * pool gets its own key, derived with HKDF-SHA256 from the wallet seed and the
 * pool id: anyone who sees two pools' entries sees two unrelated public keys,
 * while the recovery phrase alone brings every key back.
 *
 * A gatekeeper's key must exist before its pool does (the pool id is the hash
 * of the genesis entry, which the key signs), so it is derived from the
 * genesis entry's random nonce instead, which the genesis then carries.
 */
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { publicKeyOf } from '../../core/keys.ts'

const SECRET_KEY_BYTES = 32
const SALT = new TextEncoder().encode('heroes/v1/wallet')

/** How a pool's key was made, stored beside it so a restore can make it again. */
export type KeyDerivation =
  | { readonly kind: 'member'; readonly pool: string; readonly index: number }
  | { readonly kind: 'creator'; readonly nonce: string }
  /** A linked device's key (web/wallet/linking.ts): one per link, from the link's random rendezvous id. */
  | { readonly kind: 'device'; readonly nonce: string }

export function derivationInfo(derivation: KeyDerivation): string {
  switch (derivation.kind) {
    case 'member':
      return `heroes/v1/pool-key/${derivation.pool}/${derivation.index}`
    case 'creator':
      return `heroes/v1/pool-creator-key/${derivation.nonce}`
    case 'device':
      return `heroes/v1/device-key/${derivation.nonce}`
  }
}

export function deriveSecretKey(seed: Uint8Array, derivation: KeyDerivation): Uint8Array {
  if (seed.length < 32) throw new RangeError(`expected a seed of at least 32 bytes, got ${seed.length}`)
  return hkdf(sha256, seed, SALT, new TextEncoder().encode(derivationInfo(derivation)), SECRET_KEY_BYTES)
}

export function derivePublicKey(seed: Uint8Array, derivation: KeyDerivation): string {
  return publicKeyOf(deriveSecretKey(seed, derivation))
}
