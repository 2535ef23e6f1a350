/**
 * What a gatekeeper does for others: creating a pool (its creator is its
 * first gatekeeper), signing one-time invites and keeping their links to show
 * again, keeping the join requests that came by link or QR code and admitting
 * or refusing them, and freezing a member. The validator decides whether
 * this device's key may do each (core/rules/membership.ts); the screens only
 * offer them to a gatekeeper.
 */
import { encodeEntry, publicKeyOf, signEntry, toHex, type AdmitEntry, type FreezeEntry, type InviteEntry, type MemberLimits, type Policy, type PolicyEntry, type PoolEntry, type PublicKeyHex } from '../../core/index.ts'
import type { KeyDerivation } from '../keys/pool-keys.ts'
import type { InvitePayload } from '../links/link-payloads.ts'
import type { InviteRecord, JoinRequestRecord } from '../storage/wallet-db.ts'
import { trimmedName } from './contacts.ts'
import { inviteChain } from './history-in-links.ts'
import { probeRelayWitness } from './pool-witness.ts'
import { done, kept, refused, type Outcome } from './outcome.ts'
import { labelInvite } from './pools.ts'
import type { WalletParts } from './wallet-parts.ts'

/** Bytes of randomness that make a pool's creator key unique among the pools one phrase creates. */
const CREATOR_NONCE_BYTES = 16
/** An invite's one-time secret: an Ed25519 secret key, whose public key the invite names. */
const INVITE_SECRET_BYTES = 32

/** The wallet parts Gatekeeping uses. */
export type GatekeepingParts = Pick<WalletParts, 'db' | 'now' | 'changed' | 'settings' | 'pools' | 'signer'>

export class Gatekeeping {
  readonly #parts: GatekeepingParts

  constructor(parts: GatekeepingParts) {
    this.#parts = parts
  }

  /** Signs a new pool's genesis with a fresh creator key; a policy core refuses comes back as `pool-invalid`. */
  async createPool(policy: Policy): Promise<Outcome<string>> {
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(CREATOR_NONCE_BYTES)))
    const derivation: KeyDerivation = { kind: 'creator', nonce }
    const secretKey = this.#parts.settings.secretKey(derivation)
    const author = publicKeyOf(secretKey)
    let genesis: PoolEntry
    try {
      genesis = signEntry<PoolEntry>({ type: 'pool', author, seq: 1, prev: null, deps: [], time: this.#parts.now(), policy, nonce }, secretKey)
    } catch (error) {
      return refused('pool-invalid', (error as Error).message)
    }
    await this.#parts.pools.add({ genesis, derivation, secretKey, relayUrl: '', status: 'member', needsChainHead: false })
    return { ok: true, value: genesis.id }
  }

  /**
   * Signs a one-time invite and returns what its link carries: the genesis,
   * the invite, its secret, and the gatekeeper's chain before it when small
   * enough (history-in-links.ts), so the newcomer can join offline.
   */
  async createInvite(pool: string, label: string, limits: MemberLimits = {}): Promise<Outcome<InvitePayload>> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    const inviteSecret = crypto.getRandomValues(new Uint8Array(INVITE_SECRET_BYTES))
    const invitee = publicKeyOf(inviteSecret)
    const signed = await this.#parts.signer.sign<InviteEntry>(book, { type: 'invite', invitee, ...limits })
    if (!signed.ok) return signed
    const genesis = book.store.entries.get(book.id)
    if (!genesis) return refused('unknown-pool')
    const chain = inviteChain(book.store.entries, signed.value)
    return {
      ok: true,
      value: {
        kind: 'invite',
        pool,
        relay: book.record.relayUrl,
        genesis: encodeEntry(genesis),
        invite: encodeEntry(signed.value),
        secret: toHex(inviteSecret),
        ...(trimmedName(label) ? { label: trimmedName(label) } : {}),
        ...(chain.length > 0 ? { chain } : {}),
      },
    }
  }

  async rememberInvite(record: InviteRecord): Promise<void> {
    await this.#parts.db.put('invites', record)
    const book = this.#parts.pools.get(record.pool)
    if (book) labelInvite(book, record.id, record.label)
    this.#parts.changed()
  }

  /** Invites handed out in a pool, newest first. */
  async invites(pool: string): Promise<InviteRecord[]> {
    return (await this.#parts.db.getAllFromIndex('invites', 'by-pool', pool)).sort((a, b) => b.createdAt - a.createdAt)
  }

  /** Keeps a join request; one already answered stays answered when the same link is opened again. */
  async recordJoinRequest(request: JoinRequestRecord): Promise<Outcome> {
    const { db } = this.#parts
    if (!this.#parts.pools.get(request.pool)) return refused('unknown-pool')
    const known = await db.get('requests', [request.pool, request.member])
    if (!known || known.state === 'waiting') await db.put('requests', request)
    labelInvite(this.#parts.pools.get(request.pool)!, request.member, (known && known.state !== 'waiting' ? known : request).name)
    this.#parts.changed()
    return done()
  }

  /** Join requests of a pool, newest first. */
  async joinRequests(pool: string): Promise<JoinRequestRecord[]> {
    return (await this.#parts.db.getAllFromIndex('requests', 'by-pool', pool)).sort((a, b) => b.at - a.at)
  }

  /** Admits `member` with `limits`; its request, if one came, is marked approved and its name kept as a contact. */
  async approveJoinRequest(pool: string, member: string, limits: MemberLimits = {}): Promise<Outcome> {
    const { db, now, pools, signer } = this.#parts
    const book = pools.get(pool)
    if (!book) return refused('unknown-pool')
    const signed = await signer.sign<AdmitEntry>(book, { type: 'admit', member: member as PublicKeyHex, role: 'member', ...limits })
    if (!signed.ok) return signed
    const request = await db.get('requests', [pool, member])
    // The name the request carried stays a label (people.ts) until the member signs one: it is theirs to choose.
    if (request) await db.put('requests', { ...request, state: 'approved', at: now() })
    this.#parts.changed()
    return done()
  }

  /** Marks a join request refused; nothing is signed, so the member simply stays out. */
  async refuseJoinRequest(pool: string, member: string): Promise<void> {
    const { db, now } = this.#parts
    const request = await db.get('requests', [pool, member])
    if (request) await db.put('requests', { ...request, state: 'refused', at: now() })
    this.#parts.changed()
  }

  /**
   * Names `witness` as the pool's witness, so that a pool created offline (or
   * through a relay that did not witness) gets its payments confirmed from now
   * on. Only the creator may (core/rules/policy.ts); the validator says so.
   */
  async addWitness(pool: string, witness: PublicKeyHex | { relayUrl: string }): Promise<Outcome> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    if (typeof witness !== 'string') {
      // The relay's own key, asked for as at pool creation (pool-witness.ts).
      const probe = await probeRelayWitness(witness.relayUrl)
      if (!probe.ok) return refused('no-relay-witness', probe.problem)
      witness = probe.key
    }
    return kept(await this.#parts.signer.sign<PolicyEntry>(book, { type: 'policy', policy: { witnesses: [witness] } }))
  }

  /** Freezes a member, with the reason every member will read, when one is given. */
  async freeze(pool: string, member: string, reason: string): Promise<Outcome> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    // The freeze names the tip of every branch of the member's chain this device holds, so a witness
    // orders what the gatekeeper saw before the freeze and the freeze voids none of it (Ledger.branchTips).
    const tips = book.ledger.branchTips(member as PublicKeyHex)
    return kept(await this.#parts.signer.sign<FreezeEntry>(book, { type: 'freeze', member: member as PublicKeyHex, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { extraDeps: tips }))
  }
}
