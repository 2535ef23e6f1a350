/**
 * Builds pools for tests: named actors with keys derived from their names,
 * explicit times, and each author's chain filled in unless a test overrides it.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import {
  chainHead, encodeEntry, publicKeyOf, replay, signEntry, signJoinInvite, utf8,
  type Entry, type EntryId, type Policy, type PoolEntry, type PublicKeyHex, type ReplayResult, type UnsignedEntry,
} from '../index.ts'

export const T0 = Date.UTC(2026, 10, 22, 10, 0, 0)
export const MINUTE = 60_000

export interface Actor {
  readonly name: string
  readonly secretKey: Uint8Array
  readonly key: PublicKeyHex
}

export function actor(name: string): Actor {
  const secretKey = sha256(utf8('heroes test actor ' + name))
  return { name, secretKey, key: publicKeyOf(secretKey) }
}

export const DEFAULT_POLICY: Policy = {
  kind: 'mutual-credit', name: 'Test pool', symbol: 'TP', decimals: 2, minBalance: -1000, maxBalance: 5000, rateLimitSeconds: 60,
}

type Overrides = Partial<{ seq: number; prev: EntryId | null; deps: EntryId[]; time: number; pool: EntryId }>

export class PoolBuilder {
  readonly gatekeeper: Actor
  readonly genesis: PoolEntry
  readonly entries: Entry[] = []

  constructor(policy: Partial<Policy> = {}, gatekeeper = actor('gatekeeper'), time = T0) {
    this.gatekeeper = gatekeeper
    this.genesis = signEntry<PoolEntry>({
      type: 'pool', author: gatekeeper.key, seq: 1, prev: null, deps: [], time,
      nonce: '00112233445566778899aabbccddeeff', policy: { ...DEFAULT_POLICY, ...policy },
    }, gatekeeper.secretKey)
    this.entries.push(this.genesis)
  }

  get pool(): EntryId {
    return this.genesis.id
  }

  /** Signs the author's next entry (or where `overrides` says) and adds it to the log. */
  sign<E extends Entry>(author: Actor, type: E['type'], body: Record<string, unknown>, overrides: Overrides = {}): E {
    const head = chainHead(this.entries, this.pool, author.key)
    const unsigned = {
      type, pool: overrides.pool ?? this.pool, author: author.key,
      seq: overrides.seq ?? head.seq, prev: overrides.prev === undefined ? head.prev : overrides.prev,
      deps: [...(overrides.deps ?? [])].sort(), time: overrides.time ?? Math.max(head.time, T0), ...body,
    } as unknown as UnsignedEntry<E>
    const entry = signEntry<E>(unsigned, author.secretKey)
    this.entries.push(entry)
    return entry
  }

  admit(member: Actor, time: number, limits: { minBalance?: number; maxBalance?: number | null; role?: 'member' | 'gatekeeper' } = {}, by = this.gatekeeper) {
    return this.sign(by, 'admit', { member: member.key, ...limits }, { time })
  }

  transfer(from: Actor, to: Actor, amount: number, time: number, overrides: Overrides = {}, memo?: string) {
    return this.sign(from, 'transfer', { to: to.key, amount, ...(memo !== undefined ? { memo } : {}) }, { time, ...overrides })
  }

  issue(to: Actor, amount: number, time: number, by = this.gatekeeper) {
    return this.sign(by, 'issue', { to: to.key, amount }, { time })
  }

  freeze(member: Actor, time: number, by = this.gatekeeper) {
    return this.sign(by, 'freeze', { member: member.key }, { time })
  }

  invite(inviteKey: Actor, time: number, by = this.gatekeeper) {
    return this.sign(by, 'invite', { invitee: inviteKey.key }, { time })
  }

  join(member: Actor, inviteKey: Actor, invite: EntryId, time: number) {
    const inviteSig = signJoinInvite(this.pool, invite, member.key, inviteKey.secretKey)
    return this.sign(member, 'join', { invite, invitee: inviteKey.key, inviteSig }, { time, deps: [invite] })
  }

  request(payee: Actor, amount: number, time: number, from?: Actor, memo?: string) {
    return this.sign(payee, 'request', { amount, ...(from ? { from: from.key } : {}), ...(memo !== undefined ? { memo } : {}) }, { time })
  }

  payRequest(payer: Actor, request: Entry, time: number, to: Actor, amount = (request as { amount?: number }).amount ?? 0) {
    return this.sign(payer, 'transfer', { to: to.key, amount, request: request.id }, { time, deps: [request.id] })
  }

  answer(type: 'accept' | 'reject' | 'cancel', author: Actor, target: Entry, time: number) {
    return this.sign(author, type, { entry: target.id }, { time, deps: [target.id] })
  }

  close(member: Actor, time: number) {
    return this.sign(member, 'close', {}, { time })
  }

  policy(change: Record<string, unknown>, time: number, by = this.gatekeeper) {
    return this.sign(by, 'policy', { policy: change }, { time })
  }

  payout(to: Actor, amount: number, time: number, by = this.gatekeeper) {
    return this.sign(by, 'payout', { to: to.key, amount }, { time })
  }

  /**
   * A witness's checkpoint at `time` covering `heads` (by default the tip of
   * every chain in the log but its own, as a witness holding all of it would).
   */
  checkpoint(witness: Actor, time: number, heads: readonly Entry[] = this.tips(witness), overrides: Overrides = {}) {
    const ids = [...new Set(heads.map((e) => e.id))].sort()
    return this.sign(witness, 'checkpoint', { heads: ids }, { time, ...overrides })
  }

  /** Entries no other entry of the log names as its prev: the tips of every chain (every branch of a fork). */
  tips(except?: Actor): Entry[] {
    const named = new Set(this.entries.map((e) => e.prev))
    return this.entries.filter((e) => !named.has(e.id) && e.pool === this.pool && e.author !== except?.key)
  }

  replay(asOf = T0 + 1000 * MINUTE): ReplayResult {
    return replay(this.entries, { asOf })
  }

  lines(): string[] {
    return this.entries.map(encodeEntry)
  }
}

/** The verdict of one entry in a result, for short assertions. */
export function verdictOf(result: ReplayResult, entry: Entry) {
  const verdict = result.entries.find((v) => v.id === entry.id)
  if (!verdict) throw new Error(`no verdict for ${entry.id}`)
  return verdict.reason === undefined ? verdict.status : `${verdict.status}:${verdict.reason}`
}
