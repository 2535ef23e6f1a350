/**
 * Every screen, looked at as a phone and a desktop would (issue 15): nothing sticks out or is cut at
 * 320, 360 and 390 × 844 px and at 1280 px (expectNothingCut: no sideways scroll, no element past the
 * window's edge, no button whose words are wider than it), axe with no A/AA violation on each at
 * 390 px; damaged links each get their own clear words and lose nothing; the storage warning is said
 * once, not on every visit. With HEROES_SCREENS=1 (`node scripts/screens.mjs`) it also writes
 * screenshots of the main screens at 360 px to docs/screens/.
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { DESKTOP, PHONE, Person, baseUrl, chooseMember, expectNothingCut } from './people.ts'

test.describe.configure({ mode: 'serial' })

const GARBLED = 'vVQ9rxw3DPwrwdY2IIr6IN0lVYpUcbpc'
const WIDTHS = [{ width: 320, height: 700 }, { width: 360, height: 760 }, { width: 390, height: 844 }, { width: 1280, height: 860 }]
/** Where the screenshots go: docs/screens/ for `node scripts/screens.mjs` (HEROES_SCREENS=1), else the test run's own output. */
const SHOTS = process.env.HEROES_SCREENS === '1' ? 'docs/screens' : 'test-results/screens'

let gina: Person
let bob: Person
let pool = ''
let inviteLink = ''
let requestId = ''
let paymentId = ''

type Wallet = {
  poolIds(): string[]
  pool(id: string): { me: string; members: unknown[]; statement: Array<{ id: string; type: string }>; requests: Map<string, unknown> }
  pay(pool: string, to: string, amount: number, memo: string): Promise<{ ok: boolean }>
  makeRequest(pool: string, amount: number, memo: string, from?: string): Promise<{ ok: boolean; value: string }>
}

