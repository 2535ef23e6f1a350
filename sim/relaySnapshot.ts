/**
 * What reached a relay: every valid entry of a simulated pool found in any
 * relay's documents, recorded before a relay loses its disk and at the end.
 * The checks then require each of them on every device of the pool.
 */
import type { DocHandle } from '@automerge/automerge-repo'
import { SignatureCache, decodeEntry, verifyEntrySignature, type EntryId, type Verifier } from '../core/index.ts'
import type { SyncDocument } from '../core/sync/index.ts'
import { linesOf } from './documents.ts'
import type { World } from './world.ts'

const snapshotCache = new WeakMap<World, SignatureCache>()

export async function snapshotRelays(world: World, verifier: Verifier): Promise<void> {
  let cache = snapshotCache.get(world)
  if (!cache) snapshotCache.set(world, (cache = new SignatureCache()))
  const pools = new Set<EntryId>(world.pools.map((cast) => cast.plan.pool))
  for (const relay of world.relays) {
    for (const handle of Object.values(relay.repo.handles) as Array<DocHandle<SyncDocument>>) {
      if (!handle.isReady()) continue
      for (const [, line] of linesOf(handle)) {
        const decoded = decodeEntry(line)
        if (!decoded.ok || !pools.has(decoded.entry.pool)) continue
        if (!verifyEntrySignature(decoded.entry, cache, verifier)) continue
        let ids = world.truth.reachedRelay.get(decoded.entry.pool)
        if (!ids) world.truth.reachedRelay.set(decoded.entry.pool, (ids = new Set()))
        ids.add(decoded.entry.id)
      }
    }
  }
}
