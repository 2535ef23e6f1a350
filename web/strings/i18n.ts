/**
 * The language in use, for the whole page: its words (a Catalogue), its tag
 * for Intl (numbers, dates, plurals), and the member's choice kept in
 * localStorage (read before the wallet opens, so the first screen is already
 * in the right language). One place holds it; screens read it through
 * useStrings() and re-render when it changes.
 */
import { en } from './en.ts'
import { isLanguage, loadCatalogue, pickLanguage, type Catalogue, type Language } from './languages.ts'
import { marketLinkEn } from './market-link.en.ts'

const CHOICE_KEY = 'heroes-language'

const english: Catalogue = { strings: en, marketLink: marketLinkEn }
let current: { language: Language; catalogue: Catalogue } = { language: 'en', catalogue: english }
const listeners = new Set<() => void>()

export function language(): Language {
  return current.language
}

export function catalogue(): Catalogue {
  return current.catalogue
}

/** The language the member chose in Settings, if any (else the browser's decides). */
export function chosenLanguage(): Language | undefined {
  try {
    const stored = localStorage.getItem(CHOICE_KEY)
    return isLanguage(stored) ? stored : undefined
  } catch {
    return undefined
  }
}

/** The language to start in: the member's choice, else the browser's first language the app speaks. */
export function startLanguage(): Language {
  return chosenLanguage() ?? pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language])
}

/** Switches the page to `language` (fetching its words when needed); `remember` keeps it as the member's choice. */
export async function switchLanguage(language: Language, options: { remember: boolean }): Promise<void> {
  const next = language === 'en' ? english : await loadCatalogue(language)
  current = { language, catalogue: next }
  document.documentElement.lang = language
  if (options.remember) {
    try {
      localStorage.setItem(CHOICE_KEY, language)
    } catch {
      // Private modes may refuse storage: the choice then lasts for this visit.
    }
  }
  for (const listener of listeners) listener()
}

/** Calls `listener` when the language changes; returns the function that stops it. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
