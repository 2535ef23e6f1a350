/**
 * PoolSync reads every changed document in one batch and may hand the batch's
 * lines to a judgeBatch helper (worker threads on a Node device). The helper
 * is trusted like a verifier, so it must give judgeLines' verdicts; PoolSync
 * records its accepted entries as verified, and judges the lines itself when
 * the helper fails, against a real relay.
 */
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import { SignatureCache, verifyEntrySignature, type Entry, type EntryId } from '../../core/index.ts'
import { judgeLines, JUDGE_BATCH_LINES_MIN, MemoryVerifiedStore, PoolSync, ResilientWebSocketClientAdapter, type LineJudgement } from '../../core/sync/index.ts'
import { inProcessRelay } from './inProcessRelay.ts'
import { connectClient, ids, waitFor, type TestClient } from './clients.ts'
import { makePool, type PoolFixture } from '../../core/sync/test/poolFixture.ts'

type JudgeBatch = (lines: ReadonlyArray<readonly [string, string]>, pool: EntryId) => Promise<LineJudgement>

/**
 * A pool with more entries in one author's shard than JUDGE_BATCH_LINES_MIN, so
 * a fresh device's first read of that one document goes to judgeBatch even when
 * the documents arrive one by one (as they do on a loaded machine).
 */
function biggerPool(): PoolFixture {
  const fixture = makePool(2)
  const [alice, bob] = fixture.members as [PoolFixture['members'][0], PoolFixture['members'][0]]
  for (let i = 0; i < JUDGE_BATCH_LINES_MIN + 4; i++) fixture.transfer(alice, bob, 1 + i)
  return fixture
}

describe('judging a batch of lines elsewhere', () => {
  const shared = inProcessRelay('heroes-batch-judging-')
  const toClose = shared.toClose

  async function device(fixture: PoolFixture, judgeBatch: JudgeBatch, cache = new SignatureCache()): Promise<TestClient & { cache: SignatureCache }> {
    const adapter = new ResilientWebSocketClientAdapter(shared.relay.syncUrl, 200)
    const repo = new Repo({ network: [adapter], peerId: `batch-${Math.random().toString(36).slice(2)}` as PeerId })
    const store = new MemoryVerifiedStore([fixture.genesis])
    const sync = new PoolSync({ repo, pool: fixture.pool, store, signatureCache: cache, judgeBatch })
    await waitFor(() => adapter.remotePeerId !== undefined && repo.peers.length > 0, 10_000, 'the relay to answer')
    await sync.start()
    const client = { repo, store, sync, adapter, cache, close: async () => (sync.close(), await repo.shutdown().catch(() => {})) }
    toClose.push(client)
    return client
  }

  it('takes what the helper accepts, and records those verdicts in the signature cache', async () => {
    const fixture = biggerPool()
    const gate = await connectClient(shared.relay.syncUrl, fixture.pool)
    toClose.push(gate)
    await gate.sync.publish(fixture.entries)
    const batches: number[] = []
    const helper: JudgeBatch = async (lines, pool) => {
      batches.push(lines.length)
      return judgeLines(lines, pool, (entry) => verifyEntrySignature(entry), () => false)
    }
    const bob = await device(fixture, helper)
    await waitFor(async () => (await bob.store.all()).length === fixture.entries.length, 10_000, 'bob to fetch the pool')
    expect(ids(await bob.store.all())).toEqual(ids(fixture.entries))
    expect(batches.length).toBeGreaterThan(0)
    expect(Math.min(...batches)).toBeGreaterThanOrEqual(JUDGE_BATCH_LINES_MIN)
    // The helper's verdicts are the ones the ledger will find: no entry is verified twice.
    const judgedByHelper = fixture.entries.filter((entry: Entry) => bob.cache.get(entry) === true)
    expect(judgedByHelper.length).toBeGreaterThanOrEqual(JUDGE_BATCH_LINES_MIN)
  }, 30_000)

  it('judges the lines itself when the helper fails', async () => {
    const fixture = biggerPool()
    const gate = await connectClient(shared.relay.syncUrl, fixture.pool)
    toClose.push(gate)
    await gate.sync.publish(fixture.entries)
    // Carol comes only once the relay holds the whole pool (a plain device has
    // fetched it), so her first read of Alice's shard is one batch, not a trickle.
    const witness = await connectClient(shared.relay.syncUrl, fixture.pool, [fixture.genesis])
    toClose.push(witness)
    await waitFor(async () => (await witness.store.all()).length === fixture.entries.length, 20_000, 'the relay to hold the pool')
    let calls = 0
    const failing: JudgeBatch = async () => {
      calls++
      throw new Error('the workers are gone')
    }
    const carol = await device(fixture, failing)
    await waitFor(async () => (await carol.store.all()).length === fixture.entries.length, 20_000, 'carol to fetch the pool')
    expect(ids(await carol.store.all())).toEqual(ids(fixture.entries))
    expect(calls).toBeGreaterThan(0)
    expect(carol.sync.stats().errors).toBe(calls)
    expect(carol.sync.stats().lastError).toBe('the workers are gone')
  }, 30_000)
})
