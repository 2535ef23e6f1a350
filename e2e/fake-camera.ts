/**
 * A camera for headless Chromium: a Y4M video file showing one QR code, for
 * `--use-file-for-fake-video-capture`. The code is drawn from `qrcode`'s
 * module matrix straight into the luma plane (black on white, quiet zone).
 */
import QRCode from 'qrcode'
import { writeFileSync } from 'node:fs'

export function writeQrVideo(path: string, text: string, width = 640, height = 480, frames = 5): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'L' })
  const size = qr.modules.size
  const quiet = 4
  const scale = Math.floor(Math.min(width, height) / (size + 2 * quiet))
  const left = Math.floor((width - scale * size) / 2)
  const top = Math.floor((height - scale * size) / 2)
  const luma = Buffer.alloc(width * height, 255)
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (!qr.modules.get(row, col)) continue
      for (let dy = 0; dy < scale; dy++) luma.fill(0, (top + row * scale + dy) * width + left + col * scale, (top + row * scale + dy) * width + left + (col + 1) * scale)
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma])
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`)
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]))
}
