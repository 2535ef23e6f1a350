import { useState } from 'preact/hooks'
import { BACKUP_PASSWORD_CHARS_MIN, openBackup, sealBackup } from '../../backup/backup-file.ts'
import { checkPhrase } from '../../keys/recovery-phrase.ts'
import { Field } from '../components/Field.tsx'
import { Words } from '../components/Words.tsx'
import { inserted, type Text } from '../../strings/phrase.ts'
import { navigate } from '../router.ts'
import { leaveFlash } from '../use-flash.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

/** Back up (phrase, encrypted file) and restore. */
export function BackupScreen() {
  const t = useStrings()
  const wallet = useWallet()
  const [showPhrase, setShowPhrase] = useState(false)
  const [checking, setChecking] = useState<[number, number] | null>(null)
  const [answers, setAnswers] = useState<[string, string]>(['', ''])
  const [checkNote, setCheckNote] = useState('')
  const [password, setPassword] = useState('')
  const [passwordAgain, setPasswordAgain] = useState('')
  const [fileError, setFileError] = useState('')
  const [making, setMaking] = useState(false)
  const [fileUrl, setFileUrl] = useState('')
  const [restoreFile, setRestoreFile] = useState<File | null>(null)
  const [restorePassword, setRestorePassword] = useState('')
  const [restorePhrase, setRestorePhrase] = useState('')
  const [restoreError, setRestoreError] = useState<Text>('')
  const [restoring, setRestoring] = useState(false)

  const makeFile = async (event: Event): Promise<void> => {
    event.preventDefault()
    if (password.length < BACKUP_PASSWORD_CHARS_MIN) return setFileError(t.backup.passwordShort)
    if (password !== passwordAgain) return setFileError(t.backup.passwordMismatch)
    setFileError('')
    setMaking(true)
    const text = await sealBackup(await wallet.snapshot(), password)
    setMaking(false)
    if (fileUrl) URL.revokeObjectURL(fileUrl)
    setFileUrl(URL.createObjectURL(new Blob([text], { type: 'application/json' })))
    await wallet.markBackedUp()
  }

  const confirmReplace = (): boolean => wallet.poolIds().length === 0 || confirm(t.backup.replaceWarning)

  const restoreFromFile = async (event: Event): Promise<void> => {
    event.preventDefault()
    if (!restoreFile) return setRestoreError(t.backup.problems['no-file'])
    if (!confirmReplace()) return
    setRestoring(true)
    const opened = await openBackup(await restoreFile.text(), restorePassword)
    if (!opened.ok) {
      setRestoring(false)
      return setRestoreError(t.backup.problems[opened.problem])
    }
    await wallet.restore(opened.snapshot)
    setRestoring(false)
    leaveFlash(t.backup.restored)
    navigate({ name: 'home' }, true)
  }

  const restoreFromPhrase = async (event: Event): Promise<void> => {
    event.preventDefault()
    const checked = checkPhrase(restorePhrase)
    if (!checked.ok) return setRestoreError(checked.problem === 'unknown-word' ? t.backup.problems['unknown-word'](inserted(checked.word ?? '')) : t.backup.problems[checked.problem])
    if (!confirmReplace()) return
    setRestoring(true)
    await wallet.restoreFromPhrase(checked.phrase)
    setRestoring(false)
    navigate({ name: 'join' }, true)
  }

  const words = wallet.recoveryPhrase.split(' ')
  return (
    <section aria-labelledby="backup-title">
      <h1 id="backup-title">{t.backup.title}</h1>
      <p>{t.backup.intro}</p>

      <div class="card">
        <h2>{t.backup.phraseTitle}</h2>
        <p>{t.backup.phraseIntro}</p>
        {showPhrase ? (
          <>
            <ol class="phrase" data-testid="phrase">
              {words.map((word, index) => (
                <li key={index}>{word}</li>
              ))}
            </ol>
            <div class="row">
              <button type="button" onClick={() => { setChecking(twoPositions(words.length)); setAnswers(['', '']); setCheckNote(''); setShowPhrase(false) }} data-testid="phrase-done">{t.backup.phraseDone}</button>
              <button type="button" class="secondary" onClick={() => setShowPhrase(false)}>{t.backup.phraseHide}</button>
            </div>
          </>
        ) : (
          <button type="button" class="secondary" onClick={() => setShowPhrase(true)} data-testid="phrase-show">{t.backup.phraseShow}</button>
        )}
        {checking && !showPhrase && (
          <form
            onSubmit={(event) => {
              event.preventDefault()
              const ok = checking.every((position, i) => answers[i]!.trim().toLowerCase() === words[position])
              setCheckNote(ok ? t.backup.phraseConfirmed : t.backup.phraseWrong)
              if (ok) {
                setChecking(null)
                void wallet.markBackedUp()
              }
            }}
            noValidate
          >
            <p>{t.backup.phraseCheckIntro}</p>
            {checking.map((position, i) => (
              <Field key={position} id={`phrase-word-${i}`} label={t.backup.phraseWord(position + 1)} value={answers[i]!} onInput={(value) => setAnswers(i === 0 ? [value, answers[1]] : [answers[0], value])} autoComplete="off" />
            ))}
            <button type="submit">{t.backup.phraseCheck}</button>
          </form>
        )}
        {checkNote && <p role="status" class={checking ? 'error' : 'hint'}>{checkNote}</p>}
        <p class="hint">{t.backup.phraseLimits}</p>
      </div>

      <div class="card">
        <h2>{t.backup.fileTitle}</h2>
        <p>{t.backup.fileIntro}</p>
        <form onSubmit={(event) => void makeFile(event)} noValidate>
          <Field id="backup-password" label={t.backup.password} type="password" value={password} onInput={setPassword} autoComplete="new-password" />
          <Field id="backup-password-again" label={t.backup.passwordAgain} type="password" value={passwordAgain} onInput={setPasswordAgain} autoComplete="new-password" error={fileError} />
          <button type="submit" disabled={making} data-testid="backup-make">{making ? t.backup.fileMaking : t.backup.fileMake}</button>
        </form>
        {fileUrl && (
          <p role="status">
            {t.backup.fileReady}{' '}
            <a class="button" href={fileUrl} download={`heroes-backup-${new Date().toISOString().slice(0, 10)}.json`} data-testid="backup-download">
              {t.backup.fileDownload}
            </a>
          </p>
        )}
      </div>

      <div class="card">
        <h2>{t.backup.restoreTitle}</h2>
        <p class="hint">{t.backup.restoreIntro}</p>
        {restoreError && (
          <p class="notice error" role="alert" data-testid="restore-error">
            <Words text={restoreError} />
          </p>
        )}
        <form onSubmit={(event) => void restoreFromFile(event)} noValidate>
          <div class="field">
            <label for="restore-file">{t.backup.restoreFile}</label>
            <input id="restore-file" type="file" accept="application/json,.json" onChange={(event) => setRestoreFile(event.currentTarget.files?.[0] ?? null)} />
          </div>
          <Field id="restore-password" label={t.backup.restorePassword} type="password" value={restorePassword} onInput={setRestorePassword} autoComplete="current-password" />
          <button type="submit" disabled={restoring} data-testid="restore-file-submit">{restoring ? t.backup.restoring : t.backup.restoreFromFile}</button>
        </form>
        <form onSubmit={(event) => void restoreFromPhrase(event)} noValidate>
          <Field id="restore-phrase" label={t.backup.restorePhrase} value={restorePhrase} onInput={setRestorePhrase} multiline />
          <button type="submit" class="secondary" disabled={restoring}>{t.backup.restoreFromPhrase}</button>
        </form>
      </div>
    </section>
  )
}

/** Two different word positions, in order, for the written-down check. */
function twoPositions(count: number): [number, number] {
  const random = crypto.getRandomValues(new Uint32Array(2))
  const first = random[0]! % count
  const second = (first + 1 + (random[1]! % (count - 1))) % count
  return first < second ? [first, second] : [second, first]
}
