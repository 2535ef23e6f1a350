import { useState } from 'preact/hooks'
import { decodeLink, linkRoute } from '../../links/link-codec.ts'
import { Field } from '../components/Field.tsx'
import { linkProblemText } from '../link-problem-text.ts'
import { QrScanner } from '../components/QrScanner.tsx'
import { navigate } from '../router.ts'
import { useStrings } from '../wallet-context.ts'

/** Paste or scan any Heroes link; the link screen then says what it is and what it does. */
export function JoinScreen() {
  const t = useStrings()
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  const [scanning, setScanning] = useState(false)
  const open = async (value: string): Promise<void> => {
    setScanning(false)
    const decoded = await decodeLink(value)
    if (!decoded.ok) {
      setError(linkProblemText(t, decoded))
      return
    }
    setError('')
    const route = linkRoute(value.replace(/\s+/g, '')) ?? value.replace(/\s+/g, '')
    navigate({ name: 'link', link: route.replace(/^\//, '') })
  }
  return (
    <section aria-labelledby="join-title">
      <h1 id="join-title">{t.join.title}</h1>
      <p>{t.join.intro}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          void open(text)
        }}
        noValidate
      >
        <Field id="join-link" label={t.join.paste} value={text} onInput={setText} error={error} multiline />
        <div class="row">
          <button type="submit" data-testid="join-open">{t.join.open}</button>
          <button type="button" class="secondary" onClick={() => setScanning(true)}>
            {t.join.scan}
          </button>
        </div>
      </form>
      {scanning && <QrScanner onText={(value) => { setText(value); void open(value) }} onClose={() => setScanning(false)} />}
    </section>
  )
}
