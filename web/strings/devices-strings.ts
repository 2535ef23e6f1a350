/**
 * The devices screens' words in the page's language: loaded with those
 * screens, not in the first load. A language without its own (a newer one)
 * reads English here until it has.
 */
import { devicesCa } from './devices.ca.ts'
import { devicesEn, type DevicesStrings } from './devices.en.ts'
import { devicesEs } from './devices.es.ts'
import { devicesFr } from './devices.fr.ts'
import { devicesIt } from './devices.it.ts'
import type { Language } from './languages.ts'

export const DEVICES_STRINGS: Partial<Record<Language, DevicesStrings>> = { en: devicesEn, it: devicesIt, fr: devicesFr, es: devicesEs, ca: devicesCa }

export function devicesStrings(language: Language): DevicesStrings {
  return DEVICES_STRINGS[language] ?? devicesEn
}
