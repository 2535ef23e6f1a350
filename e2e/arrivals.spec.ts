/**
 * Money arriving, end to end with two members (issue 15): Alice pays Bob; Bob's phone shows a banner,
 * a count on the Wallet tab and "1 new" on the pool card; in the background it also gets a system
 * notification (shown by the service worker, read back with getNotifications()); opening the pool
 * marks the rows "new" for that visit and clears the badge, which stays cleared after a reload
 * (the watermark is kept in IndexedDB, so this works offline too).
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { DESKTOP, PHONE, Person, chooseMember } from './people.ts'

test.describe.configure({ mode: 'serial' })

let alice: Person
let bob: Person
let pool = ''

test.afterAll(async () => {
  for (const person of [alice, bob]) {
    if (person?.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join('\n  ')}`)
    await person?.close()
  }
})

test('Alice starts a pool, signs her name and invites Bob, who joins', async ({ browser }) => {
  alice = await Person.open(browser, 'alice', DESKTOP)
  const page = alice.page
  await page.getByRole('link', { name: 'New pool', exact: true }).click()
  await page.getByLabel('Name', { exact: true }).fill('Arrival bank')
  await page.getByLabel('Symbol', { exact: true }).fill('AB')
  await page.getByLabel('Credit limit per member').fill('100')
  await page.getByLabel('Seconds between two payments').fill('0')
  await page.getByRole('button', { name: 'Create pool' }).click()
  await expect(page.getByRole('heading', { name: 'Manage Arrival bank' })).toBeVisible()
  pool = await page.evaluate(() => (globalThis as unknown as { heroes: { wallet: { poolIds(): string[] } } }).heroes.wallet.poolIds()[0]!)
  await page.getByLabel('Who is it for?').fill('Bob')
  await page.getByRole('button', { name: 'Make invitation' }).click()
  await expect(page.getByRole('heading', { name: 'Invitation for Bob' })).toBeVisible()
  const link = await page.getByTestId('invite-link').inputValue()
  await alice.goto(`#/pool/${pool}`)
  await page.getByLabel('Name', { exact: true }).fill('Alice')
  await page.getByTestId('profile-save').click()
  await expect(page.getByTestId('profile-card')).toContainText('Shown to the pool as Alice')

  bob = await Person.open(browser, 'bob', PHONE)
  await bob.context.grantPermissions(['notifications'])
  await bob.page.goto(link)
  await bob.page.getByRole('button', { name: 'Join this pool' }).click()
  await expect(bob.page.getByRole('heading', { level: 1, name: 'Arrival bank', exact: true })).toBeVisible()
})

async function alicePays(amount: string): Promise<void> {
  const page = alice.page
  await alice.goto(`#/pool/${pool}/pay`)
  await chooseMember(page, 'Bob')
  await page.getByLabel('Amount (AB)').fill(amount)
  await page.getByRole('button', { name: 'Review' }).click()
  await page.getByTestId('pay-confirm').click()
  await expect(page.getByTestId('statement-row').first()).toContainText('Paid to Bob')
}

test('Bob, on his home screen, sees a banner and badges when Alice’s payment arrives', async () => {
  await bob.goto('#/')
  await expect(bob.page.getByTestId('arrival-banner')).toHaveCount(0)
  // Alice needs Bob's join before she can pick him.
  await expect.poll(() => alice.page.evaluate((id) => (globalThis as unknown as { heroes: { wallet: { pool(id: string): { members: unknown[] } } } }).heroes.wallet.pool(id).members.length, pool), { timeout: 60_000 }).toBe(2)
  await alicePays('5')
  const banner = bob.page.getByTestId('arrival-banner')
  await expect(banner).toContainText(/Alice paid you 5\.00 AB/, { timeout: 30_000 })
  await expect(banner).toContainText('in Arrival bank')
  await expect(bob.page.getByTestId('pool-card-new')).toHaveText('1 new')
  await expect(bob.page.getByTestId('nav-badge')).toContainText('1')
  await expectAccessible(bob.page)
  await bob.shot('arrival-banner')
  // Dismissed, the banner goes for this visit; the badge stays until the pool is opened.
  await banner.getByRole('button', { name: 'Dismiss' }).click()
  await expect(banner).toHaveCount(0)
  await expect(bob.page.getByTestId('pool-card-new')).toHaveText('1 new')
})

test('in the background, Bob’s phone shows a system notification through the service worker', async () => {
  // Headless Chromium keeps every page "visible": say the app is not in front, as a phone would.
  await bob.page.evaluate(() => {
    Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true })
  })
  await alicePays('2')
  await expect(bob.page.getByTestId('pool-card-new')).toHaveText('2 new', { timeout: 30_000 })
  const shown = () =>
    bob.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready
      return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, url: (n.data as { url: string }).url }))
    })
  await expect.poll(shown).toHaveLength(1)
  expect(await shown()).toEqual([{ title: 'Arrival bank', body: expect.stringMatching(/Alice.*paid you.*2\.00 AB/), url: `/#/pool/${pool}` }])
})

test('opening the pool marks the new rows and clears the badges, also after a reload', async () => {
  await bob.page.getByTestId('pool-card').filter({ hasText: 'Arrival bank' }).click()
  await expect(bob.page.getByTestId('row-new')).toHaveCount(2)
  await expect(bob.page.getByTestId('arrival-banner')).toHaveCount(0)
  await expect(bob.page.getByTestId('nav-badge')).toHaveCount(0)
  await bob.goto('#/')
  await expect(bob.page.getByTestId('pool-card-new')).toHaveCount(0)
  await bob.page.reload()
  await expect(bob.page.getByTestId('pool-card')).toHaveCount(1)
  await expect(bob.page.getByTestId('pool-card-new')).toHaveCount(0)
  await expect(bob.page.getByTestId('arrival-banner')).toHaveCount(0)
  await bob.goto(`#/pool/${pool}`)
  await expect(bob.page.getByTestId('statement-row').first()).toBeVisible()
  await expect(bob.page.getByTestId('row-new')).toHaveCount(0)
})

async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}
