/**
 * The string check (run in CI with every test): every language has every key English has, with the
 * same shape (a function takes the same arguments, a list has the same length), nothing empty that
 * English says, and no function that prints "undefined" or "NaN"; and no screen writes words of its
 * own outside the catalogue (JSX text, or an aria-label, title, alt, placeholder or label given as a
 * literal). A string used but not defined is the type checker's to catch (`npm run lint`): screens
 * read `t.some.key` from the `Strings` type, and each translation is typed as `Strings` too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { ca } from './ca.ts'
import { en } from './en.ts'
import { es } from './es.ts'
import { fr } from './fr.ts'
import { it as italian } from './it.ts'
import { LANGUAGES, pickLanguage, type Catalogue } from './languages.ts'
import { marketLinkEn } from './market-link.en.ts'
import { marketEn } from './market.en.ts'
import { crossEn } from './cross.en.ts'
import { pushEn } from './push.en.ts'
import { plural } from './plural.ts'

const catalogues: Record<Exclude<(typeof LANGUAGES)[number], 'en'>, Catalogue> = { it: italian, fr, es, ca }

/** Every difference in shape between `reference` and `other`, as paths. */
function shapeDifferences(reference: unknown, other: unknown, path = ''): string[] {
  if (typeof reference === 'function') {
    if (typeof other !== 'function') return [`${path}: expected a function, got ${typeof other}`]
    return reference.length === other.length ? [] : [`${path}: expected ${reference.length} arguments, got ${other.length}`]
  }
  if (typeof reference === 'string') {
    if (typeof other !== 'string') return [`${path}: expected a string, got ${typeof other}`]
    return reference !== '' && other.trim() === '' ? [`${path}: empty`] : []
  }
  if (Array.isArray(reference)) {
    if (!Array.isArray(other) || other.length !== reference.length) return [`${path}: expected a list of ${reference.length}`]
    return reference.flatMap((item, index) => shapeDifferences(item, other[index], `${path}[${index}]`))
  }
  if (typeof reference === 'object' && reference !== null) {
    if (typeof other !== 'object' || other === null) return [`${path}: expected an object, got ${typeof other}`]
    const keys = new Set([...Object.keys(reference), ...Object.keys(other)])
    return [...keys].flatMap((key) => {
      if (!(key in other)) return [`${path}.${key}: missing`]
      if (!(key in reference)) return [`${path}.${key}: not in English`]
      return shapeDifferences((reference as Record<string, unknown>)[key], (other as Record<string, unknown>)[key], `${path}.${key}`)
    })
  }
  return []
}

/** Calls every function of a catalogue with sample figures and names; returns what it printed, by path. */
function sampleTexts(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'function') {
    return [0, 1, 2, 5, 21, 1_000_000].map((count) => {
      const args = Array.from({ length: value.length }, (_, index) => (index === 0 || path.endsWith('offlineCapUsed') ? count : 'X'))
      const out: unknown = (value as (...a: unknown[]) => unknown)(...args)
      return [`${path}(${count})`, Array.isArray(out) ? out.join('') : String(out)] as [string, string]
    })
  }
  if (typeof value === 'string') return [[path, value]]
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => sampleTexts(item, `${path}.${key}`))
  return []
}

describe('the catalogues', () => {
  for (const [code, catalogue] of Object.entries(catalogues)) {
    it(`${code} has every key of English, with the same shape`, () => {
      expect(shapeDifferences(en, catalogue.strings, code)).toEqual([])
      expect(shapeDifferences(marketEn, catalogue.market, `${code}.market`)).toEqual([])
      expect(shapeDifferences(marketLinkEn, catalogue.marketLink, `${code}.marketLink`)).toEqual([])
      expect(shapeDifferences(crossEn, catalogue.cross, `${code}.cross`)).toEqual([])
      expect(shapeDifferences(pushEn, catalogue.push, `${code}.push`)).toEqual([])
    })
    it(`${code}'s sentences print no undefined, NaN or [object Object]`, () => {
      const bad = [...sampleTexts(catalogue.strings), ...sampleTexts(catalogue.market), ...sampleTexts(catalogue.marketLink), ...sampleTexts(catalogue.cross), ...sampleTexts(catalogue.push)].filter(([, text]) => /undefined|NaN|\[object/.test(text))
      expect(bad).toEqual([])
    })
  }

  it('finds a language from the browser’s list, by its primary subtag, else English', () => {
    expect(pickLanguage(['it-IT', 'en'])).toBe('it')
    expect(pickLanguage(['de-DE', 'fr-CA'])).toBe('fr')
    expect(pickLanguage(['ES'])).toBe('es')
    expect(pickLanguage(['ca-ES', 'es'])).toBe('ca')
    expect(pickLanguage(['de', 'pt'])).toBe('en')
    expect(pickLanguage([])).toBe('en')
  })

  it('uses each language’s own plural rules', () => {
    const forms = { one: 'one', other: 'other' }
    expect(plural('fr', 0, forms)).toBe('one')
    expect(plural('en', 0, forms)).toBe('other')
    expect(plural('it', 1, forms)).toBe('one')
    expect(plural('es', 1_000_000, forms)).toBe('other')
    expect(catalogues.fr.strings.manage.entries(0)).toBe('0 entrée connue sur cet appareil.')
    expect(en.manage.entries(1)).toBe('1 entry known on this device.')
    expect(catalogues.it.strings.manage.entries(2)).toBe('2 voci note su questo dispositivo.')
    expect(catalogues.ca.strings.manage.entries(1)).toBe('1 entrada coneguda en aquest dispositiu.')
    expect(catalogues.ca.strings.manage.entries(0)).toBe('0 entrades conegudes en aquest dispositiu.')
  })
})

const WEB = new URL('..', import.meta.url).pathname
const WORDS_ATTRIBUTES = new Set(['aria-label', 'title', 'alt', 'placeholder', 'label', 'aria-description'])

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return tsxFiles(path)
    return name.endsWith('.tsx') && !name.endsWith('.test.tsx') ? [path] : []
  })
}

/** Words written into the markup instead of taken from the catalogue: file:line and the text. */
function wordsOutsideCatalogue(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const found: string[] = []
  const where = (node: ts.Node): string => `${relative(WEB, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && /\p{L}{2,}/u.test(node.text)) found.push(`${where(node)} ${node.text.trim()}`)
    if (ts.isJsxAttribute(node) && WORDS_ATTRIBUTES.has(node.name.getText()) && node.initializer && ts.isStringLiteral(node.initializer) && /\p{L}{2,}/u.test(node.initializer.text)) {
      found.push(`${where(node)} ${node.name.getText()}="${node.initializer.text}"`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('the screens', () => {
  it('write no words outside the catalogue', () => {
    const files = tsxFiles(WEB)
    expect(files.length).toBeGreaterThan(20)
    expect(files.flatMap(wordsOutsideCatalogue)).toEqual([])
  })
})
