/**
 * Ed25519 verify throughput, measured in one run so the ratios mean something on a shared machine:
 * noble (the reference) vs OpenSSL through node:crypto vs WebCrypto, raw and behind the pre-checks.
 *
 *   node --import tsx bench/verify.ts
 *
 * 200-byte messages, 64 signers (KeyObjects and CryptoKeys cached, as a relay would), one core.
 * Each figure is the median of five 0.4 s rounds, interleaved across verifiers after a warm-up
 * round. Takes about 17 s.
 */
import { webcrypto } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import * as ed from '@noble/ed25519'
import { createHybridVerifierAsync, referenceVerify, type Verify, type VerifyAsync } from '../core/ed25519-precheck.ts'
import { createNodeNativeVerify, createNodeVerifier } from '../sync-server/native-verify.ts'

const SIGNERS = 64
const MESSAGE_BYTES = 200
const ROUND_MS = 400
const ROUNDS = 5

interface Sample {
  sig: Uint8Array
  msg: Uint8Array
  pub: Uint8Array
}

export interface VerifyFigure {
  name: string
  opsPerSecond: number
  /** opsPerSecond ÷ noble's, measured in the same run. */
  ratio: number
}

function samples(): { valid: Sample[]; invalid: Sample[] } {
  const valid: Sample[] = []
  for (let i = 0; i < SIGNERS; i++) {
    const secret = ed.utils.randomSecretKey()
    const msg = webcrypto.getRandomValues(new Uint8Array(MESSAGE_BYTES))
    valid.push({ sig: ed.sign(msg, secret), msg, pub: ed.getPublicKey(secret) })
  }
  // An attacker's forgery: right shape, wrong S. Native says no, so the reference is asked too.
  const invalid = valid.map((s) => {
    const sig = s.sig.slice()
    sig[40]! ^= 1
    return { ...s, sig }
  })
  return { valid, invalid }
}

type Case = { name: string; verify: VerifyAsync; set: Sample[]; expect: boolean }

/** Operations per second for one round of ROUND_MS; sync verifiers are called without awaiting. */
async function round(c: Case, sync: Verify | undefined): Promise<number> {
  let ops = 0
  const start = performance.now()
  while (performance.now() - start < ROUND_MS) {
    const s = c.set[ops % c.set.length]!
    const verdict = sync ? sync(s.sig, s.msg, s.pub) : await c.verify(s.sig, s.msg, s.pub)
    if (verdict !== c.expect) throw new Error(`${c.name}: expected verdict ${c.expect}, got ${verdict}`)
    ops++
  }
  return (ops * 1000) / (performance.now() - start)
}

/** WebCrypto with one CryptoKey per signer, imported on first use (as a browser would keep them). */
function webCryptoVerify(): VerifyAsync {
  const keys = new Map<string, Promise<webcrypto.CryptoKey>>()
  return async (sig, msg, pub) => {
    const id = ed.etc.bytesToHex(pub)
    let key = keys.get(id)
    if (key === undefined) {
      key = webcrypto.subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify'])
      keys.set(id, key)
    }
    return webcrypto.subtle.verify('Ed25519', await key, sig, msg)
  }
}

export async function measureVerify(): Promise<VerifyFigure[]> {
  const { valid, invalid } = samples()
  const native = createNodeNativeVerify()
  const hybrid = createNodeVerifier()
  const webCrypto = webCryptoVerify()
  const webHybrid = createHybridVerifierAsync(webCrypto)

  const asAsync = (v: Verify): VerifyAsync => async (sig, msg, pub) => v(sig, msg, pub)
  const cases: Array<Case & { sync?: Verify }> = [
    { name: 'noble verify, sync (reference)', verify: asAsync(referenceVerify), sync: referenceVerify, set: valid, expect: true },
    { name: 'node:crypto verify, raw', verify: asAsync(native), sync: native, set: valid, expect: true },
    { name: 'node:crypto + pre-checks (verifyEd25519)', verify: asAsync(hybrid), sync: hybrid, set: valid, expect: true },
    { name: 'WebCrypto verify, sequential, raw', verify: webCrypto, set: valid, expect: true },
    { name: 'WebCrypto + pre-checks, sequential', verify: webHybrid, set: valid, expect: true },
    { name: 'invalid sig: noble verify', verify: asAsync(referenceVerify), sync: referenceVerify, set: invalid, expect: false },
    { name: 'invalid sig: node:crypto + pre-checks', verify: asAsync(hybrid), sync: hybrid, set: invalid, expect: false },
  ]
  // Interleave the rounds so that load from other processes lands on every verifier alike.
  const rates = cases.map(() => [] as number[])
  for (let r = 0; r <= ROUNDS; r++) {
    for (const [i, c] of cases.entries()) {
      const rate = await round(c, c.sync)
      if (r > 0) rates[i]!.push(rate) // round 0 warms up the JIT and the key caches
    }
  }
  const noble = median(rates[0]!)
  return cases.map((c, i) => {
    const ops = median(rates[i]!)
    return { name: c.name, opsPerSecond: Math.round(ops), ratio: Math.round((ops / noble) * 100) / 100 }
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function main(): Promise<void> {
  const started = performance.now()
  const figures = await measureVerify()
  const width = Math.max(...figures.map((f) => f.name.length))
  console.log(`Ed25519 verify, ${MESSAGE_BYTES}-byte messages, ${SIGNERS} signers, Node ${process.versions.node}, OpenSSL ${process.versions.openssl}`)
  console.log(`${'verifier'.padEnd(width)}  ${'ops/s'.padStart(8)}  ${'× noble'.padStart(8)}`)
  for (const f of figures) console.log(`${f.name.padEnd(width)}  ${String(f.opsPerSecond).padStart(8)}  ${f.ratio.toFixed(2).padStart(8)}`)
  console.log(`(medians of ${ROUNDS} rounds of ${ROUND_MS} ms; ${((performance.now() - started) / 1000).toFixed(1)} s in all)`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
