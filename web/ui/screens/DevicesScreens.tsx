/**
 * Devices, linking and recovery on screen (docs/devices.md), loaded on first
 * use by LazyDevices.tsx: the list in Settings with "Remove this device" and
 * "Add a device"; "Link this device" on a new device (its QR code); the
 * member's guided recovery; the gatekeeper's queue of recovery requests.
 * Names are isolated (<bdi>), never markup; every problem is said in words
 * next to what was tried, and the typed text stays.
 */
import { useEffect, useState } from 'preact/hooks'
import type { DevicesStrings } from '../../strings/devices.en.ts'
import { devicesStrings } from '../../strings/devices-strings.ts'
import type { Text } from '../../strings/phrase.ts'
import type { DeviceTools } from '../../wallet/device-tools.ts'
import type { DeviceOutcome, DeviceRow } from '../../wallet/devices.ts'
import type { PendingLink, SentAnswer } from '../../wallet/linking.ts'
import type { DevicesKit } from './LazyDevices.tsx'

export type DevicesViewName = 'settings' | 'link-device' | 'recover' | 'device-link' | 'recovery-link'

/** How often the new device looks in the mailbox for its answer, in ms. */
const LINK_POLL_MS = 1500

/** The app's shared parts, handed over by LazyDevices (see there why they are not imported). */
let k: DevicesKit

export function DevicesView({ view, link, kit }: { view: DevicesViewName; link?: string; kit: DevicesKit }) {
  k = kit
  k.useStrings() // re-render on a change of language
  const wallet = k.useWallet()
  const d = devicesStrings(k.language())
  const [tools, setTools] = useState<DeviceTools | undefined>(undefined)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    wallet.devices().then(setTools, () => setFailed(true))
  }, [wallet])
  if (failed) return <p class="notice error" role="alert">{d.failed}</p>
  if (!tools) return <p aria-busy="true">{d.loading}</p>
  switch (view) {
    case 'settings':
      return <DevicesSettings tools={tools} d={d} />
    case 'link-device':
      return <LinkThisDevice tools={tools} d={d} />
    case 'recover':
      return <RecoverAccount tools={tools} d={d} />
    case 'device-link':
      return (
        <section aria-labelledby="add-device-title">
          <h1 id="add-device-title">{d.add}</h1>
          <AddDevice tools={tools} d={d} initial={link ? `d/${link}` : ''} />
        </section>
      )
    case 'recovery-link':
      return <RecoveryLink tools={tools} d={d} link={link ?? ''} />
  }
}

/** A problem in words: the devices' own, else the wallet's or the validator's. */
function useProblemText(d: DevicesStrings): (outcome: DeviceOutcome<unknown>, pool?: string) => Text {
  const t = k.useStrings()
  // Devices refuse with the validator's reasons or the wallet's, never with figures a payment's words need.
  return (outcome) => {
    if (outcome.ok) return ''
    const reason = outcome.refusal.reason as string
    if (reason in d.problems) return d.problems[reason as keyof DevicesStrings['problems']]
    if (reason in t.wallet.problems) return t.wallet.problems[reason as keyof typeof t.wallet.problems]
    return t.reasons[reason as keyof typeof t.reasons] ?? t.common.error
  }
}

// ---- Settings: the list, remove, add, and the gatekeeper's queue ------------------------

function DevicesSettings({ tools, d }: { tools: DeviceTools; d: DevicesStrings }) {
  const wallet = k.useWallet()
  const pools = wallet.poolIds().filter((id) => (wallet.pool(id)?.role ?? 'none') !== 'none')
  return (
    <section aria-labelledby="devices-title" data-testid="devices">
      <h2 id="devices-title">{d.title}</h2>
      <p class="hint">{d.intro}</p>
      {pools.length === 0 && <p>{d.noPools}</p>}
      {pools.map((pool) => <PoolDevices key={pool} pool={pool} tools={tools} d={d} />)}
      <div class="row">
        <a class="button secondary" href={k.hrefOf({ name: 'link-device' })} data-testid="link-this-device">{d.linkThis}</a>
        <a class="button secondary" href={k.hrefOf({ name: 'recover' })}>{d.recover}</a>
      </div>
    </section>
  )
}

