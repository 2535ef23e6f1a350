import { describe, expect, it } from 'vitest'
import { defaultRelayUrl, normalizeRelayUrl, relayHttpUrl } from './default-relay.ts'

describe('relay addresses', () => {
  it('defaults to the origin at /sync, over wss on https', () => {
    expect(defaultRelayUrl({ protocol: 'https:', host: 'heroes.example' })).toBe('wss://heroes.example/sync')
    expect(defaultRelayUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/sync')
  })
  it('accepts what people paste and refuses the rest', () => {
    expect(normalizeRelayUrl('https://relay.example')).toBe('wss://relay.example/sync')
    expect(normalizeRelayUrl(' ws://10.0.0.2:9000/sync ')).toBe('ws://10.0.0.2:9000/sync')
    expect(normalizeRelayUrl('wss://relay.example/custom#x')).toBe('wss://relay.example/custom')
    expect(normalizeRelayUrl('ftp://relay.example')).toBeUndefined()
    expect(normalizeRelayUrl('relay.example')).toBeUndefined()
  })
  it('finds the HTTP origin of the relay for /witness', () => {
    expect(relayHttpUrl('ws://127.0.0.1:8080/sync', '/witness')).toBe('http://127.0.0.1:8080/witness')
    expect(relayHttpUrl('wss://relay.example/custom?x=1', '/witness')).toBe('https://relay.example/witness')
    expect(relayHttpUrl('', '/witness')).toBeUndefined()
    expect(relayHttpUrl('ftp://relay.example', '/witness')).toBeUndefined()
  })
})
