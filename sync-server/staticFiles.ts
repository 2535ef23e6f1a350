/**
 * Serves the PWA's build (dist/) next to the relay, so one process is all a
 * community needs. Cache policy: hashed assets are immutable; index.html and
 * sw.js must be revalidated every time, or a phone keeps an old app forever.
 * Extra headers (the PWA's Content-Security-Policy) come from the caller.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
}

/** Vite's content-hashed file names: name-<8+ url-safe characters>.ext */
const HASHED_NAME = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

export interface StaticFilesOptions {
  readonly root: string
  /** Added to every response (for example Content-Security-Policy). */
  readonly headers?: Readonly<Record<string, string>>
}

/** Returns a handler that answers GET/HEAD from `root`, or false when it did not handle the request. */
export function staticFiles(options: StaticFilesOptions): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const root = resolve(options.root)
  const extra = options.headers ?? {}
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://relay').pathname)
    } catch {
      return false
    }
    if (pathname.includes('\0')) return false
    const wanted = resolve(join(root, pathname))
    if (wanted !== root && !wanted.startsWith(root + sep)) return false
    let file = await fileAt(wanted)
    if (!file && wantsPage(request, pathname)) file = await fileAt(join(root, 'index.html'))
    if (!file) return false
    const headers: Record<string, string> = {
      'Content-Type': MIME_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(file.size),
      'Cache-Control': cacheControlFor(file.path),
      'X-Content-Type-Options': 'nosniff',
      ...extra,
    }
    response.writeHead(200, headers)
    if (request.method === 'HEAD') {
      response.end()
      return true
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(file.path)
      stream.on('error', () => {
        response.destroy()
        done()
      })
      stream.on('end', done)
      stream.pipe(response)
    })
    return true
  }
}

function cacheControlFor(path: string): string {
  const name = path.split(sep).pop() ?? ''
  if (name === 'index.html' || name === 'sw.js' || name.endsWith('.webmanifest')) return 'no-cache'
  if (HASHED_NAME.test(name)) return 'public, max-age=31536000, immutable'
  return 'no-cache'
}

/** A navigation (a page the app routes itself) gets index.html; a missing asset gets a 404. */
function wantsPage(request: IncomingMessage, pathname: string): boolean {
  if (extname(pathname) !== '') return false
  const accept = request.headers.accept ?? ''
  return accept.includes('text/html') || request.headers['sec-fetch-mode'] === 'navigate'
}

async function fileAt(path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const info = await stat(path)
    if (info.isFile()) return { path, size: info.size }
    if (info.isDirectory()) {
      const index = join(path, 'index.html')
      const indexInfo = await stat(index)
      if (indexInfo.isFile()) return { path: index, size: indexInfo.size }
    }
  } catch {
    // missing or unreadable: not ours to serve
  }
  return undefined
}
