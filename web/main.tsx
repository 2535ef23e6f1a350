/**
 * Boot: open the wallet from IndexedDB (balances show at once), load the
 * automerge sync engine in the background, ask for persistent storage,
 * register the service worker, render.
 */
import { render } from 'preact'
import { SignatureCache } from '../core/index.ts'
import { Arrivals } from './notify/arrivals.ts'
import type { Arrival } from './notify/arrivals-of.ts'
import { idbWatermarkStore } from './notify/idb-watermark-store.ts'
import { MatchDigest, type DigestDue } from './notify/match-digest.ts'
import { appInForeground, setAppBadge, showSystemNotification } from './notify/system-notify.ts'
import { plainText } from './strings/phrase.ts'
import { askPersistentStorage, type PersistOutcome } from './pwa/persistent-storage.ts'
import { warnAboutStorageOnce } from './pwa/storage-notice.ts'
import { offerUpdates } from './pwa/update-offer.ts'
import { openWalletDb } from './storage/wallet-db.ts'
import { catalogue, onLanguageChange, startLanguage, switchLanguage } from './strings/i18n.ts'
import { defaultRelayUrl } from './sync/default-relay.ts'
import { DeferredSyncEngine } from './sync/deferred-sync-engine.ts'
import { App } from './ui/App.tsx'
import { arrivalPhrase, poolName } from './ui/arrival-text.ts'
import { ArrivalsContext } from './ui/arrivals-context.ts'
import { WalletContext } from './ui/wallet-context.ts'
import { Wallet } from './wallet/wallet.ts'
import './styles.css'

async function boot(root: HTMLElement): Promise<void> {
  // The member's language first (a chunk from the service worker's cache for all but English), so no screen flashes in English.
  await switchLanguage(startLanguage(), { remember: false }).catch(() => undefined)
  root.textContent = catalogue().strings.loading
  const db = await openWalletDb()
  const cache = new SignatureCache()
  const sync = new DeferredSyncEngine(defaultRelayUrl(location), async (relayUrl) => {
    const { AutomergeSyncEngine } = await import('./sync/automerge-sync-engine.ts')
    return new AutomergeSyncEngine(relayUrl, cache)
  })
  const wallet = await Wallet.open({ db, sync, cache })
  const arrivals = await Arrivals.open({ source: wallet, store: idbWatermarkStore(db), onFresh: (fresh) => void tellSystem(wallet, fresh) })
  arrivals.subscribe(() => setAppBadge(arrivals.allUnseen().length))
  setAppBadge(arrivals.allUnseen().length)
  const digest = new MatchDigest({ source: wallet, db, notify: (due) => tellDigest(wallet, due) })
  const updates = offerUpdates(() => wallet.busy || location.hash.includes('/pay'))
  let persist: PersistOutcome = 'pending'
  let warnStorage = false
  root.textContent = ''
  const draw = (): void => {
    render(
      <WalletContext.Provider value={wallet}>
        <ArrivalsContext.Provider value={arrivals}>
          <App persist={persist} warnStorage={warnStorage} updates={updates} digest={digest} />
        </ArrivalsContext.Provider>
      </WalletContext.Provider>,
      root,
    )
  }
  draw()
  onLanguageChange(draw)
  // The marketplace's daily digest, after the first screen has shown (it loads the marketplace chunk).
  digest.start()
  persist = await askPersistentStorage()
  warnStorage = warnAboutStorageOnce(persist)
  draw()
  // Web Push, when this browser is subscribed: the relay hears the pools followed now (joined since).
  if ('PushManager' in window) {
    void import('./notify/web-push.ts').then((push) => push.refreshWebPush(wallet.poolIds(), catalogue()))
  }
  // Exposed for end-to-end tests and for curious auditors in the console: read-only use only.
  ;(globalThis as { heroes?: unknown }).heroes = { wallet }
}

/**
 * Arrivals noticed while the member is not looking at the app: one system notification per pool
 * (where the browser allows; the words are made here and go nowhere else). In front, the banner says it.
 */
async function tellSystem(wallet: Wallet, fresh: readonly Arrival[]): Promise<void> {
  if (appInForeground()) return
  for (const pool of new Set(fresh.map((arrival) => arrival.pool))) {
    const mine = fresh.filter((arrival) => arrival.pool === pool)
    const newest = mine[mine.length - 1]!
    const t = catalogue().strings
    const more = mine.length > 1 ? ` (${t.notify.more(mine.length - 1)})` : ''
    await showSystemNotification(poolName(wallet, pool), plainText(arrivalPhrase(t, wallet, newest)) + more, `/#/pool/${pool}`, `arrival-${pool}`)
  }
}

/** The daily digest outside the app: the count and the pool's name, nothing of any listing; false when the banner must say it. */
async function tellDigest(wallet: Wallet, due: DigestDue): Promise<boolean> {
  if (appInForeground()) return false
  return showSystemNotification(poolName(wallet, due.pool), catalogue().marketLink.newMatches(due.count), `/#/pool/${due.pool}/market`, `market-digest-${due.pool}`)
}

const root = document.getElementById('app')
if (root) {
  boot(root).catch((error: unknown) => {
    root.textContent = catalogue().strings.fatal(error instanceof Error ? error.message : String(error))
  })
}
