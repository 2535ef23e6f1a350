import { useEffect, useState } from 'preact/hooks'
import { parseAmount } from '../../lib/amount.ts'
import { encodeLink } from '../../links/link-codec.ts'
import { CopyField } from '../components/CopyField.tsx'
import { Field } from '../components/Field.tsx'
import { QrImage } from '../components/QrImage.tsx'
import { hrefOf } from '../router.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/** Ask to be paid: a QR code and a link with this pool's key, and optionally an amount and a note. */
export function RequestScreen({ pool }: { pool: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const view = wallet.pool(pool)
  const [amount, setAmount] = useState('')
  const [memo, setMemo] = useState('')
  const [name, setName] = useState(wallet.displayName)
  const [link, setLink] = useState('')
  const decimals = view?.policy?.decimals ?? 0
  const parsed = parseAmount(amount, decimals)
  const amountError = amount.trim() !== '' && !parsed.ok ? t.pay.amountProblem[parsed.problem] : undefined
  useEffect(() => {
    if (!view || amountError) return
    const payload = {
      kind: 'pay' as const,
      pool,
      to: view.me,
      ...(parsed.ok ? { amount: parsed.minorUnits } : {}),
      ...(memo.trim() ? { memo: memo.trim() } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
    }
    void encodeLink(payload, location.origin).then(setLink)
  }, [amount, memo, name, view?.me])
  if (!view) return <p>{t.wallet.problems['unknown-pool']}</p>
  return (
    <section aria-labelledby="request-title">
      <p class="crumb">
        <a href={hrefOf({ name: 'pool', pool })}>← {view.policy?.name}</a>
      </p>
      <h1 id="request-title">{t.request.title}</h1>
      <p>{t.request.intro}</p>
      <div class="split">
        <form onSubmit={(event) => event.preventDefault()}>
          <Field id="request-amount" label={t.request.amount(view.policy?.symbol ?? '')} value={amount} onInput={setAmount} error={amountError} inputMode="decimal" />
          <Field id="request-memo" label={t.request.memo} value={memo} onInput={setMemo} />
          <Field id="request-name" label={t.request.name} value={name} onInput={setName} autoComplete="nickname" />
        </form>
        {link && (
          <div>
            <QrImage text={link} label={t.qr.imageAlt(t.request.title)} />
            <CopyField label={t.request.link} value={link} testId="request-link" />
          </div>
        )}
      </div>
    </section>
  )
}
