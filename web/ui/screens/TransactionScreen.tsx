import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { ConfirmationState } from '../components/Confirmation.tsx'
import { CopyField } from '../components/CopyField.tsx'
import { Person } from '../components/Person.tsx'
import { describeRow, stateOf } from '../components/StatementList.tsx'
import { iso } from '../components/Words.tsx'
import { money, timeOf } from '../format.ts'
import { hrefOf } from '../router.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * One transaction with everything this device knows about it: who paid whom,
 * how much (and the levy), the note, when, its state in words (not sent yet,
 * sent, confirmed, refused and why), the balance after it and why that may
 * have changed, the entry id and the witness checkpoint that made it final,
 * and a link to this page to share (it opens on any phone that holds the pool).
 */
export function TransactionScreen({ pool, entry }: { pool: string; entry: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const view = wallet.pool(pool)
  const row = view?.statement.find((r) => r.id === entry)
  const [shared, setShared] = useState('')
  if (!view || !row) {
    return (
      <section aria-labelledby="tx-title">
        <h1 id="tx-title">{t.transaction.unknown}</h1>
        <p>{t.transaction.unknownHint}</p>
        <a href={view ? hrefOf({ name: 'pool', pool }) : '#/'}>{t.pool.back}</a>
      </section>
    )
  }
  const policy = view.policy
  const link = `${location.origin}/${hrefOf({ name: 'transaction', pool, entry })}`
  const share = async (): Promise<void> => {
    try {
      await navigator.share({ title: policy?.name ?? 'Heroes', url: link })
      setShared(t.transaction.shared)
    } catch {
      setShared('')
    }
  }
  const amount = row.change !== 0 ? row.change : row.nominal
  return (
    <section aria-labelledby="tx-title" class="transaction">
      <p class="crumb">
        <a href={hrefOf({ name: 'pool', pool })}>← <bdi>{policy?.name}</bdi></a>
      </p>
      <h1 id="tx-title">{describeRow(t, row, row.counterparty ? <Person pool={pool} member={row.counterparty} /> : undefined)}</h1>
      {amount !== 0 && (
        <p class={amount < 0 ? 'balance amount out' : 'balance amount in'} data-testid="tx-amount">
          {amount > 0 ? '+' : ''}
          <bdi>{money(amount, policy)}</bdi>
        </p>
      )}
      <p class="tx-state" data-testid="tx-state">
        <strong>{stateOf(t, row)}</strong> <ConfirmationState row={row} />
      </p>
      <dl class="facts">
        <Fact label={t.transaction.when}><time dateTime={new Date(row.time).toISOString()}>{timeOf(row.time)}</time></Fact>
        {row.counterparty && <Fact label={row.outgoing ? t.transaction.to : t.transaction.from}><Person pool={pool} member={row.counterparty} avatar /></Fact>}
        {row.memo && <Fact label={t.transaction.memo}>“<bdi>{row.memo}</bdi>”</Fact>}
        {row.status === 'accepted' && row.change !== 0 && (
          <Fact label={t.pool.balanceAfter}>
            <bdi>{money(row.balanceAfter, policy)}</bdi>
            {row.balanceAfterWas !== undefined && <p class="hint" data-testid="tx-balance-changed">{t.row.balanceChanged(iso(money(row.balanceAfterWas, policy)))}</p>}
          </Fact>
        )}
        <Fact label={t.transaction.id}><code class="key">{row.id}</code></Fact>
        {row.witnessedBy && <Fact label={t.transaction.checkpoint}><code class="key">{row.witnessedBy}</code></Fact>}
      </dl>
      <h2>{t.transaction.share}</h2>
      <p class="hint">{t.transaction.shareHint}</p>
      <CopyField label={t.transaction.link} value={link} testId="tx-link" />
      {typeof navigator.share === 'function' && (
        <p>
          <button type="button" class="secondary" onClick={() => void share()}>{t.transaction.shareButton}</button> <span role="status" class="hint">{shared}</span>
        </p>
      )}
    </section>
  )
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

