/**
 * Paying between pools in the app (issue 19): two pools on a real relay
 * process of their own (the built PWA served by it, a checkpoint a second, the
 * relay each pool's witness), their rates and trustlines signed with the CLI,
 * and a real `heroes gateway run` process holding both gateway keys of the
 * link. Alice (pool Riverside, 1 HOUR a unit) pays Bob (pool Hilltop, ½ HOUR a
 * unit) from Bob's payment request; both balances move. Then, with the
 * gateway's stop file in place, a payment that nobody forwards expires in
 * witnessed time and comes back to Alice.
 */
import { expect, test, type Page } from '@playwright/test'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeLink } from '../web/links/link-codec.ts'
import { Person } from './people.ts'

const ROOT = process.cwd()
const HEROES = join(ROOT, 'bin/heroes.mjs')
const START_MS_MAX = 30_000

let dir = ''
let relay: ChildProcess | undefined
let gateway: ChildProcess | undefined
let base = ''
let gatewayLog = ''
const pools: Record<string, string> = {}
/** One-time invites by pool, one per person in these tests. */
const invites: Record<string, string[]> = { R: [], H: [] }

function cli(args: string[]): string {
  const run = spawnSync(process.execPath, [HEROES, ...args], { cwd: dir, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`heroes ${args.join(' ')}: exit ${run.status}: ${run.stderr}`)
  return run.stdout
}

function append(log: string, args: string[]): Record<string, unknown> {
  const out = cli(args)
  appendFileSync(join(dir, log), out)
  return JSON.parse(out) as Record<string, unknown>
}

/** Waits for a child's stdout or stderr to match `pattern`; returns the match. */
function waitFor(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`expected ${what} within ${START_MS_MAX} ms, got: ${seen.slice(-2000)}`)), START_MS_MAX)
    const look = (chunk: Buffer): void => {
      seen += chunk.toString()
      const match = pattern.exec(seen)
      if (match) {
        clearTimeout(timer)
        resolve(match)
      }
    }
    child.stdout!.on('data', look)
    child.stderr!.on('data', look)
    child.on('exit', (code) => reject(new Error(`expected ${what}, the process exited with ${code}: ${seen.slice(-2000)}`)))
  })
}

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heroes-e2e-between-'))
  relay = spawn(process.execPath, [HEROES, 'relay', '--port', '0', '--data-dir', join(dir, 'relay'), '--static-dir', 'dist', '--checkpoint-interval-seconds', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  base = (await waitFor(relay, /listening on (http:\/\/[^\s]+)/, 'the relay to listen'))[1]!
  const syncUrl = `${base.replace(/^http/, 'ws')}/sync`
  const witness = ((await (await fetch(`${base}/witness`)).json()) as { publicKey: string }).publicKey
  const keys: Record<string, string> = {}
  for (const name of ['gkR', 'gkH', 'gwRH', 'gwHR']) {
    const out = cli(['keygen'])
    writeFileSync(join(dir, `${name}.json`), out)
    keys[name] = (JSON.parse(out) as { publicKey: string }).publicKey
  }
  const made: [string, string, string, string[]][] = [['R', 'Riverside', 'RIV', ['--hour-rate', '1/1']], ['H', 'Hilltop', 'HIL', ['--hour-rate', '1/2']]]
  for (const [code, name, symbol, rate] of made) {
    const out = cli(['pool', 'create', '--key', `gk${code}.json`, '--type', 'mutual-credit', '--name', name, '--symbol', symbol, '--decimals', '2',
      '--witness', witness, '--min-balance', '-100000', '--max-balance', 'none', ...rate])
    writeFileSync(join(dir, `${code}.log`), out)
    pools[code] = (JSON.parse(out) as { id: string }).id
  }
  // Each trusts the other up to 10 HOUR: Hilltop's gateway for Riverside may pay Hilltop's members up to 20.00 HIL.
  append('R.log', ['trust', '--key', 'gkR.json', '--log', 'R.log', '--pool', pools.H!, '--limit-hours', '10', '--gateway', keys.gwRH!])
  append('H.log', ['trust', '--key', 'gkH.json', '--log', 'H.log', '--pool', pools.R!, '--limit-hours', '10', '--gateway', keys.gwHR!])
  for (const code of ['R', 'H']) {
    for (const n of [0, 1]) {
      append(`${code}.log`, ['invite', '--key', `gk${code}.json`, '--log', `${code}.log`, '--invite-key-out', `invite-${code}${n}.json`])
      const lines = readFileSync(join(dir, `${code}.log`), 'utf8').trim().split('\n')
      const secret = (JSON.parse(readFileSync(join(dir, `invite-${code}${n}.json`), 'utf8')) as { secretKey: string }).secretKey
      invites[code]!.push(await encodeLink({ kind: 'invite', pool: pools[code]!, relay: '', genesis: lines[0]!, invite: lines.at(-1)!, chain: lines.slice(1, -1), secret }, base))
    }
    cli(['sync', '--relay', syncUrl, '--log', `${code}.log`, '--timeout-seconds', '30'])
  }
  // One service holds both keys of the link, as a link's operator does, beside the relay.
  for (const code of ['R', 'H']) writeFileSync(join(dir, `gw-${code}.log`), readFileSync(join(dir, `${code}.log`), 'utf8').split('\n')[0] + '\n')
  writeFileSync(join(dir, 'gateway.json'), JSON.stringify({ pools: [{ log: 'gw-R.log', key: 'gwRH.json', relay: syncUrl }, { log: 'gw-H.log', key: 'gwHR.json', relay: syncUrl }] }))
  gateway = spawn(process.execPath, [HEROES, 'gateway', 'run', '--config', 'gateway.json', '--interval-seconds', '1', '--stop-file', join(dir, 'stop'), '--max-amount', '100000', '--metrics-port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  gateway.stdout!.on('data', (chunk: Buffer) => (gatewayLog += chunk.toString()))
  gateway.stderr!.on('data', (chunk: Buffer) => (gatewayLog += chunk.toString()))
  await waitFor(gateway, /metrics on http/, 'the gateway service to start')
})

test.afterAll(async () => {
  for (const child of [gateway, relay]) {
    if (!child || child.exitCode !== null || child.signalCode !== null) continue
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
  }
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function join_(person: Person, code: 'R' | 'H', name: string): Promise<void> {
  const invite = invites[code]!.shift()!
  await person.page.goto(`/${invite.slice(base.length + 1)}`)
  await person.page.getByLabel('Your name in this pool', { exact: false }).fill(name)
  await person.page.getByTestId('accept-invite').click()
  await expect(person.balance()).toBeVisible()
}

async function ask(page: Page, pool: string, amount: string): Promise<string> {
  await page.goto(`/#/pool/${pool}/across`)
  await page.getByLabel('Amount to receive', { exact: false }).fill(amount)
  await page.getByTestId('cross-make').click()
  const link = await page.getByTestId('cross-link').inputValue()
  expect(link).toContain('/#/x/')
  return link
}

test('Alice in one pool pays Bob in another through the gateway; both balances move, and too much is refused in words', async ({ browser }) => {
  test.setTimeout(240_000)
  const alice = await Person.open(browser, 'alice', undefined, undefined, base)
  const bob = await Person.open(browser, 'bob', undefined, undefined, base)
  try {
    await join_(alice, 'R', 'Alice')
    await join_(bob, 'H', 'Bob')

    // Bob's pool page of other communities: its rate and its trust in Riverside, nothing used yet.
    const link = await ask(bob.page, pools.H!, '3')
    await expect(bob.page.getByTestId('pool-rate')).toHaveText('1 HIL = 1/2 HOUR')
    const line = bob.page.getByTestId('trustline')
    await expect(line).toHaveCount(1)
    await expect(line.getByTestId('trust-used')).toHaveText('0.00 HIL')
    await expect(line.getByTestId('trust-available')).toHaveText('20.00 HIL')
    // Only a gatekeeper changes a trustline: a member sees no button for it.
    await expect(bob.page.getByTestId('trust-change')).toHaveCount(0)
    await expect(bob.page.getByTestId('trust-add')).toHaveCount(0)

    // Alice opens the link: route, both amounts and the rates before she confirms.
    await alice.page.goto(`/${link.slice(link.indexOf('#'))}`)
    await expect(alice.page.getByTestId('cross-to')).toContainText('Bob')
    await expect(alice.page.getByTestId('cross-cost')).toHaveText('You pay 1.50 RIV', { timeout: 30_000 })
    await expect(alice.page.getByTestId('cross-route').locator('li')).toHaveText([/Riverside: 1\.50 RIV · 1 RIV = 1 HOUR/, /Hilltop: 3\.00 HIL · 1 HIL = 1\/2 HOUR/])
    await alice.page.getByTestId('cross-confirm').click()
    const sent = alice.page.getByTestId('cross-payment')
    await expect(sent).toHaveAttribute('data-state', 'settled', { timeout: 60_000 })
    await expect(sent.getByTestId('cross-state')).toHaveText('Settled')

    // Bob's phone took it by itself; both sides are right.
    await bob.page.goto(`/#/pool/${pools.H}/across`)
    await expect(bob.page.getByTestId('cross-payment')).toHaveAttribute('data-state', 'settled', { timeout: 30_000 })
    await expect(bob.page.getByTestId('trustline').getByTestId('trust-used')).toHaveText('3.00 HIL')
    await expect(bob.page.getByTestId('trustline').getByTestId('trust-available')).toHaveText('17.00 HIL')
    await bob.openPool('Hilltop')
    await expect(bob.balance()).toHaveText('3.00 HIL')
    await alice.openPool('Riverside')
    await expect(alice.balance()).toHaveText('−1.50 RIV')

    // More than Hilltop trusts Riverside for: refused before anything is signed, in words.
    const tooMuch = await ask(bob.page, pools.H!, '50')
    await alice.page.goto(`/${tooMuch.slice(tooMuch.indexOf('#'))}`)
    await expect(alice.page.getByTestId('cross-problem')).toContainText('do not trust each other for that much', { timeout: 30_000 })
    await expect(alice.page.getByTestId('cross-confirm')).toHaveCount(0)
    await alice.openPool('Riverside')
    await expect(alice.balance()).toHaveText('−1.50 RIV')
    expect([...alice.errors, ...bob.errors]).toEqual([])
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- gateway:\n${gatewayLog.slice(-3000)}`)
  } finally {
    await alice.close()
    await bob.close()
  }
})

test('a payment nobody forwards expires in witnessed time, and Alice\'s money comes back', async ({ browser }) => {
  test.setTimeout(420_000)
  // The gateway's kill switch: it forwards nothing new while the file exists.
  writeFileSync(join(dir, 'stop'), '')
  const alice = await Person.open(browser, 'alice2', undefined, undefined, base)
  const bob = await Person.open(browser, 'bob2', undefined, undefined, base)
  try {
    await join_(alice, 'R', 'Ada')
    await join_(bob, 'H', 'Ben')
    const link = await ask(bob.page, pools.H!, '2')
    await alice.page.goto(`/${link.slice(link.indexOf('#'))}`)
    await expect(alice.page.getByTestId('cross-cost')).toHaveText('You pay 1.00 RIV', { timeout: 30_000 })
    // The shortest wait the route allows: one step for the gateway and a minute to spare.
    await alice.page.getByTestId('cross-wait').selectOption({ label: '3 minutes' })
    await alice.page.getByTestId('cross-confirm').click()
    const sent = alice.page.getByTestId('cross-payment')
    await expect(sent).toHaveAttribute('data-state', 'prepared', { timeout: 30_000 })
    await alice.openPool('Riverside')
    await expect(alice.balance()).toHaveText('0.00 RIV')
    await expect(alice.page.getByTestId('on-hold')).toContainText('1.00 RIV')
    await alice.page.goto(`/#/pool/${pools.R}/across`)
    await expect(alice.page.getByTestId('cross-payment')).toHaveAttribute('data-state', 'refunded', { timeout: 300_000 })
    await expect(alice.page.getByTestId('cross-state')).toHaveText(/Refunded/)
    await alice.openPool('Riverside')
    await expect(alice.balance()).toHaveText('0.00 RIV')
    await expect(alice.page.getByTestId('on-hold')).toHaveCount(0)
    // Bob was never paid: his pool's gateway never forwarded.
    await bob.openPool('Hilltop')
    await expect(bob.balance()).toHaveText('0.00 HIL')
    expect([...alice.errors, ...bob.errors]).toEqual([])
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- gateway:\n${gatewayLog.slice(-3000)}`)
  } finally {
    rmSync(join(dir, 'stop'), { force: true })
    await alice.close()
    await bob.close()
  }
})

test('a gatekeeper sets the pool\'s rate at creation, trusts another community from the console, changes the limit and then the rate', async ({ browser }) => {
  const keeper = await Person.open(browser, 'keeper', undefined, undefined, base)
  const page = keeper.page
  try {
    await page.getByRole('link', { name: 'New pool', exact: true }).click()
    await page.getByLabel('Name', { exact: true }).fill('Valley')
    await page.getByLabel('Symbol', { exact: true }).fill('VAL')
    await page.getByLabel('One unit’s worth in HOUR', { exact: false }).fill('1/3')
    await page.getByRole('button', { name: 'Create pool' }).click()
    await expect(page.getByRole('heading', { name: 'Manage Valley' })).toBeVisible()
    const valley = /#\/pool\/([0-9a-f]{64})/.exec(page.url())![1]!
    await page.goto(`/#/pool/${valley}`)
    await page.getByTestId('across-button').click()
    await expect(page.getByTestId('pool-rate')).toHaveText('1 VAL = 1/3 HOUR')
    await expect(page.getByTestId('trustlines-none')).toBeVisible()

    const gateway = (JSON.parse(cli(['keygen'])) as { publicKey: string }).publicKey
    await page.getByTestId('trust-add').locator('summary').click()
    await page.getByLabel('Its pool id', { exact: false }).fill(pools.R!)
    await page.getByLabel('The gateway key', { exact: false }).fill(gateway)
    await page.getByLabel('Limit in HOUR', { exact: false }).fill('many')
    await page.getByTestId('trust-sign').click()
    await expect(page.getByRole('alert')).toHaveText('Enter a whole number of HOUR, 0 or more.')
    await page.getByLabel('Limit in HOUR', { exact: false }).fill('5')
    await page.getByTestId('trust-sign').click()
    const line = page.getByTestId('trustline')
    await expect(line).toHaveAttribute('data-peer', pools.R!)
    // 5 HOUR at ⅓ HOUR a unit: 15.00 VAL.
    await expect(line.getByTestId('trust-limit')).toHaveText('5 HOUR (15.00 VAL)')
    await expect(line.getByTestId('trust-available')).toHaveText('15.00 VAL')

    await line.getByTestId('trust-change').click()
    await page.getByLabel('Limit in HOUR', { exact: false }).fill('2')
    await page.getByTestId('trust-sign').click()
    await expect(page.getByTestId('trustline').getByTestId('trust-limit')).toHaveText('2 HOUR (6.00 VAL)')

    // The rate changes from the console too, from now on: garbled first, then ½ HOUR a unit.
    await page.getByTestId('rate-change').locator('summary').click()
    await page.getByLabel('One unit’s worth in HOUR: 1, or a fraction', { exact: false }).fill('a third')
    await page.getByTestId('rate-sign').click()
    await expect(page.getByRole('alert')).toHaveText('Enter a whole number or a fraction of whole numbers, like 3 or 1/2.')
    await page.getByLabel('One unit’s worth in HOUR: 1, or a fraction', { exact: false }).fill('1/2')
    await page.getByTestId('rate-sign').click()
    await expect(page.getByTestId('rate-saved')).toHaveText('Signed: the new rate holds from now on, on every phone.')
    await expect(page.getByTestId('pool-rate')).toHaveText('1 VAL = 1/2 HOUR')
    // 2 HOUR at ½ HOUR a unit: 4.00 VAL.
    await expect(page.getByTestId('trustline').getByTestId('trust-limit')).toHaveText('2 HOUR (4.00 VAL)')
    expect(keeper.errors).toEqual([])
  } finally {
    await keeper.close()
  }
})

