/**
 * The gatekeeper watches its own ledger: when it sees a member's fork (the
 * proof is in `equivocations`), it freezes that member with a signed entry,
 * mid-run, whatever the network is doing (in a witnessed pool naming the
 * twins it holds in `deps`). In issued pools it also issues a
 * little now and then.
 */
import type { FreezeEntry, IssueEntry, PublicKeyHex } from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'
import { short } from './honestMember.ts'

export async function freezeCheaters(gatekeeper: Device, frozen: Set<PublicKeyHex>, trace: Trace): Promise<void> {
  gatekeeper.refresh()
  const { equivocations } = gatekeeper.ledger.result()
  for (const proof of equivocations) {
    if (frozen.has(proof.author) || proof.author === gatekeeper.key.publicKey) continue
    // A device that forked its own chain is suspended by the rules; its member is not frozen for it (issue 17).
    if (gatekeeper.ledger.memberOfDevice(proof.author) !== undefined && gatekeeper.ledger.member(proof.author) === undefined) continue
    // In a witnessed pool the freeze names the tips of the branches it acts on, as the app and the CLI do,
    // so no witness can put it before the fork itself or before what the gatekeeper saw of it.
    const evidence = gatekeeper.ledger.witnessed ? gatekeeper.ledger.branchTips(proof.author) : []
    const entry = gatekeeper.draft<FreezeEntry>({ type: 'freeze', member: proof.author, reason: 'double spend' }, evidence)
    await gatekeeper.publish(entry)
    frozen.add(proof.author)
    trace.note(`${gatekeeper.name}: freezes ${short(proof.author)} (fork at seq ${proof.seq})`)
  }
}

export async function issueALittle(gatekeeper: Device, members: readonly PublicKeyHex[], prng: Prng, trace: Trace): Promise<void> {
  if (gatekeeper.ledger.policy?.kind !== 'issued' || members.length === 0) return
  const to = prng.pick(members)
  const amount = prng.int(1, 300)
  await gatekeeper.publish(gatekeeper.draft<IssueEntry>({ type: 'issue', to, amount }))
  trace.note(`${gatekeeper.name}: issues ${amount} to ${short(to)}`)
}
