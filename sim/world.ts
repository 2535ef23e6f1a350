/**
 * Everything one run is made of, shared by the actors, the driver and the
 * checks, plus the ground truth the checks compare devices against (what was
 * forged, which forks were staged, what reached a relay).
 */
import type { Night } from './actors/demurrage.ts'
import type { BetweenPools } from './betweenPools.ts'
import type { DeviceTrouble } from './actors/deviceTrouble.ts'
import type { Repo } from '@automerge/automerge-repo'
import type { Entry, EntryId, InviteEntry, PublicKeyHex, TransferEntry } from '../core/index.ts'
import type { Device } from './device.ts'
import type { FaultNetwork } from './faultNetwork.ts'
import type { KeyPair } from './keys.ts'
import type { PoolPlan } from './poolSetup.ts'
import type { Prng } from './prng.ts'
import type { RelayNode } from './relayNode.ts'
import type { PoolWitnessing, WitnessScenario } from './scenario.ts'
import type { Trace } from './trace.ts'
import type { Witness } from './witness.ts'
import type { WitnessRecords } from './witnessChecks.ts'

export interface PoolCast {
  readonly plan: PoolPlan
  readonly gatekeeper: Device
  /** Members who pay honestly, one device each. */
  readonly honest: Device[]
  /** One member, k devices with one key (two, or three in some witnessed pools): the double spender (absent in some runs). */
  readonly cheater: readonly Device[] | undefined
  /** A member who also forges, alters and replays entries (absent in some runs). */
  readonly forger: Device | undefined
  /** Not a member at first: joins with the gatekeeper's invite (absent in some runs). */
  readonly newcomer: Device | undefined
  /** Not a member: copied the newcomer's invite QR and tries to join with it too (absent in some runs). */
  readonly crasher: Device | undefined
  /** The invite's one-time key, when there is a newcomer. */
  readonly inviteKey: KeyPair | undefined
  /** The invite once the gatekeeper signed it. */
  invite: InviteEntry | undefined
  /** How the pool is witnessed (its genesis names the keys); no witnesses: today's rules. */
  readonly witnessing: PoolWitnessing
  /** Honest members' second devices (actors/linkedDevices.ts); empty when the run plays none. */
  readonly linked: readonly LinkedDevice[]
  /** Devices of gateway services holding a key in this pool (betweenPools.ts); empty when the run has no links. */
  readonly gateways: Device[]
}

/** A member's second device: its own key, certified by the member's phone (issue 17). */
export interface LinkedDevice {
  /** The member's phone, which holds the member key. */
  readonly owner: Device
  readonly device: Device
  /** The certificate once the owner signed it, and the revocation once it removed the device. */
  certificate: EntryId | undefined
  revocation: Entry | undefined
  /** Does this device's ledger hold an accepted revocation of it (its app then stops paying)? */
  revokedSeen(device: Device): boolean
}

/** A certified device that forked its own chain (a restored old backup of its key signed again, issue 17). */
export interface DeviceFork {
  readonly pool: EntryId
  readonly member: PublicKeyHex
  readonly device: Device
  /** The twins at one seq, both signed offline from one head: the first published at once, the backup's later. */
  readonly twins: readonly [TransferEntry, TransferEntry]
  /** Witnessed pools: was the head they forked from covered by the primary's latest checkpoint? */
  readonly fromWitnessedHead: boolean
  /** The backup's twin until it comes online (at `step`). */
  held: { readonly entry: TransferEntry; readonly step: number } | undefined
  /** Entries of the device at or after the fork that some payee's phone showed as accepted, with their amounts. */
  readonly shown: Map<EntryId, number>
}

/** Two devices of one member that revoked each other, offline, at once (issue 17). */
export interface MutualRevocation {
  readonly pool: EntryId
  readonly member: PublicKeyHex
  readonly revocations: readonly Entry[]
}

/** A recovery by the gatekeepers (issue 17): of a member who lost every device, or asked by an impostor while its owner is active. */
export interface StagedRecovery {
  readonly pool: EntryId
  readonly kind: 'lost' | 'active'
  readonly member: PublicKeyHex
  readonly request: Entry
  approval: Entry | undefined
  /** The lost phone, found by a thief after the recovery, signs as the old key: frozen. */
  thief: Entry | undefined
}

export interface StagedFork {
  readonly pool: EntryId
  readonly author: PublicKeyHex
  readonly entries: readonly Entry[]
  /** Devices holding the key (k). */
  readonly phones: number
  /** Witnessed pools: did every phone sign from a chain head the primary's latest checkpoint covered? */
  readonly fromWitnessedHead: boolean | undefined
}

