import { useEffect, useState } from 'preact/hooks'
import { LazyCrossPayScreen } from './LazyCrossPool.tsx'
import { decodeEntry, type PoolEntry } from '../../../core/index.ts'
import { formatAmount } from '../../lib/amount.ts'
import { decodeLink, type LinkDecode } from '../../links/link-codec.ts'
import { initialsOf } from '../../wallet/people.ts'
import type { InvitePayload, JoinRequestPayload, PayPayload, PoolPayload } from '../../links/link-payloads.ts'
import { parseAmount } from '../../lib/amount.ts'
import { Field } from '../components/Field.tsx'
import { money } from '../format.ts'
import { hrefOf, navigate } from '../router.ts'
import { linkProblemText } from '../link-problem-text.ts'
import { refusalText } from '../refusal-text.ts'
import { leaveFlash } from '../use-flash.ts'
import { iso, Words } from '../components/Words.tsx'
import { inserted, type Text } from '../../strings/phrase.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/** A Heroes link was opened: say what it is, and do what it asks only when the person confirms. */
export function LinkScreen({ link }: { link: string }) {
  const t = useStrings()
  const wallet = useWallet()
  const [decoded, setDecoded] = useState<LinkDecode | null>(null)
  const [notice, setNotice] = useState('')
  useEffect(() => {
    void decodeLink(link).then(async (result) => {
      // A payment link goes straight to the pay form, pre-filled; nothing is signed without a confirmation there.
      // In an issued pool a gatekeeper does not pay: a member's request is a request for new tokens (IssueCard).
      const target = result.ok && result.payload.kind === 'pay' ? wallet.pool(result.payload.pool) : undefined
      const isTokenRequest = target?.governs === true && target.policy?.kind === 'issued'
      if (result.ok && result.payload.kind === 'pay' && target && !isTokenRequest) {
        const p = result.payload
        const decimals = wallet.pool(p.pool)?.policy?.decimals ?? 0
        if (p.name && !wallet.nameOf(p.pool, p.to)) await wallet.setContact(p.pool, p.to, p.name)
        await wallet.saveDraft({ pool: p.pool, to: p.to, amount: p.amount !== undefined ? formatAmount(p.amount, decimals).replace(/\u202f/g, '') : '', memo: p.memo ?? '' })
        navigate({ name: 'pay', pool: p.pool }, true)
        return
      }
      // A signed request is kept at once (only signed facts), then shown to be paid or refused.
      if (result.ok && result.payload.kind === 'request' && wallet.pool(result.payload.pool)) {
        const taken = await wallet.takeRequestLink(result.payload)
        if (taken.ok) {
          navigate({ name: 'payment-request', pool: result.payload.pool, request: taken.value }, true)
          return
        }
        setDecoded({ ok: false, problem: 'missing-fields', kind: 'request' })
        setNotice(t.links.requestInvalid)
        return
      }
      // A receipt is kept at once (it is only signed facts) and shown in the statement.
      if (result.ok && result.payload.kind === 'receipt' && wallet.pool(result.payload.pool)) {
        const p = result.payload
        const view = wallet.pool(p.pool)!
        const transfer = decodeEntry(p.lines[0] ?? '')
        if (!transfer.ok || transfer.entry.type !== 'transfer' || transfer.entry.to !== view.me) {
          setDecoded({ ok: false, problem: 'missing-fields' })
          setNotice(t.links.receiptNotForYou)
          return
        }
        await wallet.ingestLines(p.pool, p.lines)
        const settled = wallet.pool(p.pool)?.statement.find((row) => row.id === transfer.entry.id)?.status === 'accepted'
        const amount = inserted(money(transfer.entry.amount, view.policy))
        leaveFlash(settled ? t.links.receiptSettled(amount) : t.links.receiptAdded(amount))
        navigate({ name: 'pool', pool: p.pool }, true)
        return
      }
      setDecoded(result)
    })
  }, [link])
  if (!decoded) return <p>{t.loading}</p>
  if (!decoded.ok) {
    // Named by its kind when its prefix still reads: a damaged payment URL is not a "Join a pool" page.
    const damaged = decoded.kind !== undefined && (decoded.problem === 'garbled' || decoded.problem === 'missing-fields')
    return (
      <section aria-labelledby="link-title">
        <h1 id="link-title">{damaged ? t.links.damagedTitle[decoded.kind!] : t.links.unknownTitle}</h1>
        <p class="notice error" role="alert" data-testid="link-error">
          {notice || linkProblemText(t, decoded)}
        </p>
        <p>{t.links.nothingChanged}</p>
        <p class="row">
          <a class="button secondary" href="#/">{t.links.toWallet}</a>
          {(decoded.kind === undefined || decoded.kind === 'invite' || decoded.kind === 'pool') && <a class="button secondary" href="#/join">{t.join.paste}</a>}
        </p>
      </section>
    )
  }
  switch (decoded.payload.kind) {
    case 'invite':
      return <InviteCard payload={decoded.payload} />
    case 'pool':
      return <PoolCard payload={decoded.payload} />
    case 'join-request':
      return <AdmitCard payload={decoded.payload} />
    case 'cross':
      return <LazyCrossPayScreen payload={decoded.payload} />
    case 'receipt':
    case 'request':
    case 'pay':
      if (decoded.payload.kind === 'pay' && wallet.pool(decoded.payload.pool)?.governs === true) return <IssueCard payload={decoded.payload} />
      return (
        <section>
          <h1>{t.pool.pay}</h1>
          <p class="notice error" role="alert" data-testid="link-error">{t.links.notInPool}</p>
        </section>
      )
  }
}

