/**
 * A process full of devices, for bench/sync.ts: the parent hands it pools
 * (their entries and the keys of the members it hosts); each member gets its
 * own Repo, WebSocket and PoolSync, as a phone would. On `go` it pays on a
 * schedule and every device records how long each payment by someone else
 * took to arrive (Date.now() at arrival − the payment's signed time, which the
 * payer set to Date.now() when signing; one machine, one clock).
 *
 * Devices in a host share one SignatureCache in front of the hybrid verifier
 * (each payment is verified once per host, not once per device) so that what
 * is measured is the relay and the sync, not one CPU verifying 1,000 times.
 */
import { Repo, type PeerId } from '@automerge/automerge-repo'
import {
  chainHead, fromHex, signEntry, SignatureCache, type Entry, type EntryId, type PublicKeyHex, type TransferEntry,
} from '../core/index.ts'
import { MemoryVerifiedStore, PoolSync, ResilientWebSocketClientAdapter } from '../core/sync/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'

export interface HostedPool {
  readonly entries: Entry[]
  /** The members this host runs a device for. */
  readonly members: Array<{ publicKey: PublicKeyHex; secretKeyHex: string }>
  /** Index of this pool among all pools of the run: spreads payments over each second. */
  readonly index: number
}

export type HostCommand =
  | { cmd: 'start'; syncUrl: string; pools: HostedPool[]; connectAtOnce: number }
  /** Pays from `startAt` on; arrivals of payments signed before `recordFrom` (a warm-up) are not recorded. */
  | { cmd: 'go'; startAt: number; recordFrom: number; seconds: number; paymentsPerSecond: number; totalPools: number; payers: 'rotate' | 'first' }
  /** Latencies seen since `go`, this process's RSS, and its CPU time since `go`. */
  | { cmd: 'collect' }
  | { cmd: 'close' }

export type HostReply =
  | { done: 'start'; devices: number; ms: number }
  | { done: 'go'; paid: number }
  | { done: 'collect'; latencies: number[]; rssBytes: number; cpuMicros: number }
  | { done: 'close' }
  | { error: string }

interface Device {
  readonly publicKey: PublicKeyHex
  readonly secretKey: Uint8Array
  readonly sync: PoolSync
  readonly adapter: ResilientWebSocketClientAdapter
  close(): Promise<void>
}

