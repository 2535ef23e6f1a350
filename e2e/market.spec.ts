/**
 * The marketplace (issue 16) with two members: Alice posts an offer, Bob's
 * phone finds it offline and matches his want with it, Bob writes to Alice
 * (queued while offline, sealed end to end), Alice answers, and Bob pays from
 * the listing with the pay screen already filled in. A favourite stays on
 * Bob's phone; Alice edits her offer and Bob's phone shows the new version. Alice's phone tells
 * the daily digest ("1 new match") once, as a system notification with nothing of the listing. The relay's stored bytes never hold a word of the messages.
 */
import { expect, test } from '@playwright/test'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { DESKTOP, PHONE, Person } from './people.ts'

const QUESTION = 'Hello! Are the vegetables organic, and can I come on Friday?'
const ANSWER = 'Yes, all organic: come Friday after five.'

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
}

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
    await alice.openPool('Veg market')
    // Alice's phone lets the app notify, and the app is not in front (headless pages always look "visible").
    await alice.context.grantPermissions(['notifications'])
    await a.evaluate(() => Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true }))

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

    // Bob writes to Alice while offline: kept on his phone, marked as queued.
    await match.getByTestId('listing-contact').click()
    await match.getByTestId('contact-text').fill(QUESTION)
    await match.getByTestId('contact-send').click()
    const bobThread = b.getByTestId('threads').getByTestId('thread')
    await expect(bobThread.getByTestId('thread-message')).toHaveAttribute('data-queued', 'true')
    await bob.setOffline(false)
    await expect(bobThread.getByTestId('thread-message')).toHaveAttribute('data-queued', 'false', { timeout: 30_000 })

    // Bob's want matches Alice's offer: her phone tells the daily digest as a system notification
    // through the service worker, with the count and the pool's name only.
    const poolId = await a.evaluate(() => (globalThis as unknown as { heroes: { wallet: { poolIds(): string[] } } }).heroes.wallet.poolIds()[0]!)
    const notifications = () =>
      a.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready
        return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, url: (n.data as { url: string }).url }))
      })
    await expect.poll(notifications, { timeout: 30_000 }).toEqual([{ title: 'Veg market', body: '1 new match', url: `/#/pool/${poolId}/market` }])

    // Alice's pool screen gives her digest (counted on her phone); after a reload, in front, no second digest that day.
    // She reads Bob's message without learning who wrote it, and answers (naming herself).
    await a.reload()
    await alice.openPool('Veg market')
    await expect(a.getByTestId('market-digest')).toHaveText('1 new match', { timeout: 30_000 })
    await a.waitForTimeout(1_000)
    await expect(a.getByTestId('match-digest-banner')).toHaveCount(0)
    expect(await notifications()).toHaveLength(1)
    await a.getByTestId('market-button').click()
    const aliceThread = a.getByTestId('threads').getByTestId('thread')
    await expect(aliceThread.getByTestId('thread-message')).toHaveText([`Them: ${QUESTION}`], { timeout: 30_000 })
    await expect(aliceThread.getByTestId('thread-peer')).toHaveText('A member (not named)')
    await aliceThread.getByTestId('thread-reply-text').fill(ANSWER)
    await aliceThread.getByTestId('thread-reply-send').click()
    await expect(bobThread.getByTestId('thread-message').nth(1)).toHaveText(`Them: ${ANSWER}`, { timeout: 30_000 })
    await expect(bobThread.getByTestId('thread-peer')).not.toHaveText('A member (not named)')
    await alice.shot('31-market-thread')

    // The relay carried both, and kept none of their words.
    const dataDir = process.env.HEROES_RELAY_DATA_DIR
    if (!dataDir) throw new Error('expected HEROES_RELAY_DATA_DIR from e2e/global-setup.ts, got nothing')
    const stored = filesUnder(dataDir).filter((file) => file.includes('mailbox'))
    expect(stored.length).toBeGreaterThanOrEqual(2)
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file)
      for (const words of [QUESTION, ANSWER, 'after five']) expect(bytes.includes(Buffer.from(words)), file).toBe(false)
    }

    // A favourite: on this phone only.
    await match.getByTestId('listing-favourite').click()
    await expect(b.getByTestId('favourites')).not.toContainText('Star the author')

    // Pay from the listing: the pay screen opens filled in.
    await match.getByTestId('listing-pay').click()
    await expect(b.getByLabel('Amount (VM)')).toHaveValue('5.00')
    await b.getByRole('button', { name: 'Review' }).click()
    await b.getByTestId('pay-confirm').click()
    await expect(bob.balance()).toHaveText('−5.00 VM')

    await alice.openPool('Veg market')
    await expect(alice.balance()).toHaveText('5.00 VM', { timeout: 60_000 })
    // Seen on her visit: no longer new.
    await expect(a.getByTestId('market-digest')).toHaveCount(0)

    // The next visit: the match is no longer new.
    await b.getByTestId('market-button').click()
    await expect(b.getByTestId('matches').getByTestId('match-row')).toHaveAttribute('data-fresh', 'false')
    // Alice edits her offer (form prefilled, the same edit entry as `heroes listing edit`): Bob's phone shows the new version.
    await a.getByTestId('market-button').click()
    await a.getByTestId('my-listings').getByTestId('listing-edit').click()
    const form = a.getByTestId('listing-edit-form')
    await expect(form.getByTestId('listing-title-input')).toHaveValue('Légumes Bio')
    await expect(form.getByTestId('listing-price-input')).toHaveValue('5.00')
    await form.getByTestId('listing-title-input').fill('Légumes Bio et fruits')
    await form.getByTestId('listing-price-input').fill('6')
    await form.getByTestId('listing-save').click()
    await expect(a.getByTestId('market-flash')).toBeVisible()
    await expect(a.getByTestId('my-listings').getByTestId('my-listing')).toHaveCount(1)
    await expect(a.getByTestId('my-listings')).toContainText('Légumes Bio et fruits')
    await expect(b.getByTestId('market-results').getByTestId('listing-title')).toContainText(['Légumes Bio et fruits'], { timeout: 30_000 })
    await expect(b.getByTestId('market-results')).toContainText('6.00')

    // Bob's phone was offline for a while: the failed fetches of that time are expected.
    for (const person of [gatekeeper, alice, bob]) expect(person.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([])
  } finally {
    for (const person of [gatekeeper, alice, bob]) await person.close()
  }
})
