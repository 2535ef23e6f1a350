#!/usr/bin/env node
// Regenerates docs/screens/*.png: the main screens at 360 px, as e2e/screens.spec.ts drives them
// (a gatekeeper and a member, a payment, a request) in real Chromium against the built app.
// Usage: node scripts/screens.mjs   (HEROES_SKIP_BUILD=1 reuses dist/)
import { spawnSync } from 'node:child_process'

const result = spawnSync('npx', ['playwright', 'test', 'e2e/screens.spec.ts'], { stdio: 'inherit', env: { ...process.env, HEROES_SCREENS: '1' } })
process.exit(result.status ?? 1)
