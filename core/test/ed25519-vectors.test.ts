/**
 * Edge-case vectors for Ed25519 (RFC 8032, Wycheproof, C2SP/CCTV, ed25519-speccheck) against the
 * reference verdict, and the pre-checks that let a native verifier stand in for the reference.
 * Node's own engines are checked on the same vectors in sync-server/test/native-verify.test.ts.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as ed from '@noble/ed25519'
import {
  SMALL_ORDER_ENCODINGS,
  createHybridVerifier,
  createHybridVerifierAsync,
  isCanonicalEncoding,
  isSmallOrderEncoding,
  precheck,
  referenceVerify,
  type Verify,
} from '../ed25519-precheck.ts'
import { ALL_VECTORS, VECTOR_FILES, bytes, type Vector } from './vectors/ed25519/index.ts'

const hex = (b: Uint8Array): string => ed.etc.bytesToHex(b)
const live = (v: Vector): boolean => referenceVerify(bytes(v.sig), bytes(v.msg), bytes(v.pub))

describe('vector files', () => {
  it.each(VECTOR_FILES)('$name cites its source and holds well-formed hex', (file) => {
    expect(file.source.length).toBeGreaterThan(20)
    expect(file.vectors.length).toBeGreaterThan(0)
    for (const v of file.vectors) {
      expect(v.pub).toMatch(/^[0-9a-f]{64}$/)
      expect(v.msg).toMatch(/^([0-9a-f]{2})*$/)
      expect(v.sig).toMatch(/^([0-9a-f]{2})*$/)
    }
  })

  it('holds every vector of each source (counts as transcribed)', () => {
    expect(Object.fromEntries(VECTOR_FILES.map((f) => [f.name, f.vectors.length]))).toEqual({
      rfc8032: 5,
      wycheproof: 151,
      cctv: 914,
      speccheck: 12,
    })
  })
})

describe('the recorded reference verdict', () => {
  it.each(VECTOR_FILES)('$name: noble strict still gives the recorded verdict on every vector', (file) => {
    const changed = file.vectors.filter((v) => live(v) !== v.reference).map((v) => v.id)
    expect(changed).toEqual([])
  })

  it('RFC 8032: every vector is valid and re-derives from its secret key', () => {
    const rfc = VECTOR_FILES.find((f) => f.name === 'rfc8032')!
    for (const v of rfc.vectors) {
      const secret = bytes(v.raw.secret as string)
      expect(hex(ed.getPublicKey(secret))).toBe(v.pub)
      expect(hex(ed.sign(bytes(v.msg), secret))).toBe(v.sig)
      expect(v.reference).toBe(true)
    }
  })

  it('Wycheproof: the reference agrees with every "result"', () => {
    const wp = VECTOR_FILES.find((f) => f.name === 'wycheproof')!
    const disagreements = wp.vectors.filter((v) => v.reference !== (v.raw.result === 'valid')).map((v) => v.id)
    expect(disagreements).toEqual([])
  })

  it('CCTV: the reference rejects exactly low-order or non-canonical A, non-canonical R, re-encoded k', () => {
    // Every CCTV vector passes the cofactored equation with k from the bytes as given (ZIP-215 accepts
    // them all) except reencoded_k ones; the strict branch then rejects by encoding and by small A.
    const cctv = VECTOR_FILES.find((f) => f.name === 'cctv')!
    const rule = (flags: readonly string[]): boolean =>
      !['low_order_A', 'non_canonical_A', 'non_canonical_R', 'reencoded_k'].some((f) => flags.includes(f))
    const mismatches = cctv.vectors.filter((v) => v.reference !== rule(v.flags)).map((v) => v.id)
    expect(mismatches).toEqual([])
    // Mixed-order A and R are accepted when the cofactored equation holds: 126 of them fail cofactorless.
    expect(cctv.vectors.filter((v) => v.reference).length).toBe(212)
  })

  it('speccheck: strict noble accepts cases 2-5 only (cofactored, rejects small A, S >= L, non-canonical)', () => {
    const sc = VECTOR_FILES.find((f) => f.name === 'speccheck')!
    expect(sc.vectors.map((v) => v.reference)).toEqual([false, false, true, true, true, true, false, false, false, false, false, false])
  })
})

describe('precheck', () => {
  it('never passes what the reference rejects at decoding: precheck false ⇒ reference false', () => {
    const unsound = ALL_VECTORS.filter((v) => v.reference && !precheck(bytes(v.sig), bytes(v.pub))).map((v) => v.id)
    expect(unsound).toEqual([])
  })

  it('rejects every CCTV vector with a low-order or non-canonical A and every non-canonical R', () => {
    const cctv = VECTOR_FILES.find((f) => f.name === 'cctv')!
    const bad = (v: Vector): boolean => ['low_order_A', 'non_canonical_A', 'non_canonical_R'].some((f) => v.flags.includes(f))
    const missed = cctv.vectors.filter((v) => bad(v) && precheck(bytes(v.sig), bytes(v.pub))).map((v) => v.id)
    expect(missed).toEqual([])
  })

  it('S: L - 1 passes, L and above fail', () => {
    const L = ed.Point.CURVE().n
    const sig = (s: bigint): Uint8Array => new Uint8Array([...ed.Point.BASE.toBytes(), ...le32(s)])
    const pub = ed.Point.BASE.multiply(7n).toBytes()
    expect(precheck(sig(L - 1n), pub)).toBe(true)
    expect(precheck(sig(L), pub)).toBe(false)
    expect(precheck(sig(2n ** 256n - 1n), pub)).toBe(false)
  })

  it('lengths: only a 64-byte signature and a 32-byte key pass', () => {
    const pub = ed.Point.BASE.multiply(7n).toBytes()
    const sig = new Uint8Array([...ed.Point.BASE.toBytes(), ...le32(1n)])
    expect(precheck(sig, pub)).toBe(true)
    expect(precheck(sig.subarray(0, 63), pub)).toBe(false)
    expect(precheck(new Uint8Array([...sig, 0]), pub)).toBe(false)
    expect(precheck(sig, pub.subarray(0, 31))).toBe(false)
  })

  it('y: p - 1 is canonical, p and 2^255 - 1 are not; x = 0 with the sign bit set is not', () => {
    const p = ed.Point.CURVE().p
    expect(isCanonicalEncoding(le32(p - 1n))).toBe(true)
    expect(isCanonicalEncoding(le32(p))).toBe(false)
    expect(isCanonicalEncoding(le32(2n ** 255n - 1n))).toBe(false)
    expect(isCanonicalEncoding(le32(1n))).toBe(true)
    expect(isCanonicalEncoding(le32(1n | (1n << 255n)))).toBe(false) // identity, "x = -0"
    expect(isCanonicalEncoding(le32((p - 1n) | (1n << 255n)))).toBe(false) // order 2, "x = -0"
  })

  it('agrees with noble strict decoding on random encodings: canonical whenever noble decodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (enc) => {
        let decodes = true
        try {
          ed.Point.fromBytes(enc, false)
        } catch {
          decodes = false
        }
        return !decodes || isCanonicalEncoding(enc)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('the small-order list', () => {
  const points = SMALL_ORDER_ENCODINGS.map((h) => ed.Point.fromHex(h, false))

  it('holds eight distinct points, each of order dividing 8, closed under addition', () => {
    expect(new Set(points.map((p) => p.toHex())).size).toBe(8)
    for (const p of points) expect(p.isSmallOrder()).toBe(true)
    for (const p of points) for (const q of points) expect(SMALL_ORDER_ENCODINGS).toContain(p.add(q).toHex())
  })

  it('catches the six non-canonical encodings listed by C2SP/CCTV', () => {
    const nonCanonical = [
      'ed' + 'ff'.repeat(30) + '7f', 'ed' + 'ff'.repeat(30) + 'ff', // y = p (order 4, both signs)
      '01' + '00'.repeat(30) + '80', 'ee' + 'ff'.repeat(30) + '7f', 'ee' + 'ff'.repeat(30) + 'ff', // identity
      'ec' + 'ff'.repeat(31), // order 2 with "x = -0"
    ]
    for (const h of nonCanonical) expect(precheck(new Uint8Array(64), ed.etc.hexToBytes(h))).toBe(false)
  })

  it('does not catch mixed-order points (prime-order part plus torsion), as noble does not', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: ed.Point.CURVE().n - 1n }), fc.nat({ max: 7 }), (r, t) => {
        const mixed = ed.Point.BASE.multiply(r).add(points[t]!)
        return isSmallOrderEncoding(mixed.toBytes()) === mixed.isSmallOrder() && !mixed.isSmallOrder()
      }),
      { numRuns: 200 },
    )
  })
})

describe('createHybridVerifier', () => {
  // Stand-ins for native engines, all pure: what each accepts bounds what the hybrid may accept.
  const zip215: Verify = (s, m, p) => s.length === 64 && p.length === 32 && ed.verify(s, m, p, { zip215: true })
  const recorded = new Map(ALL_VECTORS.map((v) => [v.sig + v.msg + v.pub, v.native === true]))
  const recordedNode: Verify = (s, m, p) => recorded.get(hex(s) + hex(m) + hex(p)) ?? false
  const hybridDisagreements = (native: Verify): string[] => {
    const verify = createHybridVerifier(native)
    return ALL_VECTORS.filter((v) => verify(bytes(v.sig), bytes(v.msg), bytes(v.pub)) !== v.reference).map((v) => v.id)
  }

  it('gives the reference verdict on every vector with Node/OpenSSL verdicts as recorded', () => {
    expect(hybridDisagreements(recordedNode)).toEqual([])
  })

  it('gives the reference verdict with a ZIP-215 (cofactored, lenient decoding) engine', () => {
    expect(hybridDisagreements(zip215)).toEqual([])
  })

  it('gives the reference verdict with an engine that rejects everything (all on the fallback)', () => {
    expect(hybridDisagreements(() => false)).toEqual([])
  })

  it('is only as good as its engine: one that accepts everything breaks it (so engines are tested)', () => {
    expect(hybridDisagreements(() => true).length).toBeGreaterThan(0)
  })

  it('the async form gives the same verdicts', async () => {
    const verify = createHybridVerifierAsync(async (s, m, p) => zip215(s, m, p))
    const sample = ALL_VECTORS.filter((_, i) => i % 7 === 0)
    const verdicts = await Promise.all(sample.map((v) => verify(bytes(v.sig), bytes(v.msg), bytes(v.pub))))
    expect(verdicts).toEqual(sample.map((v) => v.reference))
  })

  it('stays correct when its key cache evicts', () => {
    const verify = createHybridVerifier(zip215, { keyCacheEntriesMax: 2 })
    const sample = ALL_VECTORS.filter((_, i) => i % 5 === 0)
    for (let round = 0; round < 2; round++) {
      expect(sample.map((v) => verify(bytes(v.sig), bytes(v.msg), bytes(v.pub)))).toEqual(sample.map((v) => v.reference))
    }
  })

  it('says what it expected for a bad cache size', () => {
    expect(() => createHybridVerifier(zip215, { keyCacheEntriesMax: 0 })).toThrow(
      'expected keyCacheEntriesMax to be a positive integer, got 0',
    )
  })

  it('accepts fresh signatures and matches the reference on tampered ones', () => {
    const verify = createHybridVerifier(zip215)
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(),
        (secret, msg, flip) => {
          const pub = ed.getPublicKey(secret)
          const sig = ed.sign(msg, secret)
          if (!verify(sig, msg, pub)) return false
          const bad = sig.slice()
          bad[flip % 64]! ^= 1 << (flip % 8)
          return verify(bad, msg, pub) === referenceVerify(bad, msg, pub)
        },
      ),
      { numRuns: 200 },
    )
  })
})

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn)
  return out
}
