/**
 * Languages, end to end (issue 15): the app follows the browser's language (Italian, French), the
 * picker in Settings switches it at once and remembers it across a reload, amounts are written the
 * language's way (Intl), and a payment told in French reaches an Italian phone in Italian; axe finds
 * no A/AA violation on translated screens (each has its lang attribute).
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { DESKTOP, PHONE, Person } from './people.ts'

test.describe.configure({ mode: 'serial' })

let amelie: Person
let bruno: Person
let pool = ''

test.afterAll(async () => {
  for (const person of [amelie, bruno]) {
    if (person?.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join('\n  ')}`)
    await person?.close()
  }
})

test('a French browser gets the app in French, and a French pool with French numbers', async ({ browser }) => {
  amelie = await Person.open(browser, 'amelie', DESKTOP, 'fr-FR')
  const page = amelie.page
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vos caisses')
  await page.getByRole('link', { name: 'Nouvelle caisse', exact: true }).click()
  await page.getByLabel('Nom', { exact: true }).fill('Caisse du quartier')
  await page.getByLabel('Symbole', { exact: true }).fill('CQ')
  await page.getByLabel('Limite de crédit par membre').fill('5000')
  await page.getByLabel('Secondes entre deux paiements').fill('0')
  await page.getByRole('button', { name: 'Créer la caisse' }).click()
  await expect(page.getByRole('heading', { name: 'Gérer Caisse du quartier' })).toBeVisible()
  pool = await page.evaluate(() => (globalThis as unknown as { heroes: { wallet: { poolIds(): string[] } } }).heroes.wallet.poolIds()[0]!)
  await amelie.goto(`#/pool/${pool}`)
  await expect(page.getByTestId('balance')).toHaveText('0,00 CQ')
  // French groups thousands with a narrow no-break space and writes a comma.
  await expect(page.getByText(/Vous pouvez descendre jusqu’à −5\u202f000,00 CQ/)).toBeVisible()
  await page.getByLabel('Nom', { exact: true }).fill('Amélie')
  await page.getByTestId('profile-save').click()
  await expect(page.getByTestId('profile-card')).toContainText('Montré à la caisse comme Amélie')
  await expectAccessible(page)
})

test('an Italian browser joins in Italian; Amélie’s payment arrives in Italian words and numbers', async ({ browser }) => {
  await amelie.goto(`#/pool/${pool}/manage`)
  await amelie.page.getByLabel('Pour qui est-ce ?').fill('Bruno')
  await amelie.page.getByRole('button', { name: 'Créer l’invitation' }).click()
  await expect(amelie.page.getByRole('heading', { name: 'Invitation pour Bruno' })).toBeVisible()
  const link = await amelie.page.getByTestId('invite-link').inputValue()

  bruno = await Person.open(browser, 'bruno', PHONE, 'it-IT')
  await expect(bruno.page.getByRole('heading', { level: 1 })).toHaveText('Le tue casse')
  await bruno.page.goto(link)
  await expect(bruno.page.getByLabel('Il tuo nome in questa cassa')).toHaveValue('Bruno')
  await bruno.page.getByRole('button', { name: 'Entra in questa cassa' }).click()
  await expect(bruno.page.getByRole('heading', { level: 1, name: 'Caisse du quartier', exact: true })).toBeVisible()
  await expectAccessible(bruno.page)
  await bruno.goto('#/')

  await expect.poll(() => amelie.page.evaluate((id) => (globalThis as unknown as { heroes: { wallet: { pool(id: string): { members: unknown[] } } } }).heroes.wallet.pool(id).members.length, pool), { timeout: 60_000 }).toBe(2)
  await amelie.goto(`#/pool/${pool}/pay`)
  const picker = amelie.page.getByLabel('Membre', { exact: true })
  const option = picker.locator('option').filter({ hasText: /^Bruno \(/ })
  await expect(option).toHaveCount(1, { timeout: 30_000 })
  await picker.selectOption((await option.getAttribute('value'))!)
  await amelie.page.getByLabel('Montant (CQ)').fill('12,5')
  await amelie.page.getByRole('button', { name: 'Vérifier' }).click()
  await expect(amelie.page.getByRole('heading', { name: /Payer 12,50 CQ à Bruno/ })).toBeVisible()
  await amelie.page.getByTestId('pay-confirm').click()
  await expect(amelie.page.getByTestId('statement-row').first()).toContainText('Payé à Bruno')

  await expect(bruno.page.getByTestId('arrival-banner')).toContainText('Amélie ti ha pagato 12,50 CQ', { timeout: 30_000 })
  await expect(bruno.page.getByTestId('pool-card-new')).toHaveText('1 nuovo')
})

test('the picker in Settings switches the language at once and keeps it after a reload', async () => {
  const page = bruno.page
  await page.getByRole('link', { name: 'Impostazioni', exact: true }).click()
  await expect(page.getByLabel('Lingua')).toHaveValue('it')
  await page.getByLabel('Lingua').selectOption('es')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ajustes')
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')
  await expectAccessible(page)
  await page.reload()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ajustes')
  await bruno.goto(`#/pool/${pool}`)
  await expect(page.getByTestId('statement-row').first()).toContainText('Recibido de Amélie')
  await expect(page.getByTestId('balance')).toHaveText('12,50 CQ')
  await page.getByRole('link', { name: 'Ajustes', exact: true }).click()
  await page.getByLabel('Idioma').selectOption('en')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings')
})

async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}
