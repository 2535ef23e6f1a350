/** Key files and log files. */
import { readFileSync, existsSync } from 'node:fs'
import { decodeEntry, type Entry } from '../core/index.ts'
import { UsageError } from './errors.ts'

export { readKeyFile, type KeyFile } from '../node/keyFile.ts'


export interface LogLine {
  readonly line: number
  readonly text: string
}

export interface ReadLog {
  readonly entries: Entry[]
  /** The line number (from 1) each of `entries` was read from. */
  readonly lines: number[]
  readonly malformed: { line: number; reason: 'malformed'; detail: string }[]
}

/** Reads a pool's log: one JSON entry a line; blank lines are skipped, anything else undecodable is reported. */
export function readLog(path: string): ReadLog {
  if (!existsSync(path)) throw new UsageError(`expected a log file at ${path}, got no such file`)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`expected a readable log file at ${path}, got ${(error as NodeJS.ErrnoException).code ?? 'an error'}`)
  }
  return parseLog(text)
}

export function parseLog(text: string): ReadLog {
  const entries: Entry[] = []
  const lineNumbers: number[] = []
  const malformed: ReadLog['malformed'] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!
    if (raw.trim() === '') continue
    const decoded = decodeEntry(raw)
    if (decoded.ok) {
      entries.push(decoded.entry)
      lineNumbers.push(i + 1)
    } else malformed.push({ line: i + 1, reason: 'malformed', detail: decoded.detail })
  }
  return { entries, lines: lineNumbers, malformed }
}
