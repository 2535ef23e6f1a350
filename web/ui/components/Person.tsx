import type { PersonName } from '../../wallet/people.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * A member as people see them: the name (nickname, signed name or label,
 * isolated from the text around it) and the key's fingerprint to check it by.
 * Without any name, the fingerprint alone.
 */
export function Person({ pool, member, avatar = false }: { pool: string; member: string; avatar?: boolean }) {
  const wallet = useWallet()
  const person = wallet.people.person(pool, member)
  return <PersonText person={person} avatar={avatar} />
}

export function PersonText({ person, avatar = false }: { person: PersonName; avatar?: boolean }) {
  const t = useStrings()
  if (person.name === undefined) {
    return (
      <span class="person" data-testid="person">
        <span class="fingerprint" title={t.people.keyTitle}>{person.fingerprint}</span>
      </span>
    )
  }
  return (
    <span class="person" data-testid="person">
      {avatar && <Avatar person={person} />}
      <bdi class="person-name">{person.name}</bdi> <span class="fingerprint" title={t.people.keyTitle}>({person.fingerprint})</span>
      {person.source === 'label' && <span class="visually-hidden"> {t.people.labelOnly}</span>}
    </span>
  )
}

/** The signed picture, or the initials in a circle; decorative (the name is beside it). */
export function Avatar({ person }: { person: PersonName }) {
  const picture = person.profile?.picture
  // Only raster data URLs reach here (core refuses anything else); img-src allows data: in the CSP.
  if (picture) return <img class="avatar" src={picture} alt="" width={28} height={28} />
  const initials = person.profile?.initials ?? [...(person.name ?? '?')][0]?.toUpperCase() ?? '?'
  return (
    <span class="avatar" aria-hidden="true">
      {initials}
    </span>
  )
}
