/**
 * One pool, three people, three languages (issue 15): Gemma's browser speaks Catalan, Irene's
 * Italian, Eddie's English. Gemma (the gatekeeper) makes the pool and invites both; they join;
 * Gemma pays Irene, Eddie asks Irene for money and she pays his request, Eddie pays Gemma. Each
 * phone shows its screens in its own language, amounts written its own way (Catalan 1.234,50,
 * Italian 1234,50, English 1,234.50), dates by Intl in its language, and all three phones agree on
 * every balance to the minor unit. Real Chromium, the built PWA, the real relay (global-setup).
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { baseUrl, chooseMember, DESKTOP, expectNothingCut, PHONE, Person } from './people.ts'

test.describe.configure({ mode: 'serial' })

let gemma: Person
let irene: Person
let eddie: Person
let pool = ''

test.afterAll(async () => {
  for (const person of [gemma, irene, eddie]) {
    if (person?.errors.length) console.log(`${person.name} console errors:\n  ${person.errors.join('\n  ')}`)
    await person?.close()
  }
})

interface Member {
  readonly key: string
  readonly balance: number
}

/** What this phone's wallet holds for the pool's members: key and balance in minor units, by key. */
function members(person: Person): Promise<Member[]> {
  return person.page.evaluate((id) => {
    const view = (globalThis as unknown as { heroes: { wallet: { pool(id: string): { members: Member[] } | undefined } } }).heroes.wallet.pool(id)
    return (view?.members ?? []).map(({ key, balance }) => ({ key, balance })).sort((a, b) => a.key.localeCompare(b.key))
  }, pool)
}

async function inviteLink(label: string): Promise<string> {
  const page = gemma.page
  await gemma.goto(`#/pool/${pool}/manage`)
  await page.getByLabel('Per a qui és?').fill(label)
  await page.getByRole('button', { name: 'Crea la invitació' }).click()
  await expect(page.getByRole('heading', { name: `Invitació per a ${label}` })).toBeVisible()
  return page.getByTestId('invite-link').inputValue()
}

test('a Catalan browser gets the app in Catalan; Gemma makes a pool with Catalan numbers', async ({ browser }) => {
  gemma = await Person.open(browser, 'gemma', DESKTOP, 'ca-ES')
  const page = gemma.page
  await expect(page.locator('html')).toHaveAttribute('lang', 'ca')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Les teves caixes')
  await page.getByRole('link', { name: 'Nova caixa', exact: true }).click()
  await page.getByLabel('Nom', { exact: true }).fill('Caixa del barri')
  await page.getByLabel('Símbol', { exact: true }).fill('CB')
  await page.getByLabel('Límit de crèdit per membre').fill('5000')
  await page.getByLabel('Segons entre dos pagaments').fill('0')
  await page.getByRole('button', { name: 'Crea la caixa' }).click()
  await expect(page.getByRole('heading', { name: 'Gestiona Caixa del barri' })).toBeVisible()
  pool = await page.evaluate(() => (globalThis as unknown as { heroes: { wallet: { poolIds(): string[] } } }).heroes.wallet.poolIds()[0]!)
  await gemma.goto(`#/pool/${pool}`)
  await expect(gemma.balance()).toHaveText('0,00 CB')
  // Catalan groups from four digits with a point and writes a decimal comma.
  await expect(page.getByText('Pots baixar fins a −5.000,00 CB.')).toBeVisible()
  await page.getByLabel('Nom', { exact: true }).fill('Gemma')
  await page.getByTestId('profile-save').click()
  await expect(page.getByTestId('profile-card')).toContainText('La caixa et veu com a Gemma')
  await expectAccessible(page)
})

