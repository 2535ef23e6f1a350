/**
 * automerge-repo 2.5.6 starts some syncs without handling their promise
 * (`beginSync` waits up to 60 s for a document and then rejects with a
 * TimeoutError). In a browser that is a console line; in Node an unhandled
 * rejection ends the process, which would take a relay down (found by the
 * simulation, docs/simulation.md). This handler logs those known timeouts and
 * lets every other unhandled rejection end the process as before.
 */
const KNOWN_AUTOMERGE_TIMEOUT = /waiting for .* to be in one of states|TimeoutError/

export function tolerateAutomergeTimeouts(log: (line: string) => void = (line) => process.stderr.write(line + '\n')): void {
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)
    if (KNOWN_AUTOMERGE_TIMEOUT.test(text)) {
      log(`heroes: an automerge-repo sync gave up waiting (${text.slice(0, 160)}); carrying on`)
      return
    }
    throw reason
  })
}
