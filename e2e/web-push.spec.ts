/**
 * Web Push in the browser (issue 15). Chromium here has no push service to reach (Chrome's is
 * Google's FCM, on the internet), so `pushManager.subscribe` fails: the test checks that Settings
 * says so in the member's language and keeps nothing half-done. The push itself is then delivered
 * to the app's service worker by the DevTools protocol (`ServiceWorker.deliverPushMessage`), a
 * stand-in for the push service's delivery: with the app closed, the worker shows the notice the
 * page left it, in Catalan, tagged for the pool and opening it. The relay's side (VAPID,
 * encryption, a loopback stand-in for the push service) is sync-server/test/push.test.ts.
 */
import { expect, test } from '@playwright/test'
import { PHONE, Person } from './people.ts'

const POOL = 'ab'.repeat(32)

test('Settings offers Web Push in the member’s language; the worker shows a content-free notice for a push', async ({ browser }) => {
  const gemma = await Person.open(browser, 'push-gemma', PHONE, 'ca-ES')
  try {
    const page = gemma.page
    await gemma.context.grantPermissions(['notifications'])
    await page.getByRole('link', { name: 'Configuració', exact: true }).click()
    const section = page.getByTestId('web-push')
    await expect(section.getByRole('heading', { name: 'Desperta l’app tancada (Web Push)' })).toBeVisible()
    await expect(section).toContainText('El missatge anomena la caixa i res més: cap import, nom ni nota.')
    await expect(page.getByTestId('web-push-state')).toHaveText('Web Push està desactivat.')
    await page.getByTestId('web-push-enable').click()
    // No push service is reachable from this machine: a clear refusal, and nothing left subscribed.
    await expect(page.getByTestId('web-push-problem')).toHaveText(/^Aquest navegador no ha pogut contactar amb el seu servei push/, { timeout: 60_000 })
    await expect(page.getByTestId('web-push-enable')).toBeEnabled()
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).pushManager.getSubscription().then((s) => s === null))).toBe(true)

    // The relay's wake-up, delivered to the worker with the app closed (no window of it open).
    const cdp = await gemma.context.newCDPSession(page)
    const origin = new URL(page.url()).origin
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted)
        if (ours) resolve(ours.registrationId)
      })
    })
    await cdp.send('ServiceWorker.enable')
    const id = await registrationId
    await page.goto('about:blank')
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: id, data: JSON.stringify({ pool: POOL }) })

    await gemma.goto('#/')
    await expect
      .poll(() => page.evaluate(async (tag) => (await (await navigator.serviceWorker.ready).getNotifications({ tag })).map((n) => ({ title: n.title, body: n.body, data: n.data as unknown })), `arrival-${POOL}`), { timeout: 15_000 })
      .toEqual([{ title: 'Heroes', body: 'Hi ha novetats al teu moneder. Obre Heroes per veure-les.', data: { url: `/#/pool/${POOL}` } }])
  } finally {
    await gemma.close()
  }
})
