/**
 * The PWA's figures: how much JavaScript a phone downloads to open the wallet
 * (gzip -9, the automerge wasm left out), and how long the installed app takes
 * to show a balance with no network, in a real Chromium against the built app
 * served by a real relay.
 *
 * `node --import tsx bench/app.ts [--quick]` prints one JSON figure per line;
 * `npm run bench` runs it as the `app` suite. dist/ is built first when it is
 * missing or older than the app's sources (HEROES_SKIP_BUILD=1 skips that, as
 * in the end-to-end tests).
 */
import { chromium, type Browser, type Page } from '@playwright/test'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
// @ts-expect-error plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs'
import { median, percentile, round, type BenchContext } from './figures.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(ROOT, 'dist')
const KB = 1024

/** Everything the build reads; a newer file than dist/index.html means dist/ is stale. */
const BUILD_INPUTS = ['web', 'core', 'public', 'index.html', 'vite.config.ts']

/**
 * Dynamic imports in web/, sorted by when they run (read from the sources; the
 * bench warns when web/ gains one it does not know). `chunk` is the module's
 * file name, which rolldown names the chunk after.
 */
const STARTUP_IMPORTS = [
  // web/main.tsx boot(): the sync engine loads right after the wallet opens, on every launch.
  { specifier: './sync/automerge-sync-engine.ts', chunk: 'automerge-sync-engine' },
]
/** Loaded only when a screen needs them: showing a QR code, scanning one, the marketplace, the screens between pools, the charts, a language other than English, the gatekeeper's console, an opened link, creating a pool, the backup (web/ui/screens/lazy-screens.tsx). */
const ON_DEMAND_IMPORTS = ['qrcode', 'barcode-detector/ponyfill', 'zxing-wasm/reader/zxing_reader.wasm?url', './marketplace.ts', './MarketScreen.tsx', './cross-pool.ts', './CrossPoolScreens.tsx', './Charts.tsx', './it.ts', './fr.ts', './es.ts', './ManageScreen.tsx', './LinkScreen.tsx', './CreatePoolScreen.tsx', './BackupScreen.tsx', './ca.ts', './device-tools.ts', './WebPushSettings.tsx', './DevicesScreens.tsx']

const RELAY_START_MS_MAX = 30_000
const BALANCE_MS_MAX = 15_000
const BALANCE = '[data-testid="pool-card-balance"]'

export async function run({ quick, report }: BenchContext): Promise<void> {
  buildIfStale()
  reportSizes(report)
  await measureOfflineStart(quick ? 5 : 15, report)
}

// ---------------------------------------------------------------------------
// Build

function buildIfStale(): void {
  const html = join(DIST, 'index.html')
  if (process.env.HEROES_SKIP_BUILD === '1') {
    if (!existsSync(html)) throw new Error('expected dist/index.html with HEROES_SKIP_BUILD=1, got none: run `npx vite build`')
    console.error('app: HEROES_SKIP_BUILD=1, using dist/ as it is')
    return
  }
  let reason = ''
  if (!existsSync(html)) reason = 'dist/index.html is missing'
  else {
    const built = statSync(html).mtimeMs
    const newer = BUILD_INPUTS.flatMap((input) => filesUnder(join(ROOT, input))).find((file) => statSync(file).mtimeMs > built)
    if (newer) reason = `${relative(ROOT, newer)} is newer than dist/index.html`
  }
  if (!reason) {
    console.error('app: dist/ is up to date, not building')
    return
  }
  console.error(`app: ${reason}; running npx vite build`)
  const started = performance.now()
  // Built aside and copied in only on success: a failed build (say, core/ half-edited) must not empty dist/.
  const staging = mkdtempSync(join(tmpdir(), 'heroes-bench-dist-'))
  try {
    // vite's output goes to stderr so that stdout stays one JSON figure per line.
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', staging, '--emptyOutDir'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
    if (build.status !== 0) throw new Error(`expected vite build to succeed, got exit code ${build.status} (dist/ left as it was)`)
    rmSync(DIST, { recursive: true, force: true })
    cpSync(staging, DIST, { recursive: true })
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
  console.error(`app: built in ${round((performance.now() - started) / 1000, 1)} s`)
}

/** Source files under a folder (or the file itself); tests and node_modules are not build inputs. */
function filesUnder(path: string): string[] {
  if (!existsSync(path)) return []
  if (statSync(path).isFile()) return [path]
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => !/(^|\/)(test|node_modules)(\/|$)|\.test\.tsx?$/.test(name))
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile())
}

