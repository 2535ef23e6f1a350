/**
 * The wallet's one secret: a BIP-39 recovery phrase (12 English words, 128
 * bits). Every pool key is derived from it, so writing the phrase down backs
 * up every key, including those of pools joined later.
 */
import { generateMnemonic, mnemonicToSeed, validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'

/** 128 bits of entropy: 12 words are easy to write down and plenty for a key nobody can guess. */
const PHRASE_ENTROPY_BITS = 128

export function newRecoveryPhrase(): string {
  return generateMnemonic(wordlist, PHRASE_ENTROPY_BITS)
}

/** Lower-cases, trims and collapses spaces, so a phrase typed on a phone still matches. */
export function normalizePhrase(text: string): string {
  return text.normalize('NFKD').toLowerCase().trim().split(/\s+/).join(' ')
}

export type PhraseCheck = { ok: true; phrase: string } | { ok: false; problem: 'word-count' | 'unknown-word' | 'checksum'; word?: string }

/** Says what is wrong with a typed phrase: too few words, a word not in the list, or a typo caught by the checksum. */
export function checkPhrase(text: string): PhraseCheck {
  const phrase = normalizePhrase(text)
  const words = phrase === '' ? [] : phrase.split(' ')
  if (![12, 15, 18, 21, 24].includes(words.length)) return { ok: false, problem: 'word-count' }
  const unknown = words.find((word) => !wordlist.includes(word))
  if (unknown !== undefined) return { ok: false, problem: 'unknown-word', word: unknown }
  if (!validateMnemonic(phrase, wordlist)) return { ok: false, problem: 'checksum' }
  return { ok: true, phrase }
}

/** BIP-39 seed (PBKDF2-HMAC-SHA512, 2,048 rounds, no passphrase): 64 bytes. */
export async function seedOfPhrase(phrase: string): Promise<Uint8Array> {
  return mnemonicToSeed(phrase)
}