function genesisOf(line: string): PoolEntry | undefined {
  const decoded = decodeEntry(line)
  return decoded.ok && decoded.entry.type === 'pool' ? decoded.entry : undefined
}

function InviteCard({ payload }: { payload: InvitePayload }) {
  const t = useStrings()
  const wallet = useWallet()
  const [error, setError] = useState<Text>('')
  const [busy, setBusy] = useState(false)
  // The gatekeeper's label is a fair first guess at the newcomer's name; it is theirs to change before it is signed.
  const [name, setName] = useState(wallet.displayName || payload.label || '')
  const genesis = genesisOf(payload.genesis)
  if (!genesis) return <p class="notice error" role="alert" data-testid="link-error">{t.wallet.problems['invite-invalid']}</p>
  const policy = genesis.policy
  // What this phone already knows about the invitation: one it made itself, or one somebody used.
  const view = wallet.pool(payload.pool)
  const invite = decodeEntry(payload.invite)
  const inviteId = invite.ok ? invite.entry.id : ''
  if (view && invite.ok && invite.entry.author === view.me) {
    return (
      <section aria-labelledby="invite-title">
        <h1 id="invite-title">{t.join.ownInviteTitle}</h1>
        <p class="notice" role="note" data-testid="own-invite">
          {view.usedInvites.has(inviteId) ? t.join.ownInviteUsed : t.join.ownInviteOpen}
        </p>
        <a class="button" href={hrefOf({ name: 'manage', pool: payload.pool })}>{t.join.toManage}</a>
      </section>
    )
  }
  if (view && view.role === 'none' && view.usedInvites.has(inviteId)) {
    return (
      <section aria-labelledby="invite-title">
        <h1 id="invite-title">{t.join.inviteTitle(iso(policy.name))}</h1>
        <p class="notice error" role="alert" data-testid="invite-used">{t.join.inviteUsed}</p>
        <a class="button secondary" href={hrefOf({ name: 'pool', pool: payload.pool })}>{t.join.toPool}</a>
      </section>
    )
  }
  const accept = async (): Promise<void> => {
    setBusy(true)
    const outcome = await wallet.joinByInvite(payload)
    // The name is signed right after the join, in this pool only; a refusal here leaves the join as it is (the pool screen offers it again).
    if (outcome.ok && name.trim()) await wallet.people.sign(outcome.value, { name, initials: initialsOf(name) })
    setBusy(false)
    if (outcome.ok) {
      leaveFlash(t.join.joined(inserted(policy.name)))
      navigate({ name: 'pool', pool: outcome.value }, true)
    } else if (outcome.refusal.reason === 'already-joined') {
      navigate({ name: 'pool', pool: payload.pool }, true)
    } else {
      setError(refusalText(t, outcome.refusal, policy, Date.now()))
    }
  }
  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">{t.join.inviteTitle(iso(policy.name))}</h1>
      <p>{t.join.inviteBody(t.common.kind[policy.kind], iso(policy.symbol))}</p>
      <Field id="invite-name" label={t.join.inviteName} value={name} onInput={setName} dir="auto" hint={t.join.inviteNameHint} />
      {error && (
        <p class="notice error" role="alert" data-testid="join-error">
          <Words text={error} />
        </p>
      )}
      <button type="button" onClick={() => void accept()} disabled={busy} data-testid="accept-invite">
        {t.join.accept}
      </button>
    </section>
  )
}

