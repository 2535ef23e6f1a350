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
