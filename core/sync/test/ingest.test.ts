import { describe, expect, it } from 'vitest'
import { encodeEntry, verifyEntrySignature, type Entry } from '../../index.ts'
import { entriesToRepublish, judgeLines } from '../index.ts'
import { makePool } from './poolFixture.ts'

const verify = (entry: Entry): boolean => verifyEntrySignature(entry)
const never = (): boolean => false

describe('judging lines from a shared document', () => {
  const fixture = makePool(1)
  const other = makePool(0)
  const good = encodeEntry(fixture.entries[1]!)

  it('accepts a valid entry of the pool', () => {
    const result = judgeLines([[fixture.entries[1]!.id, good]], fixture.pool, verify, never)
    expect(result.accepted.map((a) => a.entry.id)).toEqual([fixture.entries[1]!.id])
    expect(result.ignored).toEqual([])
  })
  it('ignores garbage as malformed', () => {
    const result = judgeLines([['k', 'not json'], ['k2', '{"a":1}']], fixture.pool, verify, never)
    expect(result.ignored.map((i) => i.reason)).toEqual(['malformed', 'malformed'])
  })
  it('ignores an entry of another pool as wrong-pool', () => {
    const result = judgeLines([[other.genesis.id, encodeEntry(other.genesis)]], fixture.pool, verify, never)
    expect(result.ignored.map((i) => i.reason)).toEqual(['wrong-pool'])
  })
  it('ignores a forged signature as bad-signature', () => {
    const entry = fixture.entries[1]!
    const forged = encodeEntry({ ...entry, sig: (entry.sig[0] === '0' ? '1' : '0') + entry.sig.slice(1) } as Entry)
    const result = judgeLines([[entry.id, forged]], fixture.pool, verify, never)
    expect(result.ignored.map((i) => i.reason)).toEqual(['bad-signature'])
  })
  it('ignores an altered body (the id no longer matches) as malformed', () => {
    const altered = good.replace(/"seq":\d+/, '"seq":99')
    expect(altered).not.toBe(good)
    const result = judgeLines([[fixture.entries[1]!.id, altered]], fixture.pool, verify, never)
    expect(result.ignored.map((i) => i.reason)).toEqual(['malformed'])
  })
  it('skips lines the caller already knows', () => {
    const result = judgeLines([['k', 'garbage']], fixture.pool, verify, () => true)
    expect(result).toEqual({ accepted: [], ignored: [] })
  })
})

describe('what to publish again', () => {
  it('lists entries missing from a document or altered there', () => {
    const present = new Map([['a', 'line a'], ['b', 'vandalised']])
    const expected: Array<[never, string]> = [['a' as never, 'line a'], ['b' as never, 'line b'], ['c' as never, 'line c']]
    expect(entriesToRepublish(expected, present)).toEqual([['b', 'line b'], ['c', 'line c']])
  })
})