function PoolCard({ payload }: { payload: PoolPayload }) {
  const t = useStrings()
  const wallet = useWallet()
  const [name, setName] = useState(wallet.displayName)
  const [error, setError] = useState<Text>('')
  const genesis = genesisOf(payload.genesis)
  if (!genesis) return <p class="notice error" role="alert" data-testid="link-error">{t.wallet.problems['pool-invalid']}</p>
  const ask = async (): Promise<void> => {
    if (name.trim() && name.trim() !== wallet.displayName) await wallet.setDisplayName(name)
    const outcome = await wallet.addPoolFromLink(payload)
    if (outcome.ok) navigate({ name: 'pool', pool: payload.pool }, true)
    else setError(refusalText(t, outcome.refusal, genesis.policy, Date.now()))
  }
  return (
    <section aria-labelledby="pool-link-title">
      <h1 id="pool-link-title">{t.join.poolTitle(iso(genesis.policy.name))}</h1>
      <p>{t.join.poolBody}</p>
      <Field id="request-name" label={t.join.yourName} value={name} onInput={setName} autoComplete="nickname" dir="auto" />
      {error && (
        <p class="notice error" role="alert">
          <Words text={error} />
        </p>
      )}
      <button type="button" onClick={() => void ask()} data-testid="ask-to-join">
        {t.join.ask}
      </button>
    </section>
  )
}

function AdmitCard({ payload }: { payload: JoinRequestPayload }) {
  const t = useStrings()
  const wallet = useWallet()
  const view = wallet.pool(payload.pool)
  const [minBalance, setMinBalance] = useState('')
  const [maxBalance, setMaxBalance] = useState('')
  const [result, setResult] = useState('')
  const [error, setError] = useState<Text>('')
  useEffect(() => {
    if (view?.governs === true) void wallet.recordJoinRequest({ pool: payload.pool, member: payload.member, name: payload.name ?? '', state: 'waiting', at: Date.now() })
  }, [payload.member])
  if (!view || !view.governs) {
    return (
      <section>
        <h1>{t.admit.title}</h1>
        <p class="notice error" role="alert" data-testid="link-error">{view?.role === 'gatekeeper' ? t.pool.gatekeeperElsewhere : t.admit.notYourPool}</p>
      </section>
    )
  }
  const policy = view.policy
  const decimals = policy?.decimals ?? 0
  const approve = async (): Promise<void> => {
    const limits: { minBalance?: number; maxBalance?: number } = {}
    const parse = (text: string, negative: boolean): number | undefined | null => {
      if (text.trim() === '') return undefined
      const parsed = parseAmount(text, decimals)
      if (!parsed.ok) return text.trim() === '0' ? 0 : null
      return negative ? -parsed.minorUnits : parsed.minorUnits
    }
    const min = parse(minBalance, true)
    const max = parse(maxBalance, false)
    if (min === null || max === null) return setError(t.create.numberProblem(min === null ? t.admit.minBalance : t.admit.maxBalance))
    if (min !== undefined) limits.minBalance = policy?.kind === 'issued' ? 0 : min
    if (max !== undefined) limits.maxBalance = max
    const outcome = await wallet.approveJoinRequest(payload.pool, payload.member, limits)
    if (outcome.ok) setResult(t.admit.approved)
    else setError(refusalText(t, outcome.refusal, policy, Date.now()))
  }
  const refuse = async (): Promise<void> => {
    await wallet.refuseJoinRequest(payload.pool, payload.member)
    setResult(t.admit.refused)
  }
  return (
    <section aria-labelledby="admit-title">
      <h1 id="admit-title">{t.admit.title}</h1>
      <p>{t.admit.body(iso(payload.name ?? t.admit.unnamed), iso(policy?.name ?? ''))}</p>
      <p>
        <code class="key">{payload.member}</code>
      </p>
      {result ? (
        <>
          <p class="notice ok" role="status" data-testid="admit-result">{result}</p>
          <a class="button secondary" href={hrefOf({ name: 'manage', pool: payload.pool })}>{t.pool.manage}</a>
        </>
      ) : (
        <>
          {policy?.kind === 'mutual-credit' && <Field id="admit-min" label={t.admit.minBalance} value={minBalance} onInput={setMinBalance} inputMode="decimal" hint={t.admit.poolDefault(iso(money(policy.minBalance, policy)))} />}
          <Field id="admit-max" label={t.admit.maxBalance} value={maxBalance} onInput={setMaxBalance} inputMode="decimal" hint={policy?.maxBalance != null ? t.admit.poolDefault(iso(money(policy.maxBalance, policy))) : undefined} />
          {error && (
            <p class="notice error" role="alert">
              <Words text={error} />
            </p>
          )}
          <div class="row">
            <button type="button" onClick={() => void approve()} data-testid="admit-approve">{t.admit.approve}</button>
            <button type="button" class="secondary" onClick={() => void refuse()}>{t.admit.refuse}</button>
          </div>
        </>
      )}
    </section>
  )
}

