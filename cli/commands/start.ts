/**
 * heroes start (what `npm start` runs): builds the PWA when dist/ is missing
 * or older than its sources, then runs one relay on http://127.0.0.1:8080
 * (PORT overrides) that serves dist/ next to /sync, with its data in
 * ./data/relay. Flags of `heroes relay` pass through, and so does its witness
 * default: the relay signs checkpoints with ./data/relay/witness-key.json (made
 * on the first start) for every pool that names it, so a pool created in the
 * app it serves can name it (GET /witness) and be witnessed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { integerFlag } from '../args.ts'
import { UsageError } from '../errors.ts'
import { parseRelayFlags, runRelay, type RelayCommandOptions } from './relay.ts'

/** What the build reads; dist/ older than any of these is rebuilt. */
const BUILD_SOURCES = ['web', 'public', 'index.html', 'vite.config.ts', 'core']
const DIST = 'dist'

export async function run(argv: string[]): Promise<number> {
  let options: RelayCommandOptions
  try {
    const port = integerFlag(process.env.PORT, 'port (PORT)', 0, 65_535) ?? 8080
    options = parseRelayFlags(argv, { port, dataDir: join('data', 'relay'), staticDir: DIST })
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`heroes start: ${error.message}\n`)
      return 2
    }
    throw error
  }
  const built = buildIfNeeded(process.cwd())
  if (built !== 0) return built
  return runRelay(options)
}

/** Returns 0 when dist/ is usable (or the build is skipped), else the build's exit code. */
function buildIfNeeded(root: string): number {
  if (!existsSync(join(root, 'vite.config.ts'))) {
    process.stderr.write('heroes start: no vite.config.ts yet, so no PWA build; the relay serves only /sync, /healthz and /metrics\n')
    return 0
  }
  const distTime = newestMtimeMs(join(root, DIST), true)
  const sourceTime = Math.max(...BUILD_SOURCES.map((source) => newestMtimeMs(join(root, source), false) ?? 0))
  if (distTime !== undefined && distTime >= sourceTime) return 0
  process.stderr.write(`heroes start: ${distTime === undefined ? 'no dist/ yet' : 'dist/ is older than its sources'}, building the PWA (npx vite build)\n`)
  const result = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    process.stderr.write(`heroes start: expected the PWA build to succeed, got exit code ${result.status ?? result.signal}\n`)
    return 1
  }
  return 0
}

/**
 * The newest modification time under `path` (or, with `oldest`, the oldest:
 * dist/ is as fresh as its oldest file). Undefined when `path` does not exist.
 */
function newestMtimeMs(path: string, oldest: boolean): number | undefined {
  if (!existsSync(path)) return undefined
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let result: number | undefined
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const time = newestMtimeMs(join(path, name), oldest)
    if (time === undefined) continue
    result = result === undefined ? time : oldest ? Math.min(result, time) : Math.max(result, time)
  }
  return result
}
