/**
 * Several pools linked by trustlines, for tests of rates, trustlines and
 * path payments: each pool has its gatekeeper, a witness, members and one
 * gateway key per linked pool, all derived from names.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import {
  manifestOf, toHex, utf8, type Entry, type EntryId, type FulfilEntry, type HourRate, type PaymentPath, type PoolManifest,
  type PrepareEntry, type PublicKeyHex,
} from '../index.ts'
import { PoolBuilder, T0, actor, type Actor } from './fixtures.ts'

export const SECOND = 1000
export const ASOF = T0 + 30 * 86_400_000

export interface LinkedPool {
  readonly name: string
  readonly p: PoolBuilder
  readonly witness: Actor
  /** This pool's gateway for another pool, by that pool's name. */
  gateway(peer: string): Actor
}

export function linkedPool(name: string, hourRate: HourRate, decimals = 2, members: readonly Actor[] = []): LinkedPool {
  const witness = actor(`witness-${name}`)
  const p = new PoolBuilder({ name, decimals, hourRate, witnesses: [witness.key], minBalance: -1_000_000, maxBalance: null } as never, actor(`gatekeeper-${name}`))
  members.forEach((m, i) => p.admit(m, T0 + 1 + i))
  return { name, p, witness, gateway: (peer) => actor(`gateway-${name}-for-${peer}`) }
}

/** A gatekeeper of `x` signs "x trusts y up to `hours` HOUR", naming x's gateway for y. */
export function trust(x: LinkedPool, y: LinkedPool, hours: number, time: number, by = x.p.gatekeeper): Entry {
  return x.p.sign(by, 'trust', { peer: y.p.pool, limitHours: hours, gateway: x.gateway(y.name).key }, { time })
}

/** Both pools trust each other (both name a gateway, so money can flow both ways). */
export function link(x: LinkedPool, y: LinkedPool, hoursXY: number, hoursYX: number, time: number): void {
  trust(x, y, hoursXY, time)
  trust(y, x, hoursYX, time)
}

export function preimageOf(label: string): string {
  return toHex(sha256(utf8('heroes test preimage ' + label)))
}

export function conditionOf(preimage: string): string {
  const bytes = new Uint8Array(32)
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(preimage.slice(2 * i, 2 * i + 2), 16)
  return toHex(sha256(bytes))
}

export function prepare(p: PoolBuilder, from: Actor, to: PublicKeyHex, amount: number, condition: string, expires: number, time: number, path?: PaymentPath, deps: EntryId[] = []): PrepareEntry {
  return p.sign<PrepareEntry>(from, 'prepare', { to, amount, condition, expires, ...(path ? { path } : {}) }, { time, deps })
}

export function fulfil(p: PoolBuilder, by: Actor, target: Entry, preimage: string, time: number): FulfilEntry {
  return p.sign<FulfilEntry>(by, 'fulfil', { entry: target.id, preimage }, { time, deps: [target.id] })
}

export function cancel(p: PoolBuilder, by: Actor, target: Entry, time: number): Entry {
  return p.sign(by, 'cancel', { entry: target.id }, { time, deps: [target.id] })
}

export function manifests(pools: readonly LinkedPool[], asOf = ASOF): PoolManifest[] {
  return pools.map((x) => manifestOf(x.p.replay(asOf))!)
}

/** The actor holding `key` among the pools' gateways. */
export function gatewayActor(pools: readonly LinkedPool[], key: PublicKeyHex): Actor {
  for (const x of pools) for (const y of pools) if (x.gateway(y.name).key === key) return x.gateway(y.name)
  throw new Error(`no gateway with key ${key}`)
}

/** The sum of every balance in a pool's replay (zero in mutual credit, gateways included). */
export function sumOf(p: PoolBuilder, asOf = ASOF): number {
  return Object.values(p.replay(asOf).balances).reduce((a, b) => a + b, 0)
}