/** A member of an issued pool asks a gatekeeper for tokens: the gatekeeper issues them, or not. */
function IssueCard({ payload }: { payload: PayPayload }) {
  const t = useStrings()
  const wallet = useWallet()
  const view = wallet.pool(payload.pool)
  const policy = view?.policy ?? null
  const decimals = policy?.decimals ?? 0
  const [amount, setAmount] = useState(payload.amount !== undefined ? formatAmount(payload.amount, decimals).replace(/\u202f/g, '') : '')
  const [result, setResult] = useState<Text>('')
  const [error, setError] = useState<Text>('')
  const name = iso(payload.name ?? t.admit.unnamed)
  const issue = async (): Promise<void> => {
    const parsed = parseAmount(amount, decimals)
    if (!parsed.ok) return setError(t.pay.amountProblem[parsed.problem])
    if (payload.name && !wallet.nameOf(payload.pool, payload.to)) await wallet.setContact(payload.pool, payload.to, payload.name)
    const outcome = await wallet.issue(payload.pool, payload.to, parsed.minorUnits, payload.memo ?? '')
    if (outcome.ok) setResult(t.admit.issued(inserted(money(parsed.minorUnits, policy))))
    else setError(refusalText(t, outcome.refusal, policy, Date.now()))
  }
  return (
    <section aria-labelledby="issue-title">
      <h1 id="issue-title">{t.admit.issueTitle}</h1>
      <p>{payload.amount !== undefined ? t.admit.issueBody(name, iso(money(payload.amount, policy))) : t.admit.issueBodyAny(name)}</p>
      {payload.memo && <p class="memo">“<bdi>{payload.memo}</bdi>”</p>}
      {result ? (
        <p class="notice ok" role="status">
          <Words text={result} />
        </p>
      ) : (
        <>
          <Field id="issue-amount" label={t.admit.issueAmount(iso(policy?.symbol ?? ''))} value={amount} onInput={setAmount} inputMode="decimal" error={error || undefined} />
          <div class="row">
            <button type="button" onClick={() => void issue()}>{t.admit.issueApprove(iso(amount ? `${amount} ${policy?.symbol ?? ''}` : ''))}</button>
            <a class="button secondary" href={hrefOf({ name: 'pool', pool: payload.pool })}>{t.admit.refuse}</a>
          </div>
        </>
      )}
    </section>
  )
}
