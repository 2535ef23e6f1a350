/**
 * Routes live in the URL fragment: static hosting needs no rewrites, and link
 * payloads (an invite's secret) never reach a server.
 */
import { useEffect, useState } from 'preact/hooks'

export type Route =
  | { name: 'home' }
  | { name: 'create' }
  | { name: 'join' }
  | { name: 'backup' }
  | { name: 'settings' }
  | { name: 'pool'; pool: string }
  | { name: 'pay'; pool: string }
  | { name: 'request'; pool: string }
  | { name: 'manage'; pool: string }
  /** The pool's marketplace: listings, search, matches (loaded on first visit). */
  | { name: 'market'; pool: string }
  /** Between pools (issue 19): this pool's trustlines, asking a member of another pool to pay, payments across pools (loaded on first visit). */
  | { name: 'across'; pool: string }
  /** One signed payment request: pay it, refuse it, or (the requester's own) show or withdraw it. */
  | { name: 'payment-request'; pool: string; request: string }
  /** One transaction (any entry of the statement): everything about it, and a link to share. */
  | { name: 'transaction'; pool: string; entry: string }
  /** Devices (docs/devices.md), loaded on first use: a new device's "Link this device", and the member's recovery. */
  | { name: 'link-device' }
  | { name: 'recover' }
  /** A new device's link code opened on the existing device (`d/…`), and a recovery request's (`v/…`) on a gatekeeper's. */
  | { name: 'device-link'; link: string }
  | { name: 'recovery-link'; link: string }
  /** A Heroes link opened: `i/…` invite, `o/…` pool, `p/…` payment, `r/…` join request, `e/…` receipt, `q/…` signed payment request, `x/…` a payment from another pool. */
  | { name: 'link'; link: string }

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '')
  const [head = '', second = '', third = '', fourth = ''] = path.split('/')
  if (/^[ioepqrx]$/.test(head) && second) return { name: 'link', link: `${head}/${second}` }
  if ((head === 'd' || head === 'v') && second) return { name: head === 'd' ? 'device-link' : 'recovery-link', link: second }
  switch (head) {
    case 'create':
    case 'join':
    case 'backup':
    case 'settings':
    case 'link-device':
    case 'recover':
      return { name: head }
    case 'pool':
      if (!/^[0-9a-f]{64}$/.test(second)) return { name: 'home' }
      if (third === 'pay' || third === 'request' || third === 'manage' || third === 'market' || third === 'across') return { name: third, pool: second }
      if (third === 'req' && /^[0-9a-f]{64}$/.test(fourth)) return { name: 'payment-request', pool: second, request: fourth }
      if (third === 'tx' && /^[0-9a-f]{64}$/.test(fourth)) return { name: 'transaction', pool: second, entry: fourth }
      return { name: 'pool', pool: second }
    default:
      return { name: 'home' }
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/'
    case 'pool':
      return `#/pool/${route.pool}`
    case 'pay':
    case 'request':
    case 'manage':
    case 'market':
    case 'across':
      return `#/pool/${route.pool}/${route.name}`
    case 'payment-request':
      return `#/pool/${route.pool}/req/${route.request}`
    case 'transaction':
      return `#/pool/${route.pool}/tx/${route.entry}`
    case 'link':
      return `#/${route.link}`
    case 'device-link':
      return `#/d/${route.link}`
    case 'recovery-link':
      return `#/v/${route.link}`
    default:
      return `#/${route.name}`
  }
}

export function navigate(route: Route, replace = false): void {
  const href = hrefOf(route)
  if (replace) history.replaceState(null, '', href)
  else history.pushState(null, '', href)
  dispatchEvent(new HashChangeEvent('hashchange'))
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(location.hash))
    addEventListener('hashchange', update)
    addEventListener('popstate', update)
    return () => {
      removeEventListener('hashchange', update)
      removeEventListener('popstate', update)
    }
  }, [])
  return route
}
