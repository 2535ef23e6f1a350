import { useEffect, useRef, useState } from 'preact/hooks'
import { encodeLink } from '../../links/link-codec.ts'
import type { PoolView } from '../../wallet/pool-view.ts'
import { counterpartiesOf, filterRows, isFiltering, NO_FILTER, toCoreFilter, type StatementFilterText } from '../../wallet/statement-filter.ts'
import { useCharts } from '../components/lazy-charts.ts'
import { CloseAccount } from '../components/CloseAccount.tsx'
import { WitnessNotes } from '../components/Confirmation.tsx'
import { CopyField } from '../components/CopyField.tsx'
import { InFlight } from '../components/InFlight.tsx'
import { ProfileCard } from '../components/ProfileCard.tsx'
import { RemovePoolCard } from '../components/RemovePoolCard.tsx'
import { ScheduledPayments } from '../components/ScheduledPayments.tsx'
import { QrImage } from '../components/QrImage.tsx'
import { SigningBlocked } from '../components/SigningBlocked.tsx'
import { iso, Words } from '../components/Words.tsx'
import { inserted, plainText } from '../../strings/phrase.ts'
import { StatementList } from '../components/StatementList.tsx'
import { downloadText } from '../download.ts'
import { clockTime, money, percent, who } from '../format.ts'
import { hrefOf } from '../router.ts'
import { MarketLink } from '../components/MarketLink.tsx'
import { useFlash } from '../use-flash.ts'
import { useArrivals } from '../arrivals-context.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/** One pool: balance and limits, what the member may do, and the statement. */
export function PoolScreen({ pool }: { pool: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const view = wallet.pool(pool)
  const record = wallet.poolRecord(pool)
  const [requestLink, setRequestLink] = useState('')
  const flash = useFlash()
  const fresh = useFreshHere(pool)
  const charts = useCharts((view?.statement.length ?? 0) > 1)
  const waitingForAdmission = record?.status === 'requested' && view?.role === 'none'
  useEffect(() => {
    if (!waitingForAdmission || !view) return
    const name = wallet.displayName
    void encodeLink({ kind: 'join-request', pool, member: view.me, ...(name ? { name } : {}) }, location.origin).then(setRequestLink)
  }, [waitingForAdmission, view?.me])
  // The rate limit's countdown and future-dated entries depend on the clock.
  useEffect(() => {
    const timer = setInterval(() => wallet.tick(), 15_000)
    return () => clearInterval(timer)
  }, [wallet])
  if (!view || !record) {
    return (
      <section>
        <h1>{t.wallet.problems['unknown-pool']}</h1>
        <a href="#/">{t.pool.back}</a>
      </section>
    )
  }
  const policy = view.policy
  const myJoin = view.statement.find((row) => row.type === 'join')
  const canPay = view.role !== 'none' && !view.frozen && !view.closed
  return (
    <section aria-labelledby="pool-title" class="pool">
      <p class="crumb">
        <a href="#/">← {t.pool.back}</a>
      </p>
      <h1 id="pool-title">
        <bdi>{policy?.name ?? pool.slice(0, 8)}</bdi>
      </h1>
      {/* A refused join must not stand beside a green "You joined" (the refusal below says what happened). */}
      {flash && myJoin?.status !== 'rejected' && (
        <p class="notice ok" role="status" data-testid="flash">
          <Words text={flash} />
        </p>
      )}
      <div class="balance-card">
        <p class="balance-label">{t.pool.balance}</p>
        <p class="balance" data-testid="balance" aria-live="polite">
          <bdi>{money(view.balance, policy)}</bdi>
        </p>
        <p class="hint">
          {policy?.kind === 'mutual-credit' && view.minBalance < 0 && t.pool.creditLine(iso(money(view.minBalance, policy)))}{' '}
          {view.maxBalance !== null && t.pool.maxBalance(iso(money(view.maxBalance, policy)))}
        </p>
        {view.supply !== undefined && <p class="hint">{t.pool.supply(iso(money(view.supply, policy)))}</p>}
        {view.held > 0 && <p class="hint" data-testid="on-hold">{t.pool.onHold(iso(money(view.held, policy)))}</p>}
        {policy?.demurrage && (
          <p class="hint" data-testid="demurrage-policy">
            {t.orders.demurragePolicy(percent(policy.demurrage.rateNum, policy.demurrage.rateDen), t.orders.period(policy.demurrage.periodSeconds), iso(money(policy.demurrage.freeBase, policy)))}
          </p>
        )}
      </div>

      {charts && <charts.BalanceChart view={view} />}
      <SigningBlocked pool={pool} />
      {view.frozen && <p class="notice error" role="note">{t.pool.frozen}</p>}
      {view.closed && <p class="notice" role="note">{t.pool.closed}</p>}
      <WitnessNotes pool={pool} view={view} />
      {policy?.softMinBalance !== undefined && view.balance < policy.softMinBalance && <p class="notice warn" role="note" data-testid="below-soft-min">{t.pool.belowSoftMin(iso(money(policy.softMinBalance, policy)))}</p>}
      {policy?.softMaxBalance !== undefined && view.balance > policy.softMaxBalance && <p class="notice warn" role="note" data-testid="above-soft-max">{t.pool.aboveSoftMax(iso(money(policy.softMaxBalance, policy)))}</p>}
      {myJoin?.status === 'pending' && <p class="notice" role="note" data-testid="join-waiting">{t.pool.joinWaiting}</p>}
      {myJoin?.status === 'rejected' && (
        <div class="notice error" role="note" data-testid="join-refused">
          <p>{t.pool.joinRefused(myJoin.reason ? t.reasons[myJoin.reason] : '')}</p>
          <p>{t.pool.joinRefusedWayOn}</p>
        </div>
      )}
      {view.nextTransferAt !== null && <p class="notice" role="note">{t.pool.nextPaymentAt(clockTime(view.nextTransferAt))}</p>}
      {view.pendingCount > 0 && <p class="hint">{t.pool.pendingEntries(view.pendingCount)}</p>}

      {waitingForAdmission ? (
        <div class="card" data-testid="join-request">
          <p>{t.pool.requestedHint}</p>
          {requestLink && (
            <>
              <QrImage text={requestLink} label={t.qr.imageAlt(plainText(t.join.poolTitle(inserted(policy?.name ?? ''))))} />
              <CopyField label={t.join.requestReady} value={requestLink} testId="join-request-link" />
            </>
          )}
        </div>
      ) : (
        <div class="actions">
          {canPay && (
            <a class="button" href={hrefOf({ name: 'pay', pool })} data-testid="pay-button">
              {t.pool.pay}
            </a>
          )}
          {view.role !== 'none' && !view.closed && (
            <a class="button secondary" href={hrefOf({ name: 'request', pool })}>
              {t.pool.request}
            </a>
          )}
          {view.role !== 'none' && !view.closed && <MarketLink pool={pool} />}
          {(view.policy?.hourRate !== undefined || view.role === 'gatekeeper') && (
            <a class="button secondary" href={hrefOf({ name: 'across', pool })} data-testid="across-button">{t.pool.acrossLink}</a>
          )}
          {view.governs && (
            <a class="button secondary" href={hrefOf({ name: 'manage', pool })} data-testid="manage-button">
              {t.pool.manage}
            </a>
          )}
        </div>
      )}
      {/* The rules keep gatekeeper tasks to the member key: a linked device would only be refused (not-authorized). */}
      {!waitingForAdmission && view.role === 'gatekeeper' && !view.governs && <p class="notice" role="note" data-testid="gatekeeper-elsewhere">{t.pool.gatekeeperElsewhere}</p>}

      {!waitingForAdmission && <InFlight pool={pool} view={view} />}
      {!waitingForAdmission && <ScheduledPayments pool={pool} view={view} />}
      {!waitingForAdmission && <ProfileCard pool={pool} view={view} />}

      <Statement pool={pool} view={view} fresh={fresh} />

      <details class="key-details">
        <summary>{t.pool.myKey}</summary>
        <code class="key" data-testid="my-key">{view.me}</code>
      </details>
      {view.role === 'member' && !view.closed && view.memberKeyHere && <CloseAccount pool={pool} view={view} />}
      {view.role !== 'gatekeeper' && <RemovePoolCard pool={pool} view={view} open={myJoin?.status === 'rejected'} />}
      {/* An audit export is for auditors: folded away rather than on every member's screen. */}
      <details class="key-details">
        <summary>{t.pool.forAuditors}</summary>
        <p>
          <button type="button" class="link" onClick={() => downloadText(`heroes-${pool.slice(0, 12)}.jsonl`, wallet.poolLines(pool).join('\n') + '\n', 'application/x-ndjson')}>
            {t.pool.exportLog}
          </button>
        </p>
      </details>
    </section>
  )
}

/**
 * What arrived in this pool since the member last looked: marked "new" for this visit, while the
 * pool counts as seen at once (its badge and the banner go away).
 */
function useFreshHere(pool: string): ReadonlySet<string> {
  const arrivals = useArrivals()
  const fresh = useRef(new Set<string>())
  for (const arrival of arrivals?.unseen(pool) ?? []) fresh.current.add(arrival.id)
  useEffect(() => {
    arrivals?.markSeen(pool)
  })
  return fresh.current
}

/** The statement, filtered by date and counterparty, and this member's CSV of it. */
function Statement({ pool, view, fresh }: { pool: string; view: PoolView; fresh: ReadonlySet<string> }) {
  const wallet = useWallet()
  const t = useStrings()
  const [filter, setFilter] = useState<StatementFilterText>(NO_FILTER)
  const rows = filterRows(view.statement, filter)
  const people = counterpartiesOf(view.statement)
    .map((key) => ({ key, name: who(wallet, pool, key) }))
    .sort((a, b) => a.name.localeCompare(b.name))
  const set = (change: Partial<StatementFilterText>): void => setFilter({ ...filter, ...change })
  const csv = (): void => {
    const text = wallet.statementCsv(pool, toCoreFilter(filter))
    if (text !== undefined) downloadText(`heroes-statement-${pool.slice(0, 8)}.csv`, text, 'text/csv')
  }
  return (
    <>
      <h2 id="statement-title">{t.pool.statement}</h2>
      {view.statement.length > 0 && (
        <details class="statement-filter" data-testid="statement-filter">
          <summary>{t.statementFilter.title}</summary>
          <div class="filter-fields">
            <div class="field">
              <label for="filter-from">{t.statementFilter.from}</label>
              <input id="filter-from" type="date" value={filter.from} onInput={(event) => set({ from: event.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="filter-to">{t.statementFilter.to}</label>
              <input id="filter-to" type="date" value={filter.to} onInput={(event) => set({ to: event.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="filter-with">{t.statementFilter.counterparty}</label>
              <select id="filter-with" value={filter.counterparty} onChange={(event) => set({ counterparty: event.currentTarget.value })}>
                <option value="">{t.statementFilter.everyone}</option>
                {people.map((person) => (
                  <option value={person.key} key={person.key} dir="auto">
                    {person.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="row">
            <button type="button" class="secondary" onClick={csv} data-testid="statement-csv">
              {t.statementFilter.csv}
            </button>
            {isFiltering(filter) && (
              <button type="button" class="secondary" onClick={() => setFilter(NO_FILTER)}>
                {t.statementFilter.clear}
              </button>
            )}
          </div>
          <p class="hint">{t.statementFilter.csvHint}</p>
          {isFiltering(filter) && (
            <p class="hint" role="status" data-testid="filter-count">
              {t.statementFilter.showing(rows.length, view.statement.length)}
            </p>
          )}
        </details>
      )}
      {rows.length === 0 && view.statement.length > 0 ? (
        <p class="hint">{t.statementFilter.none}</p>
      ) : (
        <StatementList pool={pool} rows={rows} policy={view.policy} fresh={fresh} />
      )}
    </>
  )
}
