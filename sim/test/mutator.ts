/**
 * A seeded mutator for text: the kinds of damage a bad QR scan, a careless
 * editor, a hostile peer or a broken encoder does to a line of JSON.
 */
import type { Prng } from '../prng.ts'

const INTERESTING = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '\r', '\t', '0', '-', '.', 'e', '1', '\u0000', '\u00e9', 'e\u0301', '\ud83d', '\ud83d\ude00', '\u2028', 'null', 'true', '-0', '1e3', '9007199254740993', '\\u0041', '\\ud800']

export function mutate(line: string, prng: Prng): string {
  let text = line
  const rounds = prng.int(1, 3)
  for (let r = 0; r < rounds; r++) text = mutateOnce(text, prng)
  return text
}

function mutateOnce(text: string, prng: Prng): string {
  const at = prng.int(0, Math.max(0, text.length - 1))
  switch (prng.int(0, 9)) {
    case 0: // flip one character to a neighbour
      return text.slice(0, at) + String.fromCharCode((text.charCodeAt(at) || 32) ^ (1 << prng.int(0, 6))) + text.slice(at + 1)
    case 1: // delete a span
      return text.slice(0, at) + text.slice(at + prng.int(1, 8))
    case 2: // insert something interesting
      return text.slice(0, at) + prng.pick(INTERESTING) + text.slice(at)
    case 3: // duplicate a span
      return text.slice(0, at) + text.slice(at, at + prng.int(1, 40)) + text.slice(at)
    case 4: // change one hex digit (ids, keys, signatures)
    {
      const hexAt = findHex(text, prng)
      if (hexAt < 0) return text
      const digit = '0123456789abcdef'[prng.int(0, 15)]!
      return text.slice(0, hexAt) + digit + text.slice(hexAt + 1)
    }
    case 5: // change one number
      return text.replace(/-?\d+/g, (match) => (prng.chance(0.2) ? String(Number(match) + prng.pick([1, -1, 0.5, 1e21])) : match))
    case 6: // truncate
      return text.slice(0, at)
    case 7: // upper-case hex
      return text.replace(/[a-f0-9]{64}/, (match) => match.toUpperCase())
    case 8: // whitespace where canonical JSON has none
      return text.replace(prng.pick([',', ':', '{']), (m) => `${m} `)
    default: // duplicate a key (the last key again)
      return text.replace(/,("[a-z]+":[^,{}]*)}$/, (_, pair) => `,${pair},${pair}}`)
  }
}

function findHex(text: string, prng: Prng): number {
  const positions: number[] = []
  const hex = /[0-9a-f]{64,128}/g
  for (let match = hex.exec(text); match; match = hex.exec(text)) positions.push(match.index + prng.int(0, match[0].length - 1))
  return positions.length === 0 ? -1 : prng.pick(positions)
}
