/**
 * Boot: open the wallet from IndexedDB (balances show at once), load the
 * automerge sync engine in the background, ask for persistent storage,
 * register the service worker, render.
 */
import { render } from 'preact'
import { SignatureCache } from '../core/index.ts'
import { askPersistentStorage, type PersistOutcome } from './pwa/persistent-storage.ts'
import { offerUpdates } from './pwa/update-offer.ts'
import { openWalletDb } from './storage/wallet-db.ts'
import { en } from './strings/en.ts'
import { defaultRelayUrl } from './sync/default-relay.ts'
import { DeferredSyncEngine } from './sync/deferred-sync-engine.ts'
import { App } from './ui/App.tsx'
import { WalletContext } from './ui/wallet-context.ts'
import { Wallet } from './wallet/wallet.ts'
import './styles.css'

async function boot(root: HTMLElement): Promise<void> {
  root.textContent = en.loading
  const db = await openWalletDb()
  const cache = new SignatureCache()
  const sync = new DeferredSyncEngine(defaultRelayUrl(location), async (relayUrl) => {
    const { AutomergeSyncEngine } = await import('./sync/automerge-sync-engine.ts')
    return new AutomergeSyncEngine(relayUrl, cache)
  })
  const wallet = await Wallet.open({ db, sync, cache })
  const updates = offerUpdates(() => wallet.busy || location.hash.includes('/pay'))
  let persist: PersistOutcome = 'pending'
  root.textContent = ''
  const draw = (): void => {
    render(
      <WalletContext.Provider value={wallet}>
        <App persist={persist} updates={updates} />
      </WalletContext.Provider>,
      root,
    )
  }
  draw()
  persist = await askPersistentStorage()
  draw()
  // Exposed for end-to-end tests and for curious auditors in the console: read-only use only.
  ;(globalThis as { heroes?: unknown }).heroes = { wallet }
}

const root = document.getElementById('app')
if (root) {
  boot(root).catch((error: unknown) => {
    root.textContent = en.fatal(error instanceof Error ? error.message : String(error))
  })
}
