/**
 * A one-time message left by the screen that navigated here ("Paid 12.50 HRS
 * to Bob.", "Restored."), shown once by whichever screen comes next. Kept as
 * a Text, so the names in it are still isolated when shown (<Words>).
 */
import { useState } from 'preact/hooks'
import type { Text } from '../strings/phrase.ts'

const FLASH_KEY = 'heroes-flash'

export function leaveFlash(text: Text): void {
  sessionStorage.setItem(FLASH_KEY, JSON.stringify(text))
}

export function useFlash(): Text {
  const [flash] = useState<Text>(() => {
    const stored = sessionStorage.getItem(FLASH_KEY) ?? ''
    sessionStorage.removeItem(FLASH_KEY)
    return parseText(stored)
  })
  return flash
}

/** What leaveFlash wrote, or nothing: session storage is this page's, but never trusted to have a shape. */
function parseText(stored: string): Text {
  if (stored === '') return ''
  try {
    const value: unknown = JSON.parse(stored)
    return isText(value) ? value : ''
  } catch {
    return ''
  }
}

function isText(value: unknown, depth = 0): value is Text {
  if (typeof value === 'string') return true
  if (depth > 8 || typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return value.every((part) => isText(part, depth + 1))
  return typeof (value as { inserted?: unknown }).inserted === 'string'
}
