/**
 * The encrypted backup file: the recovery phrase plus the wallet's pools,
 * contacts and known entries, sealed with a password.
 *
 * scrypt (N = 2^17, r = 8, p = 1: OWASP's recommendation) stretches the
 * password; XChaCha20-Poly1305 seals the content, with the header as
 * associated data so a changed parameter fails authentication instead of
 * silently weakening the file. Parameters travel in the file so a later
 * version can raise them and still read old files.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { randomBytes } from '@noble/hashes/utils.js'
import { fromBase64url, toBase64url } from '../lib/base64url.ts'
import type { WalletSnapshot } from './wallet-snapshot.ts'

export const BACKUP_FORMAT = 'heroes-wallet-backup'
export const BACKUP_VERSION = 1
/** Shortest password accepted for a backup file, in characters. */
export const BACKUP_PASSWORD_CHARS_MIN = 8
/** Largest backup file read, in bytes (a pool's whole log fits comfortably). */
export const BACKUP_FILE_BYTES_MAX = 64 * 1024 * 1024

export interface ScryptParams {
  readonly N: number
  readonly r: number
  readonly p: number
}
export const SCRYPT_DEFAULT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }
/** The cheapest cost a file may ask for; below it a stolen file is too easy to brute-force. */
const SCRYPT_N_MIN = 2 ** 14
/** The dearest cost a file may ask for: twice what the app writes, so that a file cannot make a phone allocate a gigabyte. */
const SCRYPT_N_MAX = 2 ** 18
/** scrypt needs 128 × r × (N + p) bytes; room for the dearest file allowed (r = 8, p = 1), plus noble's own bookkeeping. */
const SCRYPT_MEMORY_BYTES_MAX = 128 * 8 * (SCRYPT_N_MAX + 2) + 1024 * 1024

interface BackupHeader {
  readonly format: typeof BACKUP_FORMAT
  readonly version: typeof BACKUP_VERSION
  readonly kdf: { readonly name: 'scrypt'; readonly salt: string } & ScryptParams
  readonly cipher: 'xchacha20poly1305'
  readonly nonce: string
}

interface BackupFile extends BackupHeader {
  readonly ciphertext: string
}

export type BackupOpen =
  | { ok: true; snapshot: WalletSnapshot }
  | { ok: false; problem: 'not-a-backup' | 'unsupported-version' | 'wrong-password' | 'damaged' }

export async function sealBackup(snapshot: WalletSnapshot, password: string, params: ScryptParams = SCRYPT_DEFAULT): Promise<string> {
  if (password.length < BACKUP_PASSWORD_CHARS_MIN) throw new RangeError(`expected a password of at least ${BACKUP_PASSWORD_CHARS_MIN} characters, got ${password.length}`)
  const salt = randomBytes(16)
  const nonce = randomBytes(24)
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    kdf: { name: 'scrypt', salt: toBase64url(salt), ...params },
    cipher: 'xchacha20poly1305',
    nonce: toBase64url(nonce),
  }
  const key = await stretch(password, salt, params)
  const plaintext = new TextEncoder().encode(JSON.stringify(snapshot))
  const ciphertext = xchacha20poly1305(key, nonce, associatedData(header)).encrypt(plaintext)
  const file: BackupFile = { ...header, ciphertext: toBase64url(ciphertext) }
  return JSON.stringify(file, null, 1)
}

export async function openBackup(text: string, password: string): Promise<BackupOpen> {
  let file: unknown
  try {
    file = JSON.parse(text)
  } catch {
    return { ok: false, problem: 'not-a-backup' }
  }
  const header = readHeader(file)
  if (header === 'not-a-backup' || header === 'unsupported-version') return { ok: false, problem: header }
  const salt = fromBase64url(header.kdf.salt)
  const nonce = fromBase64url(header.nonce)
  const ciphertext = fromBase64url(header.ciphertext)
  if (!salt || !nonce || nonce.length !== 24 || !ciphertext) return { ok: false, problem: 'damaged' }
  const key = await stretch(password, salt, header.kdf)
  let plaintext: Uint8Array
  try {
    plaintext = xchacha20poly1305(key, nonce, associatedData(header)).decrypt(ciphertext)
  } catch {
    // Poly1305 cannot tell a wrong password from a changed byte; the password is by far the likelier.
    return { ok: false, problem: 'wrong-password' }
  }
  try {
    const snapshot = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as WalletSnapshot
    if (typeof snapshot !== 'object' || snapshot === null || typeof snapshot.phrase !== 'string' || !Array.isArray(snapshot.pools)) {
      return { ok: false, problem: 'damaged' }
    }
    return { ok: true, snapshot }
  } catch {
    return { ok: false, problem: 'damaged' }
  }
}

function readHeader(file: unknown): BackupFile | 'not-a-backup' | 'unsupported-version' {
  if (typeof file !== 'object' || file === null) return 'not-a-backup'
  const f = file as Record<string, unknown>
  if (f.format !== BACKUP_FORMAT) return 'not-a-backup'
  if (f.version !== BACKUP_VERSION || f.cipher !== 'xchacha20poly1305') return 'unsupported-version'
  const kdf = f.kdf as Record<string, unknown> | undefined
  if (typeof kdf !== 'object' || kdf === null || kdf.name !== 'scrypt') return 'unsupported-version'
  const { N, r, p, salt } = kdf
  const validN = typeof N === 'number' && Number.isInteger(Math.log2(N)) && N >= SCRYPT_N_MIN && N <= SCRYPT_N_MAX
  if (!validN || r !== 8 || p !== 1 || typeof salt !== 'string') return 'unsupported-version'
  if (typeof f.nonce !== 'string' || typeof f.ciphertext !== 'string') return 'not-a-backup'
  return file as BackupFile
}

function associatedData(header: BackupHeader): Uint8Array {
  const { format, version, kdf, cipher, nonce } = header
  return new TextEncoder().encode(JSON.stringify([format, version, kdf.name, kdf.salt, kdf.N, kdf.r, kdf.p, cipher, nonce]))
}

async function stretch(password: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  return scryptAsync(password.normalize('NFKC'), salt, { N: params.N, r: params.r, p: params.p, dkLen: 32, maxmem: SCRYPT_MEMORY_BYTES_MAX })
}
