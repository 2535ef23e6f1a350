// A worker thread that verifies Ed25519 signatures with the same verdicts as the
// reference (OpenSSL behind core's pre-checks, noble where OpenSSL says no).
// Plain JavaScript so it starts without a TypeScript loader of its parent; it
// registers tsx itself to load the verifier's TypeScript source.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { verifyEd25519 } = await import('./native-verify.ts')

// A batch is one buffer of records [sig 64][pub 32][msgLength u32 LE][msg]; the answer is one byte per record.
parentPort.on('message', ({ id, buffer, count }) => {
  const bytes = new Uint8Array(buffer)
  const view = new DataView(buffer)
  const verdicts = new Uint8Array(count)
  let at = 0
  for (let i = 0; i < count; i++) {
    const sig = bytes.subarray(at, at + 64)
    const pub = bytes.subarray(at + 64, at + 96)
    const length = view.getUint32(at + 96, true)
    const msg = bytes.subarray(at + 100, at + 100 + length)
    at += 100 + length
    verdicts[i] = verifyEd25519(sig, msg, pub) ? 1 : 0
  }
  parentPort.postMessage({ id, verdicts }, [verdicts.buffer])
})
parentPort.postMessage({ ready: true })
