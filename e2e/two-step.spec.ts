/**
 * A two-step pool: a payment waits, its amount on hold, until the payee
 * accepts it in their statement.
 */
import { expect, test } from '@playwright/test'
import { DESKTOP, PHONE, Person } from './people.ts'

test('the payee accepts a held payment, and only then does money move', async ({ browser }) => {
  const gatekeeper = await Person.open(browser, 'two-step-gatekeeper', DESKTOP)
  const payer = await Person.open(browser, 'two-step-payer', PHONE)
  const payee = await Person.open(browser, 'two-step-payee', PHONE)
  try {
    const g = gatekeeper.page
    await g.getByRole('link', { name: 'New pool', exact: true }).click()
    await g.getByLabel('Name', { exact: true }).fill('Tool library')
    await g.getByLabel('Symbol', { exact: true }).fill('TL')
    await g.getByLabel('Seconds between two payments').fill('1')
    await g.getByLabel('Payees accept each payment (two steps)').check()
    await g.getByRole('button', { name: 'Create pool' }).click()
    let previous = ''
    for (const person of [payer, payee]) {
      await g.getByRole('button', { name: 'Make invitation' }).click()
      // Each invitation works once: wait for the new one, not the one still on screen.
      await expect(g.getByTestId('invite-link')).not.toHaveValue(previous)
      const link = await g.getByTestId('invite-link').inputValue()
      previous = link
      await person.page.goto(link)
      await person.page.getByRole('button', { name: 'Join this pool' }).click()
      await expect(person.balance()).toHaveText('0.00 TL')
    }
    // The payee's payment address (a signed request would complete at once: the payee asked for it).
    await payee.page.getByRole('link', { name: 'Request' }).click()
    await expect(payee.page.getByTestId('address-link')).toHaveValue(/#\/p\//)
    const unnamed = await payee.page.getByTestId('address-link').inputValue()
    await payee.page.getByLabel('Your name, as the payer will see it').fill('Pat')
    await payee.page.getByText('Your payment address').click()
    await expect(payee.page.getByTestId('address-link')).not.toHaveValue(unnamed)
    await expect(payee.page.getByTestId('address-link')).toHaveValue(/#\/p\//)
    const request = await payee.page.getByTestId('address-link').inputValue()
    await payee.page.getByRole('link', { name: /Tool library/ }).first().click()

    await expect(payer.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'online', { timeout: 30_000 })
    await payer.page.goto(request)
    await payer.page.getByLabel('Amount (TL)').fill('7')
    await payer.page.getByRole('button', { name: 'Review' }).click()
    await payer.page.getByTestId('pay-confirm').click()
    await expect(payer.balance()).toHaveText('0.00 TL')
    await expect(payer.page.getByText('7.00 TL on hold until payees accept.')).toBeVisible()
    await expect(payer.page.getByTestId('statement-row').first()).toContainText('Waiting for the payee to accept')

    await expect(payee.page.getByTestId('statement-row').first()).toContainText('Waiting for you to accept', { timeout: 30_000 })
    const incoming = payee.page.getByTestId('incoming-transfer')
    await expect(incoming).toContainText('7.00 TL')
    await payee.shot('22-two-step-accept')
    await incoming.getByRole('button', { name: 'Accept' }).click()
    await expect(payee.balance()).toHaveText('7.00 TL')
    await expect(payer.balance()).toHaveText('−7.00 TL', { timeout: 30_000 })
    await expect(payer.page.getByText('on hold until payees accept')).toBeHidden()
  } finally {
    for (const person of [gatekeeper, payer, payee]) await person.close()
  }
})
