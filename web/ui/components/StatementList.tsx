import type { ComponentChildren, VNode } from 'preact'
import { useState } from 'preact/hooks'
import type { Policy } from '../../../core/index.ts'
import type { StatementRow } from '../../wallet/pool-view.ts'
import { money, timeOf } from '../format.ts'
import { Person } from './Person.tsx'
import { hrefOf } from '../router.ts'
import { encodeLink } from '../../links/link-codec.ts'
import { ConfirmationState } from './Confirmation.tsx'
import { CopyField } from './CopyField.tsx'
import { QrImage } from './QrImage.tsx'
import { iso } from './Words.tsx'
import { useStrings, useWallet } from '../wallet-context.ts'

/** The statement: newest first, each payment with its state in words and the balance after it. */
export function StatementList({ pool, rows, policy, fresh }: { pool: string; rows: readonly StatementRow[]; policy: Policy | null; fresh?: ReadonlySet<string> }) {
  const wallet = useWallet()
  const t = useStrings()
  if (rows.length === 0) return <p class="hint">{t.pool.statementEmpty}</p>
  return (
    <ol class="statement" data-testid="statement">
      {rows.map((row) => {
        const name = row.counterparty ? <Person pool={pool} member={row.counterparty} /> : undefined
        return (
          <li key={row.id} class={`statement-row status-${row.status}`} data-testid="statement-row" data-entry={row.id}>
            <div class="statement-main">
              <span class="statement-what">
                {fresh?.has(row.id) && <span class="tag new" data-testid="row-new">{t.notify.newRow}</span>}
                {row.type === 'request' || row.pays ? (
                  <a href={hrefOf({ name: 'payment-request', pool, request: row.pays ?? row.id })}>{describeRow(t, row, name)}</a>
                ) : (
                  describeRow(t, row, name)
                )}
              </span>
              {row.change !== 0 ? (
                <span class={row.change < 0 ? 'amount out' : 'amount in'} data-testid="row-amount">
                  {row.change > 0 ? '+' : ''}
                  <bdi>{money(row.change, policy)}</bdi>
                </span>
              ) : (
                row.nominal !== 0 && (
                  <span class="amount not-moved" data-testid="row-amount">
                    {row.nominal > 0 ? '+' : ''}
                    <bdi>{money(row.nominal, policy)}</bdi>
                  </span>
                )
              )}
            </div>
            {row.memo && <div class="memo">“<bdi data-testid="row-memo">{row.memo}</bdi>”</div>}
            {row.counterparty && !wallet.nameOf(pool, row.counterparty) && <NameThem pool={pool} member={row.counterparty} />}
            <div class="statement-meta">
              <time dateTime={new Date(row.time).toISOString()}>{timeOf(row.time)}</time>
              <span class="state" data-testid="row-state">{stateOf(t, row)}</span>
              <ConfirmationState row={row} />
              {row.status === 'accepted' && row.change !== 0 && (
                <span class="after">
                  {t.pool.balanceAfter} <bdi>{money(row.balanceAfter, policy)}</bdi>
                </span>
              )}
              {/* A demurrage charge has no entry of its own to show. */}
              {row.type !== 'demurrage' && (
                <a class="details-link" href={hrefOf({ name: 'transaction', pool, entry: row.id })} data-testid="row-details">
                  {t.transaction.details}
                </a>
              )}
            </div>
            {row.balanceAfterWas !== undefined && (
              <p class="hint" data-testid="row-balance-changed">
                {t.row.balanceChanged(iso(money(row.balanceAfterWas, policy)))}
              </p>
            )}
            {row.outgoing && row.status !== 'rejected' && row.delivery === 'device' && <Receipt pool={pool} entry={row.id} />}
          </li>
        )
      })}
    </ol>
  )
}

