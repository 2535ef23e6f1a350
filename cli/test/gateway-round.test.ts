/**
 * The gateway service's round (`planRound`) on in-process ledgers: it claims upstream only once the
 * downstream fulfil is final. Found by the simulation (sim/betweenPools.ts, seed 100 at 4 devices and
 * 10 steps, docs/simulation.md finding 11): a payee's fulfil in a pool whose primary witness was down
 * counted tentatively, the gateway claimed upstream at once, and the fulfil was never covered in time:
 * the payer paid, the payee was paid nothing.
 */
import { describe, expect, it } from 'vitest'
import { Ledger, manifestOf, type Entry, type PrepareEntry } from '../../core/index.ts'
import { MINUTE, T0, actor } from '../../core/test/fixtures.ts'
import { SECOND, conditionOf, fulfil, link, linkedPool, preimageOf, prepare, type LinkedPool } from '../../core/test/links-fixtures.ts'
import { planRound } from '../commands/gateway-service.ts'

const alice = actor('alice')
const dave = actor('dave')
const PRE = preimageOf('round')
const COND = conditionOf(PRE)

function served(x: LinkedPool, peer: LinkedPool, now: number) {
  const ledger = new Ledger(x.p.pool)
  ledger.add(x.p.entries as Entry[], now)
  const result = ledger.result()
  const gateway = x.gateway(peer.name)
  return { config: { log: `${x.name}.log`, key: `${x.name}.key` }, pool: x.p.pool, ledger, result, manifest: manifestOf(result)!, key: { publicKey: gateway.key, secretKey: gateway.secretKey } }
}

describe('gateway round', () => {
  it('claims upstream only once a checkpoint covers the downstream fulfil', () => {
    const a = linkedPool('A', { num: 1, den: 1 }, 2, [alice])
    const d = linkedPool('D', { num: 1, den: 1 }, 2, [dave])
    link(a, d, 10, 10, T0 + 10)
    a.p.checkpoint(a.witness, T0 + 20 * SECOND)
    d.p.checkpoint(d.witness, T0 + 20 * SECOND)
    const path = { pools: [a.p.pool, d.p.pool], payee: dave.key, amount: 100 }
    const first = prepare(a.p, alice, a.gateway('D').key, 100, COND, T0 + 20 * MINUTE, T0 + MINUTE, path)
    a.p.checkpoint(a.witness, T0 + MINUTE + SECOND)
    const now = T0 + 2 * MINUTE
    const forwarded = planRound([served(a, d, now), served(d, a, now)] as never, now, { maxAmount: 1_000_000, maxOpen: 100, stopped: false })
    expect(forwarded.map((x) => x.action)).toEqual(['forward'])
    const second = forwarded[0]!.entry as PrepareEntry
    d.p.entries.push(second)
    d.p.checkpoint(d.witness, now + SECOND)
    fulfil(d.p, dave, second, PRE, now + 2 * SECOND)

    // The payee's fulfil is there but no checkpoint covers it: nothing to claim yet.
    const early = now + 3 * SECOND
    const waiting = served(d, a, early)
    expect(waiting.result.prepares![second.id]!.status).toBe('fulfilled')
    expect(planRound([served(a, d, early), waiting] as never, early, { maxAmount: 1_000_000, maxOpen: 100, stopped: false })).toEqual([])

    d.p.checkpoint(d.witness, now + 4 * SECOND)
    const later = now + 5 * SECOND
    const claimed = planRound([served(a, d, later), served(d, a, later)] as never, later, { maxAmount: 1_000_000, maxOpen: 100, stopped: false })
    expect(claimed.map((x) => [x.action, x.prepare])).toEqual([['fulfil', first.id]])
    expect(claimed[0]!.entry).toMatchObject({ type: 'fulfil', entry: first.id, preimage: PRE })
  })
})
