/**
 * One person = one browser context (own IndexedDB, own service worker, own
 * network switch) with one page. Screens are driven the way a person would:
 * by labels, roles and buttons.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'

export const PHONE = { width: 360, height: 760 }
export const DESKTOP = { width: 1280, height: 860 }
const SCREENSHOTS = 'e2e/screenshots'

export function baseUrl(): string {
  const url = process.env.HEROES_BASE_URL
  if (!url) throw new Error('expected HEROES_BASE_URL from e2e/global-setup.ts, got nothing')
  return url
}

export class Person {
  readonly errors: string[] = []
  private constructor(readonly name: string, readonly context: BrowserContext, readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text())
    })
  }

  /**
   * `locale` sets the browser's language (navigator.language), which the app follows until Settings say otherwise;
   * `base` is the relay serving the app (a spec's own relay; the shared one by default).
   */
  static async open(browser: Browser, name: string, viewport = PHONE, locale?: string, base = baseUrl()): Promise<Person> {
    const context = await browser.newContext({ viewport, baseURL: base, ...(locale ? { locale } : {}) })
    const page = await context.newPage()
    const person = new Person(name, context, page)
    await page.goto('/')
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    // The service worker must control later loads for the offline tests.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    return person
  }

  async goto(hash: string): Promise<void> {
    await this.page.goto(`/${hash}`)
  }

  async setOffline(offline: boolean): Promise<void> {
    await this.context.setOffline(offline)
  }

  async shot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const width = this.page.viewportSize()?.width ?? 0
    await this.page.screenshot({ path: `${SCREENSHOTS}/${name}-${width <= 400 ? 'phone' : 'desktop'}.png`, fullPage: true })
  }

  /** The same screen at 360 px and on a desktop, to look at both. */
  async shotBoth(name: string): Promise<void> {
    const original = this.page.viewportSize() ?? PHONE
    for (const size of [PHONE, DESKTOP]) {
      await this.page.setViewportSize(size)
      await this.shot(name)
    }
    await this.page.setViewportSize(original)
  }

  /** Opens the pool named `poolName` from the wallet's home screen. */
  async openPool(poolName: string): Promise<void> {
    await this.goto('#/')
    await this.page.getByTestId('pool-card').filter({ hasText: poolName }).click()
    await expect(this.page.getByRole('heading', { level: 1, name: poolName })).toBeVisible()
  }

  balance() {
    return this.page.getByTestId('balance')
  }

  async close(): Promise<void> {
    await this.context.close()
  }
}

/**
 * Chooses a member in a picker by name: options read "Name (fingerprint)", so the option whose
 * text starts with the name is chosen (selectOption's label must match exactly).
 */
export async function chooseMember(page: Page, name: string, label = 'Member'): Promise<void> {
  const select = page.getByLabel(label, { exact: true })
  const option = select.locator('option').filter({ hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`) }).first()
  await expect(option).toHaveCount(1)
  await select.selectOption((await option.getAttribute('value'))!)
}

/** Fails when the page scrolls sideways: nothing may stick out of a phone's width. */
export async function expectNoOverflow(page: Page): Promise<void> {
  const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
  expect(sizes.scroll, `scrollWidth ${sizes.scroll} > clientWidth ${sizes.client} at ${page.url()}`).toBeLessThanOrEqual(sizes.client)
}

/**
 * Fails when anything sticks out: the page scrolls sideways, an element reaches past the window's
 * edge (outside a container that scrolls on purpose), or a button's words are wider than the button
 * (the members table's "Freeze" cut to "Free"). Text cut on purpose with an ellipsis is allowed.
 */
export async function expectNothingCut(page: Page): Promise<void> {
  await expectNoOverflow(page)
  const cut = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const found: string[] = []
    const label = (el: Element): string => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`
    const scrollsOnPurpose = (el: Element): boolean => {
      for (let up = el.parentElement; up; up = up.parentElement) {
        const overflowX = getComputedStyle(up).overflowX
        if (overflowX === 'auto' || overflowX === 'scroll') return true
      }
      return false
    }
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el)
      if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.visually-hidden, .skip, .scanner')) continue
      const box = el.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      if ((box.right > width + 1 || box.left < -1) && !scrollsOnPurpose(el)) found.push(`${label(el)} spans ${Math.round(box.left)}–${Math.round(box.right)} in ${width}`)
      const isButton = el.tagName === 'BUTTON' || el.classList.contains('button')
      if (isButton && style.textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + 1) found.push(`${label(el)} words ${el.scrollWidth} wide in a ${el.clientWidth} button`)
    }
    return found
  })
  expect(cut, `cut at ${page.url()}`).toEqual([])
}
