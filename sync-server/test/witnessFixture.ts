/**
 * A pool for witness tests: like core/sync/test/poolFixture.ts, but its genesis
 * may name witnesses and its entries are dated at the real clock (a witness
 * judges at its own clock, and entries dated years ago would be
 * `witnessed-too-late`, entries ahead of it pending).
 */
import {
  chainHead, Ledger, generateSecretKey, publicKeyOf, signEntry, toHex, type Entry, type EntryId, type PolicyEntry, type PoolEntry,
  type PublicKeyHex, type TransferEntry, type AdmitEntry, type CheckpointEntry,
} from '../../core/index.ts'

export interface Member {
  readonly publicKey: PublicKeyHex
  readonly secretKey: Uint8Array
}

export interface WitnessedPoolFixture {
  readonly pool: EntryId
  readonly genesis: PoolEntry
  readonly gatekeeper: Member
  readonly members: Member[]
  readonly entries: Entry[]
  transfer(from: Member, to: Member, amount: number): TransferEntry
  /** The creator's policy entry naming these witnesses. */
  witnesses(keys: PublicKeyHex[]): PolicyEntry
}

export function member(): Member {
  const secretKey = generateSecretKey()
  return { secretKey, publicKey: publicKeyOf(secretKey) }
}

/** A mutual-credit pool whose genesis names `witnesses` (none: no witness), with `memberCount` admitted members. */
export function poolNaming(witnesses: PublicKeyHex[], memberCount = 2): WitnessedPoolFixture {
  const gatekeeper = member()
  let clock = Date.now() - 1000
  const policy = {
    kind: 'mutual-credit', name: 'Witnessed', symbol: 'WIT', decimals: 0, minBalance: -1000, maxBalance: null, rateLimitSeconds: 0,
    ...(witnesses.length > 0 ? { witnesses } : {}),
  }
  const genesis = signEntry<PoolEntry>({
    type: 'pool', author: gatekeeper.publicKey, seq: 1, prev: null, deps: [], time: clock, policy, nonce: toHex(generateSecretKey()).slice(0, 32),
  } as never, gatekeeper.secretKey)
  const pool = genesis.id
  const entries: Entry[] = [genesis]
  const next = <E extends Entry>(author: Member, body: Record<string, unknown>): E => {
    const head = chainHead(entries, pool, author.publicKey)
    // A second in the past: an entry ahead of the relay's clock would wait there (pending) and make a later checkpoint.
    clock = Math.max(clock + 1, Date.now() - 1000, head.time)
    const entry = signEntry<E>({ pool, author: author.publicKey, seq: head.seq, prev: head.prev, deps: [], time: clock, ...body } as never, author.secretKey)
    entries.push(entry)
    return entry
  }
  const members: Member[] = []
  for (let i = 0; i < memberCount; i++) {
    const m = member()
    members.push(m)
    next<AdmitEntry>(gatekeeper, { type: 'admit', member: m.publicKey })
  }
  return {
    pool, genesis, gatekeeper, members, entries,
    transfer: (from, to, amount) => next<TransferEntry>(from, { type: 'transfer', to: to.publicKey, amount }),
    witnesses: (keys) => next<PolicyEntry>(gatekeeper, { type: 'policy', policy: { witnesses: keys } }),
  }
}

/** Checkpoints by `witness` among `entries`, by seq. */
export function checkpointsBy(entries: Iterable<Entry>, witness: PublicKeyHex): CheckpointEntry[] {
  return [...entries].filter((entry): entry is CheckpointEntry => entry.type === 'checkpoint' && entry.author === witness).sort((a, b) => a.seq - b.seq)
}

/** The checkpoint that first covers `id`, judged now by core's Ledger over `entries`. */
export function witnessedBy(pool: EntryId, entries: Iterable<Entry>, id: EntryId): EntryId | undefined {
  const ledger = new Ledger(pool)
  ledger.add(entries, Date.now())
  return ledger.witnessedBy(id)
}
