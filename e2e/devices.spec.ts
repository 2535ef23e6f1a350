/**
 * One member, several devices, end to end (issue 17, docs/devices.md): real
 * Chromium contexts as devices, the built PWA, the real relay (its mailbox
 * carries the sealed link answer).
 *
 * 1. Alice's laptop shows "Link this device"; its QR code, screenshotted and
 *    read by the ZXing decoder the app's scanner uses, is pasted on Alice's
 *    phone, which certifies the laptop. Both pay Bob while both are offline,
 *    reconnect, and show one balance.
 * 2. The laptop is lost: Alice removes it from her phone; what the laptop
 *    signs afterwards (offline, not yet told) is rejected on every device.
 * 3. Bob loses his phone and his phrase: a fresh context asks the gatekeeper,
 *    who approves once Bob's key has been quiet for a week (the fresh
 *    context's and the gatekeeper's clocks set eight days ahead; that pool has
 *    no witness, so time is the devices' own).
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import { baseUrl, chooseMember, DESKTOP, expectNothingCut, PHONE, Person } from './people.ts'

test.describe.configure({ mode: 'serial' })

const require = createRequire(import.meta.url)
void prepareZXingModule({ overrides: { wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer as ArrayBuffer }, fireImmediately: true })

let alice: Person
let laptop: Person
let bob: Person
let pool = ''
let poolLink = ''

type Heroes = { heroes: { wallet: { poolIds(): string[]; pool(id: string): { members: { key: string; balance: number }[]; me: string } | undefined } } }

test.afterAll(async () => {
  for (const person of [alice, laptop, bob]) {
    if (person?.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join('\n  ')}`)
    await person?.close()
  }
})

/** Signs the member's name in the pool, unless it is signed already (a join by invite signs the invite's label). */
async function signName(person: Person, name: string): Promise<void> {
  await person.goto(`#/pool/${pool}`)
  const card = person.page.getByTestId('profile-card')
  await expect(card).toBeVisible()
  if (await card.evaluate((el) => (el as HTMLDetailsElement).open)) {
    await person.page.getByLabel('Name', { exact: true }).fill(name)
    await person.page.getByTestId('profile-save').click()
  }
  await expect(card).toContainText(`Shown to the pool as ${name}`)
}

async function pays(person: Person, amount: string, memo: string, inPool = pool): Promise<void> {
  const page = person.page
  await person.goto(`#/pool/${inPool}/pay`)
  await chooseMember(page, 'Bob')
  await page.getByLabel('Amount (DV)').fill(amount)
  await page.getByLabel(/Note/).fill(memo)
  await page.getByRole('button', { name: 'Review' }).click()
  await page.getByTestId('pay-confirm').click()
  await expect(page.getByTestId('statement-row').filter({ hasText: memo }).first()).toBeVisible()
}

/** axe finds nothing, and nothing is cut or sticks out at this width. */
async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
  await expectNothingCut(page)
}

function membersOf(page: Page): Promise<number> {
  return page.evaluate((id) => (globalThis as unknown as Heroes).heroes.wallet.pool(id)?.members.length ?? 0, pool)
}

