/**
 * The app's frame: header with the sync indicator, the storage notice, the
 * update offer, navigation, and the screen for the current route. Focus moves
 * to the screen's heading on every route change, so keyboard and screen-reader
 * users land where the content is.
 */
import { useEffect, useRef } from 'preact/hooks'
import type { UpdateOffer } from '../pwa/update-offer.ts'
import type { PersistOutcome } from '../pwa/persistent-storage.ts'
import type { MatchDigest } from '../notify/match-digest.ts'
import { ArrivalBanner } from './components/ArrivalBanner.tsx'
import { DigestBanner } from './components/DigestBanner.tsx'
import { SyncIndicator } from './components/SyncIndicator.tsx'
import { UpdateBanner } from './components/UpdateBanner.tsx'
import { hrefOf, useRoute, type Route } from './router.ts'
import { HomeScreen } from './screens/HomeScreen.tsx'
import { JoinScreen } from './screens/JoinScreen.tsx'
import { PayScreen } from './screens/PayScreen.tsx'
import { PaymentRequestScreen } from './screens/PaymentRequestScreen.tsx'
import { PoolScreen } from './screens/PoolScreen.tsx'
import { RequestScreen } from './screens/RequestScreen.tsx'
import { SettingsScreen } from './screens/SettingsScreen.tsx'
import { TransactionScreen } from './screens/TransactionScreen.tsx'
import { useArrivals } from './arrivals-context.ts'
import { useStrings } from './wallet-context.ts'
import { LazyMarketScreen } from './screens/LazyMarketScreen.tsx'
import { LazyAcrossScreen } from './screens/LazyCrossPool.tsx'
import { LazyDevices } from './screens/LazyDevices.tsx'
import { LazyBackupScreen, LazyCreatePoolScreen, LazyLinkScreen, LazyManageScreen } from './screens/lazy-screens.tsx'

/** How long after a route change the heading of a screen still loading (a lazy chunk) gets focus when it shows. */
const LAZY_HEADING_WAIT_MS = 5_000

export function App({ persist, warnStorage, updates, digest }: { persist: PersistOutcome; warnStorage: boolean; updates: UpdateOffer; digest?: MatchDigest }) {
  const t = useStrings()
  const route = useRoute()
  const arrivals = useArrivals()
  const unseen = arrivals?.allUnseen().length ?? 0
  const main = useRef<HTMLElement>(null)
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    scrollTo(0, 0)
    const focusHeading = (): boolean => {
      const heading = main.current?.querySelector('h1')
      if (!heading) return false
      // A screen that loads on first visit shows its heading a moment later: never take focus from a field the member is already in.
      if (!(document.activeElement instanceof HTMLElement && document.activeElement.closest('input, textarea, select'))) {
        heading.setAttribute('tabindex', '-1')
        heading.focus()
      }
      return true
    }
    if (focusHeading() || !main.current) return
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect()
    })
    observer.observe(main.current, { childList: true, subtree: true })
    const stop = setTimeout(() => observer.disconnect(), LAZY_HEADING_WAIT_MS)
    return () => {
      observer.disconnect()
      clearTimeout(stop)
    }
  }, [hrefOf(route)])
  const section = route.name === 'link-device' || route.name === 'recover' || route.name === 'device-link' || route.name === 'recovery-link' ? 'settings' : route.name === 'pool' || route.name === 'pay' || route.name === 'request' || route.name === 'manage' || route.name === 'payment-request' || route.name === 'market' || route.name === 'across' ? 'home' : route.name
  return (
    <>
      <a class="skip" href="#main" onClick={(event) => { event.preventDefault(); main.current?.focus() }}>
        {t.skipToContent}
      </a>
      <header>
        <div class="top">
          <a class="brand" href="#/">
            <img src="/icons/icon.svg" alt="" width={28} height={28} />
            <span>{t.appName}</span>
          </a>
          <SyncIndicator />
        </div>
        <UpdateBanner updates={updates} />
        <ArrivalBanner openPool={route.name === 'pool' ? route.pool : undefined} />
        <DigestBanner digest={digest} openMarket={route.name === 'market' ? route.pool : undefined} />
      </header>
      <nav class="tabs" aria-label={t.nav.main}>
        {(
          [
            ['home', '#/', t.nav.wallet],
            ['join', '#/join', t.nav.join],
            ['create', '#/create', t.nav.create],
            ['backup', '#/backup', t.nav.backup],
            ['settings', '#/settings', t.nav.settings],
          ] as const
        ).map(([name, href, label]) => (
          <a href={href} aria-current={section === name ? 'page' : undefined} key={name}>
            {label}
            {name === 'home' && unseen > 0 && (
              <span class="badge" data-testid="nav-badge">
                <span aria-hidden="true">{unseen}</span>
                <span class="visually-hidden">{t.notify.newLabel(unseen)}</span>
              </span>
            )}
          </a>
        ))}
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        <Screen route={route} persist={persist} warnStorage={warnStorage} />
      </main>
    </>
  )
}

function Screen({ route, persist, warnStorage }: { route: Route; persist: PersistOutcome; warnStorage: boolean }) {
  switch (route.name) {
    case 'home':
      return <HomeScreen persist={persist} warnStorage={warnStorage} />
    case 'create':
      return <LazyCreatePoolScreen />
    case 'join':
      return <JoinScreen />
    case 'backup':
      return <LazyBackupScreen />
    case 'settings':
      return <SettingsScreen persist={persist} />
    case 'pool':
      return <PoolScreen pool={route.pool} key={route.pool} />
    case 'pay':
      return <PayScreen pool={route.pool} key={route.pool} />
    case 'request':
      return <RequestScreen pool={route.pool} key={route.pool} />
    case 'manage':
      return <LazyManageScreen pool={route.pool} key={route.pool} />
    case 'market':
      return <LazyMarketScreen pool={route.pool} key={route.pool} />
    case 'across':
      return <LazyAcrossScreen pool={route.pool} key={route.pool} />
    case 'payment-request':
      return <PaymentRequestScreen pool={route.pool} request={route.request} key={route.request} />
    case 'transaction':
      return <TransactionScreen pool={route.pool} entry={route.entry} key={route.entry} />
    case 'link':
      return <LazyLinkScreen link={route.link} key={route.link} />
    case 'link-device':
    case 'recover':
      return <LazyDevices view={route.name} key={route.name} />
    case 'device-link':
    case 'recovery-link':
      return <LazyDevices view={route.name} link={route.link} key={route.link} />
  }
}
