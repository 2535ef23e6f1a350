/**
 * entriesOf reads a document's entries map from the operations whenever
 * automerge's cached view disagrees with them (see shardDocument.ts).
 */
import * as Automerge from '@automerge/automerge'
import { describe, expect, it } from 'vitest'
import { entriesOf, readDocumentLines, type SyncDocument } from '../shardDocument.ts'

describe('entriesOf', () => {
  it('returns the view itself when it agrees with the operations', () => {
    const doc = Automerge.change(Automerge.from({ entries: {} } as Record<string, unknown>) as unknown as Automerge.Doc<SyncDocument>, (d) => {
      d.entries.a = new Automerge.ImmutableString('line a')
    })
    expect(entriesOf(doc)).toBe(doc.entries)
  })

  it('reads plain objects and odd shapes as they are', () => {
    expect(entriesOf({ entries: { a: 'x' } })).toEqual({ a: 'x' })
    expect(entriesOf(null)).toBeUndefined()
    expect(entriesOf(42)).toBeUndefined()
    const replaced = Automerge.change(Automerge.from({ entries: {} } as Record<string, unknown>), (d) => {
      d.entries = 7
    })
    expect(entriesOf(replaced)).toBe(7)
  })

  it('after concurrent replacements of the map, every peer reads the winning map whole', () => {
    // Three peers hold a shard; one deletes the map, two recreate it at once and write lines.
    const base = Automerge.change(Automerge.init<SyncDocument>({ actor: 'aa'.repeat(16) }), (d) => {
      d.entries = { first: new Automerge.ImmutableString('1') }
    })
    let vandal = Automerge.clone(base, { actor: 'bb'.repeat(16) })
    vandal = Automerge.change(vandal, (d) => {
      delete (d as Partial<SyncDocument>).entries
    })
    const repairers = ['cc', 'dd'].map((actor, i) => {
      let peer = Automerge.merge(Automerge.clone(base, { actor: actor.repeat(16) }), vandal)
      peer = Automerge.change(peer, (d) => {
        d.entries = {}
        for (let k = 0; k <= i * 4; k++) d.entries[`line-${actor}-${k}`] = new Automerge.ImmutableString(`${actor}${k}`)
      })
      return peer
    })
    // Peers receive the changes in different orders; each must read the same lines as a fresh load.
    for (const order of [[0, 1], [1, 0]]) {
      let peer = Automerge.merge(Automerge.clone(base, { actor: 'ee'.repeat(16) }), vandal)
      for (const index of order) peer = Automerge.merge(peer, repairers[index]!)
      const fresh = Automerge.load<SyncDocument>(Automerge.save(peer))
      const read = readDocumentLines(peer, 1_000).lines.sort()
      expect(read).toEqual(readDocumentLines(fresh, 1_000).lines.sort())
      expect(read.length).toBeGreaterThan(0)
    }
  })
})
