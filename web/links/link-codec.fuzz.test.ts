/**
 * Fuzzing the link/QR parser (fast-check, seeded, explicit numRuns).
 *
 * decodeLink promises never to throw: a garbled link is a value
 * ({ ok: false, problem }) the screen turns into words. Links carry no MAC of
 * their own (deflate-raw has no checksum; the signed lines inside are
 * verified later by the validator), so a mutated link may decode to another
 * well-formed payload: here it must then be a payload the codec itself would
 * produce (schema-valid and stable under re-encoding), never a throw or a
 * half-checked object.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromBase64url, toBase64url } from '../lib/base64url.ts'
import { decodeLink, encodeLink } from './link-codec.ts'
import type { LinkPayload } from './link-payloads.ts'

const ORIGIN = 'https://heroes.example'
const PROBLEMS = new Set(['not-a-heroes-link', 'garbled', 'too-long', 'missing-fields'])
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const SEED = 20261122

const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
/** Optional text fields are dropped when empty (`...(memo ? { memo } : {})`), so generate non-empty ones. */
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
const anyText = fc.string({ unit: 'grapheme', maxLength: 60 })
const line = fc.string({ unit: 'grapheme-ascii', maxLength: 200 })
const lines = fc.array(line, { minLength: 1, maxLength: 9 })

const payload: fc.Arbitrary<LinkPayload> = fc.oneof(
  fc.record({ kind: fc.constant('pay' as const), pool: hex64, to: hex64, amount: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), memo: text, name: text }, { requiredKeys: ['kind', 'pool', 'to'] }),
  fc.record({ kind: fc.constant('join-request' as const), pool: hex64, member: hex64, name: text }, { requiredKeys: ['kind', 'pool', 'member'] }),
  fc.record({ kind: fc.constant('pool' as const), pool: hex64, relay: anyText, genesis: line.filter((s) => s.length > 0) }),
  fc.record({
    kind: fc.constant('invite' as const), pool: hex64, relay: anyText, genesis: line.filter((s) => s.length > 0), invite: line.filter((s) => s.length > 0),
    secret: hex64, label: text, chain: fc.array(line, { maxLength: 8 }),
  }, { requiredKeys: ['kind', 'pool', 'relay', 'genesis', 'invite', 'secret'] }),
  fc.record({ kind: fc.constant('receipt' as const), pool: hex64, lines }),
  fc.record({ kind: fc.constant('request' as const), pool: hex64, lines, name: text }, { requiredKeys: ['kind', 'pool', 'lines'] }),
) as fc.Arbitrary<LinkPayload>

type Mutation =
  | { kind: 'char'; at: number; char: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'prefix'; char: string }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), char: fc.oneof(fc.constantFrom(...B64), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...B64, ' ', '\n', '#', '/', '='), minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('prefix' as const), char: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzA0') }),
)

/** Applies a mutation to the payload part of `link` (after `#/x/`). */
function mutate(link: string, m: Mutation): string {
  const head = link.slice(0, link.indexOf('#/') + 4)
  const body = link.slice(head.length)
  const at = body.length === 0 ? 0 : m.kind === 'prefix' ? 0 : m.at % body.length
  switch (m.kind) {
    case 'char':
      return head + body.slice(0, at) + m.char + body.slice(at + 1)
    case 'delete':
      return head + body.slice(0, at) + body.slice(at + m.length)
    case 'insert':
      return head + body.slice(0, at) + m.text + body.slice(at)
    case 'truncate':
      return head + body.slice(0, at)
    case 'flip': {
      // A bit flipped in the compressed bytes, re-encoded as valid base64url.
      const bytes = fromBase64url(body)
      if (!bytes || bytes.length === 0) return link
      const i = m.at % bytes.length
      bytes[i] = bytes[i]! ^ (1 << m.bit)
      return head + toBase64url(bytes)
    }
    case 'prefix':
      return `${head.slice(0, -2)}${m.char}/${body}`
  }
}

/** What a decode may give: a problem from the module's own list, or a payload the codec round-trips unchanged. */
async function expectWellFormed(result: Awaited<ReturnType<typeof decodeLink>>): Promise<void> {
  if (!result.ok) {
    expect(PROBLEMS.has(result.problem), `unexpected problem ${String(result.problem)}`).toBe(true)
    expect(Object.keys(result).filter((key) => key !== 'kind').sort()).toEqual(['ok', 'problem'])
    if (result.kind !== undefined) expect(['invite', 'pay', 'join-request', 'pool', 'receipt', 'request', 'cross']).toContain(result.kind)
    return
  }
  expect(await decodeLink(await encodeLink(result.payload, ORIGIN))).toEqual(result)
}

describe('link codec fuzz', () => {
  it('round-trips any well-formed payload exactly', async () => {
    await fc.assert(fc.asyncProperty(payload, async (p) => {
      expect(await decodeLink(await encodeLink(p, ORIGIN))).toEqual({ ok: true, payload: p })
    }), { seed: SEED, numRuns: 300 })
  })

  it('never throws on random text, and says what is wrong', async () => {
    const randomText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom(...B64, '#', '/', ' ', '\n', '%', '='), maxLength: 300 }),
      fc.tuple(fc.constantFrom('', ORIGIN + '/#/', '#/', '/'), fc.constantFrom(...'ipreoqxZ'), fc.string({ unit: fc.constantFrom(...B64), maxLength: 400 }))
        .map(([origin, prefix, body]) => `${origin}${prefix}/${body}`),
    )
    await fc.assert(fc.asyncProperty(randomText, async (t) => {
      const result = await decodeLink(t)
      await expectWellFormed(result)
    }), { seed: SEED, numRuns: 1500 })
  })

  it('never throws on JSON that deflates fine but has odd fields', async () => {
    const fields = fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('pool', 'to', 'amount', 'memo', 'name', 'member', 'relay', 'genesis', 'invite', 'secret', 'label', 'chain', 'lines', '__proto__', 'constructor'), fc.jsonValue()))
    const withPool = fc.tuple(fields, hex64).map(([f, pool]) => (typeof f === 'object' && f !== null && !Array.isArray(f) ? { ...f, pool } : f))
    await fc.assert(fc.asyncProperty(fc.constantFrom(...'ipreoq'), withPool, async (prefix, f) => {
      const packed = new Uint8Array(await new Response(new Blob([JSON.stringify(f)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer())
      await expectWellFormed(await decodeLink(`${ORIGIN}/#/${prefix}/${toBase64url(packed)}`))
    }), { seed: SEED, numRuns: 500 })
  })

  it('mutated valid links never throw; whatever still decodes is a well-formed payload', async () => {
    let changed = 0
    let same = 0
    await fc.assert(fc.asyncProperty(payload, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (p, mutations) => {
      let link = await encodeLink(p, ORIGIN)
      for (const m of mutations) link = mutate(link, m)
      const result = await decodeLink(link)
      await expectWellFormed(result)
      if (result.ok) {
        if (JSON.stringify(result.payload) === JSON.stringify(p)) same++
        else changed++
      }
    }), { seed: SEED, numRuns: 1500 })
    // Links have no MAC: some mutations decode to a different, well-formed payload (signed lines inside are checked later).
    console.info(`link fuzz: of 1500 mutated links, ${same} decoded to the original payload and ${changed} to a different well-formed one`)
  })
})
