/**
 * Two joins with one invite (the invite's secret was copied): every device
 * must end up holding both, or devices disagree about which one stands. The
 * case that matters: a device that already saw the first join and restarted,
 * when the second join reaches the relay only afterwards. Discovery alone
 * stops asking for a used invite's slot; PoolSync still follows it because it
 * follows the home document of every entry it holds (the first join's home
 * includes the slot). This test pins that.
 */
import { describe, expect, it } from 'vitest'
import { replay, signJoinInvite, type InviteEntry, type JoinEntry } from '../../core/index.ts'
import { inProcessRelay } from './inProcessRelay.ts'
import { connectClient, ids, waitFor } from './clients.ts'
import { makePool, member } from '../../core/sync/test/poolFixture.ts'

describe('racing joins with one invite', () => {
  const shared = inProcessRelay('heroes-racing-joins-')
  const toClose = shared.toClose

  it('a device that restarted after the first join still receives the second', async () => {
    const fixture = makePool(1)
    const inviteKey = member()
    const invite = fixture.next<InviteEntry>(fixture.gatekeeper, { type: 'invite', invitee: inviteKey.publicKey })
    const newcomer = member()
    const crasher = member()
    const firstJoin = fixture.next<JoinEntry>(newcomer, {
      type: 'join', invite: invite.id, invitee: inviteKey.publicKey, deps: [invite.id],
      inviteSig: signJoinInvite(fixture.pool, invite.id, newcomer.publicKey, inviteKey.secretKey),
    })
    // Dated before the first join, so it stands once seen: a device that misses it counts the wrong member in.
    const secondJoin = fixture.next<JoinEntry>(crasher, {
      type: 'join', invite: invite.id, invitee: inviteKey.publicKey, deps: [invite.id],
      inviteSig: signJoinInvite(fixture.pool, invite.id, crasher.publicKey, inviteKey.secretKey),
    }, invite.time + 1_000)
    const beforeCrasher = fixture.entries.filter((entry) => entry.id !== secondJoin.id)

    const gate = await connectClient(shared.relay.syncUrl, fixture.pool)
    toClose.push(gate)
    await gate.sync.publish(beforeCrasher)

    const bob = await connectClient(shared.relay.syncUrl, fixture.pool, [fixture.genesis])
    toClose.push(bob)
    await waitFor(async () => (await bob.store.all()).length === beforeCrasher.length, 10_000, 'bob to hold the first join')
    await bob.close()

    // Bob's app starts again over what it kept; only then does the copied invite get used.
    const bobAgain = await connectClient(shared.relay.syncUrl, fixture.pool, await bob.store.all())
    toClose.push(bobAgain)
    const crasherDevice = await connectClient(shared.relay.syncUrl, fixture.pool, beforeCrasher)
    toClose.push(crasherDevice)
    await crasherDevice.sync.publish([secondJoin])

    await waitFor(async () => (await bobAgain.store.all()).some((entry) => entry.id === secondJoin.id), 10_000, 'the restarted device to receive the second join')
    await waitFor(async () => (await gate.store.all()).some((entry) => entry.id === secondJoin.id), 10_000, 'the gatekeeper to receive the second join')
    expect(ids(await bobAgain.store.all())).toEqual(ids(fixture.entries))
    const asOf = secondJoin.time + 3_600_000
    const bobView = replay(await bobAgain.store.all(), { asOf, pool: fixture.pool })
    const gateView = replay(await gate.store.all(), { asOf, pool: fixture.pool })
    expect(JSON.stringify(bobView)).toBe(JSON.stringify(gateView))
    const verdictOf = (id: string) => bobView.entries.find((verdict) => verdict.id === id)
    expect(verdictOf(secondJoin.id)?.status).toBe('accepted')
    expect(verdictOf(firstJoin.id)).toMatchObject({ status: 'rejected', reason: 'invite-used' })
  })
})
