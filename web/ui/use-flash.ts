/**
 * A one-time message left by the screen that navigated here ("Paid 12.50 HRS
 * to Bob.", "Restored."), shown once by whichever screen comes next.
 */
import { useState } from 'preact/hooks'

const FLASH_KEY = 'heroes-flash'

export function leaveFlash(text: string): void {
  sessionStorage.setItem(FLASH_KEY, text)
}

export function useFlash(): string {
  const [flash] = useState(() => {
    const text = sessionStorage.getItem(FLASH_KEY) ?? ''
    sessionStorage.removeItem(FLASH_KEY)
    return text
  })
  return flash
}
