/** /healthz, /metrics and the PWA's files on the relay's port. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type Relay } from '../index.ts'

describe('the relay over HTTP', () => {
  let relay: Relay
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heroes-http-'))
    const dist = join(dir, 'dist')
    mkdirSync(join(dist, 'assets'), { recursive: true })
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Heroes</title>')
    writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})')
    writeFileSync(join(dist, 'assets', 'index-B2x9Qk1a.js'), 'console.log(1)')
    writeFileSync(join(dist, 'assets', 'automerge_wasm_bg-Dk3LmN8p.wasm'), new Uint8Array([0, 97, 115, 109]))
    writeFileSync(join(dist, 'manifest.webmanifest'), '{}')
    writeFileSync(join(dir, 'secret.txt'), 'outside dist')
    relay = await startRelay({ port: 0, dataDir: join(dir, 'data'), staticDir: dist, staticHeaders: { 'Content-Security-Policy': "default-src 'self'" } })
  })
  afterAll(async () => {
    await relay.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers /healthz with JSON', async () => {
    const response = await fetch(`${relay.httpUrl}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ ok: true, connections: 0 })
  })
  it('answers /metrics in Prometheus text', async () => {
    const text = await (await fetch(`${relay.httpUrl}/metrics`)).text()
    for (const name of ['heroes_relay_connections', 'heroes_relay_documents', 'heroes_relay_stored_bytes', 'heroes_relay_messages_total', 'heroes_relay_sync_message_seconds', 'heroes_relay_process_resident_memory_bytes']) {
      expect(text).toContain(name)
    }
  })
  it('serves index.html without caching, with the extra headers', async () => {
    const response = await fetch(`${relay.httpUrl}/`)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'")
  })
  it('serves hashed assets as immutable, wasm as application/wasm, sw.js without caching', async () => {
    const script = await fetch(`${relay.httpUrl}/assets/index-B2x9Qk1a.js`)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const wasm = await fetch(`${relay.httpUrl}/assets/automerge_wasm_bg-Dk3LmN8p.wasm`)
    expect(wasm.headers.get('content-type')).toBe('application/wasm')
    const sw = await fetch(`${relay.httpUrl}/sw.js`)
    expect(sw.headers.get('cache-control')).toBe('no-cache')
    expect((await fetch(`${relay.httpUrl}/manifest.webmanifest`)).headers.get('content-type')).toBe('application/manifest+json; charset=utf-8')
  })
  it('falls back to index.html for navigations, not for missing assets', async () => {
    const page = await fetch(`${relay.httpUrl}/pool/abc`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Heroes</title>')
    expect((await fetch(`${relay.httpUrl}/assets/missing-12345678.js`)).status).toBe(404)
  })
  it('never serves a file outside its directory', async () => {
    expect((await fetch(`${relay.httpUrl}/..%2Fsecret.txt`)).status).toBe(404)
    expect((await fetch(`${relay.httpUrl}/%2e%2e/secret.txt`)).status).toBe(404)
  })
})
