/**
 * The simulation's command line: runs seeds in child processes (one per core,
 * seedProcesses.ts), prints every failing seed with its replay command and
 * trace, and the rate in seeds per second. Exits 1 if any seed failed.
 */
import { SHARD_ENTRIES } from '../core/sync/limits.ts'
import { parseSimArgs } from './args.ts'
import { formatFailure, replayCommand } from './report.ts'
import { SEEDS_PER_CHILD, runSeedsInChildren, type SeedSummary } from './seedProcesses.ts'
import { runSimulation, type SimOptions } from './simulation.ts'

async function main(): Promise<number> {
  let args
  try {
    args = parseSimArgs(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    return 2
  }
  const options: Omit<SimOptions, 'seed'> = {
    devices: args.devices, steps: args.steps, pools: args.pools, relays: args.relays, stockRelay: args.stockRelay,
    ...(args.noWitnesses ? { witnesses: false } : {}),
  }
  if (args.seed !== undefined) return replayOne({ ...options, seed: args.seed })
  const seeds = Array.from({ length: args.seeds }, (_, i) => args.first + i)
  const started = performance.now()
  let failed = 0
  let entries = 0
  let messages = 0
  const failures: number[] = []
  const witness = { pools: 0, checkpoints: 0, covered: 0, online: 0, offline: 0, keptForCap: 0, honestCapped: 0, boundChecked: 0, lost: 0, bound: 0, attacks: 0 }
  const orders = { orders: 0, paid: 0, refused: 0, requests: 0, requestOrders: 0, requestPaid: 0, coordinatorPaid: 0, paidAlready: 0, requestsEnded: 0 }
  const linked = { linked: 0, removed: 0, paid: 0, voided: 0, forks: 0, suspended: 0, forkLost: 0, mutual: 0, bothRevoked: 0, recovered: 0, recoveryBlocked: 0, thievesRefused: 0 }
  let longChains = 0
  const demurrage = { pools: 0, charges: 0, collected: 0, ticks: 0, ticksRefused: 0, nights: 0 }
  const between = { seeds: 0, links: 0, started: 0, fulfilled: 0, unwound: 0, refused: 0, inFlight: 0, hops: 0, gatewayFaults: 0 }
  const rejecting: number[] = []
  const ran: number[] = []
  const onSeed = (summary: SeedSummary): void => {
    ran.push(summary.seed)
    const figures = summary.figures
    if (figures !== null) {
      entries += figures.entries
      messages += figures.messages
      for (const key of Object.keys(witness) as Array<keyof typeof witness>) witness[key] += figures.witness[key]
      for (const key of Object.keys(orders) as Array<keyof typeof orders>) orders[key] += figures.orders[key]
      for (const key of Object.keys(linked) as Array<keyof typeof linked>) linked[key] += figures.devices[key]
      longChains += figures.chainsPastFirstShard
      for (const key of Object.keys(demurrage) as Array<keyof typeof demurrage>) demurrage[key] += figures.demurrage[key]
      for (const key of Object.keys(between) as Array<keyof typeof between>) between[key] += figures.between[key]
    }
    if (summary.unhandledRejection) rejecting.push(summary.seed)
    if (summary.failure !== null) {
      failed++
      failures.push(summary.seed)
      console.log(summary.failure)
    }
    const done = ran.length
    if (!args.quiet && (done % 25 === 0 || done === seeds.length)) {
      const seconds = (performance.now() - started) / 1000
      console.log(`${done}/${seeds.length} seeds, ${failed} failed, ${(done / seconds).toFixed(2)} seeds/s`)
    }
  }
  // A campaign with a time budget stops starting seeds when it is spent (and still prints its summary).
  const deadlineMs = args.seconds !== undefined ? Date.now() + args.seconds * 1000 : undefined
  await runSeedsInChildren(seeds, options, { processes: args.processes, batchSeeds: Math.min(SEEDS_PER_CHILD, Math.ceil(seeds.length / args.processes)), ...(deadlineMs !== undefined ? { deadlineMs } : {}), onSeed })
  failures.sort((a, b) => a - b)
  rejecting.sort((a, b) => a - b)
  const seconds = (performance.now() - started) / 1000
  console.log(
    `sim: ${ran.length} seed(s)${describeRan(ran, seeds.length, args.seconds)} in ${seconds.toFixed(1)} s (${(ran.length / seconds).toFixed(2)} seeds/s, ${args.processes} process(es)), ${failed} failed; ` +
    `${entries} entries, ${messages} messages${failures.length > 0 ? `; failing seeds: ${failures.slice(0, 50).join(' ')}` : ''}`,
  )
  console.log(
    `sim: witnesses: ${witness.pools} witnessed pool(s), ${witness.checkpoints} checkpoints, ${witness.covered} covered verdicts recorded and checked; ` +
    `honest transfers ${witness.online} online, ${witness.offline} offline, ${witness.keptForCap} kept for the offline cap, ${witness.honestCapped} rejected for it; ` +
    `${witness.boundChecked} double spend(s) held to the loss bound (lost ${witness.lost} of at most ${witness.bound} in all); ${witness.attacks} attacks`,
  )
  console.log(
    `sim: money over time: ${orders.orders} standing order(s) and scheduled payment(s), ${orders.paid} period(s) paid, ${orders.refused} collect(s) refused; ` +
    `${orders.requests} recurring request(s), ${orders.requestOrders} accepted into orders, ${orders.requestPaid} of their period(s) paid, ` +
    `${orders.coordinatorPaid} period(s) collected by a coordinator, ${orders.paidAlready} collect(s) of a period already paid refused, ${orders.requestsEnded} ended or withdrawn`,
  )
  console.log(
    `sim: demurrage: ${demurrage.pools} pool(s) charging it (founded a day or two before the run, or witnessed and sleeping through a night), ` +
    `${demurrage.nights} seed(s) with a night; ${demurrage.charges} charge(s) collecting ${demurrage.collected} minor units for the commons, ` +
    `${demurrage.ticks} tick(s) accepted, ${demurrage.ticksRefused} refused`,
  )
  console.log(
    `sim: devices: ${linked.linked} linked, ${linked.removed} removed; ${linked.paid} payment(s) from device keys accepted, ${linked.voided} voided by a removal's cutoff; ` +
    `${linked.forks} device(s) forked their own chain (${linked.suspended} suspended, members not frozen; lost ${linked.forkLost} where the offline bound applies), ` +
    `${linked.mutual} pair(s) of devices revoked each other (${linked.bothRevoked} both revoked); ` +
    `${linked.recovered} recovery(ies) completed, ${linked.recoveryBlocked} refused while the owner was active, ${linked.thievesRefused} found phone(s) refused after one`,
  )
  console.log(
    `sim: between pools: ${between.seeds} seed(s) with ${between.links} link(s); ${between.started} path payment(s) started, ${between.fulfilled} fulfilled on every hop, ` +
    `${between.unwound} cancelled or expired on every hop, ${between.refused} refused in the payer's pool, ${between.inFlight} still in flight at the end; ${between.hops} hop(s) forwarded by gateways; ` +
    `${between.gatewayFaults} split by a gateway's own lateness (within its trust)`,
  )
  console.log(`sim: shards: ${longChains} chain(s) went past their first shard (${SHARD_ENTRIES} entries)`)
  if (rejecting.length > 0) console.log(`sim: ${rejecting.length} seed(s) had an unhandled rejection inside automerge-repo (see docs/simulation.md): ${rejecting.slice(0, 30).join(' ')}`)
  return failed > 0 ? 1 : 0
}

/** `--seed S`: one run in this process, with its figures, notes and trace even when it passes. */
async function replayOne(options: SimOptions): Promise<number> {
  const result = await runSimulation(options)
  if (!result.ok) {
    console.log(formatFailure(result, options))
    return 1
  }
  const seed = options.seed
  console.log(`ok seed ${seed} (${result.figures.entries} entries, ${result.figures.messages} messages, ${result.figures.forged} forged lines, ${result.figures.forks} staged forks, healed in ${Math.round(result.figures.healMs / 1000)} virtual s, fingerprint ${result.fingerprint})`)
  console.log(`  witnesses: ${JSON.stringify(result.figures.witness)}`)
  console.log(`  orders: ${JSON.stringify(result.figures.orders)}`)
  console.log(`  devices: ${JSON.stringify(result.figures.devices)}`)
  console.log(`  demurrage: ${JSON.stringify(result.figures.demurrage)}`)
  console.log(`  between pools: ${JSON.stringify(result.figures.between)}`)
  console.log(`  scenario: ${result.scenario}`)
  for (const note of result.notes) console.log(`  note: ${note}`)
  console.log(`  replay: ${replayCommand(options)}`)
  console.log(`  last ${result.trace.length} events:\n${result.trace.map((line) => `    ${line}`).join('\n')}`)
  return 0
}

/** " (seeds 1–10000)", or which seeds a time budget left out. */
function describeRan(ran: readonly number[], asked: number, budgetSeconds: number | undefined): string {
  if (ran.length === 0) return ''
  const sorted = [...ran].sort((a, b) => a - b)
  const first = sorted[0]!
  const last = sorted.at(-1)!
  const gaps = last - first + 1 - sorted.length
  const cut = ran.length < asked ? `, stopped at the ${budgetSeconds} s budget` : ''
  return ` (seeds ${first}–${last}${gaps > 0 ? `, ${gaps} between them not started` : ''}${cut})`
}

process.exitCode = await main()
