/**
 * Builds the PWA once (skip with HEROES_SKIP_BUILD=1 when dist/ is fresh) and
 * starts one real relay on a free port serving dist/, with its data in a
 * temporary folder. Tests read its address from HEROES_BASE_URL.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const RELAY_START_MS_MAX = 30_000

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.HEROES_SKIP_BUILD !== '1') {
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' })
    if (build.status !== 0) throw new Error(`expected vite build to succeed, got exit code ${build.status}`)
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'heroes-e2e-relay-'))
  const relay = spawn(process.execPath, ['bin/heroes.mjs', 'relay', '--port', '0', '--data-dir', dataDir, '--static-dir', 'dist'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  relay.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`expected the relay to listen within ${RELAY_START_MS_MAX} ms, got nothing; stderr: ${stderr}`)), RELAY_START_MS_MAX)
    let stdout = ''
    relay.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    relay.on('exit', (code) => reject(new Error(`expected the relay to keep running, it exited with ${code}; stderr: ${stderr}`)))
  })
  process.env.HEROES_BASE_URL = baseUrl
  // For tests that check what the relay stored (e2e/market.spec.ts: never a word of a private message).
  process.env.HEROES_RELAY_DATA_DIR = dataDir
  return async () => {
    relay.kill('SIGTERM')
    await new Promise((resolve) => relay.once('exit', resolve))
    rmSync(dataDir, { recursive: true, force: true })
  }
}
