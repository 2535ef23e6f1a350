import { describe, expect, it } from 'vitest'
import { warnAboutStorageOnce } from './storage-notice.ts'

function memory(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>()
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) }
}

describe('the storage warning', () => {
  it('is shown on the first visit only, and again when the answer changes', () => {
    const storage = memory()
    expect(warnAboutStorageOnce('refused', storage)).toBe(true)
    expect(warnAboutStorageOnce('refused', storage)).toBe(false)
    expect(warnAboutStorageOnce('unsupported', storage)).toBe(true)
    expect(warnAboutStorageOnce('unsupported', storage)).toBe(false)
  })
  it('is never shown when the browser keeps the wallet or has not answered yet', () => {
    const storage = memory()
    expect(warnAboutStorageOnce('granted', storage)).toBe(false)
    expect(warnAboutStorageOnce('pending', storage)).toBe(false)
  })
  it('is shown when storage itself refuses to remember', () => {
    const broken = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError') } }
    expect(warnAboutStorageOnce('refused', broken)).toBe(true)
    expect(warnAboutStorageOnce('refused', broken)).toBe(true)
  })
})
