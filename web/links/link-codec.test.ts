import { describe, expect, it } from 'vitest'
import { toBase64url } from '../lib/base64url.ts'
import { decodeLink, encodeLink, LINK_PAYLOAD_CHARS_MAX } from './link-codec.ts'
import type { LinkPayload } from './link-payloads.ts'

const POOL = 'a'.repeat(64)
const KEY = 'b'.repeat(64)
const ORIGIN = 'https://heroes.example'

const samples: LinkPayload[] = [
  { kind: 'pay', pool: POOL, to: KEY, amount: 1250, memo: 'Weeding – “beds” <b>', name: 'Bob' },
  { kind: 'pay', pool: POOL, to: KEY },
  { kind: 'join-request', pool: POOL, member: KEY, name: 'Zoë' },
  { kind: 'pool', pool: POOL, relay: 'wss://relay.example/sync', genesis: '{"id":"x"}' },
  { kind: 'invite', pool: POOL, relay: '', genesis: '{"g":1}', invite: '{"i":1}', secret: 'c'.repeat(64), label: 'Alice' },
  { kind: 'invite', pool: POOL, relay: 'wss://r.example/sync', genesis: '{"g":1}', invite: '{"i":1}', secret: 'c'.repeat(64), chain: ['{"a":1}', '{"b":2}'] },
  { kind: 'receipt', pool: POOL, lines: ['{"t":1}', '{"p":0}'] },
  { kind: 'request', pool: POOL, lines: ['{"q":1}', '{"j":0}'], name: 'Bob' },
  { kind: 'request', pool: POOL, lines: ['{"q":1}'] },
  { kind: 'cross', pool: POOL, relay: '', genesis: '{"g":1}', to: KEY, amount: 500, condition: 'd'.repeat(64), name: 'Dave' },
]

describe('Heroes links', () => {
  it.each(samples)('round-trips a $kind link', async (payload) => {
    const link = await encodeLink(payload, ORIGIN)
    expect(link.startsWith(`${ORIGIN}/#/`)).toBe(true)
    expect(await decodeLink(link)).toEqual({ ok: true, payload })
  })

  it('accepts a pasted fragment or route, with line breaks a messenger added', async () => {
    const link = await encodeLink(samples[0]!, ORIGIN)
    const fragment = link.slice(link.indexOf('#'))
    expect((await decodeLink(fragment)).ok).toBe(true)
    expect((await decodeLink(fragment.slice(2)).catch(() => null))?.ok).toBe(true)
    expect((await decodeLink(`${link.slice(0, 40)}\n ${link.slice(40)}`)).ok).toBe(true)
  })

  it('says a truncated or changed link is garbled, never throws', async () => {
    const link = await encodeLink(samples[4]!, ORIGIN)
    expect(await decodeLink(link.slice(0, -12))).toEqual({ ok: false, problem: 'garbled', kind: samples[4]!.kind })
    const flipped = link.slice(0, -20) + (link.at(-20) === 'A' ? 'B' : 'A') + link.slice(-19)
    const result = await decodeLink(flipped)
    expect(result.ok === false || JSON.stringify(result.payload) !== JSON.stringify(samples[4])).toBe(true)
    // A known prefix with a broken rest is a damaged link of that kind (the app names it).
    expect(await decodeLink('https://example.com/#/p/!!!')).toEqual({ ok: false, problem: 'garbled', kind: 'pay' })
    expect(await decodeLink('hello')).toEqual({ ok: false, problem: 'not-a-heroes-link' })
    expect(await decodeLink('#/z/abc')).toEqual({ ok: false, problem: 'not-a-heroes-link' })
  })

  it('refuses links over the size limit and decompression bombs', async () => {
    expect(await decodeLink(`#/p/${'A'.repeat(LINK_PAYLOAD_CHARS_MAX + 1)}`)).toEqual({ ok: false, problem: 'too-long', kind: 'pay' })
    const zeros = new Uint8Array(1_000_000)
    const stream = new Blob([zeros]).stream().pipeThrough(new CompressionStream('deflate-raw'))
    const bomb = new Uint8Array(await new Response(stream).arrayBuffer())
    expect(toBase64url(bomb).length).toBeLessThan(LINK_PAYLOAD_CHARS_MAX)
    expect(await decodeLink(`#/p/${toBase64url(bomb)}`)).toEqual({ ok: false, problem: 'garbled', kind: 'pay' })
  })

  it('says a link with missing or wrong fields is incomplete', async () => {
    const link = await encodeLink({ kind: 'pay', pool: POOL, to: 'not-a-key' } as LinkPayload, ORIGIN)
    expect(await decodeLink(link)).toEqual({ ok: false, problem: 'missing-fields', kind: 'pay' })
    const negative = await encodeLink({ kind: 'pay', pool: POOL, to: KEY, amount: -5 } as LinkPayload, ORIGIN)
    expect(await decodeLink(negative)).toEqual({ ok: false, problem: 'missing-fields', kind: 'pay' })
  })

  it('survives random garbage (a seeded fuzz of 500 inputs)', async () => {
    let seed = 42
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    for (let run = 0; run < 500; run++) {
      const length = Math.floor(random() * 200)
      let text = ''
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)]
      const result = await decodeLink(`#/${'iopr'[run % 4]}/${text}`)
      expect(typeof result.ok).toBe('boolean')
    }
  })
})

describe('cross-pool payment links (issue 19)', () => {
  it('refuses a link whose amount, key or condition is not what a payment needs, never throwing', async () => {
    const base = { kind: 'cross' as const, pool: POOL, relay: '', genesis: '{"g":1}', to: KEY, amount: 500, condition: 'd'.repeat(64) }
    for (const bad of [{ amount: 0 }, { amount: -5 }, { amount: 1.5 }, { amount: 2 ** 60 }, { to: 'zz' }, { condition: 'D'.repeat(64) }, { condition: 'd'.repeat(63) }, { genesis: '' }]) {
      const link = await encodeLink({ ...base, ...bad } as LinkPayload, ORIGIN)
      expect(await decodeLink(link), JSON.stringify(bad)).toEqual({ ok: false, problem: 'missing-fields', kind: 'cross' })
    }
  })
})
