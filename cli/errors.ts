export { RuntimeError, UsageError } from '../node/errors.ts'

let commandName = ''

/** main() names the command it runs, so that notices say which one spoke. */
export function setCommandName(name: string): void {
  commandName = name
}

/** A one-line notice on stderr, `heroes CMD: MESSAGE`, for what the user should know but need not act on. */
export function notice(message: string): void {
  process.stderr.write(`heroes${commandName ? ` ${commandName}` : ''}: ${message}\n`)
}
