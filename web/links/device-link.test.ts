/**
 * The device link's code and sealed answer (device-link.ts), attacked: any
 * changed character of a code, an answer for another link, altered or
 * truncated sealed bytes, junk. Nothing throws; nothing wrong is taken.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeDeviceLink, encodeDeviceLink, oneTimeBox, openAnswer, sealAnswer, type DeviceLinkAnswer, type DeviceLinkCode } from './device-link.ts'

const NOW = Date.UTC(2026, 11, 7, 12)
const box = oneTimeBox(new Uint8Array(32).fill(7))
const CODE: DeviceLinkCode = { box: box.publicKey, rendezvous: 'ab'.repeat(16), device: 'cd'.repeat(32), expires: NOW + 60_000, name: 'Laptop', relay: 'ws://127.0.0.1:1/sync' }
const ANSWER: DeviceLinkAnswer = { pool: 'ef'.repeat(32), genesis: '{"genesis":1}', member: '12'.repeat(32), certificate: '{"cert":1}', lines: [], relay: '' }

describe('the device link', () => {
  it('reads back what it wrote, from a link, a fragment or a route, with spaces a messenger added', () => {
    const text = encodeDeviceLink(CODE, 'https://app.test/')
    expect(decodeDeviceLink(text, NOW)).toEqual({ ok: true, code: CODE })
    const route = text.slice(text.indexOf('#/') + 2)
    expect(decodeDeviceLink(`  ${route.slice(0, 20)}\n${route.slice(20)} `, NOW)).toEqual({ ok: true, code: CODE })
    expect(decodeDeviceLink(text, CODE.expires + 1)).toEqual({ ok: false, problem: 'link-expired' })
  })

  it('refuses any code with one character changed (200 runs)', () => {
    const text = encodeDeviceLink(CODE, 'https://app.test')
    const start = text.indexOf('#/d/') + 4
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    fc.assert(fc.property(fc.integer({ min: start, max: text.length - 1 }), fc.integer({ min: 1, max: 63 }), (at, shift) => {
      const changed = alphabet[(alphabet.indexOf(text[at]!) + shift) % 64]!
      const decoded = decodeDeviceLink(text.slice(0, at) + changed + text.slice(at + 1), NOW)
      // The last character may carry only padding bits: then the bytes, and the code, are the same.
      return !decoded.ok || JSON.stringify(decoded.code) === JSON.stringify(CODE)
    }), { numRuns: 200 })
  })

  it('opens an answer only with the link’s one-time secret and rendezvous, and never throws on junk', () => {
    const sealed = sealAnswer(ANSWER, CODE, new Uint8Array(32).fill(9), new Uint8Array(24).fill(1))
    expect(openAnswer(sealed, box.secret, CODE.rendezvous)).toEqual(ANSWER)
    expect(openAnswer(sealed, new Uint8Array(32).fill(8), CODE.rendezvous)).toBeUndefined()
    expect(openAnswer(sealed, box.secret, 'cd'.repeat(16))).toBeUndefined()
    expect(new TextDecoder().decode(sealed)).not.toContain(ANSWER.member)
    fc.assert(fc.property(fc.integer({ min: 0, max: sealed.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
      const altered = sealed.slice()
      altered[at]! ^= xor
      return openAnswer(altered, box.secret, CODE.rendezvous) === undefined
    }), { numRuns: 200 })
    fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), (junk) => openAnswer(junk, box.secret, CODE.rendezvous) === undefined), { numRuns: 100 })
    expect(() => sealAnswer({ ...ANSWER, lines: ['x'.repeat(5000)] }, CODE, new Uint8Array(32), new Uint8Array(24))).toThrow(RangeError)
  })
})
