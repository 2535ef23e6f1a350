import { defineConfig } from 'vitest/config'

// Unit and integration tests (Node). Browser tests run in Playwright (e2e/).
export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'cli/**/*.test.ts', 'sync-server/**/*.test.ts', 'web/**/*.test.ts', 'sim/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