/** What a row is, in a sentence with the other party in it (also the transaction page's heading). */
export function describeRow(t: ReturnType<typeof useStrings>, row: StatementRow, counterparty: VNode | undefined): ComponentChildren {
  const name = counterparty ?? iso('')
  switch (row.type) {
    case 'transfer':
      if (row.pays) return row.outgoing ? t.row.paidRequest(name) : t.row.receivedForRequest(name)
      return row.outgoing ? t.row.paidTo(name) : t.row.receivedFrom(name)
    case 'issue':
      return row.delivery ? t.row.issuedTo(name) : t.row.issuedBy(name)
    case 'payout':
      return row.delivery ? t.row.payoutTo(name) : t.row.payoutFrom(name)
    case 'join':
      return t.row.joined
    case 'admit':
      return row.delivery ? t.row.admit(name) : t.row.admitted
    case 'pool':
      return t.row.created
    case 'invite':
      return t.row.invite
    case 'freeze':
      return t.row.freeze(name)
    case 'request':
      return t.row.request(counterparty === undefined ? undefined : name)
    case 'accept':
    case 'reject':
    case 'cancel':
    case 'close':
      return t.row[row.type]
    case 'order':
      if (row.schedule === 'once') return row.delivery ? t.orders.rowScheduledOut(name) : t.orders.rowScheduledIn(name)
      return row.delivery ? t.orders.rowOrderOut(name) : t.orders.rowOrderIn(name)
    case 'collect':
      return row.nominal < 0 ? t.orders.rowCollectOut(name) : t.orders.rowCollectIn(name)
    case 'demurrage':
      return t.orders.rowDemurrage
  }
  // Kinds without a sentence of their own yet (rule changes, checkpoints): their name.
  return t.entryTypes[row.type as keyof typeof t.entryTypes]
}

/**
 * A row's state in words: not sent yet, sent, refused and why, waiting and why; a payment a
 * witness confirmed says only that (ConfirmationState), since confirmed implies sent.
 */
export function stateOf(t: ReturnType<typeof useStrings>, row: StatementRow): string {
  if (row.requestStatus) return t.row.requestState[row.requestStatus]
  if (row.awaiting) return row.awaiting === 'me' ? t.row.stateAwaitingMe : t.row.stateAwaitingThem
  if (row.status === 'cancelled') return t.row.stateCancelled
  if (row.status === 'rejected') return t.row.stateRejected(row.reason ? t.reasons[row.reason] : '')
  if (row.status === 'pending' && row.change === 0 && row.nominal > 0) return t.row.stateNotSettled(row.reason ? t.reasons[row.reason] : '')
  if (row.status === 'pending') return t.row.statePending(row.reason ? t.reasons[row.reason] : '')
  if (row.confirmation === 'confirmed') return ''
  if (row.delivery === 'relay') return t.row.stateRelay
  if (row.delivery === 'device') return t.row.stateDevice
  return t.row.stateReceived
}

/** People know each other by name, the protocol only by key: a name kept on this device only. */
function NameThem({ pool, member }: { pool: string; member: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const [name, setName] = useState('')
  const id = `name-${member.slice(0, 16)}`
  return (
    <details class="name-them">
      <summary>{t.row.nameThem}</summary>
      <form class="row" onSubmit={(event) => { event.preventDefault(); void wallet.setContact(pool, member, name) }}>
        <label class="visually-hidden" for={id}>{t.row.nameLabel}</label>
        <input id={id} dir="auto" value={name} onInput={(event) => setName(event.currentTarget.value)} placeholder={t.row.nameLabel} />
        <button type="submit" class="secondary small">{t.common.save}</button>
      </form>
    </details>
  )
}

/** A payment's receipt as a QR code and link, made only when asked for (it is large). */
function Receipt({ pool, entry }: { pool: string; entry: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const [link, setLink] = useState('')
  const open = (): void => {
    const payload = wallet.receiptPayload(pool, entry)
    if (payload && !link) void encodeLink(payload, location.origin).then(setLink)
  }
  return (
    <details class="receipt" onToggle={open}>
      <summary>{t.row.receipt}</summary>
      {link && (
        <>
          <QrImage text={link} label={t.qr.imageAlt(t.row.receipt)} />
          <CopyField label={t.row.receiptLink} value={link} testId="receipt-link" />
        </>
      )}
    </details>
  )
}