function PoolDevices({ pool, tools, d }: { pool: string; tools: DeviceTools; d: DevicesStrings }) {
  const wallet = k.useWallet()
  const view = wallet.pool(pool)
  const rows = tools.devices.list(pool) ?? []
  const [adding, setAdding] = useState(false)
  if (!view) return null
  const thisRow = rows.find((row) => row.thisDevice)
  const mayRemove = thisRow !== undefined && thisRow.status === 'active'
  return (
    <div class="card" data-testid="pool-devices" data-pool={pool}>
      <h3><bdi>{view.policy?.name ?? ''}</bdi></h3>
      <ul class="devices">
        {rows.map((row) => <DeviceItem key={row.key} pool={pool} row={row} tools={tools} d={d} mayRemove={mayRemove} />)}
      </ul>
      {tools.devices.canCertify(pool) && (adding ? <AddDevice tools={tools} d={d} pool={pool} initial="" /> : (
        <button type="button" class="secondary" onClick={() => setAdding(true)} data-testid="add-device">{d.add}</button>
      ))}
      {view.governs && <RecoveryQueue pool={pool} tools={tools} d={d} />}
    </div>
  )
}

function DeviceItem({ pool, row, tools, d, mayRemove }: { pool: string; row: DeviceRow; tools: DeviceTools; d: DevicesStrings; mayRemove: boolean }) {
  const problemText = useProblemText(d)
  const [confirming, setConfirming] = useState(false)
  const [note, setNote] = useState<Text>('')
  const [error, setError] = useState<Text>('')
  const [busy, setBusy] = useState(false)
  const name = row.memberKey ? d.memberKey : (row.name ?? d.unnamed)
  const remove = async (): Promise<void> => {
    setBusy(true)
    const outcome = await tools.devices.remove(pool, row.key)
    setBusy(false)
    setConfirming(false)
    if (outcome.ok) {
      setError('')
      setNote(d.removed)
    } else setError(problemText(outcome, pool))
  }
  return (
    <li data-testid="device-row" data-status={row.status} data-this={row.thisDevice ? 'yes' : 'no'}>
      <strong><bdi dir="auto">{name}</bdi></strong>
      {row.thisDevice && <span class="hint"> ({d.thisDevice})</span>}
      <span class={`device-status device-${row.status}`} data-testid="device-status"> · {d.status[row.status]}</span>
      <br />
      <span class="hint">{row.lastActivity !== undefined ? d.lastActivity(k.timeOf(row.lastActivity)) : d.noActivity}</span>
      {row.rejectedAfterRemoval > 0 && <p class="notice warn" data-testid="device-rejected">{d.rejectedAfter(row.rejectedAfterRemoval)}</p>}
      {mayRemove && !row.memberKey && !row.thisDevice && row.status !== 'revoked' && !confirming && (
        <div class="row"><button type="button" class="secondary" onClick={() => setConfirming(true)}>{d.remove}</button></div>
      )}
      {confirming && (
        <div role="alertdialog" aria-labelledby={`remove-${row.key}`} class="notice warn">
          <p id={`remove-${row.key}`}><k.Words text={d.removeConfirm(k.inserted(name))} /></p>
          <div class="row">
            <button type="button" disabled={busy} onClick={() => void remove()}>{d.removeYes}</button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>{d.keep}</button>
          </div>
        </div>
      )}
      {note !== '' && <p role="status" class="hint"><k.Words text={note} /></p>}
      {error !== '' && <p role="alert" class="error"><k.Words text={error} /></p>}
    </li>
  )
}

