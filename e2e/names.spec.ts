/**
 * Names, end to end, with three people (issue 15): the gatekeeper's invite label until a name is
 * signed, names with key fingerprints on every screen a member appears on, a picker searched by
 * name that fills the member (not 64 hex characters), a local nickname that wins on its device,
 * no sideways scrolling at 320 px, and axe with no A/AA violation on the screens touched.
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { DESKTOP, PHONE, Person, expectNoOverflow } from './people.ts'

test.describe.configure({ mode: 'serial' })

const FINGERPRINT = '\\([0-9a-f]{4}·[0-9a-f]{4}·[0-9a-f]{4}\\)'
const NARROW = { width: 320, height: 700 }

let gatekeeper: Person
let alice: Person
let bob: Person
let pool = ''
let aliceLink = ''

test.afterAll(async () => {
  for (const person of [gatekeeper, alice, bob]) {
    if (person?.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join('\n  ')}`)
    await person?.close()
  }
})

test('the gatekeeper names itself in Settings, creates a pool, and invites Alice and Bob by label', async ({ browser }) => {
  gatekeeper = await Person.open(browser, 'gatekeeper', DESKTOP)
  const page = gatekeeper.page
  await page.getByRole('link', { name: 'Settings', exact: true }).click()
  await page.getByLabel(/^Your name/).fill('Gina')
  await page.getByRole('button', { name: 'Save name' }).click()
  await page.getByRole('link', { name: 'New pool', exact: true }).click()
  await page.getByLabel('Name', { exact: true }).fill('Names bank')
  await page.getByLabel('Symbol', { exact: true }).fill('NB')
  await page.getByLabel('Credit limit per member').fill('100')
  await page.getByLabel('Seconds between two payments').fill('1')
  await page.getByRole('button', { name: 'Create pool' }).click()
  await expect(page.getByRole('heading', { name: 'Manage Names bank' })).toBeVisible()
  pool = await page.evaluate(() => (globalThis as unknown as { heroes: { wallet: { poolIds(): string[] } } }).heroes.wallet.poolIds()[0]!)
})

async function invite(label: string): Promise<string> {
  const page = gatekeeper.page
  await gatekeeper.goto(`#/pool/${pool}/manage`)
  await page.getByLabel('Who is it for?').fill(label)
  await page.getByRole('button', { name: 'Make invitation' }).click()
  // The link field already holds the previous invitation's link: wait for this one's.
  await expect(page.getByRole('heading', { name: `Invitation for ${label}` })).toBeVisible()
  await expect(page.getByTestId('invite-link')).toHaveValue(/\/#\/i\//)
  return page.getByTestId('invite-link').inputValue()
}

test('Alice joins with her name signed; Bob joins without one and the gatekeeper sees its label for him', async ({ browser }) => {
  aliceLink = await invite('Alice')
  const bobLink = await invite('Bob the baker')

  alice = await Person.open(browser, 'alice', PHONE)
  await alice.page.goto(aliceLink)
  // The label is offered as a first guess at the name (it is no longer shown as "Made for").
  await expect(alice.page.getByLabel('Your name in this pool')).toHaveValue('Alice')
  await expect(alice.page.getByText('Made for')).toHaveCount(0)
  await alice.page.getByLabel('Your name in this pool').fill('Alice Martin')
  await alice.page.getByRole('button', { name: 'Join this pool' }).click()
  await expect(alice.page.getByRole('heading', { level: 1, name: 'Names bank' })).toBeVisible()
  await expect(alice.page.getByTestId('profile-card')).toContainText('Shown to the pool as Alice Martin')

  bob = await Person.open(browser, 'bob', PHONE)
  await bob.page.goto(bobLink)
  await bob.page.getByLabel('Your name in this pool').fill('')
  await bob.page.getByRole('button', { name: 'Join this pool' }).click()
  await expect(bob.page.getByRole('heading', { level: 1, name: 'Names bank' })).toBeVisible()
  await expect(bob.page.getByTestId('profile-card')).toContainText('Members of this pool see only your key')

  await gatekeeper.goto(`#/pool/${pool}/manage`)
  const members = gatekeeper.page.getByTestId('member-row')
  await expect(members).toHaveCount(3, { timeout: 60_000 })
  await expect(members.filter({ hasText: 'Alice Martin' })).toContainText(new RegExp(`Alice Martin ${FINGERPRINT}`))
  await expect(members.filter({ hasText: 'Alice Martin' })).toContainText('The name they signed in this pool.')
  await expect(members.filter({ hasText: 'Bob the baker' })).toContainText('The label you gave their invitation')
  await expect(members.filter({ hasText: 'Gina' })).toContainText('you')
  await expectAccessible(gatekeeper.page)
})

test('Bob signs his name later; the gatekeeper and Alice see it, and it replaces the label', async () => {
  await bob.page.getByLabel('Name', { exact: true }).fill('Bob Baker')
  await bob.page.getByLabel('About you (optional)').fill('Sourdough on Saturdays')
  await bob.page.getByTestId('profile-save').click()
  await expect(bob.page.getByTestId('profile-card')).toContainText('Shown to the pool as Bob Baker')
  const members = gatekeeper.page.getByTestId('member-row')
  await expect(members.filter({ hasText: 'Bob Baker' })).toContainText('The name they signed in this pool.', { timeout: 30_000 })
  await expect(members.filter({ hasText: 'Bob the baker' })).toHaveCount(0)
})

test('Alice finds Bob by name in the picker; review, statements and both phones show names with fingerprints', async () => {
  const page = alice.page
  await alice.goto(`#/pool/${pool}/pay`)
  const picker = page.getByLabel('Member', { exact: true })
  await expect(picker.locator('option').filter({ hasText: 'Bob Baker' })).toHaveCount(1, { timeout: 30_000 })
  await expect(picker.locator('option').filter({ hasText: new RegExp(`^Gina ${FINGERPRINT}$`) })).toHaveCount(1)
  await page.getByLabel('Find a member by name').fill('bak')
  await expect(picker).not.toHaveValue('')
  await expect(page.getByTestId('pay-to-person')).toContainText(new RegExp(`Bob Baker ${FINGERPRINT}`))
  await expect(page.getByLabel('Or their key or payment link')).toHaveValue('')
  await page.getByLabel('Amount (NB)').fill('3')
  await page.getByRole('button', { name: 'Review' }).click()
  await expect(page.getByRole('heading', { name: new RegExp(`Pay 3.00 NB to Bob Baker ${FINGERPRINT}`) })).toBeVisible()
  await expectAccessible(page)
  await page.getByTestId('pay-confirm').click()
  await expect(alice.page.getByTestId('statement-row').first()).toContainText(new RegExp(`Paid to Bob Baker ${FINGERPRINT}`))
  await bob.openPool('Names bank')
  await expect(bob.page.getByTestId('statement-row').first()).toContainText(new RegExp(`Received from Alice Martin ${FINGERPRINT}`), { timeout: 30_000 })
  await expectAccessible(bob.page)
})

test('a transaction has its own page with its state, and a link that opens it on the other phone', async () => {
  await alice.goto(`#/pool/${pool}`)
  const row = alice.page.getByTestId('statement-row').first()
  await expect(row).toContainText(/Sent|Confirmed/, { timeout: 30_000 })
  await row.getByTestId('row-details').click()
  await expect(alice.page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`Paid to Bob Baker ${FINGERPRINT}`))
  await expect(alice.page.getByTestId('tx-amount')).toHaveText('−3.00 NB')
  await expect(alice.page.getByTestId('tx-state')).toContainText(/Sent|Confirmed/)
  const link = await alice.page.getByTestId('tx-link').inputValue()
  expect(link).toMatch(/\/#\/pool\/[0-9a-f]{64}\/tx\/[0-9a-f]{64}$/)
  await expectAccessible(alice.page)
  await alice.page.setViewportSize(NARROW)
  await expectNoOverflow(alice.page)
  await alice.page.setViewportSize(PHONE)
  await bob.page.goto(link)
  await expect(bob.page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`Received from Alice Martin ${FINGERPRINT}`))
})

test('a nickname wins on the device that gave it, and only there', async () => {
  await gatekeeper.goto(`#/pool/${pool}/manage`)
  const row = gatekeeper.page.getByTestId('member-row').filter({ hasText: 'Alice Martin' })
  await row.locator('summary', { hasText: 'Nickname on this device' }).click()
  await row.getByLabel('Nickname on this device').fill('Auntie A')
  await row.getByRole('button', { name: 'Save' }).click()
  const renamed = gatekeeper.page.getByTestId('member-row').filter({ hasText: 'Auntie A' })
  await expect(renamed).toContainText('Your nickname for them, on this device only.')
  await bob.goto(`#/pool/${pool}`)
  await expect(bob.page.getByTestId('statement-row').first()).toContainText('Alice Martin')
})

test('an invitation reopened: its maker is told it is theirs; a newcomer with a used one gets one clear refusal and can remove the card', async ({ browser }) => {
  await gatekeeper.page.goto(aliceLink)
  await expect(gatekeeper.page.getByRole('heading', { level: 1 })).toHaveText('This is an invitation you made')
  await expect(gatekeeper.page.getByTestId('own-invite')).toContainText('Somebody has joined with it')
  await expect(gatekeeper.page.getByRole('button', { name: 'Join this pool' })).toHaveCount(0)

  const dave = await Person.open(browser, 'dave', PHONE)
  try {
    await dave.page.goto(aliceLink)
    await dave.page.getByLabel('Your name in this pool').fill('Dave')
    await dave.page.getByRole('button', { name: 'Join this pool' }).click()
    // Once Alice's join reaches Dave's phone, his is refused in words, with a way on, and no green "joined" beside it.
    await expect(dave.page.getByTestId('join-refused')).toContainText('This invitation was already used by someone else', { timeout: 30_000 })
    await expect(dave.page.getByTestId('flash')).toHaveCount(0)
    await expect(dave.page.getByTestId('remove-pool')).toHaveAttribute('open', '')
    await expectAccessible(dave.page)
    await dave.page.getByTestId('remove-pool-start').click()
    await expect(dave.page.getByTestId('remove-pool-warning')).toHaveCount(0)
    await dave.page.getByTestId('remove-pool-confirm').click()
    await expect(dave.page.getByTestId('flash')).toContainText('Names bank was removed from this phone.')
    await expect(dave.page.getByTestId('pool-card')).toHaveCount(0)
    // Opened again, the used invitation now says so at once.
    await dave.page.goto(aliceLink)
    await expect(dave.page.getByRole('button', { name: 'Join this pool' })).toBeVisible()
  } finally {
    await dave.close()
  }
  // A member with money in the pool is warned before removing its card.
  await bob.goto(`#/pool/${pool}`)
  await bob.page.getByTestId('remove-pool').locator('summary').click()
  await bob.page.getByTestId('remove-pool-start').click()
  await expect(bob.page.getByTestId('remove-pool-warning')).toContainText('Your balance here is 3.00 NB')
  await bob.page.getByRole('button', { name: 'Keep it' }).click()
})

test('no screen scrolls sideways at 320, 360 and 390 px', async () => {
  for (const width of [NARROW.width, 360, 390]) {
    for (const [person, hash] of [
      [gatekeeper, `#/pool/${pool}/manage`], [gatekeeper, `#/pool/${pool}`], [alice, `#/pool/${pool}/pay`], [alice, `#/pool/${pool}`],
      [bob, `#/pool/${pool}/request`], [bob, '#/'], [bob, '#/settings'],
    ] as const) {
      await person.page.setViewportSize({ width, height: NARROW.height })
      await person.goto(hash)
      await expect(person.page.getByRole('heading', { level: 1 })).toBeVisible()
      await expectNoOverflow(person.page)
    }
  }
  await gatekeeper.page.setViewportSize({ width: 360, height: 760 })
  await gatekeeper.goto(`#/pool/${pool}/manage`)
  await gatekeeper.shot('names-members')
})

async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}
