/**
 * The device's side of POST /heads (sync-server/headsQuery.ts): sends the
 * heads digests of parked documents to the relay and returns the ids that
 * changed there, or undefined when the relay cannot be asked (then the caller
 * opens them all, as before parking existed). Uses the platform's fetch
 * (browsers, Node 18+).
 */
import type { HeadsAnswer, HeadsQuery } from './headsDigest.ts'

/** http(s)://host/heads for a ws(s)://host/sync relay URL. */
export function headsUrlOf(syncUrl: string): string {
  const url = new URL(syncUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  url.pathname = url.pathname.replace(/\/sync$/, '') + '/heads'
  return url.toString()
}

export function askRelayForChanges(syncUrl: string, peerId: string | undefined): (documents: Record<string, string>) => Promise<readonly string[] | undefined> {
  const url = headsUrlOf(syncUrl)
  return async (documents) => {
    const query: HeadsQuery = peerId === undefined ? { documents } : { peer: peerId, documents }
    try {
      // text/plain: a simple request, no CORS preflight.
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(query) })
      if (!response.ok) return undefined
      const answer = (await response.json()) as HeadsAnswer
      return Array.isArray(answer.changed) && answer.changed.every((id) => typeof id === 'string') ? answer.changed : undefined
    } catch {
      return undefined
    }
  }
}
