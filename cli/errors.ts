/** An error the user caused (bad flag, missing file): printed as one line, exit code 2. */
export class UsageError extends Error {}

/** An error of the world (unreachable relay, unreadable file): printed as one line, exit code 1. */
export class RuntimeError extends Error {}

let commandName = ''

/** main() names the command it runs, so that notices say which one spoke. */
export function setCommandName(name: string): void {
  commandName = name
}

/** A one-line notice on stderr, `heroes CMD: MESSAGE`, for what the user should know but need not act on. */
export function notice(message: string): void {
  process.stderr.write(`heroes${commandName ? ` ${commandName}` : ''}: ${message}\n`)
}
