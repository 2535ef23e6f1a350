/**
 * A profile picture small enough to sign: the chosen image drawn centred and cropped into a square
 * of PICTURE_SIDE_PX, encoded as WebP (else JPEG, which every canvas writes), at lower qualities and
 * then smaller sides until the data URL fits core's PROFILE_PICTURE_CHARS_MAX. Only the raster data
 * URL goes into the entry (core refuses SVG and other schemes); the original file never leaves the page.
 */
import { PROFILE_PICTURE_CHARS_MAX } from '../../core/index.ts'

const PICTURE_SIDE_PX = 64
const QUALITIES = [0.8, 0.6, 0.45, 0.3]
const SIDES = [PICTURE_SIDE_PX, 48, 32]

export type PictureOutcome = { ok: true; dataUrl: string } | { ok: false; problem: 'not-an-image' | 'too-detailed' }

export async function profilePicture(file: Blob): Promise<PictureOutcome> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return { ok: false, problem: 'not-an-image' }
  }
  try {
    const crop = Math.min(bitmap.width, bitmap.height)
    for (const side of SIDES) {
      const canvas = document.createElement('canvas')
      canvas.width = side
      canvas.height = side
      const context = canvas.getContext('2d')
      if (!context) return { ok: false, problem: 'not-an-image' }
      context.drawImage(bitmap, (bitmap.width - crop) / 2, (bitmap.height - crop) / 2, crop, crop, 0, 0, side, side)
      for (const type of ['image/webp', 'image/jpeg']) {
        for (const quality of QUALITIES) {
          const dataUrl = canvas.toDataURL(type, quality)
          // A browser that cannot write WebP answers with PNG: only what was asked for is taken.
          if (dataUrl.startsWith(`data:${type};base64,`) && dataUrl.length <= PROFILE_PICTURE_CHARS_MAX) return { ok: true, dataUrl }
        }
      }
    }
    return { ok: false, problem: 'too-detailed' }
  } finally {
    bitmap.close()
  }
}
