/**
 * A real PostgreSQL for tests and benchmarks: Debian's `postgresql` package
 * (.ci/run installs it), a cluster made with initdb in a temporary folder,
 * listening on a free loopback port, stopped by pid. As root (CI, this
 * machine) the server runs as the `postgres` user the package creates, since
 * PostgreSQL refuses to run as root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export interface TestPostgres {
  /** postgres://… of a fresh database (`database` in start) on it. */
  readonly url: string
  readonly port: number
  /** Makes another empty database and returns its URL. */
  createDatabase(name: string): Promise<string>
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>
}

/** The folder of initdb and postgres: $PG_BIN, pg_config's, Debian's newest, or PATH. */
export function postgresBinDir(): string | undefined {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'postgres'))) return process.env.PG_BIN
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' })
  if (config.status === 0 && existsSync(join(config.stdout.trim(), 'postgres'))) return config.stdout.trim()
  const debian = '/usr/lib/postgresql'
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a))
    if (versions[0]) return join(debian, versions[0], 'bin')
  }
  const which = spawnSync('sh', ['-c', 'command -v postgres'], { encoding: 'utf8' })
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..')
  return undefined
}

export const POSTGRES_MISSING = 'expected PostgreSQL (initdb and postgres) for the --storage postgres:// tests, got none: '
  + 'apt-get install -y postgresql (Debian; .ci/run does it), or set PG_BIN to the folder holding initdb and postgres'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts a fresh cluster; throws POSTGRES_MISSING when none is installed.
 * Tests run it without fsync (a test's data need not survive the machine);
 * benchmarks ask for `fsync: true`, as an operator would run it.
 */
export async function startPostgres(database = 'heroes', options: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir()
  if (!bin) throw new Error(POSTGRES_MISSING)
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'heroes-pg-'))
  const dataDir = join(dir, 'data')
  let owner: { uid: number; gid: number } | undefined
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
    if (id.status !== 0) throw new Error(`expected a postgres user to run PostgreSQL as (root may not), got none: ${POSTGRES_MISSING}`)
    owner = { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) }
    chmodSync(dir, 0o755)
    chownSync(dir, owner.uid, owner.gid)
  }
  const run = (command: string, args: string[]): ReturnType<typeof spawnSync> =>
    spawnSync(join(bin, command), args, { encoding: 'utf8', ...(owner ? { uid: owner.uid, gid: owner.gid } : {}), env: { ...process.env, LC_ALL: 'C' } })
  const init = run('initdb', ['-D', dataDir, '-U', 'heroes', '--auth=trust', '--no-sync', '-E', 'UTF8'])
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`expected initdb to make a cluster, got exit ${init.status}: ${String(init.stderr).slice(0, 500)}`)
  }
  const port = await freePort()
  const server: ChildProcess = spawn(join(bin, 'postgres'), [
    '-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', `fsync=${options.fsync ? 'on' : 'off'}`, '-c', 'max_connections=60',
  ], { stdio: ['ignore', 'ignore', 'pipe'], ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) })
  let log = ''
  server.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000)
  })
  const base = `postgres://heroes@127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    const client = new pg.Client({ connectionString: `${base}/postgres` })
    try {
      await client.connect()
      await client.query(`CREATE DATABASE ${database}`)
      await client.end()
      break
    } catch (error) {
      await client.end().catch(() => {})
      if (server.exitCode !== null || Date.now() > deadline) {
        server.kill('SIGKILL')
        rmSync(dir, { recursive: true, force: true })
        throw new Error(`expected PostgreSQL to accept connections on port ${port}, got ${(error as Error).message}; its log: ${log}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    url: `${base}/${database}`,
    port,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: `${base}/postgres` })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      return `${base}/${name}`
    },
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve))
        server.kill('SIGINT') // fast shutdown: disconnects clients
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
        if (server.exitCode === null) server.kill('SIGKILL')
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
