import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { useStrings } from '../wallet-context.ts'

/** A read-only link with a copy button; the text stays selectable when the clipboard is refused. */
export function CopyField({ label, value, testId }: { label: ComponentChildren; value: string; testId?: string }) {
  const t = useStrings()
  const [note, setNote] = useState('')
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(value)
      setNote(t.common.copied)
    } catch {
      setNote(t.common.copyFailed)
    }
  }
  return (
    <div class="copy-field">
      <label>
        <span>{label}</span>
        <textarea readOnly rows={3} value={value} data-testid={testId} onFocus={(event) => event.currentTarget.select()} />
      </label>
      <div class="row">
        <button type="button" class="secondary" onClick={() => void copy()}>
          {t.common.copy}
        </button>
        <span role="status" class="hint">
          {note}
        </span>
      </div>
    </div>
  )
}
