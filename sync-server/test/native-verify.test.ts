/**
 * Node's engines (OpenSSL through node:crypto, and WebCrypto) on the Ed25519 edge-case vectors:
 * where they disagree with the reference, and proof that behind the pre-checks they never do.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as ed from '@noble/ed25519'
import {
  createHybridVerifierAsync,
  precheck,
  referenceVerify,
  SMALL_ORDER_ENCODINGS,
  type VerifyAsync,
} from '../../core/ed25519-precheck.ts'
import { ALL_VECTORS, VECTOR_FILES, bytes, type Vector } from '../../core/test/vectors/ed25519/index.ts'
import { createNodeNativeVerify, createNodeVerifier, verifyEd25519 } from '../native-verify.ts'

const nativeVerify = createNodeNativeVerify()
const args = (v: Vector): [Uint8Array, Uint8Array, Uint8Array] => [bytes(v.sig), bytes(v.msg), bytes(v.pub)]
const ids = (vs: readonly Vector[]): string[] => vs.map((v) => v.id)

/** WebCrypto Ed25519 as a browser would call it; import errors count as "invalid". */
const webCryptoVerify: VerifyAsync = async (sig, msg, pub) => {
  try {
    const key = await crypto.subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify'])
    return await crypto.subtle.verify('Ed25519', key, sig, msg)
  } catch {
    return false
  }
}

describe('OpenSSL (node:crypto) on the vectors', () => {
  it('still gives the verdicts recorded in the vector files', () => {
    const drifted = ALL_VECTORS.filter((v) => nativeVerify(...args(v)) !== v.native)
    expect(ids(drifted)).toEqual([])
  })

  it('matches the results published for OpenSSL 3.0 by ed25519-speccheck', () => {
    const sc = VECTOR_FILES.find((f) => f.name === 'speccheck')!
    const published = sc.vectors.map((v) => (v.raw.published as Record<string, string>)['OpenSSL-3.0'] === 'V')
    expect(sc.vectors.map((v) => nativeVerify(...args(v)))).toEqual(published)
  })

  it('disagrees with the reference exactly where small-order/non-canonical A or mixed order are involved', () => {
    const acceptsMore = ALL_VECTORS.filter((v) => nativeVerify(...args(v)) && !v.reference)
    const rejectsMore = ALL_VECTORS.filter((v) => !nativeVerify(...args(v)) && v.reference)
    // Accepts what strict noble rejects: small-order A (and its non-canonical encodings).
    for (const v of acceptsMore) {
      const flags = v.id.startsWith('cctv') ? v.flags : []
      expect(v.id.startsWith('speccheck') || flags.includes('low_order_A') || flags.includes('non_canonical_A')).toBe(true)
    }
    // Rejects what the cofactored equation accepts: a low-order residue from mixed-order R or A.
    for (const v of rejectsMore) {
      expect(v.id.startsWith('speccheck') || v.flags.includes('low_order_residue')).toBe(true)
    }
    expect(ids(acceptsMore.filter((v) => v.id.startsWith('speccheck')))).toEqual(['speccheck#0', 'speccheck#1', 'speccheck#11'])
    expect(ids(rejectsMore.filter((v) => v.id.startsWith('speccheck')))).toEqual(['speccheck#4', 'speccheck#5'])
    expect({ acceptsMore: acceptsMore.length, rejectsMore: rejectsMore.length }).toEqual({ acceptsMore: 125, rejectsMore: 128 })
  })

  it('behind the pre-checks, never accepts what the reference rejects', () => {
    const unsound = ALL_VECTORS.filter((v) => precheck(bytes(v.sig), bytes(v.pub)) && nativeVerify(...args(v)) && !v.reference)
    expect(ids(unsound)).toEqual([])
  })
})

