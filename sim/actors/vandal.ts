/**
 * A peer with no key who knows the document ids (they derive from public
 * facts) and damages them: deletes entries, swaps or truncates their lines,
 * replaces the whole entries map. It holds no money and can forge nothing;
 * what it deletes must come back, and what it writes must change nothing.
 */
import * as Automerge from '@automerge/automerge'
import type { DocumentId, Repo } from '@automerge/automerge-repo'
import type { SyncDocument } from '../../core/sync/index.ts'
import { linesOf, readyHandle, writeLine } from '../documents.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'

export function vandalise(repo: Repo, documents: readonly DocumentId[], prng: Prng, trace: Trace): void {
  if (documents.length === 0) return
  const documentId = prng.pick(documents)
  const handle = readyHandle(repo, documentId)
  if (!handle) return
  const lines = linesOf(handle)
  const act = prng.pick(['delete', 'delete', 'swap', 'truncate', 'replace-map', 'delete-map', 'plain-text'] as const)
  if (lines.length === 0 && act !== 'replace-map' && act !== 'delete-map') return
  switch (act) {
    case 'delete':
      handle.change((doc) => {
        for (const [key] of lines) if (prng.chance(0.5)) delete doc.entries[key]
      })
      break
    case 'swap': {
      const [a, b] = [prng.pick(lines), prng.pick(lines)]
      handle.change((doc) => {
        doc.entries[a[0]] = new Automerge.ImmutableString(b[1])
        doc.entries[b[0]] = new Automerge.ImmutableString(a[1])
      })
      break
    }
    case 'truncate': {
      const [key, line] = prng.pick(lines)
      writeLine(handle, key, line.slice(0, prng.int(0, line.length - 1)))
      break
    }
    case 'plain-text': {
      // The same valid line as collaborative text instead of an ImmutableString: still the same bytes.
      const [key, line] = prng.pick(lines)
      writeLine(handle, key, line, true)
      break
    }
    case 'replace-map':
      handle.change((doc) => {
        ;(doc as unknown as Record<string, unknown>).entries = new Automerge.ImmutableString('nothing to see')
      })
      break
    case 'delete-map':
      handle.change((doc) => {
        delete (doc as unknown as Record<string, unknown>).entries
      })
      break
  }
  trace.note(`vandal: ${act} in ${documentId.slice(0, 6)} (${lines.length} lines there)`)
}

/** Garbage in bulk: random keys with random strings, some almost entries. */
export function flood(repo: Repo, documents: readonly DocumentId[], prng: Prng, trace: Trace): void {
  if (documents.length === 0) return
  const documentId = prng.pick(documents)
  const handle = readyHandle(repo, documentId)
  if (!handle) return
  const count = prng.int(1, 20)
  handle.change((doc: Automerge.Doc<SyncDocument>) => {
    const entries = doc.entries as unknown
    if (entries === null || typeof entries !== 'object' || entries instanceof Automerge.ImmutableString) return
    for (let i = 0; i < count; i++) {
      const key = prng.chance(0.5) ? hex(prng, 64) : `junk-${prng.int(0, 1e6)}`
      const value = garbage(prng)
      ;(doc.entries as Record<string, unknown>)[key] = typeof value === 'string' ? new Automerge.ImmutableString(value) : value
    }
  })
  trace.note(`flooder: ${count} garbage lines into ${documentId.slice(0, 6)}`)
}

function garbage(prng: Prng): unknown {
  switch (prng.int(0, 5)) {
    case 0:
      return String.fromCharCode(...Array.from(prng.bytes(prng.int(0, 300)), (b) => b % 0x7f))
    case 1:
      return `{"v":1,"type":"transfer","amount":${prng.int(-5, 1e9)},"id":"${hex(prng, 64)}","sig":"${hex(prng, 128)}"}`
    case 2:
      return prng.int(0, 1e9)
    case 3:
      return { nested: hex(prng, 8) }
    case 4:
      return 'x'.repeat(prng.int(0, 5000))
    default:
      return `{"${hex(prng, 4)}":null}`
  }
}

function hex(prng: Prng, length: number): string {
  return Array.from(prng.bytes(Math.ceil(length / 2)), (b) => b.toString(16).padStart(2, '0')).join('').slice(0, length)
}
