import { useEffect, useState } from 'preact/hooks'
import { encodeLink } from '../../links/link-codec.ts'
import { CopyField } from '../components/CopyField.tsx'
import { QrImage } from '../components/QrImage.tsx'
import { StatementList } from '../components/StatementList.tsx'
import { clockTime, money } from '../format.ts'
import { hrefOf } from '../router.ts'
import { useFlash } from '../use-flash.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

const logUrl = 'about:blank'

/** The pool's log as the CLI reads it: one canonical entry line each (`heroes replay FILE`). */
function exportLog(lines: readonly string[]): string {
  return URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'application/x-ndjson' }))
}

/** One pool: balance and limits, what the member may do, and the statement. */
export function PoolScreen({ pool }: { pool: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const view = wallet.pool(pool)
  const record = wallet.poolRecord(pool)
  const [requestLink, setRequestLink] = useState('')
  const flash = useFlash()
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
  const canClose = view.role === 'member' && !view.closed && view.balance === 0 && view.held === 0
  return (
    <section aria-labelledby="pool-title" class="pool">
      <p class="crumb">
        <a href="#/">← {t.pool.back}</a>
      </p>
      <h1 id="pool-title">{policy?.name ?? pool.slice(0, 8)}</h1>
      {flash && (
        <p class="notice ok" role="status" data-testid="flash">
          {flash}
        </p>
      )}
      <div class="balance-card">
        <p class="balance-label">{t.pool.balance}</p>
        <p class="balance" data-testid="balance" aria-live="polite">
          {money(view.balance, policy)}
        </p>
        <p class="hint">
          {policy?.kind === 'mutual-credit' && view.minBalance < 0 && t.pool.creditLine(money(view.minBalance, policy))}{' '}
          {view.maxBalance !== null && t.pool.maxBalance(money(view.maxBalance, policy))}
        </p>
        {view.supply !== undefined && <p class="hint">{t.pool.supply(money(view.supply, policy))}</p>}
        {view.held > 0 && <p class="hint">{t.pool.onHold(money(view.held, policy))}</p>}
      </div>

      {record.needsChainHead && (
        <p class="notice warn" role="note" data-testid="needs-chain-head">
          {t.pool.needsChainHead}
        </p>
      )}
      {view.frozen && <p class="notice error" role="note">{t.pool.frozen}</p>}
      {view.closed && <p class="notice" role="note">{t.pool.closed}</p>}
      {policy?.softMinBalance !== undefined && view.balance < policy.softMinBalance && <p class="notice warn" role="note">{t.pool.belowSoftMin(money(policy.softMinBalance, policy))}</p>}
      {myJoin?.status === 'pending' && <p class="notice" role="note" data-testid="join-waiting">{t.pool.joinWaiting}</p>}
      {myJoin?.status === 'rejected' && <p class="notice error" role="note">{t.pool.joinRefused(myJoin.reason ? t.reasons[myJoin.reason] : '')}</p>}
      {view.nextTransferAt !== null && <p class="notice" role="note">{t.pool.nextPaymentAt(clockTime(view.nextTransferAt))}</p>}
      {view.pendingCount > 0 && <p class="hint">{t.pool.pendingEntries(view.pendingCount)}</p>}

      {waitingForAdmission ? (
        <div class="card" data-testid="join-request">
          <p>{t.pool.requestedHint}</p>
          {requestLink && (
            <>
              <QrImage text={requestLink} label={t.qr.imageAlt(t.join.poolTitle(policy?.name ?? ''))} />
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
          {view.role === 'gatekeeper' && (
            <a class="button secondary" href={hrefOf({ name: 'manage', pool })} data-testid="manage-button">
              {t.pool.manage}
            </a>
          )}
        </div>
      )}

      <h2>{t.pool.statement}</h2>
      <StatementList pool={pool} rows={view.statement} policy={policy} />

      <details class="key-details">
        <summary>{t.pool.myKey}</summary>
        <code class="key" data-testid="my-key">{view.me}</code>
      </details>
      {canClose && (
        <details class="key-details">
          <summary>{t.pool.close}</summary>
          <p class="hint">{t.pool.closeHint}</p>
          <button type="button" class="secondary" onClick={() => void (confirm(t.pool.closeConfirm) && wallet.closeAccount(pool))}>
            {t.pool.close}
          </button>
        </details>
      )}
      <p>
        <a href={logUrl} download={`heroes-${pool.slice(0, 12)}.jsonl`} onClick={(event) => { event.currentTarget.href = exportLog(wallet.poolLines(pool)) }}>
          {t.pool.exportLog}
        </a>
      </p>
    </section>
  )
}
