/** The relay a fresh wallet uses: the origin that served the app, at /sync, over ws or wss to match the page. */
export function defaultRelayUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/sync`
}

/** Accepts ws:, wss:, http: and https: addresses (people paste either) and returns the WebSocket form, or undefined. */
export function normalizeRelayUrl(text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return undefined
  }
  if (url.protocol === 'http:') url.protocol = 'ws:'
  else if (url.protocol === 'https:') url.protocol = 'wss:'
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return undefined
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/sync'
  url.hash = ''
  return url.toString()
}

/**
 * An HTTP address on the relay's origin (`/witness`, `/healthz`): the relay
 * serves them beside its WebSocket, so ws: becomes http: and wss: https:.
 * Undefined for an address that is not a relay's.
 */
export function relayHttpUrl(relayUrl: string, path: string): string | undefined {
  const ws = normalizeRelayUrl(relayUrl)
  if (ws === undefined) return undefined
  const url = new URL(ws)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  url.pathname = path
  url.search = ''
  return url.toString()
}
