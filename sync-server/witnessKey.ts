/**
 * The relay's witness key: the key it signs checkpoints with, in a file shaped
 * like `heroes keygen` output ({"publicKey", "secretKey"}, hex). Without
 * `--witness-key FILE` the relay keeps one in its data directory, made on the
 * first start (mode 0600, written to a temporary file and linked into place,
 * so a crash never leaves half a key and two starts never overwrite each
 * other) and reused afterwards. The secret key never leaves this module but
 * as bytes for signing: nothing here logs it.
 */
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromHex, generateSecretKey, isHex, publicKeyOf, toHex, type PublicKeyHex } from '../core/index.ts'

/** Where the relay keeps its own witness key, inside its data directory. */
export const WITNESS_KEY_FILE_NAME = 'witness-key.json'

export interface WitnessKey {
  readonly publicKey: PublicKeyHex
  readonly secretKey: Uint8Array
  /** The file it came from. */
  readonly path: string
  /** True when this call made the file. */
  readonly created: boolean
  /** True when the file can be read by someone other than its owner (mode & 0o077). */
  readonly readableByOthers: boolean
}

/** Reads DATA_DIR/witness-key.json, or makes it when there is none. Throws an Error saying what is wrong with a bad file. */
export function loadOrCreateWitnessKey(dataDir: string): WitnessKey {
  const path = join(dataDir, WITNESS_KEY_FILE_NAME)
  try {
    return readWitnessKey(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  mkdirSync(dataDir, { recursive: true })
  const secretKey = generateSecretKey()
  const text = JSON.stringify({ publicKey: publicKeyOf(secretKey), secretKey: toHex(secretKey) }) + '\n'
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`
  writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' })
  try {
    chmodSync(temporary, 0o600)
    // link, not rename: it fails when another start made the file meanwhile, and then that key wins.
    linkSync(temporary, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return readWitnessKey(path)
  } finally {
    unlinkSync(temporary)
  }
  return { ...readWitnessKey(path), created: true }
}

/** Reads a key file as `heroes keygen` writes it. Errors carry `code` ENOENT when the file is missing. */
export function readWitnessKey(path: string): WitnessKey {
  const text = readFileSync(path, 'utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`expected a JSON key file at ${path} (as heroes keygen writes), got unreadable JSON`)
  }
  const record = parsed as Record<string, unknown> | null
  if (record === null || typeof record !== 'object' || !isHex(record.secretKey, 32)) {
    throw new Error(`expected ${path} to hold "secretKey" as 64 hex characters, got something else`)
  }
  const secretKey = fromHex(record.secretKey, 32)!
  const publicKey = publicKeyOf(secretKey)
  if (record.publicKey !== undefined && record.publicKey !== publicKey) {
    throw new Error(`expected ${path}'s publicKey to match its secretKey (${publicKey}), got ${String(record.publicKey)}`)
  }
  const mode = statSync(path).mode
  return { publicKey, secretKey, path, created: false, readableByOthers: (mode & 0o077) !== 0 }
}
