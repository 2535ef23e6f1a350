import { useEffect, useState } from 'preact/hooks'
import { qrDataUrl } from '../../qr/qr-svg.ts'

/** A QR code of `text`, described for screen readers by `label`. */
export function QrImage({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    void qrDataUrl(text).then((url) => live && setSrc(url))
    return () => {
      live = false
    }
  }, [text])
  return <div class="qr">{src ? <img src={src} alt={label} width={260} height={260} /> : <div class="qr-placeholder" aria-hidden="true" />}</div>
}
