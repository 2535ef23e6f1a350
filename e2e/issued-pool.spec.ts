/**
 * An issued-token pool: only the gatekeeper creates tokens. A member asks for
 * tokens with a request link; the gatekeeper issues them; nobody goes below zero.
 */
import { expect, test } from '@playwright/test'
import { DESKTOP, PHONE, Person } from './people.ts'

test('a member asks for tokens, the gatekeeper issues them, and spending stops at zero', async ({ browser }) => {
  const gatekeeper = await Person.open(browser, 'market-gatekeeper', DESKTOP)
  const member = await Person.open(browser, 'market-member', PHONE)
  try {
    const g = gatekeeper.page
    await g.getByRole('link', { name: 'New pool', exact: true }).click()
    await g.getByText('Issued tokens').click()
    await g.getByLabel('Name', { exact: true }).fill('Market tokens')
    await g.getByLabel('Symbol', { exact: true }).fill('MKT')
    await g.getByLabel('Decimals shown').fill('0')
    await g.getByLabel('Seconds between two payments').fill('1')
    await gatekeeper.shotBoth('19-create-issued-pool')
    await g.getByRole('button', { name: 'Create pool' }).click()
    await g.getByRole('button', { name: 'Make invitation' }).click()
    const invite = await g.getByTestId('invite-link').inputValue()

    await member.page.goto(invite)
    await member.page.getByRole('button', { name: 'Join this pool' }).click()
    await expect(member.balance()).toHaveText('0 MKT')
    // Asking a gatekeeper for new tokens: the member's payment address (nothing signed), with a name.
    await member.page.getByRole('link', { name: 'Request' }).click()
    await expect(member.page.getByTestId('address-link')).toHaveValue(/#\/p\//)
    const unnamed = await member.page.getByTestId('address-link').inputValue()
    await member.page.getByLabel('Your name, as the payer will see it').fill('Mia')
    await member.page.getByText('Your payment address').click()
    await expect(member.page.getByTestId('address-link')).not.toHaveValue(unnamed)
    const request = await member.page.getByTestId('address-link').inputValue()

    await expect(g.getByTestId('member-row')).toHaveCount(2, { timeout: 30_000 })
    await g.goto(request)
    await expect(g.getByText('Mia asks for tokens.')).toBeVisible()
    await g.getByLabel('Amount to issue (MKT)').fill('40')
    await gatekeeper.shot('20-token-request')
    await g.getByRole('button', { name: 'Issue 40 MKT' }).click()
    await expect(g.getByText('Issued 40 MKT.')).toBeVisible()

    await member.page.getByRole('link', { name: /Market tokens/ }).click()
    await expect(member.balance()).toHaveText('40 MKT', { timeout: 30_000 })
    await expect(member.page.getByTestId('statement-row').first()).toContainText('Issued by')
    await member.shot('21-tokens-received')

    // Paying more than one holds is refused before signing, with the figure that is possible.
    await g.goto('/#/')
    await g.getByTestId('pool-card').filter({ hasText: 'Market tokens' }).click()
    await g.getByRole('link', { name: 'Request' }).click()
    await g.getByLabel('Amount (MKT)').fill('50')
    await g.getByRole('button', { name: 'Sign the request' }).click()
    await expect(g.getByTestId('request-link')).toHaveValue(/#\/q\//)
    await member.page.goto(await g.getByTestId('request-link').inputValue())
    await member.page.getByTestId('pay-request').click()
    await expect(member.page.getByTestId('pay-refusal')).toContainText('Over your limit: you can pay at most 40 MKT now.')
    await expect(member.page.getByTestId('request-state')).toContainText('Open: not paid yet.')
  } finally {
    await gatekeeper.close()
    await member.close()
  }
})