// ---------------------------------------------------------------------------
// JavaScript sizes

interface Chunk {
  readonly file: string
  readonly gzipBytes: number
}

function reportSizes(report: BenchContext['report']): void {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  // The entry script and its modulepreload links, plus whatever the chunks import statically (a cross-check).
  const roots = [...tagAttributes(html, 'script', 'type', 'module', 'src'), ...tagAttributes(html, 'link', 'rel', 'modulepreload', 'href')]
  if (roots.length === 0) throw new Error('expected a <script type="module" src> in dist/index.html, got none')
  const open = withStaticImports(roots.map((url) => join(DIST, url)))

  checkDynamicImports()
  const startupRoots = STARTUP_IMPORTS.map(({ chunk }) => {
    const assets = readdirSync(join(DIST, 'assets')).filter((name) => name.startsWith(`${chunk}-`) && name.endsWith('.js'))
    if (assets.length !== 1) throw new Error(`expected one dist/assets/${chunk}-*.js for the startup import of ${chunk}, got ${assets.length}: update STARTUP_IMPORTS in bench/app.ts`)
    return join(DIST, 'assets', assets[0]!)
  })
  const startup = withStaticImports([...open, ...startupRoots])
  const all = filesUnder(DIST).filter((file) => file.endsWith('.js'))

  const wasm = filesUnder(DIST).filter((file) => file.endsWith('.wasm'))
  const wasmNote = wasm.map((file) => `${basename(file)} ${round(gzipped(file) / KB, 1)}`).join(', ')
  const figures = [
    { name: 'app_js_gzip_kb', files: open, what: 'entry script of dist/index.html + its modulepreloads and static imports' },
    { name: 'app_js_startup_gzip_kb', files: startup, what: `app_js_gzip_kb + what boot imports on every launch (${STARTUP_IMPORTS.map((i) => i.chunk).join(', ')}) and its static imports` },
    { name: 'app_js_all_gzip_kb', files: all, what: 'every .js in dist/, sw.js included' },
  ]
  for (const { name, files, what } of figures) {
    const chunks: Chunk[] = files.map((file) => ({ file: relative(DIST, file), gzipBytes: gzipped(file) }))
    const total = chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0)
    const list = chunks.map((chunk) => `${chunk.file} ${round(chunk.gzipBytes / KB, 1)}`).join(', ')
    report({ name, value: round(total / KB, 1), unit: 'kB', note: `gzip -9, 1 kB = 1024 B, no wasm (${wasmNote} kB gzip not counted); ${what}: ${list}` })
  }
}

/** Values of `attribute` on every `<tag>` whose `key` attribute is `value`, in document order. */
function tagAttributes(html: string, tag: string, key: string, value: string, attribute: string): string[] {
  const found: string[] = []
  for (const [element] of html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'gi'))) {
    if (attributeOf(element, key) === value) {
      const url = attributeOf(element, attribute)
      if (url) found.push(url)
    }
  }
  return found
}

function attributeOf(element: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(element)?.slice(1).find((v) => v !== undefined)
}

/**
 * The files plus, transitively, the chunks they import statically (`import{…}from"./x.js"`,
 * `import"./x.js"`); `import("./x.js")` is dynamic and left out.
 */
function withStaticImports(files: string[]): string[] {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    if (!existsSync(file)) throw new Error(`expected ${relative(ROOT, file)} (named by the build output), got no such file`)
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    const imports = /\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+\.js|\/[^"'`]+\.js)["'`]/g
    for (const [, specifier] of source.matchAll(imports)) {
      visit(specifier!.startsWith('/') ? join(DIST, specifier!) : resolve(dirname(file), specifier!))
    }
  }
  for (const file of files) visit(file)
  return [...seen]
}

