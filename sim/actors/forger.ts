/**
 * A member who forges. It takes entries it holds and writes, straight into
 * their home documents, copies that are altered (with the old signature),
 * re-signed with its own key but someone else's name, copied from another
 * pool (as they are, or relabelled to this pool), or simply repeated. It
 * also tries to publish them through its own PoolSync, which must refuse.
 * Every forged line goes into the ground truth: no device may ever hold it.
 */
import {
  encodeEntry, entryIdOf, payloadText, signedMessage, type Entry, type EntryId,
} from '../../core/index.ts'
import { signBytes } from '../../core/keys.ts'
import { homeDocumentsOf } from '../../core/sync/index.ts'
import type { Device } from '../device.ts'
import { readyHandle, writeLine } from '../documents.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import type { GroundTruth } from '../world.ts'

type Forgery = 'altered' | 'altered-stale-id' | 'resigned' | 'other-pool' | 'relabelled' | 'replayed'

export async function forgeSomething(forger: Device, otherPoolEntries: readonly Entry[], prng: Prng, truth: GroundTruth, trace: Trace): Promise<void> {
  const held = [...forger.ledger.entries()].filter((entry) => entry.author !== forger.key.publicKey)
  if (held.length === 0) return
  const victim = prng.pick(held)
  const kind: Forgery = prng.pick(['altered', 'altered-stale-id', 'resigned', 'other-pool', 'relabelled', 'replayed'])
  let key: string
  let line: string
  let forged = true
  switch (kind) {
    case 'altered': {
      const altered = alter(victim, prng)
      const withId = { ...altered, id: entryIdOf(altered) }
      key = prng.chance(0.5) ? victim.id : withId.id
      line = encodeEntry(withId as unknown as Entry)
      break
    }
    case 'altered-stale-id':
      key = victim.id
      line = encodeEntry(alter(victim, prng) as unknown as Entry)
      break
    case 'resigned': {
      const altered = alter(victim, prng)
      const payload = { ...altered, id: entryIdOf(altered) }
      const sig = signBytes(signedMessage(victim.type, payloadText(payload)), forger.key.secretKey)
      key = payload.id
      line = encodeEntry({ ...payload, sig } as unknown as Entry)
      break
    }
    case 'other-pool': {
      if (otherPoolEntries.length === 0) return
      const stranger = prng.pick(otherPoolEntries)
      key = stranger.id
      line = encodeEntry(stranger)
      break
    }
    case 'relabelled': {
      if (otherPoolEntries.length === 0 || victim.type === 'pool') return
      const stranger = prng.pick(otherPoolEntries.filter((entry) => entry.type !== 'pool'))
      if (!stranger) return
      const moved = { ...stranger, pool: forger.pool } as Record<string, unknown>
      moved.id = entryIdOf(moved)
      key = moved.id as string
      line = encodeEntry(moved as unknown as Entry)
      break
    }
    case 'replayed':
      // The same signed bytes again, under a key of the forger's choosing: harmless, not a forgery.
      key = `copy-${prng.int(0, 9999)}`
      line = encodeEntry(victim)
      forged = false
      break
  }
  if (forged) {
    let lines = truth.forgedLines.get(forger.pool)
    if (!lines) truth.forgedLines.set(forger.pool, (lines = new Set()))
    lines.add(line)
  }
  const home = homeDocumentsOf(victim)[0]!
  const handle = readyHandle(forger.repo, home)
  if (handle) writeLine(handle, key, line, prng.chance(0.2))
  trace.note(`${forger.name}: forges (${kind}) ${shortId(victim.id)} into ${handle ? 'its home document' : 'nowhere (document not held)'}`)
  if (forged && kind !== 'altered-stale-id') {
    const decoded = JSON.parse(line) as Entry
    const refused = await forger.sync.publish([decoded])
    if (refused.length !== 1) throw new Error(`expected PoolSync.publish to refuse a ${kind} forgery, got it accepted: ${line}`)
  }
}

/** The victim's payload with one signed field changed; `id` and `sig` left as they were. */
function alter(victim: Entry, prng: Prng): Record<string, unknown> {
  const copy = { ...victim } as Record<string, unknown>
  if (typeof copy.amount === 'number' && prng.chance(0.6)) copy.amount = (copy.amount as number) + prng.int(1, 500)
  else copy.time = victim.time + prng.int(1, 3_600_000)
  return copy
}

function shortId(id: EntryId): string {
  return id.slice(0, 8)
}
