import { describe, expect, it } from 'vitest'
import { ownChainFetched, ownShards, type ShardState } from './own-chain.ts'

describe('ownShards', () => {
  it('asks for shard 0 of a chain this device holds nothing of', () => {
    expect(ownShards([], 256)).toEqual([{ shard: 0, holdsOwn: false }])
  })

  it('asks for every shard up to the latest seq, and the next once that one is full', () => {
    expect(ownShards([1, 2, 3], 4)).toEqual([{ shard: 0, holdsOwn: true }])
    expect(ownShards([1, 4], 4)).toEqual([{ shard: 0, holdsOwn: true }, { shard: 1, holdsOwn: false }])
    expect(ownShards([9], 4)).toEqual([{ shard: 0, holdsOwn: false }, { shard: 1, holdsOwn: false }, { shard: 2, holdsOwn: true }])
  })
})

describe('ownChainFetched', () => {
  const states = (map: Record<number, ShardState>) => (shard: number): ShardState => map[shard] ?? {}

  it('waits for an answer from the relay for every shard', () => {
    expect(ownChainFetched([{ shard: 0, holdsOwn: false }], states({}))).toBe(false)
    expect(ownChainFetched([{ shard: 0, holdsOwn: true }, { shard: 1, holdsOwn: false }], states({ 0: { answer: 'sync', ours: ['a'], theirs: ['a'] } }))).toBe(false)
  })

  it('believes "unavailable" only where this device holds nothing of its own', () => {
    expect(ownChainFetched([{ shard: 0, holdsOwn: false }], states({ 0: { answer: 'unavailable' } }))).toBe(true)
    expect(ownChainFetched([{ shard: 0, holdsOwn: true }], states({ 0: { answer: 'unavailable' } }))).toBe(false)
  })

  it('waits until this device holds every head the relay reported', () => {
    const shards = [{ shard: 0, holdsOwn: true }]
    expect(ownChainFetched(shards, states({ 0: { answer: 'sync', ours: ['a'] } }))).toBe(false)
    expect(ownChainFetched(shards, states({ 0: { answer: 'sync', ours: ['a'], theirs: ['a', 'b'] } }))).toBe(false)
    expect(ownChainFetched(shards, states({ 0: { answer: 'sync', ours: ['a', 'b'], theirs: ['b'] } }))).toBe(true)
    expect(ownChainFetched(shards, states({ 0: { answer: 'sync', ours: ['a'], theirs: [] } }))).toBe(true)
  })
})
