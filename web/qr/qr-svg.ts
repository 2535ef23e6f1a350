/**
 * QR codes as SVG data URLs, through the `qrcode` library. The SVG is shown
 * with <img src="data:…">: an image cannot run script, and nothing is ever
 * parsed into the page as HTML.
 */
export async function qrDataUrl(text: string): Promise<string> {
  // Loaded on first use: most screens show no code, and the first paint should not wait for it.
  const { default: QRCode } = await import('qrcode')
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'L', margin: 2, color: { dark: '#0b1f1a', light: '#ffffff' } })
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}