/** The existing device reads the new device's code (scanned or pasted), certifies it and answers through the relay. */
function AddDevice({ tools, d, pool: fixedPool, initial }: { tools: DeviceTools; d: DevicesStrings; pool?: string; initial: string }) {
  const wallet = k.useWallet()
  const problemText = useProblemText(d)
  const certifiable = wallet.poolIds().filter((id) => tools.devices.canCertify(id))
  const [pool, setPool] = useState(fixedPool ?? certifiable[0] ?? '')
  const [text, setText] = useState(initial)
  const [name, setName] = useState('')
  const [scanning, setScanning] = useState(false)
  const [error, setError] = useState<Text>('')
  const [done, setDone] = useState<Text>('')
  const [pending, setPending] = useState<SentAnswer | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const submit = async (value: string): Promise<void> => {
    setScanning(false)
    setDone('')
    const code = tools.linking.read(value)
    if (!code.ok) return setError(problemText(code, pool))
    if (!pool) return setError(d.problems['not-member-key'])
    setBusy(true)
    const answered = await tools.linking.answer(pool, code.value, name)
    setBusy(false)
    if (!answered.ok) return setError(problemText(answered, pool))
    setError('')
    const shown = name.trim() || code.value.name || d.unnamed
    if (answered.value.sent) setDone(d.linked(k.inserted(shown)))
    else {
      setPending(answered.value.pending)
      setError(d.notSent)
    }
  }
  const resend = async (): Promise<void> => {
    if (!pending) return
    if (await tools.linking.resend(pending)) {
      setPending(undefined)
      setError('')
      setDone(d.linked(k.inserted(name.trim() || d.unnamed)))
    } else setError(d.problems['link-relay'])
  }
  return (
    <form class="add-device" data-testid="add-device-form" noValidate onSubmit={(event) => { event.preventDefault(); void submit(text) }}>
      <p class="hint">{d.addIntro}</p>
      {fixedPool === undefined && certifiable.length > 1 && (
        <div class="field">
          <label for="device-pool">{d.pool}</label>
          <select id="device-pool" value={pool} onChange={(event) => setPool(event.currentTarget.value)}>
            {certifiable.map((id) => <option key={id} value={id}>{wallet.pool(id)?.policy?.name ?? id}</option>)}
          </select>
        </div>
      )}
      {fixedPool === undefined && certifiable.length === 0 && <p class="notice">{d.problems['not-member-key']}</p>}
      <k.Field id="device-code" label={d.codeLabel} value={text} onInput={setText} error={error || undefined} multiline />
      <k.Field id="device-name" label={d.deviceName} value={name} onInput={setName} dir="auto" />
      <div class="row">
        <button type="submit" disabled={busy || !pool} data-testid="device-link-submit">{d.link}</button>
        <button type="button" class="secondary" onClick={() => setScanning(true)}>{d.scan}</button>
        {pending && <button type="button" class="secondary" onClick={() => void resend()}>{d.retry}</button>}
      </div>
      {done !== '' && <p role="status" class="notice" data-testid="device-linked"><k.Words text={done} /></p>}
      {scanning && <k.QrScanner onText={(value) => { setText(value); void submit(value) }} onClose={() => setScanning(false)} />}
    </form>
  )
}

// ---- the new device: "Link this device" ---------------------------------------------------

