/** The patch cache PoolSync lets go of (forgetPatchCache) is only a cache: a diff still gives the patches. */
import * as Automerge from '@automerge/automerge'
import { describe, expect, it } from 'vitest'
import { forgetPatchCache } from '../index.ts'

describe('forgetPatchCache', () => {
  it('drops the patches automerge keeps on a document, and a diff still gives them', () => {
    let doc = Automerge.from<{ entries: Record<string, Automerge.ImmutableString> }>({ entries: {} })
    const before = Automerge.getHeads(doc)
    doc = Automerge.change(doc, (draft) => {
      draft.entries.a = new Automerge.ImmutableString('line a')
      draft.entries.b = new Automerge.ImmutableString('line b')
    })
    const after = Automerge.getHeads(doc)
    const expected = Automerge.diff(doc, before, after)
    const state = (doc as unknown as Record<symbol, Record<string, unknown>>)[Symbol.for('_am_meta')]!
    expect('mostRecentPatch' in state).toBe(true)
    forgetPatchCache(doc)
    expect('mostRecentPatch' in state).toBe(false)
    expect(Automerge.diff(doc, before, after)).toEqual(expected)
    expect(doc.entries.a?.val).toBe('line a')
  })

  it('ignores anything that is not an automerge document', () => {
    expect(() => forgetPatchCache(undefined)).not.toThrow()
    expect(() => forgetPatchCache({ entries: 'nothing' })).not.toThrow()
    expect(() => forgetPatchCache(null)).not.toThrow()
  })
})
