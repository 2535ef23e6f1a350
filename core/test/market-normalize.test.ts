/** The normaliser, as a table: accents, scripts, compatibility forms, case, emoji, and what it must not do. */
import { describe, expect, it } from 'vitest'
import { normalizeText, tokenize } from '../market/normalize.ts'

const TABLE: ReadonlyArray<readonly [string, string[], string]> = [
  ['Légumes Bio', ['legumes', 'bio'], 'French accents and case'],
  ['legumes-bio', ['legumes', 'bio'], 'a hyphen separates words'],
  ['LÉGUMES_BIO', ['legumes', 'bio'], 'upper case, underscore'],
  ['Crème brûlée', ['creme', 'brulee'], 'circumflex, grave'],
  ['Façade naïve', ['facade', 'naive'], 'cedilla, diaeresis'],
  ['Straße', ['strasse'], 'sharp s folds to ss'],
  ['STRASSE', ['strasse'], 'and the upper case matches it'],
  ['ﬁsh ﬂour', ['fish', 'flour'], 'ligatures decompose (NFKD)'],
  ['ＶＥＧＥＴＡＢＬＥＳ', ['vegetables'], 'full-width letters'],
  ['Ⅻ ① ²', ['xii', '1', '2'], 'compatibility numerals'],
  ['Ångström', ['angstrom'], 'ring above'],
  ['Łódź', ['łodz'], 'ł is a letter of its own, not a mark: kept'],
  ['Ørsted', ['ørsted'], 'ø likewise'],
  ['Овощи и фрукты', ['овощи', 'и', 'фрукты'], 'Cyrillic kept, lower-cased'],
  ['Йогурт', ['иогурт'], 'Cyrillic breve is a combining mark after NFKD'],
  ['Ελληνικά ΛΑΧΑΝΙΚΆ', ['ελληνικα', 'λαχανικα'], 'Greek: tonos dropped, case folded'],
  ['ΟΔΟΣ', ['οδοσ'], 'final sigma and sigma fold alike'],
  ['οδός', ['οδοσ'], '…from either side'],
  ['خُضْرَوات طازجة', ['خضروات', 'طازجة'], 'Arabic: harakat dropped, letters kept'],
  ['ירקות טריים', ['ירקות', 'טריים'], 'Hebrew kept'],
  ['有機野菜', ['有機野菜'], 'CJK kept as one run (no spaces in the script)'],
  ['ガーデン', ['カーテン'], 'Japanese dakuten are marks: dropped like accents'],
  ['सब्ज़ी', ['सब्ज़ी'.normalize('NFC')], 'Devanagari: vowel signs, virama and nukta are not accents, all kept'],
  ['ผักสด', ['ผักสด'], 'Thai vowel and tone marks kept'],
  ['Bike 🚲 repair', ['bike', '🚲', 'repair'], 'an emoji is a word of its own'],
  ['🥕🥕', ['🥕', '🥕'], 'each pictograph separately'],
  ['vegetalbes', ['vegetalbes'], 'a typo stays a typo: fuzzy search handles it, not the normaliser'],
  ['  tabs\tand\nlines ', ['tabs', 'and', 'lines'], 'whitespace of any kind separates'],
  ['100 kg', ['100', 'kg'], 'digits are words'],
  ['İstanbul', ['istanbul'], 'dotted capital I: no Turkish locale'],
  ['', [], 'empty'],
  ['!!! ...', [], 'punctuation only'],
]

describe('normalizeText and tokenize', () => {
  for (const [input, words, why] of TABLE) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(words)} (${why})`, () => {
      expect(tokenize(input)).toEqual(words)
    })
  }
  it('is idempotent and never changes the signed text', () => {
    for (const [input] of TABLE) {
      const once = normalizeText(input)
      expect(normalizeText(once)).toBe(once)
    }
    const raw = 'Légumes Bio'
    normalizeText(raw)
    expect(raw).toBe('Légumes Bio')
  })
  it('maps NFC and NFD spellings of a word to the same words', () => {
    expect(tokenize('Le\u0301gumes')).toEqual(tokenize('L\u00e9gumes'))
  })
})
