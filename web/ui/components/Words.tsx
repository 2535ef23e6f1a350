import type { ComponentChildren, VNode } from 'preact'
import { isInserted, type Text } from '../../strings/phrase.ts'

/**
 * Someone else's text (a name, a memo, a pool's name or symbol, an amount
 * with its symbol) isolated from the sentence around it: bidirectional text
 * inside cannot reorder what is outside (strings/phrase.ts).
 */
export function iso(text: string): VNode {
  return <bdi>{text}</bdi>
}

/** A text kept for later (a refusal, a flash) on screen: each inserted part in a <bdi>. */
export function Words({ text }: { text: Text }) {
  return <>{render(text)}</>
}

function render(text: Text): ComponentChildren {
  if (typeof text === 'string') return text
  if (isInserted(text)) return <bdi>{text.inserted}</bdi>
  return text.map(render)
}
