import { otherMembers } from '../format.ts'
import { useWallet } from '../wallet-context.ts'

/**
 * A labelled choice among the members one may pay or ask (not oneself, not
 * the frozen), by the names this phone knows them by. The first option has
 * the empty value and says what choosing nothing means.
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
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
        <option value="">{props.noneLabel}</option>
        {otherMembers(wallet, props.pool, props.members, props.me).map((member) => (
          <option value={member.key} key={member.key} dir="auto">
            {member.name}
          </option>
        ))}
      </select>
    </div>
  )
}
