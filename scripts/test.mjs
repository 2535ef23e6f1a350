#!/usr/bin/env node
// `npm test`: every test. Unit and integration tests with vitest, then the
// browser tests with Playwright in a real Chromium (found by
// scripts/find-chromium.mjs: $CHROMIUM_PATH, Debian's, or Playwright's own).
// Ends with one plain line "tests: N passed, N failed" for CI.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const out = join(root, '.tmp', 'test-results')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const extra = process.argv.slice(2)

let passed = 0
let failed = 0
let ok = true

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return result.status === 0
}

// 1. vitest
const vitestJson = join(out, 'vitest.json')
ok = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`, ...extra]) && ok
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'))
  passed += report.numPassedTests ?? 0
  failed += (report.numFailedTests ?? 0) + (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0)
} else {
  failed += 1
}

// 2. Playwright, when there are browser tests
const e2e = join(root, 'e2e')
const hasSpecs = existsSync(e2e) && readdirSync(e2e).some((name) => name.endsWith('.spec.ts'))
if (hasSpecs && extra.length === 0) {
  const { findChromium } = await import('./find-chromium.mjs')
  let chromium
  try {
    chromium = findChromium()
  } catch (error) {
    console.error(error.message)
    failed += 1
    ok = false
  }
  if (chromium) {
    const pwJson = join(out, 'playwright.json')
    ok = run('npx', ['playwright', 'test', '--reporter=list,json'], { CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson }) && ok
    if (existsSync(pwJson)) {
      const stats = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {}
      passed += (stats.expected ?? 0) + (stats.flaky ?? 0)
      failed += stats.unexpected ?? 0
    } else {
      failed += 1
    }
  }
}

if (!ok && failed === 0) failed = 1
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(ok && failed === 0 ? 0 : 1)