/** Warns when web/ has a dynamic import this bench has not sorted into startup or on demand. */
function checkDynamicImports(): void {
  const known = new Set([...STARTUP_IMPORTS.map((i) => i.specifier), ...ON_DEMAND_IMPORTS])
  for (const file of filesUnder(join(ROOT, 'web')).filter((f) => /\.tsx?$/.test(f))) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
      if (!known.has(specifier!)) console.error(`app: ${relative(ROOT, file)} imports ${specifier} dynamically; sort it into STARTUP_IMPORTS or ON_DEMAND_IMPORTS in bench/app.ts`)
    }
  }
  const main = readFileSync(join(ROOT, 'web/main.tsx'), 'utf8')
  for (const { specifier } of STARTUP_IMPORTS) {
    if (!main.includes(specifier)) console.error(`app: web/main.tsx no longer imports ${specifier}; update STARTUP_IMPORTS in bench/app.ts`)
  }
}

function gzipped(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length
}

// ---------------------------------------------------------------------------
// Offline start

/** What the init script leaves on `window`: performance.now() (from navigation start) when the balance appeared, and at the next frame. */
interface Marks {
  balanceAt?: number
  frameAt?: number
}

async function measureOfflineStart(navigations: number, report: BenchContext['report']): Promise<void> {
  let executablePath: string
  try {
    executablePath = (findChromium as () => string)()
  } catch (error) {
    // findChromium's message says how to get one (apt-get, npx playwright install, CHROMIUM_PATH).
    throw new Error(`offline_start_ms needs a Chromium: ${(error as Error).message}`, { cause: error })
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'heroes-bench-relay-'))
  let relay: ChildProcess | undefined
  let browser: Browser | undefined
  try {
    const started = await startRelay(dataDir)
    relay = started.relay
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS as string[], headless: true })
    const context = await browser.newContext({ baseURL: started.baseUrl, viewport: { width: 360, height: 760 }, serviceWorkers: 'allow' })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.addInitScript(markBalance, BALANCE)

    await installWithPool(page)
    await context.setOffline(true)
    await page.goto('/') // the installed app opens its start_url
    await settled(page) // one offline launch before counting: the first after going offline also starts the worker afresh

    const balanceMs: number[] = []
    const frameMs: number[] = []
    const wallMs: number[] = []
    const domContentLoadedMs: number[] = []
    for (let i = 0; i < navigations; i++) {
      const t0 = performance.now()
      await page.reload({ waitUntil: 'commit' })
      await page.locator(BALANCE).first().waitFor({ state: 'visible', timeout: BALANCE_MS_MAX })
      wallMs.push(performance.now() - t0)
      const sample = await page.evaluate(() => {
        const marks = (window as { heroesBench?: Marks }).heroesBench ?? {}
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
        return { ...marks, domContentLoaded: navigation?.domContentLoadedEventEnd, controlled: navigator.serviceWorker.controller !== null }
      })
      if (!sample.controlled) throw new Error('expected the service worker to control the offline page, got an uncontrolled page')
      if (sample.balanceAt === undefined) throw new Error('expected the init script to record when the balance appeared, got nothing')
      balanceMs.push(sample.balanceAt)
      if (sample.frameAt !== undefined) frameMs.push(sample.frameAt)
      if (sample.domContentLoaded !== undefined) domContentLoadedMs.push(sample.domContentLoaded)
      await settled(page)
    }
    if (errors.length > 0) console.error(`app: page errors during the offline starts:\n  ${errors.join('\n  ')}`)
    report({
      name: 'offline_start_ms',
      value: round(median(balanceMs), 1),
      unit: 'ms',
      note:
        `median of ${navigations} offline reloads of the installed app after one uncounted (service worker in control, context offline, headless Chromium, 360×760), ` +
        `navigation start → pool balance on the home screen in the DOM; p90 ${round(percentile(balanceMs, 90), 1)}, max ${round(Math.max(...balanceMs), 1)}; ` +
        `next frame median ${round(median(frameMs), 1)}; DOMContentLoaded median ${round(median(domContentLoadedMs), 1)}; ` +
        `seen from Playwright (reload → visible) median ${round(median(wallMs), 1)}`,
    })
  } finally {
    await browser?.close()
    if (relay) await stopRelay(relay)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * Runs in the page before its scripts: records performance.now() (which counts
 * from navigation start) when the balance element first enters the DOM, and
 * at the next animation frame, when it is about to be painted.
 */
function markBalance(selector: string): void {
  const marks: Marks = {}
  ;(window as { heroesBench?: Marks }).heroesBench = marks
  const observer = new MutationObserver(() => {
    if (marks.balanceAt !== undefined || !document.querySelector(selector)) return
    marks.balanceAt = performance.now()
    observer.disconnect()
    requestAnimationFrame(() => (marks.frameAt = performance.now()))
  })
  observer.observe(document, { childList: true, subtree: true })
}

/** First launch online: the worker installs (precaching the app), a gatekeeper creates a pool, the relay has it. */
async function installWithPool(page: Page): Promise<void> {
  await page.goto('/')
  await page.getByRole('heading', { level: 1 }).waitFor()
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
  })
  await page.goto('/#/create')
  await page.getByLabel('Name', { exact: true }).fill('Bench pool')
  await page.getByLabel('Symbol', { exact: true }).fill('BEN')
  await page.getByTestId('create-submit').click()
  await page.getByRole('heading', { name: 'Manage Bench pool' }).waitFor()
  await page.goto('/')
  await page.locator(BALANCE).first().waitFor()
  // Typical state: the pool has reached the relay. Not needed for the figure, so a slow relay (a loaded machine) only warns.
  try {
    await page.locator('[data-testid="sync-status"][data-status="online"]').waitFor({ timeout: 30_000 })
  } catch {
    const status = await page.getByTestId('sync-status').getAttribute('data-status')
    console.error(`app: the app did not say online within 30 s (sync status ${status}); measuring the offline start anyway`)
  }
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null)
  if (!controlled) throw new Error('expected the service worker to control the page after the first reload, got none')
}

