import * as Automerge from '@automerge/automerge'
import { describe, expect, it } from 'vitest'
import {
  documentsToFollow, firstChangeOf, headsDigest, headsUrlOf, homeDocumentsOf, inviteDocumentId, PoolDirectory, SHARD_ENTRIES, shardDocumentId, shardOfSeq,
} from '../index.ts'
import { makePool, member } from './poolFixture.ts'
import type { EntryId, InviteEntry, JoinEntry } from '../../index.ts'
import { signJoinInvite } from '../../index.ts'

describe('shard numbering', () => {
  it('closes a shard after SHARD_ENTRIES entries', () => {
    expect(shardOfSeq(1)).toBe(0)
    expect(shardOfSeq(SHARD_ENTRIES)).toBe(0)
    expect(shardOfSeq(SHARD_ENTRIES + 1)).toBe(1)
    expect(shardOfSeq(2 * SHARD_ENTRIES + 1)).toBe(2)
  })
  it('refuses a seq that is not a whole number ≥ 1', () => {
    expect(() => shardOfSeq(0)).toThrow(/expected seq a whole number ≥ 1, got 0/)
    expect(() => shardOfSeq(1.5)).toThrow(RangeError)
  })
})

describe('derived document ids', () => {
  it('are the same on every device and differ per (pool, author, shard)', () => {
    const { pool, gatekeeper } = makePool(0)
    const a = shardDocumentId(pool, gatekeeper.publicKey, 0)
    expect(shardDocumentId(pool, gatekeeper.publicKey, 0)).toBe(a)
    expect(shardDocumentId(pool, gatekeeper.publicKey, 1)).not.toBe(a)
    expect(inviteDocumentId(pool, pool)).not.toBe(a)
  })
  it('get an identical first change everywhere, so copies made apart merge', () => {
    const id = shardDocumentId('a'.repeat(64) as EntryId, 'b'.repeat(64) as never, 0)
    const one = Automerge.change(Automerge.load<{ entries: Record<string, unknown> }>(firstChangeOf(id)), (d) => {
      d.entries.x = new Automerge.ImmutableString('from one')
    })
    const two = Automerge.change(Automerge.load<{ entries: Record<string, unknown> }>(firstChangeOf(id)), (d) => {
      d.entries.y = new Automerge.ImmutableString('from two')
    })
    const merged = Automerge.merge(Automerge.clone(one), two)
    expect(Object.keys(merged.entries).sort()).toEqual(['x', 'y'])
  })
})