test('Alice links her laptop by its QR code; both pay Bob offline and reach one balance', async ({ browser }) => {
  alice = await Person.open(browser, 'alice', PHONE)
  let page = alice.page
  await page.getByRole('link', { name: 'New pool', exact: true }).click()
  await page.getByLabel('Name', { exact: true }).fill('Device bank')
  await page.getByLabel('Symbol', { exact: true }).fill('DV')
  await page.getByLabel('Credit limit per member').fill('100')
  await page.getByLabel('Seconds between two payments').fill('0')
  await page.getByRole('button', { name: 'Create pool' }).click()
  await expect(page.getByRole('heading', { name: 'Manage Device bank' })).toBeVisible()
  pool = await page.evaluate(() => (globalThis as unknown as Heroes).heroes.wallet.poolIds()[0]!)
  await page.getByLabel('Who is it for?').fill('Bob')
  await page.getByRole('button', { name: 'Make invitation' }).click()
  const invite = await page.getByTestId('invite-link').inputValue()
  await signName(alice, 'Alice')
  bob = await Person.open(browser, 'bob', PHONE)
  await bob.page.goto(invite)
  await bob.page.getByRole('button', { name: 'Join this pool' }).click()
  await expect(bob.page.getByRole('heading', { level: 1, name: 'Device bank', exact: true })).toBeVisible()
  await signName(bob, 'Bob')

  // The laptop: a fresh profile, "Link this device", its code.
  laptop = await Person.open(browser, 'laptop', DESKTOP)
  await laptop.goto('#/settings')
  await laptop.page.getByTestId('link-this-device').click()
  await expect(laptop.page.getByRole('heading', { name: 'Link this device' })).toBeVisible()
  await laptop.page.getByLabel('Name for this device (optional)').fill('Laptop')
  await laptop.page.getByTestId('show-link-code').click()
  const qr = laptop.page.getByRole('img', { name: 'Code to link this device' })
  await expect(qr).toBeVisible()
  const linkShown = await laptop.page.getByTestId('device-link').inputValue()
  expect(linkShown).toMatch(/\/#\/d\/[A-Za-z0-9_-]+$/)
  // The QR code as a camera would see it, read by the decoder the app's scanner falls back to.
  const read = await readBarcodes(new Uint8Array(await qr.screenshot()), { formats: ['QRCode'] })
  expect(read.map((code) => code.text)).toEqual([linkShown])
  await laptop.shot('devices-link-code')
  await expectAccessible(laptop.page)

  // Alice's phone, the member key: a garbled code is refused with words, then the real one links.
  await alice.goto('#/settings')
  page = alice.page
  const mine = page.getByTestId('pool-devices')
  await expect(mine.getByTestId('device-row')).toHaveCount(1)
  await mine.getByTestId('add-device').click()
  await page.getByLabel('The new device’s link').fill(read[0]!.text.slice(0, -8))
  await page.getByTestId('device-link-submit').click()
  await expect(page.getByText('That is not a complete device link: scan the code again, or copy the whole link.')).toBeVisible()
  await page.getByLabel('The new device’s link').fill(read[0]!.text)
  await page.getByTestId('device-link-submit').click()
  await expect(page.getByTestId('device-linked')).toContainText('Linked: Laptop now pays from this account.')
  await expect(mine.getByTestId('device-row')).toHaveCount(2)
  await alice.shot('devices-settings')
  await expectAccessible(alice.page)

  // The laptop took the sealed answer from the relay's mailbox and opened the pool as Alice's device.
  await expect(laptop.page.getByTestId('device-linked')).toContainText('This device is linked. It pays from your account in Device bank.', { timeout: 30_000 })
  await expect.poll(() => membersOf(laptop.page), { timeout: 60_000 }).toBe(2)
  await laptop.openPool('Device bank')
  await expect(laptop.balance()).toHaveText('0.00 DV')
  // Alice made the pool, so she is its gatekeeper; the laptop pays for her but does not govern (member key only).
  await expect(laptop.page.getByTestId('gatekeeper-elsewhere')).toContainText('this device is a linked one')
  await expect(laptop.page.getByTestId('manage-button')).toHaveCount(0)
  await expect.poll(() => laptop.page.evaluate((id) => (globalThis as unknown as Heroes).heroes.wallet.pool(id)?.me, pool)).toBe(
    await alice.page.evaluate((id) => (globalThis as unknown as Heroes).heroes.wallet.pool(id)?.me, pool),
  )

  // Both offline; each pays Bob; then both back online.
  await alice.setOffline(true)
  await laptop.setOffline(true)
  await pays(alice, '10', 'From the phone')
  await pays(laptop, '7', 'From the laptop')
  await expect(alice.balance()).toHaveText('−10.00 DV')
  await expect(laptop.balance()).toHaveText('−7.00 DV')
  await alice.setOffline(false)
  await laptop.setOffline(false)
  await expect(alice.balance()).toHaveText('−17.00 DV', { timeout: 60_000 })
  await expect(laptop.balance()).toHaveText('−17.00 DV', { timeout: 60_000 })
  await bob.openPool('Device bank')
  await expect(bob.balance()).toHaveText('17.00 DV', { timeout: 60_000 })
})

test('Alice removes the lost laptop: what it signs afterwards is rejected everywhere', async () => {
  // The laptop is in a thief's hands, offline: the removal has not reached it.
  await laptop.setOffline(true)
  await alice.goto('#/settings')
  const row = alice.page.getByTestId('device-row').filter({ hasText: 'Laptop' })
  await row.getByRole('button', { name: 'Remove this device' }).click()
  await expect(row.getByRole('alertdialog')).toContainText('What it signed up to now stands')
  await expectAccessible(alice.page)
  await row.getByRole('button', { name: 'Remove it' }).click()
  await expect(row.getByTestId('device-status')).toContainText('Removed')
  await pays(laptop, '5', 'After the removal')
  await expect(laptop.balance()).toHaveText('−22.00 DV')
  await laptop.setOffline(false)
  // Every device rejects it, the laptop included once the removal reaches it.
  await expect(alice.page.getByTestId('device-rejected')).toContainText('1 entry signed after its removal rejected', { timeout: 60_000 })
  await alice.openPool('Device bank')
  await expect(alice.balance()).toHaveText('−17.00 DV')
  await expect(alice.page.getByTestId('statement-row').filter({ hasText: 'After the removal' })).toContainText('This device was removed from the account')
  await expect(laptop.balance()).toHaveText('−17.00 DV', { timeout: 60_000 })
  await expect(bob.balance()).toHaveText('17.00 DV')
  await alice.shot('devices-removed')
})

test('Bob, with no device and no phrase, gets his account back through the gatekeeper', async ({ browser }) => {
  // A pool without a witness (the relay's answer to /witness blocked), so the week of waiting runs on the devices' clocks.
  const gita = await Person.open(browser, 'gita', DESKTOP)
  await gita.page.route('**/witness', (route) => route.abort())
  await gita.page.getByRole('link', { name: 'New pool', exact: true }).click()
  await gita.page.getByLabel('Name', { exact: true }).fill('Recovery bank')
  await gita.page.getByLabel('Symbol', { exact: true }).fill('DV')
  await gita.page.getByLabel('Credit limit per member').fill('100')
  await gita.page.getByLabel('Seconds between two payments').fill('0')
  await expect(gita.page.getByTestId('witness-probe')).toHaveAttribute('data-witness', 'none')
  await gita.page.getByRole('button', { name: 'Create pool' }).click()
  await expect(gita.page.getByRole('heading', { name: 'Manage Recovery bank' })).toBeVisible()
  const recoveryPool = await gita.page.evaluate(() => (globalThis as unknown as Heroes).heroes.wallet.poolIds()[0]!)
  await gita.page.getByLabel('Who is it for?').fill('Bob')
  await gita.page.getByRole('button', { name: 'Make invitation' }).click()
  const invite = await gita.page.getByTestId('invite-link').inputValue()
  await gita.page.getByText('Show', { exact: true }).click()
  poolLink = await gita.page.getByTestId('pool-link').inputValue()
  const oldBob = await Person.open(browser, 'old-bob', PHONE)
  await oldBob.page.goto(invite)
  await oldBob.page.getByRole('button', { name: 'Join this pool' }).click()
  await expect(oldBob.page.getByRole('heading', { level: 1, name: 'Recovery bank', exact: true })).toBeVisible()
  await expect.poll(() => gita.page.evaluate((id) => (globalThis as unknown as Heroes).heroes.wallet.pool(id)?.members.length ?? 0, recoveryPool), { timeout: 60_000 }).toBe(2)
  const oldKey = await oldBob.page.evaluate((id) => (globalThis as unknown as Heroes).heroes.wallet.pool(id)!.me, recoveryPool)
  await pays(gita, '10', 'Plums', recoveryPool)
  await expect(oldBob.balance()).toHaveText('10.00 DV', { timeout: 60_000 })
  // Bob's phone is gone, and his phrase with it.
  await oldBob.close()

  // Eight days later, on a fresh phone.
  const later = Date.now() + 8 * 86_400_000
  const fresh = await browser.newContext({ viewport: PHONE, baseURL: baseUrl() })
  await fresh.clock.setSystemTime(later)
  const page = await fresh.newPage()
  await page.goto('/#/recover')
  await expect(page.getByRole('heading', { name: 'Recover an account' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Restore with the recovery phrase' })).toBeVisible()
  await page.getByLabel('The pool’s link (ask a member or a gatekeeper)').fill('https://example.org/#/o/garbled')
  await page.getByRole('button', { name: 'Open the pool' }).click()
  await expect(page.getByRole('alert').first()).toBeVisible()
  await page.getByLabel('The pool’s link (ask a member or a gatekeeper)').fill(poolLink)
  await page.getByRole('button', { name: 'Open the pool' }).click()
  const account = page.getByLabel('Your old account')
  await expect(account.locator(`option[value="${oldKey}"]`)).toHaveCount(1, { timeout: 60_000 })
  await account.selectOption(oldKey)
  await page.getByTestId('recover-ask').click()
  await expect(page.getByTestId('recovery-approvals')).toHaveText('0 of 1 approvals')
  await expectAccessible(page)
  const request = await page.getByTestId('recovery-link').inputValue()
  expect(request).toMatch(/\/#\/v\/[A-Za-z0-9_-]+$/)

  // The gatekeeper checks who asks, face to face, opens the request and approves, eight days on.
  // Its clock just behind the fresh phone's: an approval dated ahead of that phone would wait there until its time.
  await gita.context.clock.setSystemTime(await page.evaluate(() => Date.now()))
  await gita.page.goto(request)
  // The wallet reads the clock it found when it opened: open it again on the new one.
  await gita.page.reload()
  const queue = gita.page.getByTestId('recovery-queue')
  await expect(queue.getByTestId('recovery-row')).toHaveAttribute('data-status', 'open')
  await queue.getByTestId('recovery-approve').click()
  await expect(queue.getByTestId('recovery-row')).toHaveAttribute('data-status', 'recovered')
  await gita.shot('devices-recovery-queue')
  await expectAccessible(gita.page)

  // The fresh phone sees the account come back.
  await expect(page.getByTestId('recovered')).toBeVisible({ timeout: 60_000 })
  await page.getByRole('link', { name: 'Open the pool' }).click()
  await expect(page.getByTestId('balance')).toHaveText('10.00 DV')
  await expect(page.getByTestId('pay-button')).toBeVisible()
  await gita.close()
  await fresh.close()
})
