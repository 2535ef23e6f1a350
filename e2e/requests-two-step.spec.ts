/**
 * Issue 7 in the app, with one browser context per person: a signed payment
 * request paid from its QR link and settled on both phones (and one refused
 * by the payer asked); a two-step payment refused by the payee, sent again and
 * accepted, balances moving only on the accept; statements exported as CSV;
 * closing an account refused in words while money is still there.
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { chooseMember, DESKTOP, PHONE, Person } from './people.ts'

interface PoolOptions {
  readonly name: string
  readonly symbol: string
  readonly twoStep?: boolean
  readonly levyPercent?: string
  readonly softMax?: string
}

/** The gatekeeper creates a pool; each member joins with an invitation of their own. */
async function startPool(gatekeeper: Person, members: readonly Person[], options: PoolOptions): Promise<void> {
  const g = gatekeeper.page
  await g.getByRole('link', { name: 'New pool', exact: true }).click()
  await g.getByLabel('Name', { exact: true }).fill(options.name)
  await g.getByLabel('Symbol', { exact: true }).fill(options.symbol)
  await g.getByLabel('Seconds between two payments').fill('1')
  if (options.levyPercent) await g.getByLabel(/Levy on each payment/).fill(options.levyPercent)
  if (options.softMax) await g.getByLabel('Warn members when their balance goes above').fill(options.softMax)
  if (options.twoStep) await g.getByLabel('Payees accept each payment (two steps)').check()
  await g.getByRole('button', { name: 'Create pool' }).click()
  let previous = ''
  for (const person of members) {
    await g.getByRole('button', { name: 'Make invitation' }).click()
    await expect(g.getByTestId('invite-link')).not.toHaveValue(previous)
    const link = await g.getByTestId('invite-link').inputValue()
    previous = link
    await person.page.goto(link)
    await person.page.getByRole('button', { name: 'Join this pool' }).click()
    await expect(person.balance()).toHaveText(`0.00 ${options.symbol}`)
  }
}

