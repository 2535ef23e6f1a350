/**
 * Text as search compares it. The signed text stays as its author wrote it;
 * search and matching compare a normalised copy: compatibility decomposition
 * (NFKD: "ﬁ" → "fi", "①" → "1", full-width → ASCII), combining marks dropped
 * ("é" → "e", also in other scripts: Greek tonos, Cyrillic breve, Arabic harakat),
 * then a case fold. Letters of every script are kept, never reduced to [a-z].
 */

/**
 * Marks that are accents on a letter, after decomposition: the combining diacritics blocks (Latin,
 * Greek tonos, Cyrillic breve…), Hebrew points, Arabic harakat, kana voicing marks. Not every
 * \p{M}: in Indic and other abugidas vowel signs and viramas are marks too, and dropping them would
 * turn one word into another.
 */
const MARKS = /[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a\ufe20-\ufe2f]+/gu

/**
 * A full case fold as far as JavaScript offers one: upper then lower, so that
 * "ß" and "ẞ" fold to "ss", and final "ς" to "σ" (lowering is context-sensitive
 * for sigma, so it is folded by hand); no locale: a Turkish phone folds "I" like
 * every other device.
 */
export function normalizeText(text: string): string {
  // Most listings are plain ASCII: nothing to decompose, no marks, and lowering is the whole fold.
  if (ASCII.test(text)) return text.toLowerCase()
  return text.normalize('NFKD').replace(MARKS, '').toUpperCase().toLowerCase().replace(/ς/g, 'σ').normalize('NFC')
}

const ASCII = /^[\x00-\x7f]*$/

/** Runs of letters, digits and their marks (Indic vowel signs) of any script, or one pictograph (an emoji is a word of its own). */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*|\p{Extended_Pictographic}/gu

/** The words of a text, normalised: "Légumes-Bio 🥕" → ["legumes", "bio", "🥕"]. */
export function tokenize(text: string): string[] {
  if (ASCII.test(text)) {
    // The same words as WORD finds, with a cheaper pattern (no Unicode classes): ASCII letters and digits.
    const words = text.toLowerCase().split(ASCII_SEPARATORS)
    if (words[0] === '') words.shift()
    if (words[words.length - 1] === '') words.pop()
    return words
  }
  return normalizeText(text).match(WORD) ?? []
}

const ASCII_SEPARATORS = /[^a-z0-9]+/
