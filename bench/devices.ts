/**
 * What devices cost the validator (issue 17): warm replay of a pool whose
 * payments are signed by each member's certified device against the same
 * payments signed by the members' own keys, same run; and the same device
 * pool with every 10th device revoked at its last entry (the revocation
 * index and its checks, voiding nothing).
 *   node --import tsx bench/run.ts --only=devices [--quick]
 */
import { SignatureCache, replay, type Entry } from '../core/index.ts'
import { verifyEd25519 } from '../sync-server/native-verify.ts'
import { generatePool } from './pool-gen.ts'
import { median, round, type BenchContext } from './figures.ts'

const AS_OF = Date.UTC(2100, 0)

function warmRate(entries: Entry[], pool: Entry['pool'], cache: SignatureCache): number {
  const start = process.cpuUsage()
  replay(entries, { asOf: AS_OF, pool, cache })
  const used = process.cpuUsage(start)
  return entries.length / ((used.user + used.system) / 1e6)
}

export async function run({ quick, report }: BenchContext): Promise<void> {
  const size = quick ? 10_000 : 100_000
  const pools = {
    plain: generatePool(size, 200, undefined, { nonce: '1'.repeat(32) }),
    devices: generatePool(size, 200, undefined, { nonce: '2'.repeat(32), devices: {} }),
    revoked: generatePool(size, 200, undefined, { nonce: '3'.repeat(32), devices: { revokeEvery: 10 } }),
  }
  const caches = { plain: new SignatureCache(), devices: new SignatureCache(), revoked: new SignatureCache() }
  for (const name of ['plain', 'devices', 'revoked'] as const) {
    const result = replay(pools[name].entries, { asOf: AS_OF, pool: pools[name].pool, cache: caches[name], verifier: verifyEd25519 })
    const refused = result.entries.filter((v) => v.status !== 'accepted').length
    if (refused > 0) throw new Error(`expected every entry of the ${name} pool accepted, got ${refused} not`)
  }
  const rates = { plain: [] as number[], devices: [] as number[], revoked: [] as number[] }
  for (let i = 0; i < 9; i++) {
    for (const name of ['plain', 'devices', 'revoked'] as const) rates[name].push(warmRate(pools[name].entries, pools[name].pool, caches[name]))
  }
  const plain = median(rates.plain)
  report({ name: 'replay_devices_ratio', value: round(median(rates.devices) / plain, 3), unit: 'ratio', baseline: round(plain), note: `${size} entries, 200 members, every payment signed by the member's certified device ÷ by the member key, warm replay, median of 9, CPU time` })
  report({ name: 'replay_revoked_devices_ratio', value: round(median(rates.revoked) / plain, 3), unit: 'ratio', baseline: round(plain), note: `as replay_devices_ratio, with 20 of the 200 devices revoked at their last entry` })
}
