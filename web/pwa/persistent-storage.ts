/**
 * Asks the browser to keep the wallet's storage (navigator.storage.persist()).
 * In "best-effort" mode IndexedDB can be wiped silently when space runs low;
 * the app says so plainly when the request is refused.
 */
export type PersistOutcome = 'granted' | 'refused' | 'unsupported' | 'pending'

export async function askPersistentStorage(): Promise<PersistOutcome> {
  const storage = navigator.storage as StorageManager | undefined
  if (!storage?.persist || !storage.persisted) return 'unsupported'
  try {
    if (await storage.persisted()) return 'granted'
    return (await storage.persist()) ? 'granted' : 'refused'
  } catch {
    return 'refused'
  }
}
