/**
 * Encodes and decodes Heroes links: `<origin>/#/<prefix>/<payload>` where the
 * payload is base64url(deflate-raw(JSON)). Short prefixes and compression keep
 * invite QR codes scannable (an invite carries two signed entries).
 *
 * Decoding never throws: a garbled link, a wrong kind or a missing field is a
 * value the screen turns into words, and the draft stays.
 */
import { fromBase64url, toBase64url } from '../lib/base64url.ts'
import type { LinkKind, LinkPayload } from './link-payloads.ts'

/** Longest payload accepted from a link or a QR code, in characters. */
export const LINK_PAYLOAD_CHARS_MAX = 6000
/** Largest inflated payload, in bytes: an invite with its chain and a little more. */
export const LINK_JSON_BYTES_MAX = 16_000
/** Most gatekeeper entries an invite link carries besides genesis and the invite itself. */
export const INVITE_CHAIN_ENTRIES_MAX = 8

const PREFIX_OF_KIND: Record<LinkKind, string> = { invite: 'i', pay: 'p', 'join-request': 'r', pool: 'o', receipt: 'e', request: 'q', cross: 'x' }
const KIND_OF_PREFIX = new Map<string, LinkKind>(Object.entries(PREFIX_OF_KIND).map(([kind, prefix]) => [prefix, kind as LinkKind]))

export type LinkProblem = 'not-a-heroes-link' | 'garbled' | 'too-long' | 'missing-fields'
/** A failure says which kind of link it was when its prefix still reads (`p/…` is a payment link), so the app can name it. */
export type LinkDecode = { ok: true; payload: LinkPayload } | { ok: false; problem: LinkProblem; kind?: LinkKind }

export async function encodeLink(payload: LinkPayload, origin: string): Promise<string> {
  const { kind, ...fields } = payload
  const json = new TextEncoder().encode(JSON.stringify(fields))
  const packed = await transform(json, new CompressionStream('deflate-raw'))
  return `${origin.replace(/\/$/, '')}/#/${PREFIX_OF_KIND[kind]}/${toBase64url(packed)}`
}

/** The route part of a link (`i/…`), for the app's own router. */
export function linkRoute(link: string): string | undefined {
  const at = link.indexOf('#/')
  return at === -1 ? undefined : link.slice(at + 2)
}

/**
 * Accepts a full link, a fragment (`#/p/…`) or a route (`p/…`), as people
 * paste whatever their messenger gave them (with spaces or line breaks).
 */
export async function decodeLink(text: string): Promise<LinkDecode> {
  const compact = text.replace(/\s+/g, '')
  const route = linkRoute(compact) ?? compact.replace(/^\//, '')
  const loose = /^([a-z])\/(.*)$/.exec(route)
  const kind = loose ? KIND_OF_PREFIX.get(loose[1]!) : undefined
  if (!loose || !kind) return { ok: false, problem: 'not-a-heroes-link' }
  const payloadText = loose[2]!
  // A known prefix with a broken rest (a character changed or cut by a messenger) is a damaged link of that kind.
  if (!/^[A-Za-z0-9_-]+$/.test(payloadText)) return { ok: false, problem: 'garbled', kind }
  if (payloadText.length > LINK_PAYLOAD_CHARS_MAX) return { ok: false, problem: 'too-long', kind }
  const packed = fromBase64url(payloadText)
  if (!packed) return { ok: false, problem: 'garbled', kind }
  let fields: unknown
  try {
    const json = await transform(packed, new DecompressionStream('deflate-raw'), LINK_JSON_BYTES_MAX)
    fields = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json))
  } catch {
    return { ok: false, problem: 'garbled', kind }
  }
  const payload = checkFields(kind, fields)
  return payload ? { ok: true, payload } : { ok: false, problem: 'missing-fields', kind }
}

const HEX64 = /^[0-9a-f]{64}$/

function checkFields(kind: LinkKind, fields: unknown): LinkPayload | undefined {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined
  const f = fields as Record<string, unknown>
  const text = (key: string): string | undefined => (typeof f[key] === 'string' ? (f[key] as string) : undefined)
  const optionalText = (key: string): string | undefined | null => (f[key] === undefined ? undefined : (text(key) ?? null))
  const pool = text('pool')
  if (!pool || !HEX64.test(pool)) return undefined
  switch (kind) {
    case 'invite': {
      const relay = text('relay'), genesis = text('genesis'), invite = text('invite'), secret = text('secret')
      const label = optionalText('label')
      const chain = f['chain']
      if (relay === undefined || !genesis || !invite || !secret || !HEX64.test(secret) || label === null) return undefined
      if (chain !== undefined && (!Array.isArray(chain) || chain.length > INVITE_CHAIN_ENTRIES_MAX || !chain.every((line) => typeof line === 'string'))) return undefined
      return { kind, pool, relay, genesis, invite, secret, ...(label ? { label } : {}), ...(chain ? { chain: chain as string[] } : {}) }
    }
    case 'pay': {
      const to = text('to'), memo = optionalText('memo'), name = optionalText('name')
      const amount = f['amount']
      if (!to || !HEX64.test(to) || memo === null || name === null) return undefined
      if (amount !== undefined && (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)) return undefined
      return { kind, pool, to, ...(amount !== undefined ? { amount } : {}), ...(memo ? { memo } : {}), ...(name ? { name } : {}) }
    }
    case 'join-request': {
      const member = text('member'), name = optionalText('name')
      if (!member || !HEX64.test(member) || name === null) return undefined
      return { kind, pool, member, ...(name ? { name } : {}) }
    }
    case 'pool': {
      const relay = text('relay'), genesis = text('genesis')
      if (relay === undefined || !genesis) return undefined
      return { kind, pool, relay, genesis }
    }
    case 'request': {
      const lines = f['lines'], name = optionalText('name')
      if (!Array.isArray(lines) || lines.length === 0 || lines.length > INVITE_CHAIN_ENTRIES_MAX + 1 || !lines.every((line) => typeof line === 'string') || name === null) return undefined
      return { kind, pool, lines: lines as string[], ...(name ? { name } : {}) }
    }
    case 'cross': {
      const relay = text('relay'), genesis = text('genesis'), to = text('to'), condition = text('condition'), name = optionalText('name')
      const amount = f['amount']
      if (relay === undefined || !genesis || !to || !HEX64.test(to) || !condition || !HEX64.test(condition) || name === null) return undefined
      if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return undefined
      return { kind, pool, relay, genesis, to, amount, condition, ...(name ? { name } : {}) }
    }
    case 'receipt': {
      const lines = f['lines']
      if (!Array.isArray(lines) || lines.length === 0 || lines.length > INVITE_CHAIN_ENTRIES_MAX + 1 || !lines.every((line) => typeof line === 'string')) return undefined
      return { kind, pool, lines: lines as string[] }
    }
  }
}

/** Runs bytes through a (de)compression stream, refusing output beyond a cap (a zip bomb in a QR code). */
async function transform(input: Uint8Array, stream: CompressionStream | DecompressionStream, outputBytesMax = Infinity): Promise<Uint8Array> {
  const writer = stream.writable.getWriter()
  void writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined)
  void writer.close().catch(() => undefined)
  const reader = stream.readable.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    length += value.length
    if (length > outputBytesMax) {
      await reader.cancel()
      throw new RangeError(`expected at most ${outputBytesMax} bytes, got more`)
    }
    chunks.push(value)
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}