/** axe-core, WCAG 2.1 A/AA and best practice, as in community.spec.ts. */
async function expectAccessible(person: Person): Promise<void> {
  const result = await new AxeBuilder({ page: person.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

async function keyOf(page: Page): Promise<string> {
  return (await page.getByTestId('my-key').textContent()) ?? ''
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const download = page.waitForEvent('download')
  await click()
  const file = await (await download).path()
  return readFileSync(file, 'utf8')
}

test('a signed request is paid from its QR link and reads settled on both phones; another is refused', async ({ browser }) => {
  const gatekeeper = await Person.open(browser, 'requests-gatekeeper', DESKTOP)
  const alice = await Person.open(browser, 'requests-alice', PHONE)
  const bob = await Person.open(browser, 'requests-bob', PHONE)
  try {
    await startPool(gatekeeper, [alice, bob], { name: 'Bakery round', symbol: 'BR', levyPercent: '1', softMax: '4' })
    const aliceKey = await keyOf(alice.page)
    await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'online', { timeout: 30_000 })

    // Bob signs a request for anyone; the page shows its QR code and link.
    const b = bob.page
    await b.getByRole('link', { name: 'Request', exact: true }).click()
    await b.getByLabel('Amount (BR)').fill('5')
    await b.getByLabel('What it is for').fill('Two loaves')
    await b.getByLabel('Your name, as the payer will see it').fill('Bob')
    await expect(b.getByTestId('request-levy')).toHaveText('With the pool’s levy you will receive 4.95 BR; 0.05 BR goes to the commons.')
    await expect(b.getByTestId('soft-max-warning')).toContainText('above the pool’s warning level of 4.00 BR')
    await bob.shotBoth('40-request-form')
    await b.getByRole('button', { name: 'Sign the request' }).click()
    await expect(b.getByRole('heading', { level: 1 })).toHaveText('Your request for 5.00 BR')
    await expect(b.getByRole('img', { name: /QR code: Your request for \u20685\.00 BR\u2069/ })).toBeVisible()
    await expect(b.getByTestId('request-state')).toContainText('Open: not paid yet.')
    await expect(b.getByTestId('request-link')).toHaveValue(/#\/q\//)
    const link = await b.getByTestId('request-link').inputValue()
    await bob.shotBoth('41-request-code')
    await expectAccessible(bob)

    // Alice opens what the code holds: amount and payee come from the signed request, not from a form.
    await alice.page.goto(link)
    const a = alice.page
    await expect(a.getByRole('heading', { level: 1 })).toHaveText(/^Bob \([0-9a-f·]{14}\) asks for 5\.00 BR$/)
    await expect(a.getByText('“Two loaves”')).toBeVisible()
    await expect(a.getByTestId('levy-note')).toHaveText('The payee receives 4.95 BR; 0.05 BR goes to the pool’s commons.')
    await expect(a.getByTestId('soft-max-warning')).toContainText('Bob’s balance will be 4.95 BR, above the pool’s warning level of 4.00 BR')
    await expect(a.getByRole('textbox', { name: /Amount/ })).toHaveCount(0)
    await alice.shotBoth('42-pay-request')
    await a.getByRole('button', { name: 'Pay 5.00 BR to Bob' }).click()
    await expect(a.getByTestId('request-state')).toContainText('Paid by you: settled.')
    await expect(a.getByRole('button', { name: /Pay 5.00 BR/ })).toHaveCount(0)
    await alice.shot('43-request-paid')

    // Bob's page, still open, turns to paid once Alice's payment arrives through the relay.
    await expect(b.getByTestId('request-state')).toContainText(/Paid by .+: settled\./, { timeout: 30_000 })
    await bob.shot('44-request-settled')
    await b.getByRole('link', { name: 'Back to the pool' }).click()
    await expect(bob.balance()).toHaveText('4.95 BR')
    await expect(b.getByTestId('above-soft-max')).toBeVisible()
    await expect(b.getByTestId('statement-row').first()).toContainText('paid your request')
    await expect(b.getByTestId('statement-row').nth(1)).toContainText('Paid: settled')

    // A request addressed to Alice: her pool screen lists it with Pay and Refuse; she refuses.
    await b.getByRole('link', { name: 'Request', exact: true }).click()
    await b.getByLabel('Amount (BR)').fill('2')
    await b.getByLabel('Who should pay').selectOption(aliceKey)
    await b.getByRole('button', { name: 'Sign the request' }).click()
    await expect(b.getByTestId('request-state')).toContainText('Open')
    await b.getByRole('link', { name: 'Back to the pool' }).click()
    await expect(b.getByTestId('outgoing-request')).toContainText('for 2.00 BR: not paid yet')
    await expect(b.getByRole('button', { name: 'Cancel' })).toBeVisible()

    await alice.openPool('Bakery round')
    await expect(alice.balance()).toHaveText('−5.00 BR')
    const incoming = a.getByTestId('incoming-request')
    await expect(incoming).toContainText(/Bob \([0-9a-f·]{14}\) asks you for 2\.00 BR/, { timeout: 30_000 })
    await expect(incoming.getByRole('link', { name: 'Pay' })).toBeVisible()
    await alice.goto('#/')
    await expect(a.getByTestId('waiting-for-you-count')).toHaveText('1 waiting for you')
    await alice.shotBoth('45-home-waiting')
    await alice.openPool('Bakery round')
    await alice.shotBoth('46-pool-waiting-for-you')
    await expectAccessible(alice)
    await incoming.getByRole('button', { name: 'Refuse' }).click()
    await expect(a.getByTestId('in-flight-message')).toHaveText('Refused: nothing moved.')
    await expect(a.getByTestId('incoming-request')).toHaveCount(0)
    await expect(b.getByTestId('outgoing-request')).toHaveCount(0, { timeout: 30_000 })
    await expect(b.getByTestId('statement-row').first()).toContainText('Refused by the payer')

    // Statements: Alice filters by counterparty and downloads her CSV; the gatekeeper downloads the pool's.
    await a.getByText('Filter and export').click()
    await chooseMember(a, 'Bob', 'With')
    await expect(a.getByTestId('statement-row').first()).toContainText('Paid the request of Bob')
    const mine = await downloaded(a, () => a.getByTestId('statement-csv').click())
    expect(mine.split('\r\n')[0]).toBe('time,entry,type,counterparty,amount,fee,memo,balance')
    expect(mine).toContain(',-5.00,0.05,Two loaves,-5.00')
    await alice.shot('47-statement-filter')
    await expectAccessible(alice)
    await gatekeeper.openPool('Bakery round')
    await gatekeeper.page.getByTestId('manage-button').click()
    const pool = await downloaded(gatekeeper.page, () => gatekeeper.page.getByTestId('pool-csv').click())
    expect(pool).toContain('Two loaves')

    // Leaving with money in the account: the validator refuses, and the app says why in words.
    await bob.openPool('Bakery round')
    await b.getByText('Close my account', { exact: true }).click()
    await expect(b.getByTestId('close-account')).toContainText('Your balance is 4.95 BR.')
    await b.getByTestId('close-start').click()
    await b.getByTestId('close-confirm').click()
    await expect(b.getByTestId('close-refusal')).toHaveText(
      'The pool refused to close your account: An account closes only at balance zero with nothing in flight. Your balance is 4.95 BR.',
    )
    await bob.shot('48-close-refused')
    await expectAccessible(bob)
    for (const person of [gatekeeper, alice, bob]) if (person.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join("\n  ")}`)
  } finally {
    for (const person of [gatekeeper, alice, bob]) await person.close()
  }
})

test('a two-step payment refused by the payee, sent again and accepted: balances move only on the accept', async ({ browser }) => {
  const gatekeeper = await Person.open(browser, 'hold-gatekeeper', DESKTOP)
  const alice = await Person.open(browser, 'hold-alice', PHONE)
  const bob = await Person.open(browser, 'hold-bob', DESKTOP)
  try {
    await startPool(gatekeeper, [alice, bob], { name: 'Tool shed', symbol: 'TS', twoStep: true })
    const bobKey = await keyOf(bob.page)
    const a = alice.page
    const b = bob.page
    await expect(a.getByTestId('sync-status')).toHaveAttribute('data-status', 'online', { timeout: 30_000 })

    const send = async (): Promise<void> => {
      await a.getByTestId('pay-button').click()
      await a.getByLabel('Or their key or payment link').fill(bobKey)
      await a.getByLabel('Amount (TS)').fill('7')
      await a.getByLabel(/Note/).fill('Hedge trimmer')
      await a.getByRole('button', { name: 'Review' }).click()
      await a.getByTestId('pay-confirm').click()
      await expect(alice.balance()).toHaveText('0.00 TS')
      await expect(a.getByText('7.00 TS on hold until payees accept.')).toBeVisible()
      await expect(a.getByTestId('outgoing-transfer')).toContainText('7.00 TS: on hold until they accept')
    }
    await send()
    await alice.shotBoth('50-two-step-on-hold')

    const incoming = b.getByTestId('incoming-transfer')
    await expect(incoming).toContainText('sends you 7.00 TS: accept it to receive it', { timeout: 30_000 })
    await expect(bob.balance()).toHaveText('0.00 TS')
    await bob.shotBoth('51-two-step-incoming')
    await expectAccessible(bob)
    await incoming.getByRole('button', { name: 'Refuse' }).click()
    await expect(b.getByTestId('in-flight-message')).toHaveText('Refused: nothing moved.')
    await expect(bob.balance()).toHaveText('0.00 TS')

    await expect(a.getByTestId('outgoing-transfer')).toHaveCount(0, { timeout: 30_000 })
    await expect(a.getByText('on hold until payees accept')).toBeHidden()
    await expect(a.getByTestId('statement-row').first()).toContainText('Rejected: The payee refused the payment.')
    await expect(alice.balance()).toHaveText('0.00 TS')
    await alice.shot('52-two-step-refused')

    await send()
    await expect(incoming).toContainText('7.00 TS', { timeout: 30_000 })
    await expect(bob.balance()).toHaveText('0.00 TS')
    await incoming.getByRole('button', { name: 'Accept' }).click()
    await expect(b.getByTestId('in-flight-message')).toHaveText('Accepted: the money moved.')
    await expect(bob.balance()).toHaveText('7.00 TS')
    await expect(alice.balance()).toHaveText('−7.00 TS', { timeout: 30_000 })
    await expect(a.getByTestId('outgoing-transfer')).toHaveCount(0)
    await expect(a.getByText('on hold until payees accept')).toBeHidden()
    await alice.shot('53-two-step-accepted')
    await bob.shot('54-two-step-accepted')
    for (const person of [gatekeeper, alice, bob]) if (person.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join("\n  ")}`)
  } finally {
    for (const person of [gatekeeper, alice, bob]) await person.close()
  }
})
