/**
 * Makes large, valid pools fast for benchmarks: Node's native Ed25519
 * signing (deterministic, so the signatures equal what @noble/ed25519 makes)
 * instead of the reference signer, which would take minutes for 100k entries.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto'
import {
  PROTOCOL_VERSION, entryIdOf, payloadText, publicKeyOf, signedMessage, toHex, type Entry, type EntryId, type PublicKeyHex,
} from '../core/index.ts'

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

interface Signer {
  readonly key: PublicKeyHex
  readonly sign: (message: Uint8Array) => string
  seq: number
  prev: EntryId | null
  time: number
}

function signer(index: number): Signer {
  const secret = new Uint8Array(32)
  new DataView(secret.buffer).setUint32(0, index + 1)
  secret[31] = 0x5a
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, secret]), format: 'der', type: 'pkcs8' })
  return { key: publicKeyOf(secret), sign: (message) => toHex(nodeSign(null, message, privateKey)), seq: 1, prev: null, time: 0 }
}

function make(author: Signer, body: Record<string, unknown>, time: number, pool: EntryId | undefined, deps: EntryId[] = []): Entry {
  const draft: Record<string, unknown> = { ...body, v: PROTOCOL_VERSION, author: author.key, seq: author.seq, prev: author.prev, deps, time: Math.max(time, author.time) }
  if (pool) draft.pool = pool
  const id = entryIdOf(draft)
  const sig = author.sign(signedMessage(draft.type as Entry['type'], payloadText(draft)))
  author.seq++
  author.prev = id
  author.time = draft.time as number
  return { ...draft, id, pool: pool ?? id, sig } as unknown as Entry
}

export interface GeneratedPool {
  readonly pool: EntryId
  readonly entries: Entry[]
  readonly members: PublicKeyHex[]
  /** Makes the next valid transfer, later than everything so far (for incremental measurements). */
  readonly nextTransfer: () => Entry
}

/** A mutual-credit pool of `count` entries: admits for `memberCount` members, then transfers among them. */
export function generatePool(count: number, memberCount = 200, t0 = Date.UTC(2026, 0, 1)): GeneratedPool {
  const gatekeeper = signer(0)
  const genesis = make(gatekeeper, {
    type: 'pool', nonce: '0'.repeat(32),
    policy: { kind: 'mutual-credit', name: 'Bench pool', symbol: 'BP', decimals: 2, minBalance: -1_000_000, maxBalance: null, rateLimitSeconds: 60 },
  }, t0, undefined)
  const pool = genesis.id
  const entries: Entry[] = [genesis]
  const members = Array.from({ length: memberCount }, (_, i) => signer(i + 1))
  let now = t0
  const admitted = new Map<PublicKeyHex, EntryId>()
  for (const member of members) {
    if (entries.length >= count) break
    const admit = make(gatekeeper, { type: 'admit', member: member.key }, ++now, pool)
    admitted.set(member.key, admit.id)
    entries.push(admit)
  }
  let round = 0
  // Each member pays the next one in turn; a member's payments are a round apart (≥ 60 s).
  const nextTransfer = () => {
    const i = round % members.length
    if (i === 0) now += 61_000
    round++
    const from = members[i]!
    const to = members[(i + 1 + (round % 7)) % members.length]!
    const deps = from.seq === 1 ? [admitted.get(from.key)!, admitted.get(to.key)!].sort() : []
    return make(from, { type: 'transfer', to: to.key, amount: 1 + (round % 50) }, now + i, pool, deps)
  }
  while (entries.length < count) entries.push(nextTransfer())
  return { pool, entries, members: members.map((m) => m.key), nextTransfer }
}
