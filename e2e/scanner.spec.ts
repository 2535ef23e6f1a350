/**
 * Scanning with the camera, for real: Chromium's fake camera plays a video of
 * a QR code; the app reads it (BarcodeDetector where the platform has one,
 * else the ZXing wasm ponyfill served from this origin under the CSP) and
 * opens what it says.
 */
import { chromium, expect, test } from '@playwright/test'
// @ts-expect-error plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs'
import { writeQrVideo } from './fake-camera.ts'
import { baseUrl, PHONE } from './people.ts'

test('a QR code shown to the camera opens the pool link it carries', async ({ browser }, testInfo) => {
  // A pool link to show: made by a gatekeeper in an ordinary context.
  const gatekeeperContext = await browser.newContext({ baseURL: baseUrl() })
  const g = await gatekeeperContext.newPage()
  await g.goto('/#/create')
  await g.getByLabel('Name', { exact: true }).fill('Scan club')
  await g.getByLabel('Symbol', { exact: true }).fill('SCN')
  await g.getByRole('button', { name: 'Create pool' }).click()
  await g.getByText('Show', { exact: true }).click()
  const poolLink = await g.getByTestId('pool-link').inputValue()
  await gatekeeperContext.close()

  const video = testInfo.outputPath('qr.y4m')
  writeQrVideo(video, poolLink)
  const cameraBrowser = await chromium.launch({
    executablePath: findChromium() as string,
    args: [...(CHROMIUM_ARGS as string[]), '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  })
  try {
    const context = await cameraBrowser.newContext({ baseURL: baseUrl(), viewport: PHONE, permissions: ['camera'] })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    await page.goto('/#/join')
    await page.getByRole('button', { name: 'Scan a code' }).click()
    await expect(page.getByRole('heading', { name: 'Ask to join “Scan club”' })).toBeVisible({ timeout: 30_000 })
    expect(errors.filter((text) => /Content Security Policy|Refused/.test(text))).toEqual([])
  } finally {
    await cameraBrowser.close()
  }
})
