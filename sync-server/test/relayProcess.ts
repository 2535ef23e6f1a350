/**
 * A relay in its own process (`node --import tsx sync-server/main.ts`), so a
 * test can kill it for real. Stopped by pid, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface RelayProcess {
  readonly child: ChildProcess
  readonly port: number
  readonly syncUrl: string
  readonly httpUrl: string
  /** Milliseconds from spawn to the "listening" line. */
  readonly startMs: number
  stderr(): string
  kill(signal: NodeJS.Signals): Promise<number | null>
}

export async function spawnRelay(args: string[]): Promise<RelayProcess> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  // Never outlive the test process, even when it dies before its cleanup runs.
  const reap = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  process.once('exit', reap)
  void exited.then(() => process.off('exit', reap))
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /relay listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)
      if (match) resolve(Number(match[1]))
    })
    void exited.then((code) => reject(new Error(`expected the relay to start, got exit ${code}: ${stderr.slice(-500)}`)))
  })
  return {
    child, port, startMs: performance.now() - started,
    syncUrl: `ws://127.0.0.1:${port}/sync`,
    httpUrl: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill(signal)
      return exited
    },
  }
}

/** A port free right now (for relays that must know each other's port before starting). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('expected a port'))))
    })
  })
}
