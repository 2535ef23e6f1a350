/**
 * Reading QR codes from the camera: the browser's BarcodeDetector where it
 * exists, else the barcode-detector ponyfill (ZXing in wasm), loaded only
 * when a scan starts and served from this origin (no CDN: the CSP and
 * offline use both forbid it).
 */
export interface QrReader {
  detect(source: HTMLVideoElement): Promise<string[]>
}

interface NativeDetector {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>
}
interface NativeDetectorClass {
  new (options: { formats: string[] }): NativeDetector
  getSupportedFormats(): Promise<string[]>
}

export async function makeQrReader(): Promise<QrReader> {
  const native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector
  if (native && (await native.getSupportedFormats()).includes('qr_code')) {
    const detector = new native({ formats: ['qr_code'] })
    return { detect: async (video) => (await detector.detect(video)).map((code) => code.rawValue) }
  }
  const [{ BarcodeDetector, prepareZXingModule }, { default: wasmUrl }] = await Promise.all([
    import('barcode-detector/ponyfill'),
    import('zxing-wasm/reader/zxing_reader.wasm?url'),
  ])
  prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) } })
  const detector = new BarcodeDetector({ formats: ['qr_code'] })
  return { detect: async (video) => (await detector.detect(video)).map((code) => code.rawValue) }
}
