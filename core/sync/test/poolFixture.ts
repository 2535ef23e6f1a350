/**
 * A small pool for sync tests: a gatekeeper, admitted members, and transfers,
 * all properly signed. Keys are made fresh for every fixture.
 */
import {
  chainHead, generateSecretKey, publicKeyOf, signEntry, type AdmitEntry, type Entry, type EntryId, type PoolEntry,
  type PublicKeyHex, type TransferEntry, toHex,
} from '../../index.ts'

export interface Member {
  readonly publicKey: PublicKeyHex
  readonly secretKey: Uint8Array
}

export interface PoolFixture {
  readonly pool: EntryId
  readonly genesis: PoolEntry
  readonly gatekeeper: Member
  readonly members: Member[]
  /** Every entry so far; the fixture's helpers append to it. */
  readonly entries: Entry[]
  /** Signs the next entry of `author` (seq, prev and time from its chain). */
  next<E extends Entry>(author: Member, body: Record<string, unknown>, timeMs?: number): E
  transfer(from: Member, to: Member, amount: number): TransferEntry
}

export function member(): Member {
  const secretKey = generateSecretKey()
  return { secretKey, publicKey: publicKeyOf(secretKey) }
}

/** A mutual-credit pool with `memberCount` admitted members (the gatekeeper not counted). */
export function makePool(memberCount: number, startTimeMs = 1_700_000_000_000): PoolFixture {
  const gatekeeper = member()
  const genesis = signEntry<PoolEntry>({
    type: 'pool', author: gatekeeper.publicKey, seq: 1, prev: null, deps: [], time: startTimeMs,
    policy: { kind: 'mutual-credit', name: 'Test pool', symbol: 'TST', decimals: 0, minBalance: -1000, maxBalance: null, rateLimitSeconds: 0 },
    nonce: toHex(generateSecretKey()).slice(0, 32),
  } as never, gatekeeper.secretKey)
  const pool = genesis.id
  const entries: Entry[] = [genesis]
  let clock = startTimeMs
  const next = <E extends Entry>(author: Member, body: Record<string, unknown>, timeMs?: number): E => {
    const head = chainHead(entries, pool, author.publicKey)
    clock = Math.max(clock + 61_000, head.time)
    const entry = signEntry<E>({ pool, author: author.publicKey, seq: head.seq, prev: head.prev, deps: [], time: timeMs ?? clock, ...body } as never, author.secretKey)
    entries.push(entry)
    return entry
  }
  const members: Member[] = []
  for (let i = 0; i < memberCount; i++) {
    const m = member()
    members.push(m)
    next<AdmitEntry>(gatekeeper, { type: 'admit', member: m.publicKey })
  }
  const transfer = (from: Member, to: Member, amount: number): TransferEntry => next<TransferEntry>(from, { type: 'transfer', to: to.publicKey, amount })
  return { pool, genesis, gatekeeper, members, entries, next, transfer }
}
