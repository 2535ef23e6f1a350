/**
 * A new version is offered, never swapped in under a payment: the service
 * worker file changes on the server (as after a deploy), the app offers the
 * update, refuses it while the pay form is open, and applies it from elsewhere.
 * Runs last (file order) because it changes dist/sw.js, and puts it back.
 */
import { expect, test } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
import { PHONE, Person } from './people.ts'

test('an update is offered, waits while paying, then applies', async ({ browser }) => {
  const person = await Person.open(browser, 'updater', PHONE)
  const original = readFileSync('dist/sw.js', 'utf8')
  try {
    // A second visit: the page is now controlled by the worker, as every visit after the first is.
    await person.page.reload()
    expect(await person.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)
    writeFileSync('dist/sw.js', `${original}\n// deployed ${Date.now()}\n`)
    await person.goto(`#/pool/${'0'.repeat(64)}/pay`)
    await person.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration()
      await registration?.update()
    })
    const banner = person.page.getByRole('region', { name: 'A new version of Heroes is ready.' })
    await expect(banner).toBeVisible({ timeout: 30_000 })
    await banner.getByRole('button', { name: 'Update now' }).click()
    await expect(banner).toContainText('The update will wait until your payment is done.')
    await person.shot('30-update-waits')

    await person.page.getByRole('link', { name: 'Wallet', exact: true }).click()
    const reloaded = person.page.waitForEvent('load')
    await banner.getByRole('button', { name: 'Update now' }).click()
    await reloaded
    await expect(person.page.getByRole('heading', { level: 1 })).toBeVisible()
    await expect(banner).toBeHidden()
    const waiting = await person.page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)
    expect(waiting).toBeNull()
  } finally {
    writeFileSync('dist/sw.js', original)
    await person.close()
  }
})
