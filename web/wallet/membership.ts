/**
 * This member's own membership: joining with a one-time invite (offline, from
 * the link alone), adding a pool from its public link to ask for admission or
 * to bring a restored key's pool back, handing that public link on, and
 * leaving. What a gatekeeper does for others is in gatekeeping.ts.
 */
import { decodeEntry, encodeEntry, fromHex, publicKeyOf, signJoinInvite, verifyEntrySignature, type CloseEntry, type JoinEntry } from '../../core/index.ts'
import type { KeyDerivation } from '../keys/pool-keys.ts'
import type { InvitePayload, PoolPayload } from '../links/link-payloads.ts'
import { done, kept, refused, type Outcome } from './outcome.ts'
import type { WalletParts } from './wallet-parts.ts'

/** The wallet parts Membership uses. */
export type MembershipParts = Pick<WalletParts, 'now' | 'cache' | 'settings' | 'pools' | 'signer'>

export class Membership {
  readonly #parts: MembershipParts

  constructor(parts: MembershipParts) {
    this.#parts = parts
  }

  /**
   * Joins with a one-time invite: the link's genesis, invite and secret are
   * checked before anything is kept, and the join is signed at once, with no
   * network. Returns the pool id.
   */
  async join(payload: InvitePayload): Promise<Outcome<string>> {
    const { cache, pools, signer } = this.#parts
    const genesis = decodeEntry(payload.genesis)
    const invite = decodeEntry(payload.invite)
    if (!genesis.ok || genesis.entry.type !== 'pool' || genesis.entry.id !== payload.pool || !verifyEntrySignature(genesis.entry, cache)) return refused('invite-invalid', 'pool')
    if (!invite.ok || invite.entry.type !== 'invite' || !verifyEntrySignature(invite.entry, cache)) return refused('invite-invalid', 'invite')
    if (invite.entry.pool !== genesis.entry.id) return refused('invite-wrong-pool')
    const inviteSecret = fromHex(payload.secret, 32)
    if (!inviteSecret || publicKeyOf(inviteSecret) !== invite.entry.invitee) return refused('invite-invalid', 'secret')
    const existing = pools.get(payload.pool)
    if (existing && existing.record.status === 'member' && existing.view(this.#parts.now()).role !== 'none') return refused('already-joined')
    const book = existing ?? (await pools.add({ genesis: genesis.entry, derivation: { kind: 'member', pool: payload.pool, index: 0 }, relayUrl: payload.relay, status: 'member', needsChainHead: false }))
    // The gatekeeper's history the link carries lets the invite count at once, offline.
    await pools.ingestLines(book.id, payload.chain ?? [])
    await book.store.put([invite.entry])
    const inviteEntry = invite.entry
    const signed = await signer.sign<JoinEntry>(
      book,
      { type: 'join', invite: inviteEntry.id, invitee: inviteEntry.invitee, inviteSig: signJoinInvite(book.id, inviteEntry.id, book.me, inviteSecret) },
      // Without the gatekeeper's whole history the join waits (pending) for it; it is still this member's to sign.
      { extraDeps: [inviteEntry.id], allowWaiting: true },
    )
    if (!signed.ok) return signed
    if (book.record.status !== 'member') await pools.updateRecord(book, { status: 'member' })
    book.follow?.publish([genesis.entry, inviteEntry])
    return { ok: true, value: book.id }
  }

  /**
   * Adds a pool from its public link (or finds it here already). Returns this
   * device's public key for the pool, which a join request carries.
   */
  async addFromLink(payload: PoolPayload): Promise<Outcome<string>> {
    const { settings, pools } = this.#parts
    const genesis = decodeEntry(payload.genesis)
    if (!genesis.ok || genesis.entry.type !== 'pool' || genesis.entry.id !== payload.pool || !verifyEntrySignature(genesis.entry, this.#parts.cache)) return refused('pool-invalid')
    const existing = pools.get(payload.pool)
    if (existing) return { ok: true, value: existing.me }
    const creator = settings.secretKey({ kind: 'creator', nonce: genesis.entry.nonce })
    // This wallet may have created the pool (a restore from the phrase alone): then it takes the gatekeeper's key back.
    const isCreator = publicKeyOf(creator) === genesis.entry.author
    const derivation: KeyDerivation = isCreator ? { kind: 'creator', nonce: genesis.entry.nonce } : { kind: 'member', pool: payload.pool, index: 0 }
    const book = await pools.add({ genesis: genesis.entry, derivation, relayUrl: payload.relay, status: isCreator ? 'member' : 'requested', needsChainHead: settings.profile.restored })
    return { ok: true, value: book.me }
  }

  /** The public link of a pool: its genesis and relay, no secret. */
  linkPayload(pool: string): PoolPayload | undefined {
    const book = this.#parts.pools.get(pool)
    const genesis = book?.store.entries.get(pool)
    return book && genesis ? { kind: 'pool', pool, relay: book.record.relayUrl, genesis: encodeEntry(genesis) } : undefined
  }

  /** Removes a pool's card from this device only (pools.ts `remove`): nothing is signed. */
  async removeCard(pool: string): Promise<Outcome> {
    if (!this.#parts.pools.get(pool)) return refused('unknown-pool')
    await this.#parts.pools.remove(pool)
    return done()
  }

  /** Leaves a pool; the validator allows it only at balance zero with nothing in flight (close-account.ts says what is in the way). */
  async close(pool: string): Promise<Outcome> {
    const book = this.#parts.pools.get(pool)
    if (!book) return refused('unknown-pool')
    return kept(await this.#parts.signer.sign<CloseEntry>(book, { type: 'close' }))
  }

}