describe('verifyEd25519 (OpenSSL behind the pre-checks)', () => {
  it('gives the reference verdict on every vector', () => {
    const wrong = ALL_VECTORS.filter((v) => verifyEd25519(...args(v)) !== v.reference)
    expect(ids(wrong)).toEqual([])
  })

  it('gives the reference verdict on 2,000 fresh signatures, each also tampered with', () => {
    const verify = createNodeVerifier({ keyCacheEntriesMax: 8 }) // small, so eviction is exercised too
    const keys = Array.from({ length: 16 }, (_, i) => {
      const secret = new Uint8Array(32).fill(i + 1)
      return { secret, pub: ed.getPublicKey(secret) }
    })
    const L = ed.Point.CURVE().n
    const tamper = (kind: number, at: number, sig: Uint8Array, msg: Uint8Array, pub: Uint8Array) => {
      const s = sig.slice()
      let m = msg
      let p = pub
      switch (kind) {
        case 0: s[at % 32]! ^= 1 << (at % 8); break // R
        case 1: s[32 + (at % 32)]! ^= 1 << (at % 8); break // S
        case 2: m = msg.length === 0 ? new Uint8Array([at & 0xff]) : msg.map((b, i) => (i === at % msg.length ? b ^ 1 : b)); break
        case 3: p = keys[at % keys.length]!.pub; break // someone else's key
        case 4: s.set(le32(leNumber(sig.subarray(32)) + L), 32); break // S + L, same point
        case 5: s.set(ed.etc.hexToBytes(SMALL_ORDER_ENCODINGS[at % 8]!), 0); break // small-order R
        case 6: s.set(ed.Point.fromBytes(sig.subarray(0, 32)).add(ed.Point.fromHex(SMALL_ORDER_ENCODINGS[3]!)).toBytes(), 0); break // R plus torsion
        default: p = ed.etc.hexToBytes(SMALL_ORDER_ENCODINGS[at % 8]!) // small-order key
      }
      return [s, m, p] as const
    }
    fc.assert(
      fc.property(
        fc.nat({ max: keys.length - 1 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat({ max: 7 }),
        fc.nat(),
        (k, msg, kind, at) => {
          const { secret, pub } = keys[k]!
          const sig = ed.sign(msg, secret)
          if (verify(sig, msg, pub) !== true || referenceVerify(sig, msg, pub) !== true) return false
          const [s, m, p] = tamper(kind, at, sig, msg, pub)
          return verify(s, m, p) === referenceVerify(s, m, p)
        },
      ),
      { numRuns: 2000 },
    )
  }, 120_000) // three noble verifies a run (reference twice, fallback once): ~10 s on 2 cores
})

describe('WebCrypto in Node (crypto.subtle, Ed25519)', () => {
  it('gives the same verdicts as node:crypto on every vector (both are OpenSSL here)', async () => {
    const differ: string[] = []
    for (const v of ALL_VECTORS) if ((await webCryptoVerify(...args(v))) !== nativeVerify(...args(v))) differ.push(v.id)
    expect(differ).toEqual([])
  })

  it('behind the same pre-checks (async hybrid) gives the reference verdict on every vector', async () => {
    const verify = createHybridVerifierAsync(webCryptoVerify)
    const wrong: string[] = []
    for (const v of ALL_VECTORS) if ((await verify(...args(v))) !== v.reference) wrong.push(v.id)
    expect(wrong).toEqual([])
  })
})

describe('createNodeNativeVerify', () => {
  it('says what it expected for a bad cache size', () => {
    expect(() => createNodeNativeVerify({ keyCacheEntriesMax: 1.5 })).toThrow(
      'expected keyCacheEntriesMax to be a positive integer, got 1.5',
    )
  })

  it('answers false, not a throw, for wrong lengths', () => {
    expect(nativeVerify(new Uint8Array(63), new Uint8Array(0), new Uint8Array(32))).toBe(false)
    expect(nativeVerify(new Uint8Array(64), new Uint8Array(0), new Uint8Array(31))).toBe(false)
  })
})

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn)
  return out
}

function leNumber(b: Uint8Array): bigint {
  let n = 0n
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!)
  return n
}
