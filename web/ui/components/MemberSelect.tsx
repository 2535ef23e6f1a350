import { useState } from 'preact/hooks'
import { matchesSearch, otherMembers } from '../format.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * A labelled choice among the members one may pay or ask (not oneself, not
 * the frozen), by name with each key's fingerprint, and a search box that
 * narrows it by name. Choosing fills the member, never 64 hex characters to
 * read. The first option has the empty value and says what choosing nothing means.
 */
export function MemberSelect(props: {
  id: string
  label: string
  noneLabel: string
  pool: string
  members: readonly { key: string; frozen: boolean }[]
  me: string
  value: string
  onChange: (key: string) => void
}) {
  const wallet = useWallet()
  const t = useStrings()
  const [query, setQuery] = useState('')
  const all = otherMembers(wallet, props.pool, props.members, props.me)
  const shown = all.filter((member) => member.key === props.value || matchesSearch(member, query))
  const pick = (value: string): void => {
    props.onChange(value)
  }
  return (
    <div class="field member-select">
      {all.length > 1 && (
        <>
          <label for={`${props.id}-search`}>{t.people.search}</label>
          <input id={`${props.id}-search`} type="search" dir="auto" value={query} autoComplete="off"
            onInput={(event) => {
              const next = event.currentTarget.value
              setQuery(next)
              const matches = all.filter((member) => matchesSearch(member, next))
              if (next.trim() && matches.length === 1) pick(matches[0]!.key)
            }} />
          {query.trim() !== '' && shown.length === 0 && <p class="hint" role="status">{t.people.noMatch}</p>}
        </>
      )}
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(event) => pick(event.currentTarget.value)}>
        <option value="">{props.noneLabel}</option>
        {shown.map((member) => (
          <option value={member.key} key={member.key}>
            {member.label}
          </option>
        ))}
      </select>
    </div>
  )
}
