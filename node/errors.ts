// The two kinds of error the CLI and the relay's command line report as one line.

/** An error the user caused (bad flag, missing file): printed as one line, exit code 2. */
export class UsageError extends Error {}

/** An error of the world (unreachable relay, unreadable file): printed as one line, exit code 1. */
export class RuntimeError extends Error {}