test.afterAll(async () => {
  for (const person of [gina, bob]) {
    if (person?.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join('\n  ')}`)
    await person?.close()
  }
})

test('the storage warning is said on the first visit, not on the next ones; Settings always says it', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE, baseURL: baseUrl() })
  // This browser keeps storage; say it does not, as a browser in best-effort mode would.
  await context.addInitScript(() => {
    Object.defineProperty(navigator.storage, 'persist', { value: async () => false })
    Object.defineProperty(navigator.storage, 'persisted', { value: async () => false })
  })
  const page = await context.newPage()
  try {
    await page.goto('/')
    await expect(page.getByTestId('storage-notice')).toContainText('may delete it')
    await page.reload()
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    await expect(page.getByTestId('storage-state')).toHaveCount(0)
    await expect(page.getByTestId('storage-notice')).toHaveCount(0)
    await page.goto('/#/settings')
    await expect(page.getByTestId('storage-state')).toContainText('may delete it')
  } finally {
    await context.close()
  }
})

test('a gatekeeper and a member, a payment, a request', async ({ browser }) => {
  gina = await Person.open(browser, 'gina', DESKTOP)
  const page = gina.page
  await page.getByRole('link', { name: 'New pool', exact: true }).click()
  await page.getByLabel('Name', { exact: true }).fill('Screens bank')
  await page.getByLabel('Symbol', { exact: true }).fill('SB')
  await page.getByLabel('Credit limit per member').fill('100')
  await page.getByLabel('Seconds between two payments').fill('0')
  await page.getByRole('button', { name: 'Create pool' }).click()
  await expect(page.getByRole('heading', { name: 'Manage Screens bank' })).toBeVisible()
  pool = await page.evaluate(() => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.poolIds()[0]!)
  await page.getByLabel('Who is it for?').fill('Bob Bakerman-Longname')
  await page.getByRole('button', { name: 'Make invitation' }).click()
  await expect(page.getByRole('heading', { name: 'Invitation for Bob Bakerman-Longname' })).toBeVisible()
  inviteLink = await page.getByTestId('invite-link').inputValue()
  await gina.goto(`#/pool/${pool}`)
  await page.getByLabel('Name', { exact: true }).fill('Gina')
  await page.getByTestId('profile-save').click()

  bob = await Person.open(browser, 'bob', PHONE)
  await bob.page.goto(inviteLink)
  await bob.page.getByRole('button', { name: 'Join this pool' }).click()
  await expect(bob.page.getByRole('heading', { level: 1, name: 'Screens bank', exact: true })).toBeVisible()
  const bobKey = await bob.page.evaluate((id) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.pool(id).me, pool)

  await expect.poll(() => page.evaluate((id) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.pool(id).members.length, pool), { timeout: 60_000 }).toBe(2)
  expect(await page.evaluate(([id, to]) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.pay(id!, to!, 300, 'Tea and a very long note about the tea that was drunk'), [pool, bobKey])).toMatchObject({ ok: true })
  paymentId = await page.evaluate((id) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.pool(id).statement.find((row) => row.type === 'transfer')!.id, pool)
  expect(await page.evaluate(([id, to]) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.pay(id!, to!, 200, 'Cake'), [pool, bobKey])).toMatchObject({ ok: true })
  const gkKey = await page.evaluate((id) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.pool(id).me, pool)
  await expect.poll(() => bob.page.evaluate((id) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.pool(id).members.length, pool), { timeout: 60_000 }).toBe(2)
  const request = await bob.page.evaluate(([id, from]) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.makeRequest(id!, 150, 'Bread', from), [pool, gkKey])
  requestId = request.value
  await expect.poll(() => page.evaluate(([id, req]) => (globalThis as unknown as { heroes: { wallet: Wallet } }).heroes.wallet.pool(id!).requests.has(req!), [pool, requestId]), { timeout: 30_000 }).toBe(true)
})

test('a damaged payment link in the pay form says so, also at Review, and loses nothing', async () => {
  const page = bob.page
  await bob.goto(`#/pool/${pool}/pay`)
  await page.getByLabel('Amount (SB)').fill('2')
  await page.getByLabel(/^Note/).fill('kept')
  await page.getByLabel('Or their key or payment link').fill(`${baseUrl()}/#/p/${GARBLED}`)
  const damaged = 'This payment link is damaged: part of it is missing or changed. Ask the payee to send it again or to show their code, or choose them from the list.'
  await expect(page.getByText(damaged)).toBeVisible()
  await expect(page.getByLabel('Amount (SB)')).toHaveValue('2')
  await expect(page.getByLabel(/^Note/)).toHaveValue('kept')
  // Review does not swap it for the generic "key or link" words.
  await page.getByTestId('pay-review').click()
  await expect(page.getByText(damaged)).toBeVisible()
  await expect(page.getByText('Enter the member’s key')).toHaveCount(0)
  await expect(page.getByLabel('Amount (SB)')).toHaveValue('2')
  // Choosing the member instead goes on from there.
  await chooseMember(page, 'Gina')
  await page.getByTestId('pay-review').click()
  await expect(page.getByTestId('pay-confirm')).toContainText('Pay 2.00 SB to Gina')
})

test('a damaged payment URL and a damaged invitation each get their own page, not "Join a pool"', async () => {
  const page = bob.page
  await page.goto(`/#/p/${GARBLED}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Damaged payment link')
  await expect(page.getByTestId('link-error')).toContainText('This payment link is damaged')
  await expect(page.getByText('Nothing was signed or changed in your wallet.')).toBeVisible()
  await expect(page.getByRole('link', { name: 'Back to your pools' })).toBeVisible()
  // A payment URL cut short by a messenger: same words.
  await page.goto(`/#/p/${GARBLED.slice(0, 7)}%20`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Damaged payment link')
  await page.goto(inviteLink.slice(0, -30))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Damaged invitation')
  await expect(page.getByTestId('link-error')).toContainText('so it cannot let you in')
  await bob.goto('#/')
  await expect(page.getByTestId('pool-card')).toHaveCount(1)
  await expect(page.getByTestId('pool-card-balance')).toContainText('5.00')
})

test('the pool shows the member’s balance over time; the console, weekly activity and the spread of balances', async () => {
  await bob.goto(`#/pool/${pool}`)
  const balance = bob.page.getByTestId('balance-chart')
  await expect(balance).toContainText('Your balance over time', { timeout: 30_000 })
  await expect(balance.getByRole('img')).toHaveAttribute('aria-label', /now 5\.00 SB, lowest 0\.00 SB, highest 5\.00 SB\.$/)
  await gina.goto(`#/pool/${pool}/manage`)
  await expect(gina.page.getByTestId('activity-chart').getByRole('img')).toHaveAttribute('aria-label', /^5\.00 SB paid in the last 8 weeks; .*at most 2 members took part in a week\.$/)
  await expect(gina.page.getByTestId('spread-chart').getByRole('img')).toHaveAttribute('aria-label', '2 members, balances from −5.00 SB to 5.00 SB.')
  // The backup screen loads on first visit (its own chunk): its heading still gets focus when it shows.
  await gina.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backup' }).click()
  await expect(gina.page.getByRole('heading', { level: 1 })).toBeFocused()
})

test('a member signs a small picture with the name; a file that is not an image is refused in words', async () => {
  const page = bob.page
  await bob.goto(`#/pool/${pool}`)
  const card = page.getByTestId('profile-card')
  if ((await card.getAttribute('open')) === null) await card.locator('summary').click()
  await page.getByLabel(/^Picture/).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') })
  await expect(card.getByRole('alert')).toHaveText('This file is not an image this browser can read.')
  await page.getByLabel(/^Picture/).setInputFiles('public/icons/icon-512.png')
  await expect(page.getByTestId('profile-picture-preview')).toHaveAttribute('src', /^data:image\/(webp|jpeg);base64,/)
  await expect(card.getByRole('alert')).toHaveCount(0)
  await page.getByLabel('Name', { exact: true }).fill('Bob')
  await page.getByTestId('profile-save').click()
  await expect(card).toContainText('Shown to the pool as Bob')
  // The gatekeeper's phone shows it beside his name once the profile arrives.
  await gina.goto(`#/pool/${pool}/manage`)
  await expect(gina.page.getByTestId('member-row').filter({ hasText: 'Bob' }).locator('img.avatar')).toHaveAttribute('src', /^data:image\/(webp|jpeg);base64,/, { timeout: 30_000 })
})

test('no screen is cut or scrolls sideways at 320, 360, 390 × 844 and 1280 px; axe on each at 390', async () => {
  test.setTimeout(600_000)
  const screens: Array<[Person, string]> = [
    [gina, '#/'], [gina, '#/join'], [gina, '#/create'], [gina, '#/backup'], [gina, '#/settings'],
    [gina, `#/pool/${pool}`], [gina, `#/pool/${pool}/pay`], [gina, `#/pool/${pool}/request`], [gina, `#/pool/${pool}/manage`],
    [gina, `#/pool/${pool}/market`], [gina, `#/pool/${pool}/req/${requestId}`], [gina, `#/pool/${pool}/tx/${paymentId}`],
    [gina, new URL(inviteLink).hash], [gina, `#/p/${GARBLED}`],
    [bob, '#/'], [bob, `#/pool/${pool}`], [bob, `#/pool/${pool}/req/${requestId}`], [bob, `#/pool/${pool}/tx/${paymentId}`],
  ]
  for (const size of WIDTHS) {
    for (const [person, hash] of screens) {
      await person.page.setViewportSize(size)
      await person.goto(hash)
      await expect(person.page.getByRole('heading', { level: 1 })).toBeVisible()
      await expectNothingCut(person.page)
      if (size.width === 390) await expectAccessible(person.page)
    }
  }
})

test('tap to pay: where Web NFC exists a request link is written to a tag, and a phone that taps it opens the request', async () => {
  const page = bob.page
  await bob.goto(`#/pool/${pool}/req/${requestId}`)
  await expect(page.getByTestId('request-link')).toBeVisible()
  // Chromium here has no NFC: no button at all, rather than a broken one.
  await expect(page.getByTestId('nfc-write')).toHaveCount(0)
  // A stand-in NDEFReader (this machine has no NFC hardware): it keeps what would be written on the tag.
  await bob.context.addInitScript(() => {
    class StandInNdefReader {
      async write(message: { records: Array<{ recordType: string; data: string }> }): Promise<void> {
        ;(globalThis as unknown as { writtenTag: unknown }).writtenTag = message.records
      }
    }
    ;(globalThis as unknown as { NDEFReader: unknown }).NDEFReader = StandInNdefReader
  })
  await page.reload()
  await page.getByTestId('nfc-write').click()
  await expect(page.getByTestId('nfc-outcome')).toHaveText('Written. A phone that taps this tag opens the link.')
  const link = await page.getByTestId('request-link').inputValue()
  const written = await page.evaluate(() => (globalThis as unknown as { writtenTag: Array<{ recordType: string; data: string }> }).writtenTag)
  expect(written).toEqual([{ recordType: 'url', data: link }])
  // The phone that taps it opens the link: the request's page, to pay it.
  await gina.page.goto(written[0]!.data)
  await expect(gina.page.getByTestId('pay-request')).toBeVisible()
  await expectNothingCut(page)
})

test('screenshots of the main screens at 360 px (into docs/screens/ with HEROES_SCREENS=1)', async () => {
  mkdirSync(SHOTS, { recursive: true })
  const shots: Array<[Person, string, string]> = [
    [bob, '#/', 'home'], [bob, `#/pool/${pool}`, 'pool'], [bob, `#/pool/${pool}/pay`, 'pay'], [bob, `#/pool/${pool}/request`, 'request'],
    [gina, `#/pool/${pool}/req/${requestId}`, 'payment-request'], [gina, `#/pool/${pool}/tx/${paymentId}`, 'transaction'],
    [gina, `#/pool/${pool}/manage`, 'manage'], [gina, `#/pool/${pool}/market`, 'market'], [gina, '#/settings', 'settings'], [bob, '#/backup', 'backup'],
  ]
  for (const [person, hash, name] of shots) {
    await person.page.setViewportSize({ width: 360, height: 760 })
    await person.goto(hash)
    await expect(person.page.getByRole('heading', { level: 1 })).toBeVisible()
    // The console is long (invitations, members, health with its charts): the whole page.
    const png = await person.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: name === 'manage' })
    expect(png.byteLength, `${name}.png`).toBeGreaterThan(1000)
  }
})

async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  expect(result.violations.map((v) => `${page.url()} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}
