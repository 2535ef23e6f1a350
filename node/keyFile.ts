/** Key files as `heroes keygen` writes them, read by the CLI and by the relay's command line. */
import { readFileSync, existsSync } from 'node:fs'
import { fromHex, isHex, publicKeyOf, type PublicKeyHex } from '../core/index.ts'
import { UsageError } from './errors.ts'

export interface KeyFile {
  readonly publicKey: PublicKeyHex
  readonly secretKey: Uint8Array
}

/** Reads a key file as `heroes keygen` writes it: {"publicKey": hex, "secretKey": hex}. */
export function readKeyFile(path: string): KeyFile {
  if (!existsSync(path)) throw new UsageError(`expected a key file at ${path}, got no such file`)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new UsageError(`expected a JSON key file at ${path} (from heroes keygen), got unreadable JSON`)
  }
  const record = parsed as Record<string, unknown>
  if (!record || typeof record !== 'object' || !isHex(record.secretKey, 32)) {
    throw new UsageError(`expected ${path} to hold "secretKey" as 64 hex characters, got ${record && typeof record === 'object' ? 'something else' : typeof parsed}`)
  }
  const secretKey = fromHex(record.secretKey, 32)!
  const publicKey = publicKeyOf(secretKey)
  if (record.publicKey !== undefined && record.publicKey !== publicKey) {
    throw new UsageError(`expected ${path}'s publicKey to match its secretKey (${publicKey}), got ${String(record.publicKey)}`)
  }
  return { publicKey, secretKey }
}
