/**
 * One in-process relay for a whole test file, on a free port and a fresh data folder: started before
 * the file's tests, closed after them together with the clients the tests register, folder removed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startRelay, type Relay } from '../index.ts'

export interface FileRelay<C extends { close(): Promise<void> }> {
  /** The running relay (from the file's beforeAll on). */
  readonly relay: Relay
  /** Clients to close before the relay. */
  readonly toClose: C[]
}

export function inProcessRelay<C extends { close(): Promise<void> } = { close(): Promise<void> }>(folderPrefix: string): FileRelay<C> {
  let relay: Relay | undefined
  let dataDir = ''
  const toClose: C[] = []
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), folderPrefix))
    relay = await startRelay({ port: 0, dataDir })
  })
  afterAll(async () => {
    for (const client of toClose) await client.close()
    await relay?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    get relay(): Relay {
      if (!relay) throw new Error('expected the relay started by beforeAll, got none yet')
      return relay
    },
    toClose,
  }
}
