/**
 * Sentences with someone else's text in them: a member's name, a memo, a
 * pool's name or symbol (so also an amount with its symbol), a label from a
 * link. Such text may run right to left; concatenated into a sentence, the
 * browser's bidirectional algorithm could reorder the words around it
 * ("Paid 5 HRS to <name>" read with the amount after the name). So a string
 * function of en.ts returns its parts apart, `Phrase<P>`, and the screen
 * passes each inserted part already isolated: a `<bdi>` element, or an
 * `Inserted` value that `<Words>` renders as one.
 *
 * Where only a string will do (an attribute, a confirm() dialog), `plainText`
 * joins a phrase of `Inserted` parts with Unicode's isolates (FSI … PDI),
 * the same isolation in plain text.
 */

/** A sentence's parts: the words of the language, and inserted parts of type P. */
export type Phrase<P> = Array<string | P>

/** What a screen keeps to show later (a refusal, a flash): words, inserted text, or phrases of them. */
export type Text = string | Inserted | readonly Text[]

/** Text from elsewhere, to show isolated. */
export interface Inserted {
  readonly inserted: string
}

export function inserted(text: string): Inserted {
  return { inserted: text }
}

export function isInserted(part: unknown): part is Inserted {
  return typeof part === 'object' && part !== null && typeof (part as Inserted).inserted === 'string'
}

/**
 * The tag for en.ts's sentences: phrase`Paid ${amount} to ${name}` keeps the
 * inserted parts apart. Numbers and strings are this app's own words (a
 * count, a kind of pool) and stay words.
 */
export function phrase<P>(words: TemplateStringsArray, ...parts: Array<P | number | string>): Phrase<P> {
  const out: Phrase<P> = []
  words.forEach((word, index) => {
    if (word !== '') out.push(word)
    if (index < parts.length) {
      const part = parts[index] as P | number | string
      out.push(typeof part === 'number' ? String(part) : part)
    }
  })
  return out
}

/** First strong isolate and pop directional isolate: a <bdi> in plain text. */
const FSI = '\u2068'
const PDI = '\u2069'

/** A text as one string, each inserted part between FSI and PDI. */
export function plainText(text: Text): string {
  if (typeof text === 'string') return text
  if (isInserted(text)) return `${FSI}${text.inserted}${PDI}`
  return text.map(plainText).join('')
}

/** Texts one after another, a space between each (sentences of one notice). */
export function sentences(texts: readonly Text[]): Text[] {
  return texts.flatMap((text, index) => (index === 0 ? [text] : [' ', text]))
}
