/**
 * Which device revocations count, and which entries of a revoked device they
 * void: decided from the set of entries and the witness's blocks alone, never
 * from the order entries arrive in (docs/devices.md).
 *
 * A revocation names its cutoff as an entry of the device (`afterEntry`, at
 * `afterSeq`, also in its deps). What stands of the device is exactly the
 * chain that ends there; every other entry of the device — later ones, and a
 * branch that forks off at or before the cutoff — is void (`device-revoked`)
 * wherever it sorts, unless a witness covered it in an earlier block than the
 * revocation: what a witness covered is final. Because the cutoff is an entry
 * and not a time, back-dating does nothing, and a history that branches just
 * before the revocation is void however it is dated.
 *
 * A revocation counts when:
 * - its signer's chain up to it is whole (every prev there, linked, time not
 *   going back) and no twin of it sits in the same or an earlier block (a
 *   fork the witness settled the other way, or one it has not settled);
 * - its cutoff is an entry of the device at `afterSeq`;
 * - it is signed by the member key that certified the device, or by another
 *   device that member key certified (certificates in the same block as the
 *   revocation or earlier);
 * - signed by a device, that device is not itself past a cutoff set by the
 *   member key's revocations in the same block or earlier.
 *
 * A device's revocation never depends on another device's revocation, only
 * on the member key's: two devices that revoke each other are both revoked,
 * with no cycle to break, and the member key settles everything.
 */
import type { Entry, EntryId, PublicKeyHex, RevokeEntry } from './entry.ts'
import type { RejectionReason } from './reasons.ts'
import { short } from './pool-state.ts'

/** What the index is built from: the ledger's entries, their blocks, and which can be applied now. */
export interface RevocationInput {
  readonly entries: readonly Entry[]
  readonly index: ReadonlyMap<EntryId, number>
  /** Rank of the counted checkpoint that first covers each position; a large number for the tail. */
  readonly blockOf: Int32Array
  /** Applied already, or about to be (not pending). */
  applicable(at: number): boolean
  /** Every id at (author, seq) when more than one entry sits there. */
  twins(author: PublicKeyHex, seq: number): readonly EntryId[] | undefined
  /** Positions of every revoke entry, and of every device certificate. */
  readonly revokes: readonly number[]
  readonly certificates: readonly number[]
}

export interface Problem {
  readonly reason: RejectionReason
  readonly detail: string
}

interface Revocation {
  readonly id: EntryId
  readonly block: number
  readonly afterSeq: number
  /** The device's chain up to the cutoff: the only entries of the device that stand. */
  readonly allowed: ReadonlySet<EntryId>
}

/** What never changes about a revocation once it can be applied: its signer's chain, and the device's chain up to the cutoff. */
interface Walked {
  /** Ids of the signer's chain by seq (index seq − 1), ending at the revocation; undefined when it is not whole. */
  readonly chain: readonly EntryId[] | undefined
  readonly chainProblem: string | undefined
  readonly allowed: ReadonlySet<EntryId> | undefined
  readonly targetProblem: string | undefined
}

const NONE: ReadonlySet<EntryId> = new Set()

export class RevocationIndex {
  /** Verdicts of the revocations considered: undefined for one that counts. */
  readonly #verdicts = new Map<EntryId, Problem | undefined>()
  /** Counting revocations by device, then by member (two lookups, no key to build per entry judged). */
  readonly #byDevice = new Map<PublicKeyHex, Map<PublicKeyHex, Revocation[]>>()

  static readonly EMPTY = new RevocationIndex()

  get empty(): boolean {
    return this.#verdicts.size === 0
  }

