import type { ComponentChildren } from 'preact'
import type { Text } from '../../strings/phrase.ts'
import { Words } from './Words.tsx'

/** A labelled input with its error tied to it (aria-describedby), so screen readers read both. */
export function Field(props: {
  id: string
  label: ComponentChildren
  value: string
  onInput: (value: string) => void
  error?: Text | undefined
  hint?: ComponentChildren
  type?: 'text' | 'password' | 'url' | 'number'
  inputMode?: 'decimal' | 'numeric' | 'text'
  autoComplete?: string
  placeholder?: string
  multiline?: boolean
  required?: boolean
  /** 'auto' for text someone types in their own script (a name, a note): its direction follows its first strong letter. */
  dir?: 'auto'
  children?: ComponentChildren
}) {
  const describedBy = [props.error ? `${props.id}-error` : '', props.hint ? `${props.id}-hint` : ''].filter(Boolean).join(' ') || undefined
  const common = {
    id: props.id,
    name: props.id,
    value: props.value,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy,
    placeholder: props.placeholder,
    required: props.required,
    dir: props.dir,
    onInput: (event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value),
  }
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.multiline ? (
        <textarea rows={3} {...common} autoComplete={props.autoComplete ?? 'off'} spellcheck={false} />
      ) : (
        <input {...({ type: props.type ?? 'text' } as { type: 'text' })} inputMode={props.inputMode} autoComplete={props.autoComplete ?? 'off'} {...common} />
      )}
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${props.id}-error`} role="alert">
          <Words text={props.error} />
        </p>
      )}
      {props.children}
    </div>
  )
}
