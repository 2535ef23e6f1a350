/**
 * Draws the app icons (PNG 192/512, maskable 192/512, apple-touch 180) and the
 * SVG favicon into public/icons, with no image library: shapes are sampled
 * 4×4 per pixel for smooth edges and written as PNG through node:zlib.
 * Run: node web/tools/make-icons.mjs
 */
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'

const OUT = new URL('../../public/icons/', import.meta.url)
const GREEN = [15, 92, 77]
const GOLD = [233, 185, 73]
const DARK = [11, 48, 40]

/** The design in unit coordinates (0..1): a rounded green tile, a gold coin, an H on the coin. */
function colourAt(x, y, { maskable }) {
  const inTile = maskable || insideRoundedSquare(x, y, 0.04, 0.2)
  if (!inTile) return null
  const coinRadius = maskable ? 0.3 : 0.34
  const dx = x - 0.5, dy = y - 0.5
  const r = Math.hypot(dx, dy)
  if (r > coinRadius) return GREEN
  if (r > coinRadius * 0.86) return [200, 150, 50]
  const s = coinRadius / 0.34
  const bar = 0.055 * s, half = 0.15 * s
  const left = Math.abs(dx + 0.085 * s) < bar / 2 + 0.012 * s && Math.abs(dy) < half
  const right = Math.abs(dx - 0.085 * s) < bar / 2 + 0.012 * s && Math.abs(dy) < half
  const middle = Math.abs(dy) < bar / 2 && Math.abs(dx) < 0.085 * s
  return left || right || middle ? DARK : GOLD
}

function insideRoundedSquare(x, y, inset, radius) {
  const lo = inset + radius, hi = 1 - inset - radius
  const cx = Math.min(Math.max(x, lo), hi), cy = Math.min(Math.max(y, lo), hi)
  return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && Math.hypot(x - cx, y - cy) <= radius
}

function draw(size, options) {
  const samples = 4
  const rgba = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, options)
          if (!c) continue
          r += c[0]; g += c[1]; b += c[2]; a++
        }
      }
      const o = (py * size + px) * 4
      rgba[o] = a ? Math.round(r / a) : 0
      rgba[o + 1] = a ? Math.round(g / a) : 0
      rgba[o + 2] = a ? Math.round(b / a) : 0
      rgba[o + 3] = Math.round((a / (samples * samples)) * 255)
    }
  }
  return encodePng(size, size, rgba)
}

function encodePng(width, height, rgba) {
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes) {
  let c = 0xffffffff
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 255] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect x="4" y="4" width="92" height="92" rx="20" fill="#0f5c4d"/>
<circle cx="50" cy="50" r="34" fill="#c89632"/><circle cx="50" cy="50" r="29.2" fill="#e9b949"/>
<path d="M35.5 35h8.7v11h11.6V35h8.7v30h-8.7V52.8H44.2V65h-8.7z" fill="#0b3028"/>
</svg>
`

mkdirSync(OUT, { recursive: true })
writeFileSync(new URL('icon-192.png', OUT), draw(192, { maskable: false }))
writeFileSync(new URL('icon-512.png', OUT), draw(512, { maskable: false }))
writeFileSync(new URL('maskable-192.png', OUT), draw(192, { maskable: true }))
writeFileSync(new URL('maskable-512.png', OUT), draw(512, { maskable: true }))
writeFileSync(new URL('apple-touch-icon-180.png', OUT), draw(180, { maskable: true }))
writeFileSync(new URL('icon.svg', OUT), SVG)
console.log('icons written to public/icons')
