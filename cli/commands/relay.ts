/**
 * `heroes relay`: the relay's own command line (sync-server/command.ts), so that the
 * relay's entry point (sync-server/main.ts) runs the same flags without importing the CLI.
 */
export { buildHeaders, parseRelayFlags, run, runRelay, type RelayCommandOptions } from '../../sync-server/command.ts'
