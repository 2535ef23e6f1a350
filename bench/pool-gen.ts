/**
 * Makes large, valid pools fast for benchmarks: Node's native Ed25519
 * signing (deterministic, so the signatures equal what @noble/ed25519 makes)
 * instead of the reference signer, which would take minutes for 100k entries.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto'
import {
  PROTOCOL_VERSION, entryIdOf, payloadText, publicKeyOf, signedMessage, toHex, type Demurrage, type Entry, type EntryId, type PublicKeyHex,
} from '../core/index.ts'

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

interface Signer {
  readonly key: PublicKeyHex
  readonly sign: (message: Uint8Array) => string
  seq: number
  prev: EntryId | null
  time: number
}

/** The secret key of the bench's signer number `index` (0 is the gatekeeper, WITNESS_SIGNER the witness). */
export function signerSecret(index: number): Uint8Array {
  const secret = new Uint8Array(32)
  new DataView(secret.buffer).setUint32(0, index + 1)
  secret[31] = 0x5a
  return secret
}

function signer(index: number): Signer {
  const secret = signerSecret(index)
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
  /** In a witnessed pool: the witness's next checkpoint, covering the chains that moved since its last one. */
  readonly nextCheckpoint?: () => Entry
}

export interface GenerateOptions {
  /**
   * Name a witness and let it sign a checkpoint every this many entries,
   * covering the chains that moved since its last one (as a relay does every
   * few seconds); members pay online, naming the latest checkpoint.
   */
  readonly checkpointEvery?: number
  /** The genesis nonce (32 hex digits): pools generated with the same keys but other nonces are other pools. */
  readonly nonce?: string
  /** A demurrage policy in the genesis (issue 18). */
  readonly demurrage?: Demurrage
  /** Time between two rounds of payments (every member pays once a round); default 61 s. */
  readonly roundMs?: number
  /**
   * Issue 17: each member certifies a device key right after its admit, and the device signs the
   * member's payments; with `revokeEvery` k, every k-th member then revokes its device at the
   * device's last entry (appended at the end, voiding nothing).
   */
  readonly devices?: { readonly revokeEvery?: number }
}

/** The witness's secret index in `signer`, so benchmarks can sign more checkpoints. */
export const WITNESS_SIGNER = 100_000
/** Secret indexes of members' device keys (issue 17), one per member from here. */
const DEVICE_SIGNER = 200_000

/** A mutual-credit pool of `count` entries: admits for `memberCount` members, then transfers among them. */
export function generatePool(count: number, memberCount = 200, t0 = Date.UTC(2026, 0, 1), options: GenerateOptions = {}): GeneratedPool {
  const gatekeeper = signer(0)
  const witness = options.checkpointEvery ? signer(WITNESS_SIGNER) : undefined
  const genesis = make(gatekeeper, {
    type: 'pool', nonce: options.nonce ?? '0'.repeat(32),
    policy: {
      kind: 'mutual-credit', name: 'Bench pool', symbol: 'BP', decimals: 2, minBalance: -1_000_000, maxBalance: null, rateLimitSeconds: 60,
      ...(witness ? { witnesses: [witness.key], offlineCountMax: 1000, offlineAmountMax: 1_000_000_000 } : {}),
      ...(options.demurrage ? { demurrage: options.demurrage } : {}),
    },
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
  // The device that signs each member's payments (the member itself without devices), and its certificate.
  const payers = options.devices ? members.map((_, i) => signer(DEVICE_SIGNER + i)) : members
  const certificates = new Map<PublicKeyHex, EntryId>()
  if (options.devices) {
    members.forEach((member, i) => {
      const cert = make(member, { type: 'device', device: payers[i]!.key, name: `Phone ${i}` }, ++now, pool, [admitted.get(member.key)!])
      certificates.set(payers[i]!.key, cert.id)
      entries.push(cert)
    })
  }
  let round = 0
  // Chains that moved since the witness's last checkpoint, and that checkpoint.
  const moved = new Map<PublicKeyHex, EntryId>([[gatekeeper.key, gatekeeper.prev!]])
  let checkpoint: EntryId | undefined
  let sinceCheckpoint = 0
  let lastTime = now
  const nextCheckpoint = (): Entry => {
    const heads = [...moved.values()].sort()
    moved.clear()
    sinceCheckpoint = 0
    // The witness signs right after the latest entry it holds.
    const entry = make(witness!, { type: 'checkpoint', heads }, lastTime + 1, pool)
    checkpoint = entry.id
    return entry
  }
  // Each member pays the next one in turn; a member's payments are a round apart (≥ 60 s).
  const nextTransfer = () => {
    const i = round % members.length
    if (i === 0) now += options.roundMs ?? 61_000
    round++
    const from = payers[i]!
    const to = members[(i + 1 + (round % 7)) % members.length]!
    const deps = from.seq === 1 ? [certificates.get(from.key) ?? admitted.get(from.key)!, admitted.get(to.key)!] : []
    // Online: the payer's chain is covered by the latest checkpoint, which it names.
    if (checkpoint && !moved.has(from.key)) deps.push(checkpoint)
    const entry = make(from, { type: 'transfer', to: to.key, amount: 1 + (round % 50) }, Math.max(now + i, lastTime), pool, deps.sort())
    lastTime = entry.time
    moved.set(from.key, entry.id)
    sinceCheckpoint++
    return entry
  }
  while (entries.length < count) {
    if (witness && sinceCheckpoint >= options.checkpointEvery! && entries.length + 1 < count) entries.push(nextCheckpoint())
    else entries.push(nextTransfer())
  }
  const revokeEvery = options.devices?.revokeEvery
  if (revokeEvery) {
    members.forEach((member, i) => {
      const device = payers[i]!
      if (i % revokeEvery !== 0 || device.prev === null) return
      entries.push(make(member, { type: 'revoke', device: device.key, afterSeq: device.seq - 1, afterEntry: device.prev }, lastTime + 1, pool, [device.prev]))
    })
  }
  return { pool, entries, members: members.map((m) => m.key), nextTransfer, ...(witness ? { nextCheckpoint } : {}) }
}
