/** Why a link did not open, in words: named by its kind when its prefix still reads (a damaged payment link, invitation…). */
import type { LinkDecode } from '../links/link-codec.ts'
import type { Strings } from '../strings/en.ts'

export function linkProblemText(t: Strings, failure: Extract<LinkDecode, { ok: false }>): string {
  if (failure.kind && (failure.problem === 'garbled' || failure.problem === 'missing-fields')) return t.links.damaged[failure.kind]
  return t.links.problems[failure.problem]
}
