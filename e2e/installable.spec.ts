/**
 * Chromium's own installability check (manifest, icons, service worker,
 * start URL). It needs a normal profile: every Playwright context is
 * incognito, where Chromium refuses installation outright ("in-incognito").
 */
import { chromium, expect, test } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs'
import { baseUrl } from './people.ts'

test('Chromium reports no installability errors, and the manifest says what an install needs', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'heroes-profile-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath: findChromium() as string, args: CHROMIUM_ARGS as string[], headless: true })
  try {
    const page = await context.newPage()
    await page.goto(baseUrl())
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    const cdp = await context.newCDPSession(page)
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> }
    expect(installabilityErrors.map((error) => error.errorId)).toEqual([])
    const manifest = (await (await page.request.get(`${baseUrl()}/manifest.webmanifest`)).json()) as Record<string, unknown>
    expect(manifest).toMatchObject({ name: expect.any(String), short_name: 'Heroes', display: 'standalone', start_url: '/', scope: '/', theme_color: '#0f5c4d', background_color: '#f6f4ee' })
    const icons = manifest.icons as Array<{ sizes: string; purpose: string }>
    for (const [sizes, purpose] of [['192x192', 'any'], ['512x512', 'any'], ['192x192', 'maskable'], ['512x512', 'maskable']]) {
      expect(icons).toContainEqual(expect.objectContaining({ sizes, purpose }))
    }
    // The policy allows no inline script and no eval; wasm only through 'wasm-unsafe-eval'.
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'")
    expect(csp).not.toContain("'unsafe-inline'")
    expect(csp).not.toMatch(/'unsafe-eval'/)
    // The relay also sends it as a header (public/headers.json), adding what only a header can say.
    const response = await page.request.get(baseUrl())
    expect(response.headers()['content-security-policy']).toBe(`${csp}; frame-ancestors 'none'`)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
})