/** The attacks on witnessed pools (actors/attacks.ts), each with what must become of it. */
export type Attack =
  /** The forger, frozen once that freeze was witnessed, signs a transfer dated before the freeze: never accepted. */
  | { readonly kind: 'backdated-after-freeze'; readonly pool: EntryId; readonly entry: Entry; readonly freeze: EntryId }
  /** The forger signs offlineCountMax + 3 transfers at once, dated a rate interval (at least a minute) apart: at most offlineCountMax + 1 accepted (the first may be online). */
  | { readonly kind: 'burst-a-minute-apart'; readonly pool: EntryId; readonly entries: readonly Entry[]; readonly countMax: number }
  /** The cheater signs a twin at a low seq of its chain after a witness covered it: void (equivocation). */
  | { readonly kind: 'late-fork'; readonly pool: EntryId; readonly entry: Entry; readonly twinOf: Entry }
  /** The cheater publishes a twin whose prev it never publishes: the fork is proven and its author frozen. */
  | { readonly kind: 'ghost-twin'; readonly pool: EntryId; readonly entry: Entry; readonly withheld: EntryId }

export interface GroundTruth {
  /**
   * Per pool, canonical lines written into that pool's documents that no device
   * of the pool may take as entries (altered, re-signed, from another pool).
   * Per pool because a line copied from pool B is a forgery in A's documents
   * and a perfectly good entry on B's devices.
   */
  readonly forgedLines: Map<EntryId, Set<string>>
  /** Forks a member made on purpose, each with the entries it signed at the same seq. */
  readonly stagedForks: StagedFork[]
  /** Ids of valid entries of each pool seen in some relay's documents, at snapshots. */
  readonly reachedRelay: Map<EntryId, Set<EntryId>>
  /** Members the gatekeeper froze (pool → keys). */
  readonly frozenByGatekeeper: Map<EntryId, Set<PublicKeyHex>>
  readonly attacks: Attack[]
  /** Ids of entries signed and never published (the ghost twin's prev): nothing may wait for them forever but what names them. */
  readonly withheld: Set<EntryId>
  /** Issue 17: devices that forked their own chain, devices that revoked each other, recoveries (actors/deviceTrouble.ts). */
  readonly deviceForks: DeviceFork[]
  readonly mutualRevocations: MutualRevocation[]
  readonly recoveries: StagedRecovery[]
}

export interface World {
  readonly seed: number
  readonly prng: Prng
  /** The attacks' own stream (actors/attacks.ts): pools without a witness never draw from it. */
  readonly attackPrng: Prng
  /** Standing orders and scheduled payments (actors/standingOrders.ts); undefined when the run has none. */
  readonly ordersPrng: Prng | undefined
  /** Issue 18's stream for gatekeepers' demurrage ticks; undefined when off. */
  readonly ticksPrng: Prng | undefined
  /** Issue 18's stream for recurring requests: asked, accepted, ended, collected by a coordinator (actors/recurringRequests.ts); undefined when off. */
  readonly recurringPrng: Prng | undefined
  /** Issue 18: the step after which the whole world sleeps a day or two (demurrage boundaries pass), if any. */
  readonly night: Night | undefined
  /** Issue 17's stream: members' second devices linked, paying, removed (actors/linkedDevices.ts); undefined when off. */
  readonly devicesPrng: Prng | undefined
  /** Issue 19: rates, trustlines, gateways and path payments (betweenPools.ts); undefined when the seed has none. */
  between: BetweenPools | undefined
  /** Issue 17's trouble: a device's fork, two devices revoking each other, recoveries (actors/deviceTrouble.ts); undefined when off. */
  readonly trouble: DeviceTrouble | undefined
  readonly trace: Trace
  readonly network: FaultNetwork
  readonly relays: RelayNode[]
  /** Witness keys run by relays; the pools name them in their genesis. */
  readonly witnesses: Witness[]
  readonly witnessScenario: WitnessScenario
  /** What devices showed during the run, for the witness checks. */
  readonly records: WitnessRecords
  readonly pools: PoolCast[]
  /** Peers with their own Repo and no key: the vandal and the flooder. */
  readonly strangers: Map<string, Repo>
  readonly truth: GroundTruth
}

export function allDevices(world: World): Device[] {
  const devices: Device[] = []
  for (const cast of world.pools) devices.push(...devicesOf(cast))
  return devices
}

export function devicesOf(cast: PoolCast): Device[] {
  return [
    cast.gatekeeper, ...cast.honest, ...(cast.cheater ?? []), ...(cast.forger ? [cast.forger] : []),
    ...(cast.newcomer ? [cast.newcomer] : []), ...(cast.crasher ? [cast.crasher] : []),
    ...cast.linked.map((l) => l.device), ...cast.gateways,
  ]
}
