/**
 * `npm ci` in a fresh clone (issue 15): npm refuses a lock file that lacks any optional dependency a
 * locked package declares ("Missing: @rollup/rollup-darwin-arm64@… from lock file"), and an
 * `npm install` on one platform used to leave the other platforms' packages out. This fails when
 * the lock lacks one, listing them; `npm install --package-lock-only --ignore-scripts` puts them back.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface LockedPackage {
  readonly optionalDependencies?: Record<string, string>
}

describe('package-lock.json', () => {
  it('holds every optional dependency of every locked package, so npm ci accepts it on any platform', () => {
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockedPackage> }
    const paths = new Set(Object.keys(lock.packages))
    const missing: string[] = []
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        // npm resolves a dependency in the package's own node_modules first, then up the tree.
        const candidates: string[] = []
        let base = path
        for (;;) {
          candidates.push(`${base === '' ? '' : `${base}/`}node_modules/${name}`)
          if (base === '') break
          const at = base.lastIndexOf('node_modules/')
          base = at <= 0 ? '' : base.slice(0, at - 1)
        }
        if (!candidates.some((candidate) => paths.has(candidate))) missing.push(`${name} (for ${path || 'the root'})`)
      }
    }
    expect(missing).toEqual([])
  })
})
