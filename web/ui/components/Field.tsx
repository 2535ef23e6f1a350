import type { ComponentChildren } from 'preact'

/** A labelled input with its error tied to it (aria-describedby), so screen readers read both. */
export function Field(props: {
  id: string
  label: string
  value: string
  onInput: (value: string) => void
  error?: string | undefined
  hint?: string | undefined
  type?: 'text' | 'password' | 'url' | 'number'
  inputMode?: 'decimal' | 'numeric' | 'text'
  autoComplete?: string
  placeholder?: string
  multiline?: boolean
  required?: boolean
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
          {props.error}
        </p>
      )}
      {props.children}
    </div>
  )
}
