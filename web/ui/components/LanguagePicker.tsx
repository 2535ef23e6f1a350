import { language, switchLanguage } from '../../strings/i18n.ts'
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../strings/languages.ts'
import { useStrings } from '../wallet-context.ts'

/** Settings: the app's language, each named in itself; the first visit follows the browser's (navigator.languages). */
export function LanguagePicker() {
  const t = useStrings()
  return (
    <div class="field">
      <label for="language">{t.settings.language}</label>
      <select
        id="language"
        value={language()}
        aria-describedby="language-hint"
        onChange={(event) => {
          const chosen = event.currentTarget.value
          if (isLanguage(chosen)) void switchLanguage(chosen, { remember: true })
        }}
      >
        {LANGUAGES.map((code) => (
          <option value={code} lang={code} key={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
      <p class="hint" id="language-hint">{t.settings.languageHint}</p>
    </div>
  )
}