describe('discovery: which documents a device asks for', () => {
  it('knows nothing without the genesis', () => {
    const fixture = makePool(2)
    expect(documentsToFollow(fixture.pool, fixture.entries.slice(1))).toEqual([])
  })
  it('follows the gatekeeper from the genesis alone', () => {
    const fixture = makePool(2)
    expect(documentsToFollow(fixture.pool, [fixture.genesis]).map((d) => d.documentId)).toEqual([shardDocumentId(fixture.pool, fixture.gatekeeper.publicKey, 0)])
  })
  it('follows the shards of every witness a policy names, where their checkpoints live', () => {
    const fixture = makePool(1)
    const primary = member()
    const later = member()
    fixture.next(fixture.gatekeeper, { type: 'policy', policy: { witnesses: [primary.publicKey] } })
    const ids = documentsToFollow(fixture.pool, fixture.entries).map((d) => d.documentId)
    expect(ids).toContain(shardDocumentId(fixture.pool, primary.publicKey, 0))
    expect(ids).not.toContain(shardDocumentId(fixture.pool, later.publicKey, 0))
    fixture.next(fixture.gatekeeper, { type: 'policy', policy: { witnesses: [later.publicKey] } })
    expect(documentsToFollow(fixture.pool, fixture.entries).map((d) => d.documentId)).toContain(shardDocumentId(fixture.pool, later.publicKey, 0))
  })
  it('follows the shards of every gateway a trustline names, where its prepares and fulfils live', () => {
    const fixture = makePool(1)
    const gateway = member()
    const peer = makePool(1).pool
    fixture.next(fixture.gatekeeper, { type: 'trust', peer, limitHours: 5, gateway: gateway.publicKey })
    expect(documentsToFollow(fixture.pool, fixture.entries).map((d) => d.documentId)).toContain(shardDocumentId(fixture.pool, gateway.publicKey, 0))
  })
  it('follows the shards of a standing order\'s coordinator, where its collects live', () => {
    const fixture = makePool(2)
    const coordinator = member()
    fixture.next(fixture.members[0]!, { type: 'order', to: fixture.members[1]!.publicKey, amount: 5, everySeconds: 86_400, coordinator: coordinator.publicKey })
    expect(documentsToFollow(fixture.pool, fixture.entries).map((d) => d.documentId)).toContain(shardDocumentId(fixture.pool, coordinator.publicKey, 0))
  })
  it('follows the shards of a member\'s certified devices, and of a key a gatekeeper approved to recover an account', () => {
    const fixture = makePool(2)
    const phone = member()
    const fresh = member()
    fixture.next(fixture.members[0]!, { type: 'device', device: phone.publicKey })
    const request = fixture.next(fresh, { type: 'recover', member: fixture.members[1]!.publicKey })
    const heldByGatekeeper = documentsToFollow(fixture.pool, fixture.entries).map((d) => d.documentId)
    expect(heldByGatekeeper).toContain(shardDocumentId(fixture.pool, phone.publicKey, 0))
    const approve = fixture.next(fixture.gatekeeper, { type: 'approve', entry: request.id, key: fresh.publicKey, deps: [request.id] })
    // a device that holds only the approval finds the request in the new key's shard
    const others = fixture.entries.filter((e) => e.id !== request.id)
    expect(others).toContain(approve)
    expect(documentsToFollow(fixture.pool, others).map((d) => d.documentId)).toContain(shardDocumentId(fixture.pool, fresh.publicKey, 0))
  })
  it('follows admitted members, and the next shard once one is full', () => {
    const fixture = makePool(2)
    const followed = documentsToFollow(fixture.pool, fixture.entries)
    expect(followed.filter((d) => d.kind === 'shard').length).toBe(3)
    // Fill the gatekeeper's shard 0 exactly: shard 1 becomes derivable.
    const entries = [...fixture.entries]
    const gatekeeperSeqs = entries.filter((e) => e.author === fixture.gatekeeper.publicKey).length
    for (let i = gatekeeperSeqs; i < SHARD_ENTRIES; i++) fixture.transfer(fixture.gatekeeper, fixture.members[0]!, 1)
    const full = documentsToFollow(fixture.pool, fixture.entries)
    expect(full.some((d) => d.kind === 'shard' && d.author === fixture.gatekeeper.publicKey && d.shard === 1)).toBe(true)
    const complete = documentsToFollow(fixture.pool, fixture.entries, { skipCompleteShards: true })
    expect(complete.some((d) => d.kind === 'shard' && d.author === fixture.gatekeeper.publicKey && d.shard === 0)).toBe(false)
  })
  it('names as complete only closed shards whose every seq is held (what a device may park)', () => {
    const fixture = makePool(1)
    const gatekeeperSeqs = fixture.entries.filter((e) => e.author === fixture.gatekeeper.publicKey).length
    for (let i = gatekeeperSeqs; i < SHARD_ENTRIES + 1; i++) fixture.transfer(fixture.gatekeeper, fixture.members[0]!, 1)
    const directory = new PoolDirectory(fixture.pool)
    for (const entry of fixture.entries) directory.add(entry)
    expect([...directory.completeShards()]).toEqual([shardDocumentId(fixture.pool, fixture.gatekeeper.publicKey, 0)])
    // One seq missing (not arrived yet): not complete.
    const gapped = new PoolDirectory(fixture.pool)
    for (const entry of fixture.entries) if (!(entry.author === fixture.gatekeeper.publicKey && entry.seq === 7)) gapped.add(entry)
    expect(gapped.completeShards().size).toBe(0)
  })
  it('fingerprints heads independently of their order, in 32 hex digits', () => {
    const a = 'a'.repeat(64)
    const b = 'b'.repeat(64)
    expect(headsDigest([a, b])).toBe(headsDigest([b, a]))
    expect(headsDigest([a, b])).toMatch(/^[0-9a-f]{32}$/)
    expect(headsDigest([a])).not.toBe(headsDigest([a, b]))
    expect(headsUrlOf('wss://relay.example/sync')).toBe('https://relay.example/heads')
    expect(headsUrlOf('ws://127.0.0.1:8080/sync')).toBe('http://127.0.0.1:8080/heads')
  })
  it('finds a joined member through the invite slot, then stops watching the slot', () => {
    const fixture = makePool(0)
    const inviteKey = member()
    const invite = fixture.next<InviteEntry>(fixture.gatekeeper, { type: 'invite', invitee: inviteKey.publicKey })
    const slot = inviteDocumentId(fixture.pool, invite.id)
    expect(documentsToFollow(fixture.pool, fixture.entries).map((d) => d.documentId)).toContain(slot)
    const newcomer = member()
    const join = fixture.next<JoinEntry>(newcomer, {
      type: 'join', invite: invite.id, invitee: inviteKey.publicKey, deps: [invite.id],
      inviteSig: signJoinInvite(fixture.pool, invite.id, newcomer.publicKey, inviteKey.secretKey),
    })
    expect(homeDocumentsOf(join)).toEqual([shardDocumentId(fixture.pool, newcomer.publicKey, 0), slot])
    const after = documentsToFollow(fixture.pool, fixture.entries).map((d) => d.documentId)
    expect(after).toContain(shardDocumentId(fixture.pool, newcomer.publicKey, 0))
    expect(after).not.toContain(slot)
  })
})
