import { DemurrageSetting } from '../components/DemurrageSetting.tsx'
import { useEffect, useState } from 'preact/hooks'
import { parseAmount } from '../../lib/amount.ts'
import { shortKey } from '../../lib/short-key.ts'
import { Person, PersonText } from '../components/Person.tsx'
import { decodeLink, encodeLink, linkRoute } from '../../links/link-codec.ts'
import type { InviteRecord, JoinRequestRecord } from '../../storage/wallet-db.ts'
import { CopyField } from '../components/CopyField.tsx'
import { Field } from '../components/Field.tsx'
import { QrImage } from '../components/QrImage.tsx'
import { SigningBlocked } from '../components/SigningBlocked.tsx'
import { iso, Words } from '../components/Words.tsx'
import { inserted, plainText, type Text } from '../../strings/phrase.ts'
import { money, nameOnly, timeOf, who } from '../format.ts'
import { downloadText } from '../download.ts'
import { hrefOf, navigate } from '../router.ts'
import { useCharts } from '../components/lazy-charts.ts'
import { linkProblemText } from '../link-problem-text.ts'
import { refusalText } from '../refusal-text.ts'
import { useFlash } from '../use-flash.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/** The gatekeeper's console: invite, admit, freeze, issue, and the pool's health with proofs. */
export function ManageScreen({ pool }: { pool: string }) {
  const t = useStrings()
  const wallet = useWallet()
  const view = wallet.pool(pool)
  const [invites, setInvites] = useState<InviteRecord[]>([])
  const [requests, setRequests] = useState<JoinRequestRecord[]>([])
  const [label, setLabel] = useState('')
  const [inviteMin, setInviteMin] = useState('')
  const [inviteMax, setInviteMax] = useState('')
  const [lastInvite, setLastInvite] = useState<InviteRecord | null>(null)
  const [inviteError, setInviteError] = useState<Text>('')
  const [poolLink, setPoolLink] = useState('')
  const [requestText, setRequestText] = useState('')
  const [requestError, setRequestError] = useState('')
  const [issueTo, setIssueTo] = useState('')
  const [issueAmount, setIssueAmount] = useState('')
  const [issueNote, setIssueNote] = useState<Text>('')
  const [addingWitness, setAddingWitness] = useState(false)
  const [witnessError, setWitnessError] = useState<Text>('')
  const [witnessNote, setWitnessNote] = useState<Text>('')
  const flash = useFlash()
  const charts = useCharts((view?.movements.length ?? 0) > 0)
  useEffect(() => {
    void wallet.invites(pool).then(setInvites)
    void wallet.joinRequests(pool).then(setRequests)
  }, [wallet.version])
  useEffect(() => {
    const payload = wallet.poolLinkPayload(pool)
    if (payload) void encodeLink(payload, location.origin).then(setPoolLink)
  }, [pool])
  if (!view) return <p>{t.wallet.problems['unknown-pool']}</p>
  const policy = view.policy
  if (view.role !== 'gatekeeper') return <p class="notice error">{t.wallet.problems['not-gatekeeper']}</p>
  if (!view.governs) return <p class="notice" role="note" data-testid="gatekeeper-elsewhere">{t.pool.gatekeeperElsewhere}</p>

  const makeInvite = async (event: Event): Promise<void> => {
    event.preventDefault()
    setInviteError('')
    const limits: { minBalance?: number; maxBalance?: number } = {}
    const decimals = policy?.decimals ?? 0
    if (inviteMin.trim()) {
      const parsed = parseAmount(inviteMin, decimals)
      if (!parsed.ok) return setInviteError(t.create.numberProblem(t.admit.minBalance))
      limits.minBalance = -parsed.minorUnits
    }
    if (inviteMax.trim()) {
      const parsed = parseAmount(inviteMax, decimals)
      if (!parsed.ok) return setInviteError(t.create.numberProblem(t.admit.maxBalance))
      limits.maxBalance = parsed.minorUnits
    }
    const outcome = await wallet.createInvite(pool, label, limits)
    if (!outcome.ok) return setInviteError(refusalText(t, outcome.refusal, policy, Date.now()))
    const link = await encodeLink(outcome.value, location.origin)
    const record: InviteRecord = { id: JSON.parse(outcome.value.invite).id as string, pool, label: label.trim() || '—', link, createdAt: Date.now() }
    await wallet.rememberInvite(record)
    setLastInvite(record)
    setLabel('')
  }
  const addWitness = async (): Promise<void> => {
    setAddingWitness(true)
    setWitnessError('')
    const outcome = await wallet.addWitness(pool)
    setAddingWitness(false)
    if (!outcome.ok) return setWitnessError(refusalText(t, outcome.refusal, policy, Date.now()))
    setWitnessNote(t.manage.witnessAdded)
  }
  const openRequest = async (event: Event): Promise<void> => {
    event.preventDefault()
    const decoded = await decodeLink(requestText)
    if (!decoded.ok) return setRequestError(linkProblemText(t, decoded))
    if (decoded.payload.kind !== 'join-request') return setRequestError(t.links.problems['not-a-heroes-link'])
    setRequestError('')
    navigate({ name: 'link', link: linkRoute(requestText.replace(/\s+/g, '')) ?? requestText.trim() })
  }
  const issue = async (event: Event): Promise<void> => {
    event.preventDefault()
    const parsed = parseAmount(issueAmount, policy?.decimals ?? 0)
    if (!parsed.ok) return setIssueNote(t.pay.amountProblem[parsed.problem])
    const outcome = await wallet.issue(pool, issueTo, parsed.minorUnits, '')
    setIssueNote(outcome.ok ? t.manage.issued(inserted(money(parsed.minorUnits, policy)), inserted(nameOnly(wallet, pool, issueTo))) : refusalText(t, outcome.refusal, policy, Date.now()))
    if (outcome.ok) setIssueAmount('')
  }
  return (
    <section aria-labelledby="manage-title" class="manage">
      <p class="crumb">
        <a href={hrefOf({ name: 'pool', pool })}>← <bdi>{policy?.name}</bdi></a>
      </p>
      <h1 id="manage-title">{t.manage.title(iso(policy?.name ?? ''))}</h1>
      {flash && (
        <p class="notice" role="status" data-testid="flash">
          <Words text={flash} />
        </p>
      )}
      <SigningBlocked pool={pool} />

      <div class="card">
        <h2>{t.manage.invite}</h2>
        <p class="hint">{t.manage.inviteIntro}</p>
        <form onSubmit={(event) => void makeInvite(event)} noValidate>
          <Field id="invite-label" label={t.manage.inviteLabel} value={label} onInput={setLabel} dir="auto" />
          <details>
            <summary>{t.manage.inviteLimits}</summary>
            {policy?.kind === 'mutual-credit' && <Field id="invite-min" label={t.admit.minBalance} value={inviteMin} onInput={setInviteMin} inputMode="decimal" />}
            <Field id="invite-max" label={t.admit.maxBalance} value={inviteMax} onInput={setInviteMax} inputMode="decimal" />
          </details>
          {inviteError && (
            <p class="notice error" role="alert">
              <Words text={inviteError} />
            </p>
          )}
          <button type="submit" data-testid="invite-make">{t.manage.inviteMake}</button>
        </form>
        {lastInvite && (
          <div class="invite" data-testid="invite">
            <h3>{t.manage.inviteReady(iso(lastInvite.label))}</h3>
            <QrImage text={lastInvite.link} label={t.qr.imageAlt(plainText(t.manage.inviteReady(inserted(lastInvite.label))))} />
            <CopyField label={t.manage.inviteReady(iso(lastInvite.label))} value={lastInvite.link} testId="invite-link" />
          </div>
        )}
        {invites.length > 0 && (
          <details>
            <summary>{t.manage.invitesMade} ({invites.length})</summary>
            <ul class="plain">
              {invites.map((invite) => (
                <li key={invite.id}>
                  <bdi>{invite.label}</bdi> · {timeOf(invite.createdAt)} · {view.usedInvites.has(invite.id) ? t.manage.inviteUsed : t.manage.inviteOpen}
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>

      <div class="card">
        <h2>{t.manage.requests}</h2>
        {requests.length === 0 ? (
          <p class="hint">{t.manage.requestsEmpty}</p>
        ) : (
          <ul class="plain">
            {requests.map((request) => (
              <li key={request.member} class="request-row">
                <span>
                  <bdi>{request.name || t.admit.unnamed}</bdi> ({shortKey(request.member)}) — {t.manage.requestState[request.state]}
                </span>
                {request.state === 'waiting' && (
                  <span class="row">
                    <button type="button" class="small" onClick={() => void wallet.approveJoinRequest(pool, request.member)}>{t.admit.approve}</button>
                    <button type="button" class="secondary small" onClick={() => void wallet.refuseJoinRequest(pool, request.member)}>{t.admit.refuse}</button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={(event) => void openRequest(event)} noValidate>
          <Field id="request-link" label={t.manage.openRequest} value={requestText} onInput={setRequestText} error={requestError} multiline />
          <button type="submit" class="secondary" data-testid="open-request">{t.join.open}</button>
        </form>
        <h3>{t.manage.poolLink}</h3>
        <p class="hint">{t.manage.poolLinkIntro}</p>
        {poolLink && (
          <details>
            <summary>{t.common.show}</summary>
            <QrImage text={poolLink} label={t.qr.imageAlt(t.manage.poolLink)} />
            <CopyField label={t.manage.poolLink} value={poolLink} testId="pool-link" />
          </details>
        )}
      </div>

      {policy?.kind === 'issued' && (
        <div class="card">
          <h2>{t.manage.issue}</h2>
          <form onSubmit={(event) => void issue(event)} noValidate>
            <div class="field">
              <label for="issue-to">{t.manage.issueTo}</label>
              <select id="issue-to" value={issueTo} onChange={(event) => setIssueTo(event.currentTarget.value)}>
                <option value="">—</option>
                {view.members.map((member) => (
                  <option value={member.key} key={member.key}>{who(wallet, pool, member.key)}</option>
                ))}
              </select>
            </div>
            <Field id="issue-amount" label={t.manage.issueAmount(iso(policy.symbol))} value={issueAmount} onInput={setIssueAmount} inputMode="decimal" />
            <button type="submit">{t.manage.issueSubmit}</button>
            <p role="status" class="hint">
              <Words text={issueNote} />
            </p>
          </form>
        </div>
      )}

      <div class="card">
        <h2>{t.manage.members}</h2>
        <ul class="members plain" data-testid="members">
          {view.members.map((member) => (
            <MemberRowView key={member.key} pool={pool} member={member} />
          ))}
        </ul>
      </div>

      <div class="card">
        <h2>{t.manage.health}</h2>
        <p>{t.manage.entries(view.entryCount)}</p>
        {charts && <charts.ActivityChart view={view} now={Date.now()} />}
        {charts && <charts.SpreadChart view={view} />}
        <p data-testid="pool-witness">{policy?.witnesses?.[0] ? t.manage.witness(iso(shortKey(policy.witnesses[0]))) : t.manage.noWitness}</p>
        {!policy?.witnesses?.length && view.creator && (
          <>
            <p>
              <button type="button" class="secondary" data-testid="add-witness" disabled={addingWitness} onClick={() => void addWitness()}>
                {t.manage.addWitness}
              </button>
            </p>
            <p class="hint">{t.manage.addWitnessHint}</p>
            {witnessError && <p class="notice error" role="alert"><Words text={witnessError} /></p>}
          </>
        )}
        {witnessNote && <p class="notice" role="status" data-testid="witness-added"><Words text={witnessNote} /></p>}
        {view.commons !== undefined && <p>{t.manage.commons(iso(money(view.commons, policy)))}</p>}
        {view.demurrageCollected !== undefined && <p data-testid="demurrage-collected">{t.orders.demurrageCollected(iso(money(view.demurrageCollected, policy)))}</p>}
        <DemurrageSetting pool={pool} policy={policy} />
        <p>
          <button type="button" class="secondary" data-testid="pool-csv" onClick={() => {
              const text = wallet.poolCsv(pool)
              if (text !== undefined) downloadText(`heroes-pool-${pool.slice(0, 8)}.csv`, text, 'text/csv')
            }}>
            {t.manage.poolCsv}
          </button>
        </p>
        <p class="hint">{t.manage.poolCsvHint}</p>
        <h3>{t.manage.equivocations}</h3>
        {view.equivocations.length === 0 ? (
          <p class="hint">{t.manage.equivocationsEmpty}</p>
        ) : (
          <ul class="plain">
            {view.equivocations.map((e) => (
              <li key={`${e.author}-${e.seq}`}>
                {t.manage.equivocationRow(<Person pool={pool} member={e.author} />, e.seq)}
                <CopyField label={t.manage.proof} value={e.entries.map((id) => wallet.entryLine(pool, id) ?? id).join('\n')} />
              </li>
            ))}
          </ul>
        )}
        <h3>{t.manage.rejected}</h3>
        {view.rejected.length === 0 ? (
          <p class="hint">{t.manage.rejectedEmpty}</p>
        ) : (
          <ul class="plain">
            {view.rejected.map((row) => (
              <li key={row.id}>
                <Person pool={pool} member={row.author} /> · {t.entryTypes[row.type]} · {row.reason ? t.reasons[row.reason] : ''} <code>{row.id.slice(0, 12)}</code>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}

/**
 * One member as a card that wraps on a phone (a table did not fit 320 px): name with the key's
 * fingerprint and where the name comes from, balance and limits, a nickname kept on this device
 * only, and Freeze.
 */
function MemberRowView({ pool, member }: { pool: string; member: { key: string; balance: number; minBalance: number; maxBalance: number | null; frozen: boolean; role: 'gatekeeper' | 'member' } }) {
  const t = useStrings()
  const wallet = useWallet()
  const view = wallet.pool(pool)
  const policy = view?.policy ?? null
  const person = wallet.people.person(pool, member.key)
  const [name, setName] = useState(person.source === 'nickname' ? (person.name ?? '') : '')
  const isMe = member.key === view?.me
  const freeze = async (): Promise<void> => {
    if (!confirm(plainText(t.manage.freezeConfirm(inserted(who(wallet, pool, member.key)))))) return
    await wallet.freeze(pool, member.key, '')
  }
  const nicknameId = `name-${member.key.slice(0, 16)}`
  return (
    <li class="member-card" data-testid="member-row">
      <div class="member-head">
        <PersonText person={person} avatar />
        {isMe && <span class="tag">{t.pool.yourName}</span>}
        <span class="tag">{t.manage.role[member.role]}</span>
        {member.frozen && <span class="tag danger">{t.manage.frozenTag}</span>}
      </div>
      {!isMe && person.source !== 'none' && <p class="hint">{t.manage.nameSource[person.source]}</p>}
      <p class="member-figures">
        <span>
          {t.manage.balance}: <bdi data-testid="member-balance">{money(member.balance, policy)}</bdi>
        </span>{' '}
        <span class="hint">
          {t.manage.limits}: <bdi>{money(member.minBalance, policy)}</bdi> … {member.maxBalance === null ? '∞' : <bdi>{money(member.maxBalance, policy)}</bdi>}
        </span>
      </p>
      {!isMe && (
        <div class="row member-actions">
          <details class="nickname">
            <summary>{t.manage.nickname}</summary>
            <form class="row" onSubmit={(event) => { event.preventDefault(); void wallet.setContact(pool, member.key, name) }}>
              <label class="visually-hidden" for={nicknameId}>{t.manage.nickname}</label>
              <input id={nicknameId} dir="auto" value={name} onInput={(event) => setName(event.currentTarget.value)} />
              <button type="submit" class="secondary small">{t.common.save}</button>
            </form>
          </details>
          {!member.frozen && (
            <button type="button" class="secondary small" onClick={() => void freeze()} aria-label={plainText(t.manage.freezeWho(inserted(who(wallet, pool, member.key))))}>
              {t.manage.freeze}
            </button>
          )}
        </div>
      )}
    </li>
  )
}
