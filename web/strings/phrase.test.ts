import { describe, expect, it } from 'vitest'
import { en } from './en.ts'
import { inserted, phrase, plainText, sentences } from './phrase.ts'

const HEBREW = 'שלום 123'

describe('phrases with someone else’s text', () => {
  it('keep the inserted parts apart from the words, numbers becoming words', () => {
    expect(phrase<string>`a ${'x'} b ${2}`).toEqual(['a ', 'x', ' b ', '2'])
    expect(en.row.paidTo(inserted(HEBREW))).toEqual(['Paid to ', { inserted: HEBREW }])
    expect(en.manage.equivocationRow(inserted(HEBREW), 3)).toEqual([{ inserted: HEBREW }, ' signed two different entries at position ', '3', ':'])
  })

  it('isolate each inserted part when they must become one string', () => {
    expect(plainText(en.manage.freezeConfirm(inserted(HEBREW)))).toBe(`Freeze \u2068${HEBREW}\u2069? They will not be able to pay any more. This is signed and cannot be undone.`)
    expect(plainText(sentences([en.closeAccount.refused(inserted('why')), 'Done.']))).toBe('The pool refused to close your account: \u2068why\u2069 Done.')
    expect(plainText('plain words')).toBe('plain words')
  })
})
