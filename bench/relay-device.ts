/**
 * One device for bench/relay.ts, in its own process so that its memory is its
 * own: it fetches a pool, goes offline, comes back and catches up, and
 * reports times and memory to the parent over IPC.
 *
 * Verification: the initial fetch uses Node's native Ed25519 (only to get the
 * device into place quickly); the measured catch-up uses the reference
 * verifier (@noble/ed25519), as a device without a proven native path would.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto'
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { referenceVerify, type Entry, type EntryId, type Verifier } from '../core/index.ts'
import { MemoryVerifiedStore, PoolSync, ResilientWebSocketClientAdapter } from '../core/sync/index.ts'

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const keyCache = new Map<string, ReturnType<typeof createPublicKey>>()
const nativeVerify: Verifier = (signature, message, publicKey) => {
  const hex = Buffer.from(publicKey).toString('hex')
  let key = keyCache.get(hex)
  if (!key) keyCache.set(hex, (key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' })))
  return nodeVerify(null, message, key, signature)
}

type Command =
  | { cmd: 'fetch'; syncUrl: string; genesis: Entry; expect: number }
  | { cmd: 'offline' }
  | { cmd: 'online'; expect: number }

let repo: Repo | undefined
let adapter: ResilientWebSocketClientAdapter | undefined
let store: MemoryVerifiedStore | undefined
let sync: PoolSync | undefined
let verifier: Verifier = nativeVerify

function send(message: Record<string, unknown>): void {
  process.send!(message)
}

async function waitForCount(count: number, sampleRss: boolean): Promise<{ ms: number; peakRssBytes: number }> {
  const started = performance.now()
  let peak = process.memoryUsage.rss()
  let last = -1
  let lastAt = performance.now()
  while ((store?.size ?? 0) < count) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    if (sampleRss) peak = Math.max(peak, process.memoryUsage.rss())
    // A sync that lost a message stalls until the next connection (see ResilientWebSocketClientAdapter.reconnect).
    if (sampleRss && store!.size !== last && process.env.HEROES_BENCH_TRACE) process.stderr.write(`${(performance.now() - started).toFixed(0)} ms: ${store!.size}\n`)
    if (store!.size !== last) {
      last = store!.size
      lastAt = performance.now()
    } else if (performance.now() - lastAt > 5000) {
      process.stderr.write(`(device stalled at ${last} entries; reconnecting) ${JSON.stringify(sync?.stats())}\n`)
      adapter!.reconnect()
      lastAt = performance.now()
    }
  }
  return { ms: performance.now() - started, peakRssBytes: peak }
}

process.on('message', (command: Command) => {
  void (async () => {
    if (command.cmd === 'fetch') {
      adapter = new ResilientWebSocketClientAdapter(command.syncUrl, 500)
      repo = new Repo({ network: [adapter], peerId: `bench-device-${process.pid}` as PeerId })
      store = new MemoryVerifiedStore([command.genesis])
      sync = new PoolSync({ repo, pool: command.genesis.id as EntryId, store, verifier: (s, m, k) => verifier(s, m, k) })
      await new Promise((resolve) => setTimeout(resolve, 300))
      await sync!.start()
      const result = await waitForCount(command.expect, false)
      send({ done: 'fetch', ms: result.ms, rssBytes: process.memoryUsage.rss(), documents: sync!.stats().documentsFollowed })
    } else if (command.cmd === 'offline') {
      adapter!.disconnect()
      send({ done: 'offline' })
    } else if (command.cmd === 'online') {
      verifier = referenceVerify
      const rssBefore = process.memoryUsage.rss()
      adapter!.connect(repo!.peerId, { isEphemeral: true })
      const result = await waitForCount(command.expect, true)
      send({ done: 'online', ms: result.ms, rssBeforeBytes: rssBefore, peakRssBytes: result.peakRssBytes })
    }
  })().catch((error: unknown) => send({ error: error instanceof Error ? error.message : String(error) }))
})
