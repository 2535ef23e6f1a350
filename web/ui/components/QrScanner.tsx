import { useEffect, useRef, useState } from 'preact/hooks'
import { makeQrReader } from '../../qr/barcode-reader.ts'
import { useStrings } from '../wallet-context.ts'

/** Camera view that calls `onText` with the first QR code it reads. */
export function QrScanner({ onText, onClose }: { onText: (text: string) => void; onClose: () => void }) {
  const t = useStrings()
  const video = useRef<HTMLVideoElement>(null)
  const [problem, setProblem] = useState('')
  useEffect(() => {
    let stream: MediaStream | undefined
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
      } catch {
        setProblem(t.qr.cameraDenied)
        return
      }
      if (stopped || !video.current) return
      video.current.srcObject = stream
      await video.current.play().catch(() => undefined)
      let reader
      try {
        reader = await makeQrReader()
      } catch {
        setProblem(t.qr.noDetector)
        return
      }
      const tick = async (): Promise<void> => {
        if (stopped || !video.current) return
        const found = await reader.detect(video.current).catch(() => [])
        if (found[0]) onText(found[0])
        else timer = setTimeout(() => void tick(), 250)
      }
      void tick()
    })()
    return () => {
      stopped = true
      clearTimeout(timer)
      stream?.getTracks().forEach((track) => track.stop())
    }
  }, [])
  return (
    <div class="scanner" role="dialog" aria-label={t.qr.scanTitle}>
      <p>{t.qr.scanHint}</p>
      <video ref={video} muted playsInline aria-hidden="true" />
      {problem && <p role="alert" class="error">{problem}</p>}
      <button type="button" class="secondary" onClick={onClose}>
        {t.qr.close}
      </button>
    </div>
  )
}