  /** Why this revocation does not count, or undefined when it does; `unknown` for one the index did not consider (pending). */
  verdict(id: EntryId): Problem | undefined | 'unknown' {
    if (!this.#verdicts.has(id)) return 'unknown'
    return this.#verdicts.get(id)
  }

  /**
   * Is this entry of a device of `member`, in `block`, void because a
   * revocation in the same block or an earlier one leaves it out?
   */
  deviceProblem(member: PublicKeyHex, entry: Entry, block: number): Problem | undefined {
    const list = this.#byDevice.get(entry.author)?.get(member)
    if (!list) return undefined
    for (const revocation of list) {
      if (revocation.block <= block && !revocation.allowed.has(entry.id)) {
        return {
          reason: 'device-revoked',
          detail: `the device was removed by ${short(revocation.id)}; only its chain up to seq ${revocation.afterSeq} stands, and this is seq ${entry.seq}${entry.seq <= revocation.afterSeq ? ' on another branch' : ''}`,
        }
      }
    }
    return undefined
  }

  /** Builds the index; `memo` keeps each revocation's walks (they never change once it is applicable). */
  static build(input: RevocationInput, memo: Map<EntryId, Walked>): RevocationIndex {
    const index = new RevocationIndex()
    if (input.revokes.length === 0) return index
    const { entries, blockOf } = input
    // By id, not by arrival: which revocation a verdict names must not depend on the order entries came in.
    const byId = (a: number, b: number) => (entries[a]!.id < entries[b]!.id ? -1 : 1)
    // Who certified each key, and in which block.
    const certifiers = new Map<PublicKeyHex, { member: PublicKeyHex; block: number }[]>()
    for (const at of [...input.certificates].sort(byId)) {
      const cert = entries[at]!
      if (cert.type !== 'device') continue
      let list = certifiers.get(cert.device)
      if (!list) certifiers.set(cert.device, (list = []))
      list.push({ member: cert.author, block: blockOf[at]! })
    }
    const certifiedBy = (key: PublicKeyHex, member: PublicKeyHex, block: number) =>
      certifiers.get(key)?.some((c) => c.member === member && c.block <= block) ?? false

    const byDevice: { revocation: Revocation; member: PublicKeyHex; entry: RevokeEntry; at: number }[] = []
    for (const at of [...input.revokes].sort(byId)) {
      if (!input.applicable(at)) continue
      const entry = entries[at] as RevokeEntry
      const block = blockOf[at]!
      let walked = memo.get(entry.id)
      if (!walked) memo.set(entry.id, (walked = walk(input, at)))
      const problem = walked.chainProblem !== undefined ? { reason: 'bad-chain' as const, detail: walked.chainProblem }
        : forkProblem(input, entry, walked.chain!, at)
          ?? (walked.targetProblem !== undefined ? { reason: 'bad-cutoff' as const, detail: walked.targetProblem } : undefined)
      if (problem) {
        index.#verdicts.set(entry.id, problem)
        continue
      }
      const revocation: Revocation = { id: entry.id, block, afterSeq: entry.afterSeq, allowed: walked.allowed! }
      if (certifiedBy(entry.device, entry.author, block)) {
        index.#add(entry.author, entry.device, revocation)
        index.#verdicts.set(entry.id, undefined)
        continue
      }
      const members = (certifiers.get(entry.device) ?? [])
        .filter((c) => c.block <= block && certifiedBy(entry.author, c.member, block)).map((c) => c.member)
      if (members.length === 0) {
        index.#verdicts.set(entry.id, { reason: 'not-device', detail: `${short(entry.device)} is not a device of ${short(entry.author)}, nor of a member that certified ${short(entry.author)}` })
        continue
      }
      for (const member of new Set(members)) byDevice.push({ revocation, member, entry, at })
    }
    // A device's revocation counts unless the member key's own revocations of that device leave it out.
    const memberKeyOnly = new Map([...index.#byDevice].map(([device, byMember]) => [device, new Map([...byMember].map(([m, list]) => [m, [...list]]))]))
    for (const { revocation, member, entry, at } of byDevice) {
      const removed = memberKeyOnly.get(entry.author)?.get(member)?.find((r) => r.block <= blockOf[at]! && !r.allowed.has(entry.id))
      if (removed) {
        if (!index.#verdicts.has(entry.id)) index.#verdicts.set(entry.id, { reason: 'device-revoked', detail: `its signer was removed by ${short(removed.id)} before it` })
        continue
      }
      index.#add(member, entry.device, revocation)
      index.#verdicts.set(entry.id, undefined)
    }
    return index
  }

  #add(member: PublicKeyHex, device: PublicKeyHex, revocation: Revocation): void {
    let byMember = this.#byDevice.get(device)
    if (!byMember) this.#byDevice.set(device, (byMember = new Map()))
    const list = byMember.get(member)
    if (list) list.push(revocation)
    else byMember.set(member, [revocation])
  }
}

/** The signer's chain from the revocation back to seq 1, and the device's chain up to the cutoff. */
function walk(input: RevocationInput, at: number): Walked {
  const { entries, index } = input
  const entry = entries[at] as RevokeEntry
  const chain: EntryId[] = new Array<EntryId>(entry.seq)
  let chainProblem: string | undefined
  for (let e: Entry = entry; ;) {
    chain[e.seq - 1] = e.id
    if (e.prev === null) break
    const prevAt = index.get(e.prev)
    const prev = prevAt === undefined ? undefined : entries[prevAt]!
    if (!prev || prev.author !== e.author || prev.seq !== e.seq - 1 || prev.time > e.time) {
      chainProblem = `the signer's chain does not hold together at seq ${e.seq}`
      break
    }
    e = prev
  }
  let allowed: Set<EntryId> | undefined
  let targetProblem: string | undefined
  if (entry.afterSeq === 0) allowed = NONE as Set<EntryId>
  else {
    const targetAt = index.get(entry.afterEntry!)
    const target = targetAt === undefined ? undefined : entries[targetAt]!
    if (!target || target.author !== entry.device || target.seq !== entry.afterSeq) {
      targetProblem = `afterEntry ${short(entry.afterEntry!)} is not the device's entry at seq ${entry.afterSeq}`
    } else {
      allowed = new Set()
      for (let e: Entry | undefined = target; e; ) {
        allowed.add(e.id)
        if (e.prev === null) break
        const prevAt = index.get(e.prev)
        const prev = prevAt === undefined ? undefined : entries[prevAt]
        e = prev && prev.author === e.author && prev.seq === e.seq - 1 ? prev : undefined
      }
    }
  }
  return { chain: chainProblem ? undefined : chain, chainProblem, allowed, targetProblem }
}

/** A twin of the signer's chain, at or below the revocation, in the same block as the chain's entry or an earlier one. */
function forkProblem(input: RevocationInput, entry: RevokeEntry, chain: readonly EntryId[], at: number): Problem | undefined {
  for (let seq = 1; seq <= entry.seq; seq++) {
    const twins = input.twins(entry.author, seq)
    if (!twins) continue
    const mine = chain[seq - 1]!
    const mineBlock = input.blockOf[seq === entry.seq ? at : input.index.get(mine)!]!
    for (const twin of twins) {
      if (twin === mine) continue
      if (input.blockOf[input.index.get(twin)!]! <= mineBlock) {
        return { reason: 'equivocation', detail: `its signer signed two entries at seq ${seq}, and a witness did not settle it for this branch first` }
      }
    }
  }
  return undefined
}
