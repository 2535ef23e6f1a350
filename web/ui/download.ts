/**
 * Saves text as a file the browser downloads: a Blob behind an <a download>
 * made for the click and dropped after it (no innerHTML, no server round trip).
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = fileName
  anchor.rel = 'noopener'
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
  // The download has started from the click; the URL may go once the event loop turns.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
