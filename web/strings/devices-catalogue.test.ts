/**
 * The devices screens' words (loaded with those screens, not in the main
 * catalogue): every language has every key English has, with the same shape,
 * nothing empty, and no sentence that prints undefined or NaN.
 */
import { describe, expect, it } from 'vitest'
import { devicesEn } from './devices.en.ts'
import { DEVICES_STRINGS } from './devices-strings.ts'

function differences(reference: unknown, other: unknown, path: string): string[] {
  if (typeof reference === 'function') return typeof other === 'function' && other.length === reference.length ? [] : [`${path}: expected a function of ${reference.length}`]
  if (typeof reference === 'string') return typeof other === 'string' && other.trim() !== '' ? [] : [`${path}: expected words`]
  if (typeof reference === 'object' && reference !== null) {
    if (typeof other !== 'object' || other === null) return [`${path}: expected an object`]
    const keys = new Set([...Object.keys(reference), ...Object.keys(other)])
    return [...keys].flatMap((key) => differences((reference as Record<string, unknown>)[key], (other as Record<string, unknown>)[key], `${path}.${key}`))
  }
  return []
}

function samples(value: unknown): string[] {
  if (typeof value === 'function') return [0, 1, 2, 21].map((count) => String([(value as (...a: unknown[]) => unknown)(...Array.from({ length: value.length }, (_, i) => (i === 0 ? count : 'X')))].flat().join('')))
  if (typeof value === 'string') return [value]
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(samples)
  return []
}

describe('the devices catalogues', () => {
  for (const language of ['it', 'fr', 'es', 'ca'] as const) {
    it(`${language} has every key of English, with the same shape, and prints no undefined`, () => {
      const catalogue = DEVICES_STRINGS[language]
      expect(catalogue).toBeDefined()
      expect(differences(devicesEn, catalogue, language)).toEqual([])
      expect(samples(catalogue).filter((text) => /undefined|NaN|\[object/.test(text))).toEqual([])
    })
  }
})
