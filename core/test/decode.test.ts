/** The decoder: canonical bytes, known fields, the id; each limit just inside and just outside. */
import { describe, expect, it } from 'vitest'
import {
  AMOUNT_MAX, DEPS_COUNT_MAX, ENTRY_BYTES_MAX, MEMO_CHARS_MAX, decodeEntry, encodeEntry, entryIdOf, signEntry,
  type Entry, type TransferEntry,
} from '../index.ts'
import { MINUTE, PoolBuilder, T0, actor } from './fixtures.ts'

const alice = actor('alice')
const bob = actor('bob')
const p = new PoolBuilder()
p.admit(alice, T0 + 1)
p.admit(bob, T0 + 2)
const transfer = p.transfer(alice, bob, 100, T0 + MINUTE, {}, 'bread')

/** Re-signs a transfer with changed fields, so only the field under test is wrong. */
function transferWith(fields: Record<string, unknown>): string {
  const { id: _id, sig: _sig, v: _v, ...rest } = transfer
  const entry = { ...rest, v: 1, ...fields } as Record<string, unknown>
  entry.id = entryIdOf(entry)
  entry.sig = '00'.repeat(64)
  return encodeEntry(entry as unknown as Entry)
}

function detail(line: string): string {
  const result = decodeEntry(line)
  return result.ok ? 'ok' : result.detail
}

