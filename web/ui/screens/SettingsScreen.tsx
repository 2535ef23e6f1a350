import { useState } from 'preact/hooks'
import type { PersistOutcome } from '../../pwa/persistent-storage.ts'
import { defaultRelayUrl, normalizeRelayUrl } from '../../sync/default-relay.ts'
import { Field } from '../components/Field.tsx'
import { LanguagePicker } from '../components/LanguagePicker.tsx'
import { NotificationSettings } from '../components/NotificationSettings.tsx'
import { LazyDevices } from './LazyDevices.tsx'
import { useStrings, useWallet } from '../wallet-context.ts'

export function SettingsScreen({ persist }: { persist: PersistOutcome }) {
  const t = useStrings()
  const wallet = useWallet()
  const [relay, setRelay] = useState(wallet.relayUrl)
  const [relayNote, setRelayNote] = useState('')
  const [relayError, setRelayError] = useState('')
  const [name, setName] = useState(wallet.displayName)
  const [nameNote, setNameNote] = useState('')
  const saveRelay = async (url: string): Promise<void> => {
    const normalized = normalizeRelayUrl(url)
    if (!normalized) return setRelayError(t.settings.relayInvalid)
    setRelayError('')
    setRelay(normalized)
    await wallet.setRelay(normalized)
    setRelayNote(t.settings.relaySaved)
  }
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t.settings.title}</h1>
      <LanguagePicker />
      <form onSubmit={(event) => { event.preventDefault(); void saveRelay(relay) }} noValidate>
        <Field id="relay-url" label={t.settings.relay} value={relay} onInput={setRelay} error={relayError} hint={t.settings.relayHint} type="url" />
        <div class="row">
          <button type="submit">{t.settings.relaySave}</button>
          <button type="button" class="secondary" onClick={() => void saveRelay(defaultRelayUrl(location))}>{t.settings.relayReset}</button>
          <span role="status" class="hint">{relayNote}</span>
        </div>
      </form>
      <form onSubmit={(event) => { event.preventDefault(); void wallet.setDisplayName(name).then(() => setNameNote(t.settings.saved)) }} noValidate>
        <Field id="display-name" label={t.settings.name} value={name} onInput={setName} autoComplete="nickname" dir="auto" />
        <div class="row">
          <button type="submit">{t.settings.nameSave}</button>
          <span role="status" class="hint">{nameNote}</span>
        </div>
      </form>
      <LazyDevices view="settings" />
      <NotificationSettings />
      <h2>{t.settings.storage}</h2>
      <p data-testid="storage-state">{persist === 'granted' ? t.storage.granted : persist === 'pending' ? '' : t.storage[persist]}</p>
      <p class="hint">{t.settings.version(__HEROES_VERSION__)}</p>
    </section>
  )
}