interface Pool {
  readonly id: EntryId
  readonly index: number
  readonly entries: Entry[]
  readonly devices: Device[]
  /** Every member's public key, payees included. */
  readonly everyone: PublicKeyHex[]
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const cache = new SignatureCache()
const pools: Pool[] = []
const latencies: number[] = []
let deviceCounter = 0
let recordFrom = Infinity

function reply(message: HostReply): void {
  process.send!(message)
}

async function openDevice(syncUrl: string, pool: HostedPool, member: HostedPool['members'][number]): Promise<Device> {
  const adapter = new ResilientWebSocketClientAdapter(syncUrl, 1000)
  const repo = new Repo({ network: [adapter], peerId: `bench-${process.pid}-${deviceCounter++}` as PeerId })
  const store = new MemoryVerifiedStore(pool.entries)
  const sync = new PoolSync({ repo, pool: pool.entries[0]!.id, store, signatureCache: cache, verifier: verifyEd25519 })
  for (let i = 0; i < 250 && !(adapter.remotePeerId && repo.peers.length > 0); i++) await sleep(20)
  sync.onEntries((entries) => {
    const now = Date.now()
    for (const entry of entries) {
      if (entry.type === 'transfer' && entry.author !== member.publicKey && entry.time >= recordFrom) latencies.push(now - entry.time)
    }
  })
  await sync.start()
  const secretKey = fromHex(member.secretKeyHex, 32)
  if (!secretKey) throw new Error('expected a 32-byte secret key in hex')
  return {
    publicKey: member.publicKey, secretKey, sync, adapter,
    close: async () => {
      sync.close()
      await repo.shutdown().catch(() => {})
    },
  }
}

async function start(command: Extract<HostCommand, { cmd: 'start' }>): Promise<void> {
  const started = performance.now()
  const jobs: Array<() => Promise<void>> = []
  for (const hosted of command.pools) {
    const pool: Pool = {
      id: hosted.entries[0]!.id, index: hosted.index, entries: [...hosted.entries], devices: [],
      everyone: [...new Set(hosted.entries.flatMap((entry) => (entry.type === 'admit' ? [entry.member] : entry.type === 'pool' ? [entry.author] : [])))],
    }
    pools.push(pool)
    for (const member of hosted.members) jobs.push(async () => void pool.devices.push(await openDevice(command.syncUrl, hosted, member)))
  }
  // A few devices connect at a time, like phones coming online, not a thundering herd.
  for (let at = 0; at < jobs.length; at += command.connectAtOnce) await Promise.all(jobs.slice(at, at + command.connectAtOnce).map((job) => job()))
  for (const pool of pools) pool.devices.sort((a, b) => (a.publicKey < b.publicKey ? -1 : 1))
  await Promise.all(pools.flatMap((pool) => pool.devices.map((device) => device.sync.settled())))
  reply({ done: 'start', devices: pools.reduce((sum, pool) => sum + pool.devices.length, 0), ms: performance.now() - started })
}

function pay(pool: Pool, payer: Device): void {
  const payees = pool.everyone.filter((key) => key !== payer.publicKey)
  const to = payees[pool.entries.length % payees.length]!
  const head = chainHead(pool.entries, pool.id, payer.publicKey)
  const payment = signEntry<TransferEntry>({
    pool: pool.id, author: payer.publicKey, seq: head.seq, prev: head.prev, deps: [], time: Math.max(Date.now(), head.time),
    type: 'transfer', to, amount: 1,
  } as never, payer.secretKey)
  pool.entries.push(payment)
  void payer.sync.publish([payment])
}

let cpuAtGo: NodeJS.CpuUsage | undefined

async function go(command: Extract<HostCommand, { cmd: 'go' }>): Promise<void> {
  cpuAtGo = process.cpuUsage()
  latencies.length = 0
  recordFrom = command.recordFrom
  const slots: Array<{ at: number; pool: Pool; payer: Device }> = []
  const interval = 1000 / command.paymentsPerSecond
  for (let tick = 0; tick < command.seconds * command.paymentsPerSecond; tick++) {
    for (const pool of pools) {
      if (pool.devices.length === 0) continue
      const payer = command.payers === 'first' ? pool.devices[0]! : pool.devices[(tick + pool.index) % pool.devices.length]!
      slots.push({ at: command.startAt + tick * interval + (pool.index / command.totalPools) * interval, pool, payer })
    }
  }
  slots.sort((a, b) => a.at - b.at)
  for (const slot of slots) {
    const wait = slot.at - Date.now()
    if (wait > 0) await sleep(wait)
    pay(slot.pool, slot.payer)
  }
  reply({ done: 'go', paid: slots.length })
}

process.on('message', (command: HostCommand) => {
  void (async () => {
    if (command.cmd === 'start') await start(command)
    else if (command.cmd === 'go') await go(command)
    else if (command.cmd === 'collect') {
      const cpu = process.cpuUsage(cpuAtGo)
      reply({ done: 'collect', latencies: latencies.splice(0), rssBytes: process.memoryUsage.rss(), cpuMicros: cpu.user + cpu.system })
    } else if (command.cmd === 'close') {
      // A Repo's shutdown can wait on a peer that is gone; the process ends anyway.
      await Promise.race([Promise.all(pools.flatMap((pool) => pool.devices.map((device) => device.close()))), sleep(2000)])
      reply({ done: 'close' })
      process.exit(0)
    }
  })().catch((error: unknown) => reply({ error: error instanceof Error ? error.stack ?? error.message : String(error) }))
})