function LinkThisDevice({ tools, d }: { tools: DeviceTools; d: DevicesStrings }) {
  const wallet = k.useWallet()
  const problemText = useProblemText(d)
  const [name, setName] = useState('')
  const [pending, setPending] = useState<PendingLink | undefined>(undefined)
  const [problem, setProblem] = useState<Text>('')
  const [linked, setLinked] = useState<string | undefined>(undefined)
  useEffect(() => {
    if (!pending) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const look = async (): Promise<void> => {
      const outcome = await tools.linking.poll(pending)
      if (stopped) return
      if (outcome?.ok) {
        setProblem('')
        setLinked(outcome.value)
        setPending(undefined)
        return
      }
      if (outcome) setProblem(problemText(outcome))
      const reason = outcome && !outcome.ok ? (outcome.refusal.reason as string) : ''
      if (reason === 'link-expired' || reason === 'already-here') return setPending(undefined)
      timer = setTimeout(() => void look(), LINK_POLL_MS)
    }
    void look()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [pending])
  const start = (): void => {
    setProblem('')
    setPending(tools.linking.start(name, location.origin))
  }
  return (
    <section aria-labelledby="link-device-title">
      <h1 id="link-device-title">{d.linkTitle}</h1>
      {linked !== undefined ? (
        <>
          <p class="notice" role="status" data-testid="device-linked"><k.Words text={d.done(k.inserted(wallet.pool(linked)?.policy?.name ?? ''))} /></p>
          <a class="button" href={k.hrefOf({ name: 'pool', pool: linked })}>{d.openPool}</a>
        </>
      ) : (
        <>
          <p>{d.linkIntro}</p>
          {!pending && (
            <form noValidate onSubmit={(event) => { event.preventDefault(); start() }}>
              <k.Field id="link-name" label={d.linkName} value={name} onInput={setName} dir="auto" />
              <div class="row"><button type="submit" data-testid="show-link-code">{problem ? d.newCode : d.showCode}</button></div>
            </form>
          )}
          {pending && (
            <>
              <k.QrImage text={pending.text} label={d.codeAlt} />
              <k.CopyField label={d.codeLink} value={pending.text} testId="device-link" />
              <p role="status" aria-busy="true" class="hint">{d.waiting}</p>
            </>
          )}
          {problem !== '' && <p role="alert" class="error"><k.Words text={problem} /></p>}
        </>
      )}
    </section>
  )
}

// ---- recovery: the member on a fresh device -------------------------------------------------

function RecoverAccount({ tools, d }: { tools: DeviceTools; d: DevicesStrings }) {
  const wallet = k.useWallet()
  const problemText = useProblemText(d)
  const t = k.useStrings()
  // Pools this device holds without an account in them: where a recovery is asked.
  const candidates = wallet.poolIds().filter((id) => wallet.pool(id)?.role === 'none' || tools.recovery.mine(id) !== undefined)
  const [pool, setPool] = useState(candidates[0] ?? '')
  const [linkText, setLinkText] = useState('')
  const [linkError, setLinkError] = useState<Text>('')
  const [member, setMember] = useState('')
  const [error, setError] = useState<Text>('')
  const [busy, setBusy] = useState(false)
  const openPool = async (): Promise<void> => {
    const decoded = await k.decodeLink(linkText)
    if (!decoded.ok || decoded.payload.kind !== 'pool') return setLinkError(t.links.problems[decoded.ok ? 'not-a-heroes-link' : decoded.problem])
    const added = await wallet.addPoolFromLink(decoded.payload)
    if (!added.ok) return setLinkError(problemText(added))
    setLinkError('')
    setPool(decoded.payload.pool)
  }
  const view = pool ? wallet.pool(pool) : undefined
  const mine = pool ? tools.recovery.mine(pool) : undefined
  const ask = async (): Promise<void> => {
    setBusy(true)
    const asked = await tools.recovery.request(pool, member)
    setBusy(false)
    setError(asked.ok ? '' : problemText(asked, pool))
  }
  const requestLink = mine ? tools.recovery.requestLink(pool, mine.id, location.origin) : undefined
  return (
    <section aria-labelledby="recover-title">
      <h1 id="recover-title">{d.recoverTitle}</h1>
      <p>{d.recoverPhrase}</p>
      <a class="button secondary" href={k.hrefOf({ name: 'backup' })}>{d.recoverPhraseGo}</a>
      <p>{d.recoverNoPhrase}</p>
      {!view && (
        <form noValidate onSubmit={(event) => { event.preventDefault(); void openPool() }}>
          <k.Field id="recover-pool-link" label={d.recoverPoolLink} value={linkText} onInput={setLinkText} error={linkError || undefined} multiline />
          <div class="row"><button type="submit">{d.recoverOpenPool}</button></div>
        </form>
      )}
      {view && !mine && (
        view.members.length === 0 ? <p aria-busy="true" class="hint">{d.recoverWaitMembers}</p> : (
          <form noValidate onSubmit={(event) => { event.preventDefault(); void ask() }}>
            <h2><bdi>{view.policy?.name ?? ''}</bdi></h2>
            <div class="field">
              <label for="recover-member">{d.recoverAccount}</label>
              <select id="recover-member" value={member} onChange={(event) => setMember(event.currentTarget.value)}>
                <option value="">{d.recoverNone}</option>
                {view.members.filter((m) => m.role === 'member' && !m.frozen).map((m) => <option key={m.key} value={m.key}>{k.who(wallet, pool, m.key)}</option>)}
              </select>
            </div>
            <div class="row"><button type="submit" disabled={busy || !member} data-testid="recover-ask">{d.recoverAsk}</button></div>
            {error !== '' && <p role="alert" class="error"><k.Words text={error} /></p>}
          </form>
        )
      )}
      {mine && (
        mine.status === 'recovered' ? (
          <>
            <p class="notice" role="status" data-testid="recovered">{d.recovered}</p>
            <a class="button" href={k.hrefOf({ name: 'pool', pool })}>{d.openPool}</a>
          </>
        ) : (
          <>
            <p>{d.recoverShow}</p>
            {requestLink && <k.QrImage text={requestLink} label={d.recoverCodeAlt} />}
            {requestLink && <k.CopyField label={d.recoverLinkLabel} value={requestLink} testId="recovery-link" />}
            <p role="status" data-testid="recovery-approvals">{d.approvals(mine.approvals, mine.needed)}</p>
            <p class="hint">{d.recoverWait}</p>
          </>
        )
      )}
    </section>
  )
}

// ---- recovery: the gatekeeper's queue ---------------------------------------------------------

function RecoveryQueue({ pool, tools, d, highlight, titled = true }: { pool: string; tools: DeviceTools; d: DevicesStrings; highlight?: string; titled?: boolean }) {
  const problemText = useProblemText(d)
  const [text, setText] = useState('')
  const [error, setError] = useState<Text>('')
  const [scanning, setScanning] = useState(false)
  const [errors, setErrors] = useState<Record<string, Text>>({})
  const rows = tools.recovery.queue(pool)
  const take = async (value: string): Promise<void> => {
    setScanning(false)
    const taken = await tools.recovery.takeRequestLink(value)
    setError(taken.ok ? '' : problemText(taken, pool))
    if (taken.ok) setText('')
  }
  const approve = async (id: string): Promise<void> => {
    const approved = await tools.recovery.approve(pool, id)
    setErrors({ ...errors, [id]: approved.ok ? '' : problemText(approved, pool) })
  }
  return (
    <div class="recovery-queue" data-testid="recovery-queue">
      {titled && <h4>{d.queueTitle}</h4>}
      {rows.length === 0 && <p class="hint">{d.queueEmpty}</p>}
      <ul>
        {rows.map((row) => (
          <li key={row.id} data-testid="recovery-row" data-status={row.status} class={row.id === highlight ? 'highlight' : undefined}>
            <k.Person pool={pool} member={row.member} /> <span class="hint">{d.newKey(row.key.slice(0, 8))}</span>
            <br />
            <span class="hint">{row.status === 'recovered' ? d.recoveredRow : d.approvals(row.approvals, row.needed)}</span>
            {row.status === 'open' && (row.approvedByMe ? <p class="hint">{d.approved}</p> : (
              <div class="row"><button type="button" onClick={() => void approve(row.id)} data-testid="recovery-approve">{d.approve}</button></div>
            ))}
            {errors[row.id] && <p role="alert" class="error"><k.Words text={errors[row.id]!} /></p>}
          </li>
        ))}
      </ul>
      <form noValidate onSubmit={(event) => { event.preventDefault(); void take(text) }}>
        <k.Field id={`recovery-link-${pool.slice(0, 8)}`} label={d.queuePaste} value={text} onInput={setText} error={error || undefined} multiline />
        <div class="row">
          <button type="submit" class="secondary">{d.queueTake}</button>
          <button type="button" class="secondary" onClick={() => setScanning(true)}>{d.scan}</button>
        </div>
      </form>
      {scanning && <k.QrScanner onText={(value) => { setText(value); void take(value) }} onClose={() => setScanning(false)} />}
    </div>
  )
}

/** A gatekeeper opened a recovery request's link: it is taken into its pool and shown in that pool's queue. */
function RecoveryLink({ tools, d, link }: { tools: DeviceTools; d: DevicesStrings; link: string }) {
  const wallet = k.useWallet()
  const problemText = useProblemText(d)
  const [taken, setTaken] = useState<DeviceOutcome<{ pool: string; id: string }> | undefined>(undefined)
  useEffect(() => {
    void tools.recovery.takeRequestLink(`v/${link}`).then(setTaken)
  }, [link])
  return (
    <section aria-labelledby="recovery-link-title">
      <h1 id="recovery-link-title">{d.queueTitle}</h1>
      {taken === undefined && <p aria-busy="true">{d.loading}</p>}
      {taken && !taken.ok && <p role="alert" class="error"><k.Words text={problemText(taken)} /></p>}
      {taken?.ok && (
        <>
          <h2><bdi>{wallet.pool(taken.value.pool)?.policy?.name ?? ''}</bdi></h2>
          <RecoveryQueue pool={taken.value.pool} tools={tools} d={d} highlight={taken.value.id} titled={false} />
        </>
      )}
    </section>
  )
}
