import { useState } from 'preact/hooks'
import { nfcAvailable, writeLinkToTag, type NfcOutcome } from '../../nfc/nfc-write.ts'
import { useStrings } from '../wallet-context.ts'

/** "Write to an NFC tag" for a payment or request link, where Web NFC exists; nothing at all elsewhere. */
export function NfcWrite({ link }: { link: string }) {
  const t = useStrings()
  const [state, setState] = useState<'idle' | 'writing' | NfcOutcome>('idle')
  if (!nfcAvailable() || !link) return null
  const write = async (): Promise<void> => {
    setState('writing')
    setState(await writeLinkToTag(link))
  }
  return (
    <div class="nfc" data-testid="nfc">
      <p class="row">
        <button type="button" class="secondary" disabled={state === 'writing'} onClick={() => void write()} data-testid="nfc-write">
          {state === 'writing' ? t.nfc.writing : t.nfc.write}
        </button>
      </p>
      <p class="hint">{t.nfc.hint}</p>
      {typeof state === 'object' && (
        <p class={state.ok ? 'notice ok' : 'notice error'} role={state.ok ? 'status' : 'alert'} data-testid="nfc-outcome">
          {state.ok ? t.nfc.written : t.nfc.problems[state.problem]}
        </p>
      )}
    </div>
  )
}
