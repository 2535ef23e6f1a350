/**
 * The relay as a program of its own: `node --import tsx sync-server/main.ts
 * [flags of heroes relay]`. Tests spawn this to kill it for real.
 */
import { run } from './command.ts'
import { tolerateAutomergeTimeouts } from './unhandled.ts'

tolerateAutomergeTimeouts()

process.exitCode = await run(process.argv.slice(2))
