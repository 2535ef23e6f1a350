/**
 * Money over time in the app (issue 18), with three people and the real relay:
 * Alice sets up a weekly payment to Bob on the pay screen; Bob's phone collects
 * the first payment by itself; both statements show it and the pool screens
 * list the order; Alice stops it. A payment on a later date is listed and can
 * be cancelled. Bob asks Alice for rent every 30 days (a recurring request);
 * Alice accepts it once and it is paid as a standing order. No page scrolls
 * sideways on a phone.
 */
import { expect, test } from '@playwright/test'
import { DESKTOP, PHONE, Person, chooseMember, expectNoOverflow } from './people.ts'

test.describe.configure({ mode: 'serial' })

let gatekeeper: Person
let alice: Person
let bob: Person
let pool = ''

test.afterAll(async () => {
  for (const person of [gatekeeper, alice, bob]) {
    if (person?.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join('\n  ')}`)
    await person?.close()
  }
})

async function invite(label: string): Promise<string> {
  const page = gatekeeper.page
  await gatekeeper.goto(`#/pool/${pool}/manage`)
  await page.getByLabel('Who is it for?').fill(label)
  await page.getByRole('button', { name: 'Make invitation' }).click()
  await expect(page.getByRole('heading', { name: `Invitation for ${label}` })).toBeVisible()
  await expect(page.getByTestId('invite-link')).toHaveValue(/\/#\/i\//)
  return page.getByTestId('invite-link').inputValue()
}

async function join(person: Person, link: string, name: string): Promise<void> {
  await person.page.goto(link)
  await person.page.getByLabel('Your name in this pool').fill(name)
  await person.page.getByRole('button', { name: 'Join this pool' }).click()
  await expect(person.page.getByRole('heading', { level: 1, name: 'Rent club' })).toBeVisible()
}

test('a pool of three: the gatekeeper invites Alice and Bob', async ({ browser }) => {
  gatekeeper = await Person.open(browser, 'gatekeeper', DESKTOP)
  const page = gatekeeper.page
  await page.getByRole('link', { name: 'New pool', exact: true }).click()
  await page.getByLabel('Name', { exact: true }).fill('Rent club')
  await page.getByLabel('Symbol', { exact: true }).fill('RC')
  await page.getByLabel('Credit limit per member').fill('100')
  await page.getByLabel('Seconds between two payments').fill('1')
  await page.getByRole('button', { name: 'Create pool' }).click()
  await expect(page.getByRole('heading', { name: 'Manage Rent club' })).toBeVisible()
  pool = await page.evaluate(() => (globalThis as unknown as { heroes: { wallet: { poolIds(): string[] } } }).heroes.wallet.poolIds()[0]!)
  const aliceLink = await invite('Alice')
  const bobLink = await invite('Bob')
  alice = await Person.open(browser, 'alice', PHONE)
  await join(alice, aliceLink, 'Alice')
  bob = await Person.open(browser, 'bob', PHONE)
  await join(bob, bobLink, 'Bob')
})

test('Alice pays Bob every week; with Bob’s phone off, the relay collects the first payment; Bob sees it once back', async () => {
  const page = alice.page
  // Bob's phone is on the pool's page (straight there: the wallet's card list may still be settling after the join).
  await bob.goto(`#/pool/${pool}`)
  await expect(bob.page.getByRole('heading', { level: 1, name: 'Rent club' })).toBeVisible()
  await alice.goto(`#/pool/${pool}/pay`)
  // Alice's phone knows Bob by name once his signed profile has arrived; then his phone goes off.
  await chooseMember(page, 'Bob')
  await bob.setOffline(true)
  await page.getByLabel('Amount (RC)').fill('5')
  await page.getByLabel('Note (optional, visible to the pool)').fill('rent')
  await page.getByTestId('pay-when').locator('summary').click()
  await page.getByLabel('Repeat').selectOption({ label: 'Every week' })
  await page.getByLabel(/^How many times/).fill('3')
  await expectNoOverflow(page)
  await alice.shot('pay-repeat')
  await page.getByTestId('pay-review').click()
  await expect(page.getByRole('heading', { name: /^Pay 5\.00 RC to Bob .* every week, 3 times$/ })).toBeVisible()
  await expect(page.getByTestId('plan-hint')).toContainText('The payee’s phone collects each payment')
  await page.getByTestId('pay-confirm').click()
  await expect(page.getByTestId('flash')).toContainText('Set up: 5.00 RC to Bob')
  const scheduled = page.getByTestId('scheduled-item')
  await expect(scheduled).toHaveCount(1)
  await expect(scheduled).toContainText(/You pay Bob .* 5\.00 RC every week, 3 times/)

  // The order names the relay's coordinator (the relay witnesses the pool): the relay collects while Bob's phone is off.
  const lines = await page.evaluate((id) => (globalThis as unknown as { heroes: { wallet: { poolLines(p: string): string[] } } }).heroes.wallet.poolLines(id), pool)
  expect(lines.filter((line) => line.includes('"type":"order"') && line.includes('"coordinator":'))).toHaveLength(1)
  await expect(alice.balance()).toHaveText('−5.00 RC', { timeout: 45_000 })
  await expect(page.getByTestId('statement-row').first()).toContainText(/Paid to Bob .*\(repeating or scheduled\)/)

  // Bob's phone back: the payment is there once, whoever collected it.
  await bob.setOffline(false)
  await expect(bob.balance()).toHaveText('5.00 RC', { timeout: 30_000 })
  const row = bob.page.getByTestId('statement-row').first()
  await expect(row).toContainText(/Received from Alice .*\(repeating or scheduled\)/)
  await expect(row.getByTestId('row-memo')).toHaveText('rent')
  await expect(bob.page.getByTestId('scheduled-item')).toContainText(/Alice .* pays you 5\.00 RC every week, 3 times/)
  await expect(bob.page.getByTestId('scheduled-item')).toContainText('1 of 3 paid')
  await expect(bob.page.getByTestId('scheduled-stop')).toHaveCount(0)
  await expectNoOverflow(bob.page)
  await bob.shot('pool-scheduled')
  await expect(bob.page.getByTestId('statement-row').filter({ hasText: 'repeating or scheduled' })).toHaveCount(1)
})

test('Alice stops the order; Bob’s phone shows it stopped', async () => {
  const page = alice.page
  page.once('dialog', (dialog) => void dialog.accept())
  await page.getByTestId('scheduled-stop').click()
  await expect(page.getByTestId('scheduled-message')).toHaveText('Stopped. No later payment will be made.')
  await expect(page.getByTestId('scheduled-item')).toHaveAttribute('data-status', 'revoked')
  await expect(bob.page.getByTestId('scheduled-item')).toHaveAttribute('data-status', 'revoked', { timeout: 30_000 })
  await expect(bob.page.getByTestId('scheduled-item')).toContainText('Stopped')
})

test('a payment on a later date is listed until then, and can be cancelled', async () => {
  const page = alice.page
  await alice.goto(`#/pool/${pool}/pay`)
  await chooseMember(page, 'Bob')
  await page.getByLabel('Amount (RC)').fill('2')
  await page.getByTestId('pay-when').locator('summary').click()
  await page.getByTestId('pay-later').check()
  // A date in the past is refused in words before anything is signed.
  await page.getByLabel('Date of the payment').fill('2020-01-01')
  await page.getByTestId('pay-review').click()
  await expect(page.getByText('Choose a date from today on.')).toBeVisible()
  const inAWeek = new Date(Date.now() + 7 * 86_400_000)
  const day = `${inAWeek.getFullYear()}-${String(inAWeek.getMonth() + 1).padStart(2, '0')}-${String(inAWeek.getDate()).padStart(2, '0')}`
  await page.getByLabel('Date of the payment').fill(day)
  await page.getByTestId('pay-review').click()
  await expect(page.getByRole('heading', { name: /^Pay 2\.00 RC to Bob .* on / })).toBeVisible()
  await page.getByTestId('pay-confirm').click()
  const later = page.getByTestId('scheduled-item').filter({ hasText: 'once' })
  await expect(later).toContainText(/You pay Bob .* 2\.00 RC once/)
  await expect(later).toContainText('Next: ')
  await expect(bob.page.getByTestId('scheduled-item').filter({ hasText: 'once' })).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
  page.once('dialog', (dialog) => void dialog.accept())
  await later.getByRole('button', { name: 'Cancel' }).click()
  await expect(later).toHaveAttribute('data-status', 'revoked')
  await expect(bob.balance()).toHaveText('5.00 RC')
  expect(alice.errors).toEqual([])
  expect(bob.errors).toEqual([])
})

test('Bob asks Alice for rent every 30 days; Alice accepts once; the first payment is collected and both Scheduled lists show it', async () => {
  await bob.goto(`#/pool/${pool}/request`)
  const b = bob.page
  await b.getByLabel('Amount (RC)').fill('3')
  await b.getByLabel('What it is for').fill('room rent')
  await chooseMember(b, 'Alice', 'Who should pay')
  await b.getByLabel('Repeat').selectOption({ label: 'Every 30 days' })
  await b.getByLabel(/^How many times/).fill('2')
  await expect(b.getByTestId('request-repeat-hint')).toContainText('The payer accepts once')
  await expectNoOverflow(b)
  await b.getByRole('button', { name: 'Sign the request' }).click()
  await expect(b.getByTestId('request-repeats')).toHaveText('Repeats every 30 days, 2 times')
  await expect(b.getByTestId('request-link')).toHaveValue(/#\/q\//)
  const link = await b.getByTestId('request-link').inputValue()

  const a = alice.page
  await a.goto(link)
  await expect(a.getByRole('heading', { level: 1 })).toHaveText(/^Bob .* asks for 3\.00 RC$/)
  await expect(a.getByTestId('request-repeats')).toHaveText('Repeats every 30 days, 2 times')
  await expect(a.getByTestId('accept-hint')).toBeVisible()
  await expect(a.getByTestId('pay-request')).toHaveCount(0)
  await expectNoOverflow(a)
  await alice.shot('accept-recurring-request')
  await a.getByTestId('accept-request').click()
  await expect(a.getByTestId('request-done')).toContainText('Accepted.')
  await expect(a.getByTestId('request-state')).toContainText('Accepted')
  await expect(a.getByTestId('accept-request')).toHaveCount(0)

  // The accept is a standing order: in Alice's Scheduled list, and the first 30-day period is due at once.
  await alice.goto(`#/pool/${pool}`)
  const mine = a.getByTestId('scheduled-item').filter({ hasText: 'every 30 days' })
  await expect(mine).toContainText(/You pay Bob .* 3\.00 RC every 30 days, 2 times/)
  await expect(mine).toHaveAttribute('data-status', 'active')
  await expect(alice.balance()).toHaveText('−8.00 RC', { timeout: 45_000 })
  await expect(mine).toContainText('1 of 2 paid', { timeout: 30_000 })
  await bob.goto(`#/pool/${pool}`)
  await expect(bob.balance()).toHaveText('8.00 RC', { timeout: 30_000 })
  const theirs = b.getByTestId('scheduled-item').filter({ hasText: 'every 30 days' })
  await expect(theirs).toContainText(/Alice .* pays you 3\.00 RC every 30 days, 2 times/)
  // Bob asked for it, so Bob may end it too.
  await expect(theirs.getByTestId('scheduled-stop')).toHaveCount(1)
  expect(alice.errors).toEqual([])
  expect(bob.errors).toEqual([])
})

test('the gatekeeper sets demurrage from the console; members see the rule; a bad rate is refused in words', async () => {
  const g = gatekeeper.page
  await gatekeeper.goto(`#/pool/${pool}/manage`)
  const form = g.getByTestId('demurrage-setting')
  await form.getByLabel('Rate per period, in percent').fill('150')
  await form.getByTestId('demurrage-save').click()
  await expect(form.getByText('Enter a rate above 0 and below 100')).toBeVisible()
  await form.getByLabel('Rate per period, in percent').fill('2')
  await form.getByLabel('Period, in days').fill('30')
  await form.getByLabel(/^Free base/).fill('10')
  await form.getByTestId('demurrage-save').click()
  await expect(form.getByTestId('demurrage-message')).toHaveText('Signed: the pool charges demurrage from now on.')
  await expectNoOverflow(g)
  await gatekeeper.shot('console-demurrage')
  await bob.goto(`#/pool/${pool}`)
  await expect(bob.page.getByTestId('demurrage-policy')).toContainText(/2% of what you hold above 10\.00 RC, every 30 days/, { timeout: 30_000 })
  await form.getByTestId('demurrage-off').click()
  await expect(form.getByTestId('demurrage-message')).toHaveText('Signed: the pool charges no demurrage from now on.')
  await expect(bob.page.getByTestId('demurrage-policy')).toHaveCount(0, { timeout: 30_000 })
  expect(gatekeeper.errors).toEqual([])
})