/** Waits until the app has loaded its sync engine and said it is offline, so one launch's leftovers do not slow the next. */
async function settled(page: Page): Promise<void> {
  await page.locator(BALANCE).first().waitFor({ timeout: BALANCE_MS_MAX })
  await page.locator('[data-testid="sync-status"][data-status="offline"]').waitFor({ timeout: 30_000 })
}

/** `heroes relay` on a free port serving dist/, as e2e/global-setup.ts starts it. */
async function startRelay(dataDir: string): Promise<{ relay: ChildProcess; baseUrl: string }> {
  const relay = spawn(process.execPath, ['bin/heroes.mjs', 'relay', '--port', '0', '--data-dir', dataDir, '--static-dir', DIST], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  relay.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  try {
    const baseUrl = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected the relay to listen within ${RELAY_START_MS_MAX} ms, got nothing; stderr: ${stderr}`)), RELAY_START_MS_MAX)
      let stdout = ''
      relay.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const match = /listening on (http:\/\/[^\s]+)/.exec(stdout)
        if (match) {
          clearTimeout(timer)
          resolveUrl(match[1]!)
        }
      })
      relay.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`expected the relay to keep running, it exited with ${code}; stderr: ${stderr}`))
      })
    })
    return { relay, baseUrl }
  } catch (error) {
    await stopRelay(relay)
    throw error
  }
}

/** SIGTERM (the relay writes its documents and exits), SIGKILL if it lingers. */
async function stopRelay(relay: ChildProcess): Promise<void> {
  if (relay.exitCode !== null || relay.signalCode !== null) return
  const exited = new Promise((done) => relay.once('exit', done))
  relay.kill('SIGTERM')
  const timer = setTimeout(() => relay.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick')
  await run({ quick, report: (f) => console.log(JSON.stringify(f)) })
}
