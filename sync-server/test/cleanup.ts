/**
 * What a relay test starts and must stop: relay processes, clients, temporary
 * folders, cleaned up after the file's tests in that order (relays are
 * processes and must never outlive the test, whatever a client's shutdown does).
 */
import { afterAll } from 'vitest'
import { rmSync } from 'node:fs'
import type { TestClient } from './clients.ts'
import type { RelayProcess } from './relayProcess.ts'

export function cleanUpAfterAll(): { dirs: string[]; processes: RelayProcess[]; clients: TestClient[] } {
  const dirs: string[] = []
  const processes: RelayProcess[] = []
  const clients: TestClient[] = []
  afterAll(async () => {
    for (const relay of processes) await relay.kill('SIGKILL')
    await Promise.race([Promise.all(clients.map((client) => client.close())), new Promise((resolve) => setTimeout(resolve, 3000))])
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })
  return { dirs, processes, clients }
}