test('Irene joins in Italian and Eddie in English, from Gemma’s Catalan invitations', async ({ browser }) => {
  const forIrene = await inviteLink('Irene')
  const forEddie = await inviteLink('Eddie')

  irene = await Person.open(browser, 'irene', PHONE, 'it-IT')
  await expect(irene.page.getByRole('heading', { level: 1 })).toHaveText('Le tue casse')
  await irene.page.goto(forIrene)
  await expect(irene.page.getByLabel('Il tuo nome in questa cassa')).toHaveValue('Irene')
  await irene.page.getByRole('button', { name: 'Entra in questa cassa' }).click()
  await expect(irene.page.getByRole('heading', { level: 1, name: 'Caixa del barri', exact: true })).toBeVisible()
  await expect(irene.balance()).toHaveText('0,00 CB')
  await expect(irene.page.getByText('Puoi scendere fino a −5000,00 CB.')).toBeVisible()
  await irene.goto('#/')

  eddie = await Person.open(browser, 'eddie', PHONE, 'en-GB')
  await expect(eddie.page.locator('html')).toHaveAttribute('lang', 'en')
  await eddie.page.goto(forEddie)
  await expect(eddie.page.getByLabel('Your name in this pool')).toHaveValue('Eddie')
  await eddie.page.getByRole('button', { name: 'Join this pool' }).click()
  await expect(eddie.page.getByRole('heading', { level: 1, name: 'Caixa del barri', exact: true })).toBeVisible()
  await expect(eddie.page.getByText('You may go down to −5,000.00 CB.')).toBeVisible()

  // Gemma's phone learns of both through the relay, by the names they signed.
  await gemma.goto(`#/pool/${pool}/manage`)
  await expect(gemma.page.getByTestId('member-row')).toHaveCount(3, { timeout: 60_000 })
  await expect(gemma.page.getByTestId('member-row').filter({ hasText: 'Irene' })).toHaveCount(1, { timeout: 30_000 })
  await expect(gemma.page.getByTestId('member-row').filter({ hasText: 'Eddie' })).toHaveCount(1, { timeout: 30_000 })
})

test('Gemma pays Irene 1.234,50 in Catalan; Irene is told in Italian, 1234,50', async () => {
  const page = gemma.page
  await gemma.goto(`#/pool/${pool}/pay`)
  await chooseMember(page, 'Irene', 'Membre')
  // More than the pool lets a member pay offline (1 % of the credit limit): with a witness, the payment must be online,
  // which it is once the witness's checkpoint covers Gemma's last entry (her name), and the pay screen says so.
  if (await relayWitnesses()) await expect(page.getByTestId('pay-online')).toHaveText(/^Estàs en línia: un testimoni confirma aquest pagament/, { timeout: 60_000 })
  await page.getByLabel('Import (CB)').fill('1234,5')
  await page.getByRole('button', { name: 'Revisa' }).click()
  await expect(page.getByRole('heading', { name: /^Paga 1\.234,50 CB a Irene/ })).toBeVisible()
  await page.getByTestId('pay-confirm').click()
  await expect(page.getByTestId('statement-row').first()).toContainText('Pagat a Irene')
  await expect(gemma.balance()).toHaveText('−1.234,50 CB')

  // Irene is on her home screen: a banner and a badge on the pool's card, in Italian.
  await expect(irene.page.getByTestId('arrival-banner')).toContainText('Gemma ti ha pagato 1234,50 CB', { timeout: 30_000 })
  await expect(irene.page.getByTestId('pool-card-new')).toHaveText('1 nuovo')
  await irene.goto(`#/pool/${pool}`)
  await expect(irene.balance()).toHaveText('1234,50 CB')
  await expect(irene.page.getByTestId('statement-row').first()).toContainText('Ricevuto da Gemma')
})

test('Eddie asks Irene for 20.00 in English; she pays it in Italian; he is told in English', async () => {
  const e = eddie.page
  await eddie.goto(`#/pool/${pool}`)
  await e.getByRole('link', { name: 'Request', exact: true }).click()
  await e.getByLabel('Amount (CB)').fill('20')
  await e.getByRole('button', { name: 'Sign the request' }).click()
  await expect(e.getByRole('heading', { level: 1 })).toHaveText('Your request for 20.00 CB')
  const link = await e.getByTestId('request-link').inputValue()

  const i = irene.page
  await i.goto(link)
  await expect(i.getByRole('heading', { level: 1 })).toHaveText(/^Eddie \([0-9a-f·]{14}\) chiede 20,00 CB$/)
  await i.getByTestId('pay-request').click()
  await expect(i.getByTestId('request-done')).toHaveText('Pagati 20,00 CB a Eddie. La richiesta è saldata.')
  await irene.goto(`#/pool/${pool}`)
  await expect(irene.balance()).toHaveText('1214,50 CB')
  await expect(i.getByTestId('statement-row').first()).toContainText('Pagata la richiesta di Eddie')

  await eddie.goto(`#/pool/${pool}`)
  await expect(eddie.balance()).toHaveText('20.00 CB', { timeout: 30_000 })
  await expect(e.getByTestId('statement-row').first()).toContainText(/Irene \([0-9a-f·]{14}\) paid your request/)
})

