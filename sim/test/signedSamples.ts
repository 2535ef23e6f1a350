/**
 * A handful of validly signed entries of every kind the decoders must handle
 * (genesis, admits, issues, transfers with memos, freezes, an invite and a
 * join), built with seed-derived keys: the material the fuzzers mutate.
 */
import {
  encodeEntry, signEntry, signJoinInvite, type Entry, type EntryId, type PoolEntry,
} from '../../core/index.ts'
import { keyPairFor } from '../keys.ts'

export function signedSamples(): Entry[] {
  const gatekeeper = keyPairFor(1, 'fuzz/gatekeeper')
  const alice = keyPairFor(1, 'fuzz/alice')
  const bob = keyPairFor(1, 'fuzz/bob')
  const inviteKey = keyPairFor(1, 'fuzz/invite')
  const t0 = Date.UTC(2026, 10, 22)
  const genesis = signEntry<PoolEntry>({
    type: 'pool', author: gatekeeper.publicKey, seq: 1, prev: null, deps: [], time: t0, nonce: '0123456789abcdef0123456789abcdef',
    policy: { kind: 'mutual-credit', name: 'Fuzz ☕ pool', symbol: 'FZ', decimals: 2, minBalance: -1000, maxBalance: 5000, rateLimitSeconds: 60, feeBasisPoints: 150 },
  }, gatekeeper.secretKey)
  const pool = genesis.id
  const entries: Entry[] = [genesis]
  const chain = new Map<string, Entry>()
  chain.set(gatekeeper.publicKey, genesis)
  const sign = (who: typeof alice, body: Record<string, unknown>, deps: EntryId[] = []): Entry => {
    const last = chain.get(who.publicKey)
    const entry = signEntry({
      pool, author: who.publicKey, seq: (last?.seq ?? 0) + 1, prev: last?.id ?? null, deps: [...deps].sort(), time: (last?.time ?? t0) + 61_000, ...body,
    } as never, who.secretKey) as Entry
    chain.set(who.publicKey, entry)
    entries.push(entry)
    return entry
  }
  const admitA = sign(gatekeeper, { type: 'admit', member: alice.publicKey, minBalance: -500 })
  sign(gatekeeper, { type: 'admit', member: bob.publicKey })
  const pay = sign(alice, { type: 'transfer', to: bob.publicKey, amount: 250, memo: 'Café "au lait" \\ 🥐' }, [admitA.id])
  sign(bob, { type: 'transfer', to: alice.publicKey, amount: 1, memo: '' }, [pay.id])
  sign(gatekeeper, { type: 'freeze', member: bob.publicKey, reason: 'test' })
  const invite = sign(gatekeeper, { type: 'invite', invitee: inviteKey.publicKey })
  const newcomer = keyPairFor(1, 'fuzz/newcomer')
  sign(newcomer, { type: 'join', invite: invite.id, invitee: inviteKey.publicKey, inviteSig: signJoinInvite(pool, invite.id, newcomer.publicKey, inviteKey.secretKey) }, [invite.id])
  sign(alice, { type: 'request', amount: 99, memo: 'rent', from: bob.publicKey })
  return entries
}

export function signedLines(): string[] {
  return signedSamples().map(encodeEntry)
}
