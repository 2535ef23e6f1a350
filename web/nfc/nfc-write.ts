/**
 * Tap to pay: a payment or request link written to an NFC tag or card (Web NFC, Chrome on Android),
 * as Komunitin and Fedow do with cards. The tag holds one URL record, so a phone that taps it opens
 * the link like any other (the app, or the browser, then does the rest). Nothing else is written:
 * a request link carries only the signed request, a payment address only a key and a name.
 *
 * Where Web NFC does not exist (desktop, iOS, Firefox) `nfcAvailable()` is false and the screens show
 * no button at all, rather than one that fails.
 */

/** Web NFC's writer, as far as this app uses it (not in TypeScript's DOM library yet). */
interface NdefWriter {
  write(message: { records: Array<{ recordType: 'url'; data: string }> }, options?: { overwrite?: boolean; signal?: AbortSignal }): Promise<void>
}
type NdefWriterConstructor = new () => NdefWriter

function writerClass(): NdefWriterConstructor | undefined {
  return (globalThis as { NDEFReader?: NdefWriterConstructor }).NDEFReader
}

export function nfcAvailable(): boolean {
  return typeof writerClass() === 'function'
}

export type NfcOutcome = { ok: true } | { ok: false; problem: 'unavailable' | 'denied' | 'failed' | 'timeout' }

/** How long to wait for a tag to be held to the phone. */
const NFC_WRITE_MS_MAX = 30_000

/** Writes `link` as the tag's only record; resolves once written, or with why not. */
export async function writeLinkToTag(link: string): Promise<NfcOutcome> {
  const Writer = writerClass()
  if (!Writer) return { ok: false, problem: 'unavailable' }
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), NFC_WRITE_MS_MAX)
  try {
    await new Writer().write({ records: [{ recordType: 'url', data: link }] }, { overwrite: true, signal: controller.signal })
    return { ok: true }
  } catch (error) {
    const name = error instanceof Error ? error.name : ''
    return { ok: false, problem: name === 'NotAllowedError' ? 'denied' : name === 'AbortError' ? 'timeout' : 'failed' }
  } finally {
    clearTimeout(timer)
  }
}
