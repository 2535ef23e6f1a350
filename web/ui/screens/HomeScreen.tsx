import { formatAmountIn } from '../../lib/amount.ts'
import { language } from '../../strings/i18n.ts'
import type { PersistOutcome } from '../../pwa/persistent-storage.ts'
import type { PoolView } from '../../wallet/pool-view.ts'
import { hrefOf } from '../router.ts'
import { useFlash } from '../use-flash.ts'
import { Words } from '../components/Words.tsx'
import { useArrivals } from '../arrivals-context.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * All pools at a glance: name, balance, role; and what puts the wallet at risk: no backup (until it
 * is made), storage not kept (said on the first visit that learns it, `warnStorage`; Settings always says it).
 */
export function HomeScreen({ persist, warnStorage }: { persist: PersistOutcome; warnStorage: boolean }) {
  const wallet = useWallet()
  const t = useStrings()
  const ids = wallet.poolIds()
  const flash = useFlash()
  const arrivals = useArrivals()
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t.home.title}</h1>
      {flash && (
        <p class="notice ok" role="status" data-testid="flash">
          <Words text={flash} />
        </p>
      )}
      {warnStorage && (persist === 'refused' || persist === 'unsupported') && (
        <p class="notice warn" role="note" data-testid="storage-notice">
          {t.storage[persist]}
        </p>
      )}
      {!wallet.backedUp && ids.length > 0 && (
        <p class="notice warn" role="note">
          {t.home.backupNag} <a href="#/backup">{t.home.backupCta}</a>
        </p>
      )}
      {ids.length === 0 ? (
        <div class="empty">
          <p>{t.home.empty}</p>
          <p class="row">
            <a class="button" href="#/join">{t.home.joinCta}</a>
            <a class="button secondary" href="#/create">{t.home.createCta}</a>
          </p>
        </div>
      ) : (
        <ul class="pool-list" aria-label={t.home.title}>
          {ids.map((id) => {
            const view = wallet.pool(id)
            const record = wallet.poolRecord(id)
            if (!view || !record) return null
            const policy = view.policy
            const unseen = arrivals?.unseen(id).length ?? 0
            return (
              <li key={id}>
                <a class="pool-card" href={hrefOf({ name: 'pool', pool: id })} data-testid="pool-card">
                  <span class="pool-head">
                    <bdi class="pool-name">{policy?.name ?? id.slice(0, 8)}</bdi>
                    {unseen > 0 && <span class="tag new" data-testid="pool-card-new">{t.notify.newCount(unseen)}</span>}
                  </span>
                  {record.status === 'requested' && view.role === 'none' ? (
                    <span class="hint">{t.home.requested}</span>
                  ) : (
                    <span class="pool-balance" data-testid="pool-card-balance">
                      <span class="visually-hidden">{t.home.balance}: </span>
                      {formatAmountIn(view.balance, policy?.decimals ?? 0, language())} <bdi class="symbol">{policy?.symbol}</bdi>
                    </span>
                  )}
                  {view.role === 'gatekeeper' && <span class="tag">{t.home.gatekeeper}</span>}
                  <ConfirmationTag view={view} />
                  <WaitingTags view={view} />
                </a>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

/** Requests and two-step payments in flight, counted: what waits for this member and what waits for others. */
function WaitingTags({ view }: { view: PoolView }) {
  const t = useStrings()
  const forMe = view.requestsToPay.length + view.transfersWaiting.filter((row) => row.awaiting === 'me').length
  const forOthers = view.requestsOpen.length + view.transfersWaiting.filter((row) => row.awaiting === 'them').length
  if (forMe + forOthers === 0) return null
  return (
    <span class="row waiting-tags">
      {forMe > 0 && <span class="tag attention" data-testid="waiting-for-you-count">{t.home.waitingForYou(forMe)}</span>}
      {forOthers > 0 && <span class="tag" data-testid="waiting-for-others-count">{t.home.waitingForOthers(forOthers)}</span>}
    </span>
  )
}

/** Whether this member's payments in the pool are confirmed: all, some not yet, or never (no witness). In words, with an icon. */
function ConfirmationTag({ view }: { view: PoolView }) {
  const t = useStrings()
  const payments = view.statement.filter((row) => row.confirmation !== undefined).length
  if (payments === 0) return null
  const [kind, icon, words] = !view.witnessed
    ? ['no-witness', '–', t.home.noWitness]
    : view.unconfirmedCount > 0
      ? ['unconfirmed', '◷', t.home.unconfirmed(view.unconfirmedCount)]
      : ['confirmed', '✓', t.home.allConfirmed]
  return (
    <span class={`tag confirmation-tag confirmation-${kind}`} data-testid="pool-card-confirmation" data-confirmation={kind}>
      <span aria-hidden="true">{icon}</span> {words}
    </span>
  )
}
