/**
 * Issue 13, item 10: a bug in the CLI (an error that is neither a UsageError
 * nor a RuntimeError) prints one line, `heroes CMD: internal error: MESSAGE`,
 * and exits 1, never a stack trace.
 */
import { describe, expect, it, vi } from 'vitest'
import { UsageError, RuntimeError } from '../errors.ts'

const thrown: { error: unknown } = { error: undefined }
vi.mock('../commands/replay.ts', () => ({
  replayCommand: () => {
    throw thrown.error
  },
}))
const { main } = await import('../main.ts')

async function runCaptured(argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = ''
  let stdout = ''
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
  try {
    return { code: await main(argv), stderr, stdout }
  } finally {
    err.mockRestore()
    out.mockRestore()
  }
}

describe('heroes main', () => {
  it('reports an unexpected error in one line with exit 1', async () => {
    thrown.error = new RangeError('Invalid time value\n    at somewhere (file.ts:1:1)')
    expect(await runCaptured(['replay', 'pool.log'])).toEqual({ code: 1, stderr: 'heroes replay: internal error: Invalid time value\n', stdout: '' })
    thrown.error = 'not even an Error'
    expect(await runCaptured(['replay', 'pool.log'])).toEqual({ code: 1, stderr: 'heroes replay: internal error: not even an Error\n', stdout: '' })
  })

  it('keeps usage errors at exit 2 and runtime errors at exit 1', async () => {
    thrown.error = new UsageError('expected this, got that')
    expect(await runCaptured(['replay', 'pool.log'])).toEqual({ code: 2, stderr: 'heroes replay: expected this, got that\n', stdout: '' })
    thrown.error = new RuntimeError('cannot reach it')
    expect(await runCaptured(['replay', 'pool.log'])).toEqual({ code: 1, stderr: 'heroes replay: cannot reach it\n', stdout: '' })
  })
})
