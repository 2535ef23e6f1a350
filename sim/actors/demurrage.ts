/**
 * Demurrage in the simulation (issue 18). Its periods are a day at least and
 * a run lasts minutes of virtual time, so a pool with demurrage is founded a
 * day or two before the run: its daily boundary falls one to six minutes into
 * the run (and, founded two days before, one boundary has already passed),
 * and every payment, collect and tick after it charges the accounts it
 * touches, lazily, k boundaries at once where an account slept. The
 * gatekeeper sometimes ticks. The checks (checks.ts) then hold every balance,
 * the commons and the limits as before, and check that no account is charged
 * twice for one boundary and never more than the rate allows.
 *
 * A witnessed pool's demurrage clock is witnessed time, which starts with
 * the run (its first checkpoint), so founding it earlier would not help: a
 * witnessed pool charges demurrage only in a seed with a night (drawNight),
 * when the whole world sleeps a day or two. Drawn from streams of their own
 * (`demurrage`, `night`, `ticks`), so a seed's other draws stay as they were;
 * off with `--no-witnesses`, so the 2026-11-22 seeds replay as they ran.
 */
import type { TickEntry } from '../../core/index.ts'
import type { Device } from '../device.ts'
import type { DemurragePlan } from '../poolSetup.ts'
import type { Prng } from '../prng.ts'
import type { Trace } from '../trace.ts'

const DAY_MS = 86_400_000

/**
 * Whether a pool charges demurrage (60 %), at what rate and above what free base, and (`founded`,
 * pools without a witness) how long before the run it was founded: a day or two, less 1–6 minutes,
 * so that a boundary falls early in the run.
 */
export function drawDemurrage(prng: Prng, founded = true): DemurragePlan | undefined {
  if (!prng.chance(0.6)) return undefined
  const [rateNum, rateDen] = prng.pick([[1, 100], [2, 100], [5, 100], [1, 1000], [7, 365]] as const)
  const days = prng.pick([1, 1, 2])
  const intoRunMs = prng.int(60_000, 360_000)
  return {
    demurrage: { rateNum, rateDen, periodSeconds: 86_400, freeBase: prng.pick([0, 0, 50, 200]) },
    foundedBeforeMs: founded ? days * DAY_MS - intoRunMs : 0,
  }
}

/** A night: after which step the world sleeps, and for how long (a day or two and some minutes). */
export interface Night {
  readonly step: number
  readonly ms: number
}

/**
 * A third of the seeds have a night: everyone (phones, relays, witnesses) sleeps a day or two at
 * one step, as a village does, so the demurrage boundaries of witnessed pools pass too; what was
 * signed before and not yet witnessed is witnessed late (and, past the pool's offline allowance,
 * refused as the rules say).
 */
export function drawNight(prng: Prng, steps: number): Night | undefined {
  if (steps < 3 || !prng.chance(0.35)) return undefined
  return { step: prng.int(1, steps - 2), ms: prng.pick([1, 1, 2]) * DAY_MS + prng.int(60_000, 600_000) }
}

/** The gatekeeper ticks: every account is charged up to now, dormant ones too (refused within an hour of the last). */
export async function tick(gatekeeper: Device, trace: Trace): Promise<void> {
  gatekeeper.refresh()
  if (!gatekeeper.ledger.policy?.demurrage) return
  await gatekeeper.publish(gatekeeper.draft<TickEntry>({ type: 'tick' }))
  trace.note(`${gatekeeper.name}: ticks (demurrage collected so far ${gatekeeper.ledger.demurrageCollected})`)
}


