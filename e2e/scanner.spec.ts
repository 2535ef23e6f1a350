/**
 * Scanning with the camera, for real: Chromium's fake camera plays a video of
 * a QR code; the app reads it (BarcodeDetector where the platform has one,
 * else the ZXing wasm ponyfill served from this origin under the CSP) and
 * opens what it says: a pool link, and a new device's link code, which the
 * member's phone answers through the relay's mailbox.
 */
import { chromium, expect, test, type Browser, type Page } from '@playwright/test'
// @ts-expect-error plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs'
import { writeQrVideo } from './fake-camera.ts'
import { baseUrl, PHONE } from './people.ts'

/** A Chromium whose camera shows a QR code of `text` (a video written to `video`), its permission given. */
async function browserWithCamera(video: string, text: string): Promise<Browser> {
  writeQrVideo(video, text)
  return chromium.launch({
    executablePath: findChromium() as string,
    args: [...(CHROMIUM_ARGS as string[]), '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  })
}

/** A phone-sized page of the app in that browser, allowed to use the camera. */
async function phoneWithCamera(cameraBrowser: Browser): Promise<Page> {
  const context = await cameraBrowser.newContext({ baseURL: baseUrl(), viewport: PHONE, permissions: ['camera'] })
  return context.newPage()
}

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

  const cameraBrowser = await browserWithCamera(testInfo.outputPath('qr.y4m'), poolLink)
  try {
    const page = await phoneWithCamera(cameraBrowser)
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

test('a new device’s QR code shown to the member’s camera links it: the answer reaches the new device through the relay', async ({ browser }, testInfo) => {
  // The laptop: an ordinary context that asks to be linked and shows its code.
  const laptopContext = await browser.newContext({ baseURL: baseUrl() })
  const laptop = await laptopContext.newPage()
  await laptop.goto('/#/settings')
  await laptop.getByTestId('link-this-device').click()
  await laptop.getByLabel('Name for this device (optional)').fill('Laptop')
  await laptop.getByTestId('show-link-code').click()
  const deviceLink = await laptop.getByTestId('device-link').inputValue()
  expect(deviceLink).toMatch(/\/#\/d\/[A-Za-z0-9_-]+$/)

  const cameraBrowser = await browserWithCamera(testInfo.outputPath('device-qr.y4m'), deviceLink)
  try {
    // The member's phone, holding the member key of a pool it made, scans the laptop's code.
    const phone = await phoneWithCamera(cameraBrowser)
    await phone.goto('/#/create')
    await phone.getByLabel('Name', { exact: true }).fill('Camera bank')
    await phone.getByLabel('Symbol', { exact: true }).fill('CAM')
    await phone.getByRole('button', { name: 'Create pool' }).click()
    await expect(phone.getByRole('heading', { name: 'Manage Camera bank' })).toBeVisible()
    await phone.goto('/#/settings')
    const devices = phone.getByTestId('pool-devices')
    await devices.getByTestId('add-device').click()
    await phone.getByTestId('add-device-form').getByRole('button', { name: 'Scan its code' }).click()
    await expect(phone.getByTestId('device-linked')).toContainText('Linked: Laptop now pays from this account.', { timeout: 30_000 })
    await expect(devices.getByTestId('device-row')).toHaveCount(2)
    // The laptop took the sealed answer from the relay's mailbox.
    await expect(laptop.getByTestId('device-linked')).toContainText('This device is linked. It pays from your account in Camera bank.', { timeout: 30_000 })
  } finally {
    await cameraBrowser.close()
    await laptopContext.close()
  }
})
