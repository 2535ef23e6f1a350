/** heroes profile: a member signs how it shows itself in one pool (name, bio, initials, a small picture). */
import { readFileSync } from 'node:fs'
import type { ProfileEntry } from '../../core/index.ts'
import { parseFlags, required } from '../args.ts'
import { emit, loadAuthor } from '../author.ts'
import { UsageError } from '../errors.ts'

const MIME_BY_SUFFIX: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' }

export function profileCommand(argv: string[], now: number): number {
  const { values } = parseFlags(argv, {
    key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' },
    name: { type: 'string' }, bio: { type: 'string' }, initials: { type: 'string' }, picture: { type: 'string' },
  })
  const name = required(values.name, 'name').normalize('NFC').trim()
  let picture: string | undefined
  if (values.picture !== undefined) {
    const mime = MIME_BY_SUFFIX[values.picture.toLowerCase().split('.').pop() ?? '']
    if (!mime) throw new UsageError(`expected --picture FILE.png, .jpg or .webp, got ${JSON.stringify(values.picture)}`)
    picture = `data:${mime};base64,${readFileSync(values.picture).toString('base64')}`
  }
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  return emit<ProfileEntry>(context, 'profile', {
    name,
    ...(values.bio ? { bio: values.bio.normalize('NFC').trim() } : {}),
    ...(values.initials ? { initials: values.initials.normalize('NFC').trim() } : {}),
    ...(picture ? { picture } : {}),
  })
}