test('Eddie pays Gemma 7.25 in English; Gemma is told in Catalan, 7,25', async () => {
  await gemma.goto('#/')
  const e = eddie.page
  await eddie.goto(`#/pool/${pool}/pay`)
  await chooseMember(e, 'Gemma')
  await e.getByLabel('Amount (CB)').fill('7.25')
  await e.getByRole('button', { name: 'Review' }).click()
  await expect(e.getByRole('heading', { name: /^Pay 7\.25 CB to Gemma/ })).toBeVisible()
  await e.getByTestId('pay-confirm').click()
  await expect(e.getByTestId('statement-row').first()).toContainText('Paid to Gemma')
  await expect(eddie.balance()).toHaveText('12.75 CB')

  await expect(gemma.page.getByTestId('arrival-banner')).toContainText('Eddie t’ha pagat 7,25 CB', { timeout: 30_000 })
  await expect(gemma.page.getByTestId('pool-card-new')).toHaveText('1 nou')
  await gemma.goto(`#/pool/${pool}`)
  await expect(gemma.balance()).toHaveText('−1.227,25 CB')
  await expect(gemma.page.getByTestId('statement-row').first()).toContainText(/Eddie \([0-9a-f·]{14}\) t’ha pagat/)
})

test('the three phones agree on every balance, each writes them and its dates its own way', async () => {
  // Every phone holds every payment: the same three balances to the minor unit, summing to zero.
  await expect.poll(async () => JSON.stringify(await members(irene)), { timeout: 30_000 }).toBe(JSON.stringify(await members(gemma)))
  await expect.poll(async () => JSON.stringify(await members(eddie)), { timeout: 30_000 }).toBe(JSON.stringify(await members(gemma)))
  const balances = (await members(gemma)).map((member) => member.balance).sort((a, b) => a - b)
  expect(balances).toEqual([-122_725, 1_275, 121_450])

  // Gemma's member table, in Catalan: each member's balance in Catalan figures.
  await gemma.goto(`#/pool/${pool}/manage`)
  const rows = gemma.page.getByTestId('member-row')
  await expect(rows.filter({ hasText: 'Irene' }).getByTestId('member-balance')).toHaveText('1.214,50 CB')
  await expect(rows.filter({ hasText: 'Eddie' }).getByTestId('member-balance')).toHaveText('12,75 CB')
  await expect(rows.filter({ hasText: 'Gemma' }).getByTestId('member-balance')).toHaveText('−1.227,25 CB')

  // Dates: each statement row's time is the language's medium date and short time (Intl), not English everywhere.
  const formats: Array<[Person, string, RegExp]> = [
    [gemma, 'ca', /^\d{1,2} de \p{L}+\.? \d{4},? \d{1,2}:\d{2}$/u],
    [irene, 'it', /^\d{1,2} \p{L}{3} \d{4}, \d{2}:\d{2}$/u],
    [eddie, 'en', /^\p{Lu}\p{Ll}{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M$/u],
  ]
  for (const [person, lang, shape] of formats) {
    await person.goto(`#/pool/${pool}`)
    const time = person.page.getByTestId('statement-row').first().locator('time')
    const written = (await time.textContent()) ?? ''
    expect(written, `${person.name}'s statement date`).toMatch(shape)
    const expected = await person.page.evaluate(
      ([iso, tag]) => new Date(iso).toLocaleString(tag, { dateStyle: 'medium', timeStyle: 'short' }),
      [(await time.getAttribute('datetime'))!, lang] as const,
    )
    expect(written).toBe(expected)
    await expect(person.page.locator('html')).toHaveAttribute('lang', lang)
  }
  await expectAccessible(gemma.page)
})

test('Catalan’s longer words fit a 320 px phone on every main screen', async () => {
  await gemma.page.setViewportSize({ width: 320, height: 700 })
  const screens: Array<[string, string]> = [
    ['#/', 'Les teves caixes'],
    [`#/pool/${pool}`, 'Caixa del barri'],
    [`#/pool/${pool}/pay`, 'Paga a Caixa del barri'],
    [`#/pool/${pool}/request`, 'Demana un pagament'],
    [`#/pool/${pool}/manage`, 'Gestiona Caixa del barri'],
    ['#/join', 'Uneix-te a una caixa'],
    ['#/create', 'Crea una caixa nova'],
    ['#/backup', 'Còpia de seguretat'],
    ['#/settings', 'Configuració'],
  ]
  for (const [hash, heading] of screens) {
    await gemma.goto(hash)
    await expect(gemma.page.getByRole('heading', { level: 1 })).toHaveText(heading)
    await expect(gemma.page.locator('html')).toHaveAttribute('lang', 'ca')
    await expectNothingCut(gemma.page)
  }
})

/** Does the relay witness pools (GET /witness answers a key)? Then the app names it in the pool it creates. */
async function relayWitnesses(): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl()}/witness`)
    const key = response.ok ? ((await response.json()) as { publicKey?: unknown }).publicKey : undefined
    return typeof key === 'string' && /^[0-9a-f]{64}$/.test(key)
  } catch {
    return false
  }
}

async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}
