/**
 * End-to-end tests: real Chromium against the built PWA served by a real
 * relay (`heroes relay --static-dir dist`), several browser contexts as
 * several people. The build and the relay start once (e2e/global-setup.ts).
 */
import { defineConfig } from '@playwright/test'
// @ts-expect-error plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from './scripts/find-chromium.mjs'

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // One relay, scenarios that build on each other inside a file, 2 cores: run files one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: findChromium() as string, args: CHROMIUM_ARGS as string[] },
    serviceWorkers: 'allow',
    // A click or a navigation that cannot happen fails in 30 s instead of eating the test's 3 minutes.
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
})