describe('decodeEntry', () => {
  it('round-trips a signed entry', () => {
    const line = encodeEntry(transfer)
    const decoded = decodeEntry(line)
    expect(decoded.ok && encodeEntry(decoded.entry)).toBe(line)
  })
  it('refuses a re-encoded entry: spaces, key order, escapes', () => {
    const line = encodeEntry(transfer)
    expect(detail(JSON.stringify(JSON.parse(line), null, 1))).toContain('canonical')
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(line)).reverse()))
    expect(detail(reordered)).toContain('canonical')
    expect(detail(line.replace('"bread"', '"\\u0062read"'))).toContain('canonical')
  })
  it('refuses duplicate keys, floats, -0 and unsafe integers', () => {
    const line = encodeEntry(transfer)
    expect(detail(line.replace('{"amount":100,', '{"amount":100,"amount":100,'))).toContain('canonical')
    expect(detail(line.replace('"amount":100', '"amount":100.5'))).toContain('safe integer')
    expect(detail(line.replace('"amount":100', '"amount":-0'))).toContain('-0')
    expect(detail(line.replace('"amount":100', '"amount":9007199254740993'))).toContain('safe integer')
    expect(detail(line.replace('"amount":100', '"amount":1e2'))).toContain('canonical')
  })
  it('refuses text that is not NFC', () => {
    expect(detail(encodeEntry(transfer).replace('"bread"', '"cafe\u0301"'))).toContain('NFC')
  })
  it('refuses an id that is not the hash of the payload', () => {
    const line = encodeEntry({ ...transfer, id: 'ab'.repeat(32) } as TransferEntry)
    expect(detail(line)).toContain('expected id')
  })
  it('refuses unknown fields, missing fields, an unknown type or version', () => {
    expect(detail(transferWith({ colour: 'red' }))).toContain('unexpected field')
    expect(detail(transferWith({ to: undefined }))).toContain('missing field to')
    expect(detail(transferWith({ type: 'gift' }))).toContain('expected type')
    expect(detail(transferWith({ v: 2 }))).toContain('expected v 1')
  })
  it('checks amounts: 1 and AMOUNT_MAX pass; 0, negative and AMOUNT_MAX + 1 do not', () => {
    expect(detail(transferWith({ amount: 1 }))).toBe('ok')
    expect(detail(transferWith({ amount: AMOUNT_MAX }))).toBe('ok')
    expect(detail(transferWith({ amount: 0 }))).toContain('expected amount')
    expect(detail(transferWith({ amount: -5 }))).toContain('expected amount')
    expect(detail(transferWith({ amount: AMOUNT_MAX + 1 }))).toContain('expected amount')
  })
  it('checks memo length at MEMO_CHARS_MAX and one over, and refuses control and bidi characters', () => {
    expect(detail(transferWith({ memo: 'x'.repeat(MEMO_CHARS_MAX) }))).toBe('ok')
    expect(detail(transferWith({ memo: 'x'.repeat(MEMO_CHARS_MAX + 1) }))).toContain('memo of 0 to')
    expect(detail(transferWith({ memo: 'a\u202Eb' }))).toContain('direction-override')
    expect(detail(transferWith({ memo: 'a\nb' }))).toContain('control')
  })
  it('checks deps: sorted, unique, at most DEPS_COUNT_MAX', () => {
    const ids = Array.from({ length: DEPS_COUNT_MAX + 1 }, (_, i) => i.toString(16).padStart(64, '0')).sort()
    expect(detail(transferWith({ deps: ids.slice(0, DEPS_COUNT_MAX) }))).toBe('ok')
    expect(detail(transferWith({ deps: ids }))).toContain(`at most ${DEPS_COUNT_MAX} deps`)
    expect(detail(transferWith({ deps: [ids[1], ids[0]] }))).toContain('sorted')
    expect(detail(transferWith({ deps: [ids[0], ids[0]] }))).toContain('sorted')
  })
  it('checks the chain fields: seq ≥ 1, prev null exactly at seq 1', () => {
    expect(detail(transferWith({ seq: 0 }))).toContain('expected seq')
    expect(detail(transferWith({ seq: 1, prev: 'ab'.repeat(32) }))).toContain('prev null')
    expect(detail(transferWith({ seq: 2, prev: null }))).toContain('expected prev')
  })
  it('refuses a payment to oneself', () => {
    expect(detail(transferWith({ to: alice.key }))).toContain('other than the payer')
  })
  it(`refuses lines over ${ENTRY_BYTES_MAX} bytes and accepts one at the limit`, () => {
    const base = transferWith({ memo: '' })
    const room = ENTRY_BYTES_MAX - base.length
    // pad with deps-free text in the memo would hit MEMO_CHARS_MAX first; pad the line with a long invalid field instead
    const atLimit = base.slice(0, -1) + ',"zz":"' + 'x'.repeat(room - 8) + '"}'
    expect(new TextEncoder().encode(atLimit).length).toBe(ENTRY_BYTES_MAX)
    expect(detail(atLimit)).not.toContain('bytes')
    expect(detail(atLimit + ' ')).toContain(`at most ${ENTRY_BYTES_MAX} bytes`)
  })
  it('refuses a genesis whose pool is not its own id, and bad policies', () => {
    const gk = actor('gk2')
    const genesis = signEntry({ type: 'pool', author: gk.key, seq: 1, prev: null, deps: [], time: T0, nonce: '00'.repeat(16),
      policy: { kind: 'issued', name: 'Market', symbol: 'MKT', decimals: 0, minBalance: 0, maxBalance: null, rateLimitSeconds: 60 } } as never, gk.secretKey)
    expect(detail(encodeEntry({ ...(genesis as Entry), pool: 'ab'.repeat(32) } as Entry))).toContain("genesis entry's pool")
    expect(() => signEntry({ ...(genesis as object), policy: { ...(genesis as { policy: object }).policy, minBalance: -5 } } as never, gk.secretKey)).toThrow(/minBalance 0 in an issued pool/)
    expect(() => signEntry({ ...(genesis as object), policy: { ...(genesis as { policy: object }).policy, name: '' } } as never, gk.secretKey)).toThrow(/policy.name/)
  })
  it('never throws, whatever the input', () => {
    for (const input of ['', 'null', '[]', '{}', '"x"', '{"v":1}', '\u0000', '{'.repeat(10_000), 42 as unknown as string]) {
      expect(decodeEntry(input).ok).toBe(false)
    }
  })
})

describe('text fields refuse what can disguise or break text', () => {
  const refused = {
    'a lone high surrogate': 'bread \ud800',
    'a lone low surrogate': '\udc00 bread',
    'a C0 control': 'bread\u0007',
    'a C1 control': 'bread\u0085',
    'a right-to-left override': 'pay \u202emoney',
    'a left-to-right isolate': 'pay \u2066money\u2069',
  }
  for (const [what, memo] of Object.entries(refused)) {
    it(`refuses a memo with ${what}`, () => {
      const line = transferWith({ memo })
      const decoded = decodeEntry(line)
      expect(decoded.ok).toBe(false)
    })
  }
  it('accepts right-to-left text and emoji (a surrogate pair)', () => {
    expect(decodeEntry(transferWith({ memo: 'שלום 🍞' })).ok).toBe(true)
  })
})
