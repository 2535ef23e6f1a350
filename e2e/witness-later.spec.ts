/**
 * A pool created with the phone offline has no witness (the app could not ask
 * the relay for its key), so its payments stay unconfirmed. Back online, its
 * creator names the relay as witness from the gatekeeper's console.
 */
import { expect, test } from '@playwright/test'
import { Person } from './people.ts'

test('a pool created offline gets the relay as its witness later, from the console', async ({ browser }) => {
  const gatekeeper = await Person.open(browser, 'gatekeeper')
  const page = gatekeeper.page
  try {
    await gatekeeper.setOffline(true)
    await page.getByRole('link', { name: 'New pool', exact: true }).click()
    await page.getByLabel('Name', { exact: true }).fill('Offline market')
    await page.getByLabel('Symbol', { exact: true }).fill('OFM')
    await expect(page.getByTestId('witness-probe')).toHaveAttribute('data-witness', 'none')
    await page.getByRole('button', { name: 'Create pool' }).click()
    await expect(page.getByRole('heading', { name: 'Manage Offline market' })).toBeVisible()
    await expect(page.getByTestId('pool-witness')).toHaveText(/No witness/)

    // Still offline: the relay cannot be asked, and the console says so without signing anything.
    await page.getByTestId('add-witness').click()
    await expect(page.getByRole('alert')).toContainText('The relay cannot be reached now')

    await gatekeeper.setOffline(false)
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', /online|syncing/, { timeout: 20_000 })
    await page.getByTestId('add-witness').click()
    await expect(page.getByTestId('witness-added')).toBeVisible()
    await expect(page.getByTestId('pool-witness')).toHaveText(/^Witness: /)
    await expect(page.getByTestId('add-witness')).toHaveCount(0)
    expect(gatekeeper.errors.filter((error) => !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(error))).toEqual([])
  } finally {
    await gatekeeper.close()
  }
})
