import { useState } from 'preact/hooks'
import { PROFILE_BIO_CHARS_MAX, PROFILE_NAME_CHARS_MAX } from '../../../core/index.ts'
import { initialsOf } from '../../wallet/people.ts'
import type { PoolView } from '../../wallet/pool-view.ts'
import type { Text } from '../../strings/phrase.ts'
import { Field } from './Field.tsx'
import { Avatar } from './Person.tsx'
import { iso, Words } from './Words.tsx'
import { profilePicture } from '../profile-picture.ts'
import { refusalText } from '../refusal-text.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * This member's name in this pool: a signed profile entry everyone in the
 * pool sees (and only this pool: another pool's members never learn it).
 * Until one is signed the card is open and says members see only a key.
 */
export function ProfileCard({ pool, view }: { pool: string; view: PoolView }) {
  const wallet = useWallet()
  const t = useStrings()
  const own = wallet.people.own(pool)
  const [name, setName] = useState(own?.name ?? wallet.displayName)
  const [bio, setBio] = useState(own?.bio ?? '')
  const [picture, setPicture] = useState(own?.picture ?? '')
  const [pictureProblem, setPictureProblem] = useState('')
  const [signing, setSigning] = useState(false)
  const [problem, setProblem] = useState<Text>('')
  const [saved, setSaved] = useState(false)
  if (view.role === 'none' || view.closed || view.frozen) return null
  const save = async (event: Event): Promise<void> => {
    event.preventDefault()
    setSigning(true)
    const outcome = await wallet.people.sign(pool, { name, bio, initials: initialsOf(name), ...(picture ? { picture } : {}) })
    setSigning(false)
    setSaved(outcome.ok)
    setProblem(outcome.ok ? '' : refusalText(t, outcome.refusal, view.policy, Date.now()))
  }
  const me = wallet.people.person(pool, view.me)
  return (
    <details class="card profile-card" open={!own} data-testid="profile-card">
      <summary>
        {own ? (
          <span class="person-line">
            <Avatar person={me} /> {t.profile.shownAs(iso(own.name))}
          </span>
        ) : (
          t.profile.title
        )}
      </summary>
      {!own && <p class="hint">{t.profile.prompt}</p>}
      <form onSubmit={(event) => void save(event)} noValidate>
        <Field id="profile-name" label={t.profile.name} value={name} onInput={(value) => setName(value.slice(0, PROFILE_NAME_CHARS_MAX))} dir="auto" error={problem || undefined} />
        <Field id="profile-bio" label={t.profile.bio} value={bio} onInput={(value) => setBio(value.slice(0, PROFILE_BIO_CHARS_MAX))} dir="auto" multiline />
        <div class="field">
          <label for="profile-picture">{t.profile.picture}</label>
          <div class="row">
            {picture && <img class="avatar large" src={picture} alt="" width={48} height={48} data-testid="profile-picture-preview" />}
            <input id="profile-picture" type="file" accept="image/*" aria-describedby={pictureProblem ? 'profile-picture-problem' : undefined} onChange={(event) => {
                const file = event.currentTarget.files?.[0]
                if (!file) return
                void profilePicture(file).then((made) => {
                  setPictureProblem(made.ok ? '' : t.profile.pictureProblems[made.problem])
                  if (made.ok) setPicture(made.dataUrl)
                })
              }} />
            {picture && (
              <button type="button" class="secondary small" onClick={() => setPicture('')}>
                {t.profile.pictureRemove}
              </button>
            )}
          </div>
          {pictureProblem && <p class="error" role="alert" id="profile-picture-problem">{pictureProblem}</p>}
        </div>
        <p class="hint">{t.profile.hint(me.fingerprint)}</p>
        <button type="submit" disabled={signing} data-testid="profile-save">
          {signing ? t.pay.signing : t.profile.save}
        </button>
        {saved && (
          <p class="notice ok" role="status">
            <Words text={t.profile.saved} />
          </p>
        )}
      </form>
    </details>
  )
}
