/** Runs the CLI in this process in `dir`, capturing what it writes: faster than a child process per command. */
import { vi } from 'vitest'
import { main } from '../main.ts'

export interface Run { code: number; out: string; err: string }

export async function runInProcess(dir: string, args: string[]): Promise<Run> {
  let out = ''
  let err = ''
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true))
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true))
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    return { code: await main(args), out, err }
  } finally {
    process.chdir(cwd)
    stdout.mockRestore()
    stderr.mockRestore()
  }
}
