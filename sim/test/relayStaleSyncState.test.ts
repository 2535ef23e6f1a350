/**
 * BUG (found by seed 3, `npm run sim -- --seed 3 --devices 4 --steps 10 --stock-relay`):
 * a relay run as sync-server runs it (announce to peer relays only) never
 * re-sends a change that was lost in a connection that broke, even when the
 * client reconnects and asks for it by hash; the two then exchange sync
 * messages forever (a storm of ~2,000 messages per second) and the client
 * never sees the entry.
 *
 * Why: automerge-repo 2.5.6 keeps each DocSynchronizer's per-peer sync state
 * across a disconnect (DocSynchronizer.endSync removes the peer but not its
 * #syncStates entry) and resets it (beginSync round-trips it through
 * encodeSyncState, dropping `sentHashes`) only for peers the share policy
 * announces to. automerge's generateSyncMessage never sends a change whose
 * hash is in `sentHashes`, so the lost change is never sent again.
 *
 * Fixed in sync-server/relay.ts: the relay re-announces to a returning client
 * the documents it had touched (sync-server/peerDocuments.ts), which makes
 * automerge-repo begin their sync again with a reset state; sim/relayNode.ts
 * runs the same policy. The first test pins that fix; the second shows the
 * older workaround (resyncReconnectingClients) also works.
 */
import * as Automerge from '@automerge/automerge'
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { afterEach, describe, expect, it } from 'vitest'
import { FaultNetwork, NO_FAULTS } from '../faultNetwork.ts'
import { Prng } from '../prng.ts'
import { RelayNode } from '../relayNode.ts'
import { Trace } from '../trace.ts'
import { VirtualClock } from '../virtualClock.ts'

interface Doc {
  entries: Record<string, Automerge.ImmutableString>
}

let clock: VirtualClock | undefined
afterEach(() => clock?.uninstall())

async function lostChangeIsRecovered(patchedRelay: boolean): Promise<{ received: number; messages: number }> {
  clock = new VirtualClock(Date.UTC(2026, 10, 22))
  clock.install()
  const trace = new Trace(50, () => clock!.now)
  const network = new FaultNetwork(new Prng(1, 'net'), trace, NO_FAULTS)
  for (const name of ['relay', 'writer', 'reader']) network.addNode(name)
  network.wantLink('writer', 'relay')
  network.wantLink('reader', 'relay')
  new RelayNode('relay', network, () => false, trace, patchedRelay)
  const device = (name: string): Repo => new Repo({ network: [network.adapterFor(name, `${name}#1` as PeerId)], peerId: `${name}#1` as PeerId, sharePolicy: async () => true })
  const writer = device('writer')
  const reader = device('reader')
  await clock.advance(100)

  const handle = writer.create<Doc>({ entries: {} })
  handle.change((d) => (d.entries.one = new Automerge.ImmutableString('1')))
  await clock.advance(1_000)
  // find() waits on the network, which runs on virtual time: let time pass while it waits.
  const finding = reader.find<Doc>(handle.url)
  await clock.advance(2_000)
  const readerHandle = await finding
  expect(Object.keys(readerHandle.doc().entries)).toEqual(['one'])

  // The relay's message carrying "two" to the reader dies with the connection; the reader reconnects.
  network.cutOnNextMessage('relay', 'reader')
  handle.change((d) => (d.entries.two = new Automerge.ImmutableString('2')))
  await clock.advance(10_000)
  // A later change arrives: the reader cannot apply it without "two", and asks for it.
  handle.change((d) => (d.entries.three = new Automerge.ImmutableString('3')))
  const before = network.stats.sent
  await clock.advance(20_000)
  return { received: Object.keys(readerHandle.doc().entries).length, messages: network.stats.sent - before }
}

describe('a client reconnecting to a relay after a change was lost in flight', () => {
  it('gets the lost change again from a relay run as sync-server runs it (fixed: PeerDocuments re-announces)', async () => {
    const { received, messages } = await lostChangeIsRecovered(false)
    expect({ received, storm: messages > 5_000 }).toEqual({ received: 3, storm: false })
  })

  it('gets it when the relay re-begins sync with returning clients (the suggested fix)', async () => {
    const { received, messages } = await lostChangeIsRecovered(true)
    expect(received).toBe(3)
    expect(messages).toBeLessThan(1_000)
  })
})
