/**
 * The languages the app speaks, and which one to use: the member's choice in
 * Settings, else the first of the browser's languages (navigator.languages)
 * the app has, else English. English is in the first load; the others are
 * loaded when chosen (one chunk each, precached by the service worker so a
 * choice works offline).
 */
import type { Strings } from './en.ts'
import type { MarketStrings } from './market.en.ts'
import type { MarketLinkStrings } from './market-link.en.ts'
import type { CrossStrings } from './cross.en.ts'
import type { PushStrings } from './push.en.ts'

export const LANGUAGES = ['en', 'it', 'fr', 'es', 'ca'] as const
export type Language = (typeof LANGUAGES)[number]

/** Each language's name in itself, for the picker. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', it: 'Italiano', fr: 'Français', es: 'Español', ca: 'Català' }

/** What a language file gives: the app's words, the marketplace's, and the marketplace link's. */
export interface Catalogue {
  readonly strings: Strings
  /** Undefined for English, whose marketplace words load with the marketplace screen. */
  readonly market?: MarketStrings
  readonly marketLink: MarketLinkStrings
  /** Undefined for English, whose words between pools load with those screens. */
  readonly cross?: CrossStrings
  /** Undefined for English, whose Web Push words load with the Web Push settings (push.en.ts). */
  readonly push?: PushStrings
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/** The first of `preferred` (BCP 47 tags, e.g. navigator.languages) that the app speaks, by primary subtag; else English. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0]
    if (isLanguage(primary)) return primary
  }
  return 'en'
}

/** A language's words; English's are already here, the others are fetched once. */
export async function loadCatalogue(language: Exclude<Language, 'en'>): Promise<Catalogue> {
  switch (language) {
    case 'it':
      return (await import('./it.ts')).it
    case 'fr':
      return (await import('./fr.ts')).fr
    case 'es':
      return (await import('./es.ts')).es
    case 'ca':
      return (await import('./ca.ts')).ca
  }
}
