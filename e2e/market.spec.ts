/**
 * The marketplace (issue 16) with two members: Alice posts an offer, Bob's
 * phone finds it offline and matches his want with it, and Bob pays from the
 * listing with the pay screen already filled in. A favourite stays on Bob's
 * phone. (The encrypted contact through the relay is not built yet.)
 */
import { expect, test } from '@playwright/test'
import { DESKTOP, PHONE, Person } from './people.ts'

test('Alice offers, Bob finds and matches it offline, and pays from the listing', async ({ browser }) => {
  const gatekeeper = await Person.open(browser, 'market-gatekeeper', DESKTOP)
  const alice = await Person.open(browser, 'market-alice', PHONE)
  const bob = await Person.open(browser, 'market-bob', PHONE)
  try {
    const g = gatekeeper.page
    await g.getByRole('link', { name: 'New pool', exact: true }).click()
    await g.getByLabel('Name', { exact: true }).fill('Veg market')
    await g.getByLabel('Symbol', { exact: true }).fill('VM')
    await g.getByLabel('Seconds between two payments').fill('1')
    await g.getByRole('button', { name: 'Create pool' }).click()
    let previous = ''
    for (const person of [alice, bob]) {
      await g.getByRole('button', { name: 'Make invitation' }).click()
      await expect(g.getByTestId('invite-link')).not.toHaveValue(previous)
      const link = await g.getByTestId('invite-link').inputValue()
      previous = link
      await person.page.goto(link)
      await person.page.getByRole('button', { name: 'Join this pool' }).click()
      await expect(person.balance()).toHaveText('0.00 VM')
    }

    // Alice posts an offer.
    const a = alice.page
    await expect(a.getByTestId('sync-status')).toHaveAttribute('data-status', 'online', { timeout: 30_000 })
    await a.getByTestId('market-button').click()
    await expect(a.getByTestId('market-title')).toBeVisible()
    await a.getByTestId('listing-title-input').fill('Légumes Bio')
    await a.getByLabel('Description (optional)').fill('Organic vegetables from the garden, every Friday')
    await a.getByTestId('listing-tags-input').fill('vegetables, organic')
    await a.getByTestId('listing-price-input').fill('5')
    await a.getByTestId('listing-post').click()
    await expect(a.getByTestId('market-flash')).toBeVisible()
    await expect(a.getByTestId('my-listings')).toContainText('Légumes Bio')

    // Bob's phone gets it through the relay, then goes offline: search and matching still work.
    const b = bob.page
    await expect(b.getByTestId('sync-status')).toHaveAttribute('data-status', 'online', { timeout: 30_000 })
    await b.getByTestId('market-button').click()
    await expect(b.getByTestId('market-results')).toContainText('Légumes Bio', { timeout: 30_000 })
    await bob.setOffline(true)
    await b.getByTestId('market-search').fill('legumes-bio')
    await expect(b.getByTestId('market-results').getByTestId('listing-title')).toHaveText(['Légumes Bio'])
    await b.getByTestId('market-search').fill('vegetalbes')
    await expect(b.getByTestId('market-results').getByTestId('listing-title')).toHaveText(['Légumes Bio'])
    await b.getByTestId('listing-kind-want').check()
    await b.getByTestId('listing-title-input').fill('Fresh vegetables')
    await b.getByTestId('listing-post').click()
    await expect(b.getByTestId('market-flash')).toBeVisible()
    const match = b.getByTestId('matches').getByTestId('match-row')
    await expect(match).toHaveCount(1)
    await expect(match).toContainText('Légumes Bio')
    await expect(match).toHaveAttribute('data-fresh', 'true')
    await bob.shot('30-market-match')

    // A favourite: on this phone only.
    await match.getByTestId('listing-favourite').click()
    await expect(b.getByTestId('favourites')).not.toContainText('Star the author')

    // Pay from the listing: the pay screen opens filled in.
    await match.getByTestId('listing-pay').click()
    await expect(b.getByLabel('Amount (VM)')).toHaveValue('5.00')
    await b.getByRole('button', { name: 'Review' }).click()
    await b.getByTestId('pay-confirm').click()
    await expect(bob.balance()).toHaveText('−5.00 VM')

    await bob.setOffline(false)
    await alice.openPool('Veg market')
    await expect(alice.balance()).toHaveText('5.00 VM', { timeout: 60_000 })
    // Alice's digest: Bob's want matches her offer, counted on her phone.
    await expect(a.getByTestId('market-digest')).toHaveText('1 new match', { timeout: 30_000 })

    // The next visit: the match is no longer new.
    await b.getByTestId('market-button').click()
    await expect(b.getByTestId('matches').getByTestId('match-row')).toHaveAttribute('data-fresh', 'false')
    // Bob's phone was offline for a while: the failed fetches of that time are expected.
    for (const person of [gatekeeper, alice, bob]) expect(person.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([])
  } finally {
    for (const person of [gatekeeper, alice, bob]) await person.close()
  }
})
