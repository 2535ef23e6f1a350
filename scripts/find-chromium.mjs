/**
 * Where a Chromium lives on this machine, for Playwright (which cannot
 * download browsers here) and for anyone running the end-to-end tests.
 * Order: $CHROMIUM_PATH, the distribution's packages, Playwright's own download.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium']

/** Returns a Chromium executable path, or throws saying how to get one. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv
    throw new Error(`expected CHROMIUM_PATH to name an executable, got ${JSON.stringify(fromEnv)} which does not exist`)
  }
  for (const path of SYSTEM_PATHS) if (existsSync(path)) return path
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core')
    const path = chromium.executablePath()
    if (path && existsSync(path)) return path
  } catch {
    // playwright-core missing or without a browser: fall through to the advice below.
  }
  throw new Error(
    'expected a Chromium to run the end-to-end tests, found none. Install one with `apt-get install -y chromium` ' +
      '(or `npx playwright install chromium`), or set CHROMIUM_PATH to its executable.',
  )
}

/** Flags for a headless Chromium in a container: no sandbox (root), no GPU, no background traffic. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

if (import.meta.url === `file://${process.argv[1]}`) console.log(findChromium())
