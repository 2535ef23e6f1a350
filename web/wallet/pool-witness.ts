/**
 * A new pool's witness. By default the relay the pool is created through
 * witnesses it: the app asks the relay's `GET /witness` for its public key and
 * names it in the genesis policy, with core's default offline limits. The
 * answer is only ever a key (64 lower-case hex characters, checked strictly):
 * a witness orders and dates entries but can neither forge nor move money, and
 * the creator can replace it later with a `policy` entry.
 *
 * When the relay cannot be reached (creating a pool offline), does not
 * witness, or answers anything else, the pool is created without a witness
 * and the screen says its payments stay unconfirmed until one is added. A key
 * pasted by the creator (the advanced field) takes the relay's place.
 */
import { OFFLINE_ALLOWANCE_SECONDS_DEFAULT, OFFLINE_AMOUNT_MAX_DEFAULT, OFFLINE_COUNT_MAX_DEFAULT, type Policy, type PublicKeyHex } from '../../core/index.ts'
import { relayHttpUrl } from '../sync/default-relay.ts'
import type { Outcome } from './wallet.ts'

/** How long the relay has to say which key it witnesses with: pool creation must not hang on a dead network. */
export const WITNESS_ANSWER_TIMEOUT_MS = 3000
/** Characters of the answer read at most ({"publicKey":"…"} is about 80). */
export const WITNESS_ANSWER_CHARS_MAX = 1024

const KEY = /^[0-9a-f]{64}$/

export type WitnessProbe =
  | { readonly ok: true; readonly key: PublicKeyHex }
  | { readonly ok: false; readonly problem: WitnessProbeProblem }

/** no-relay: no relay address; unreachable: network error or timeout; no-witness: the relay does not witness; invalid-answer: anything but a key. */
export type WitnessProbeProblem = 'no-relay' | 'unreachable' | 'no-witness' | 'invalid-answer'

export interface ProbeOptions {
  /** Injected by unit tests only; the app uses the browser's fetch. */
  readonly fetch?: typeof fetch
  readonly timeoutMs?: number
}

/** Asks the relay at `relayUrl` (its WebSocket address) which key it witnesses with. Never throws. */
export async function probeRelayWitness(relayUrl: string, options: ProbeOptions = {}): Promise<WitnessProbe> {
  const answer = await askRelay(relayUrl, '/witness', options)
  if (!answer.ok) return answer
  const key = witnessKeyOfAnswer(answer.text)
  return key === undefined ? { ok: false, problem: 'invalid-answer' } : { ok: true, key }
}

export type CoordinatorProbe =
  | { readonly ok: true; readonly coordinator: PublicKeyHex; readonly witness: PublicKeyHex }
  | { readonly ok: false; readonly problem: WitnessProbeProblem }

/**
 * Asks the relay which key collects standing orders for it (`GET /coordinator`,
 * sync-server/coordinator.ts) and which witness key it goes with: an order
 * names the coordinator only in a pool that relay witnesses. Never throws.
 */
export async function probeRelayCoordinator(relayUrl: string, options: ProbeOptions = {}): Promise<CoordinatorProbe> {
  const answer = await askRelay(relayUrl, '/coordinator', options)
  if (!answer.ok) return answer
  const coordinator = witnessKeyOfAnswer(answer.text)
  const witness = coordinator && keyField(answer.text, 'witness')
  return coordinator && witness ? { ok: true, coordinator, witness } : { ok: false, problem: 'invalid-answer' }
}

/** A small JSON answer from the relay's origin, or why there is none (404: the relay does not witness). */
async function askRelay(relayUrl: string, path: string, options: ProbeOptions): Promise<{ ok: true; text: string } | { ok: false; problem: WitnessProbeProblem }> {
  const url = relayHttpUrl(relayUrl, path)
  if (url === undefined) return { ok: false, problem: 'no-relay' }
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? WITNESS_ANSWER_TIMEOUT_MS)
  try {
    let response: Response
    try {
      response = await fetchFn(url, { signal: controller.signal, credentials: 'omit', cache: 'no-store', redirect: 'error', headers: { accept: 'application/json' } })
    } catch {
      return { ok: false, problem: 'unreachable' }
    }
    if (response.status === 404) return { ok: false, problem: 'no-witness' }
    if (!response.ok) return { ok: false, problem: 'unreachable' }
    try {
      return { ok: true, text: await response.text() }
    } catch {
      return { ok: false, problem: 'unreachable' }
    }
  } finally {
    clearTimeout(timer)
  }
}

/** A 64-hex key field of a small JSON object, or undefined. */
function keyField(text: string, field: string): PublicKeyHex | undefined {
  if (text.length > WITNESS_ANSWER_CHARS_MAX) return undefined
  try {
    const value = (JSON.parse(text) as Record<string, unknown>)[field]
    return typeof value === 'string' && KEY.test(value) ? (value as PublicKeyHex) : undefined
  } catch {
    return undefined
  }
}

/** The key in a `/witness` answer: a JSON object whose `publicKey` is 64 lower-case hex characters; nothing else passes. */
export function witnessKeyOfAnswer(text: string): PublicKeyHex | undefined {
  if (text.length > WITNESS_ANSWER_CHARS_MAX) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const key = (value as { publicKey?: unknown }).publicKey
  return typeof key === 'string' && KEY.test(key) ? (key as PublicKeyHex) : undefined
}

/** A key the creator pasted: spaces around it and capitals forgiven, otherwise 64 hex characters or nothing. */
export function parseWitnessKey(text: string): PublicKeyHex | undefined {
  const key = text.trim().toLowerCase()
  return KEY.test(key) ? (key as PublicKeyHex) : undefined
}

/** The policy naming `key` as the pool's (primary) witness, with core's default offline limits. */
export function policyWithWitness(policy: Policy, key: PublicKeyHex): Policy {
  return {
    ...policy,
    witnesses: [key],
    offlineCountMax: OFFLINE_COUNT_MAX_DEFAULT,
    offlineAmountMax: OFFLINE_AMOUNT_MAX_DEFAULT,
    offlineAllowanceSeconds: OFFLINE_ALLOWANCE_SECONDS_DEFAULT,
  }
}

/** Which witness a new pool gets, and why none when none. */
export type WitnessChoice =
  | { readonly kind: 'relay'; readonly key: PublicKeyHex }
  | { readonly kind: 'pasted'; readonly key: PublicKeyHex }
  | { readonly kind: 'none'; readonly problem: WitnessProbeProblem }

/**
 * Decides the witness of a pool about to be created: a pasted key when given
 * (the caller has validated it with parseWitnessKey), else the relay's if it
 * answered (`probe`, or a fresh probe when none is given or the earlier one
 * failed: the network may be back), else none.
 */
export async function chooseWitness(relayUrl: string, pasted: PublicKeyHex | undefined, probe: WitnessProbe | undefined, options: ProbeOptions = {}): Promise<WitnessChoice> {
  if (pasted !== undefined) return { kind: 'pasted', key: pasted }
  const answer = probe?.ok ? probe : await probeRelayWitness(relayUrl, options)
  return answer.ok ? { kind: 'relay', key: answer.key } : { kind: 'none', problem: answer.problem }
}

/** The policy to sign for a witness choice. */
export function policyFor(policy: Policy, choice: WitnessChoice): Policy {
  return choice.kind === 'none' ? policy : policyWithWitness(policy, choice.key)
}

/** What creating a pool needs of the wallet (the Wallet itself in the app). */
export interface PoolCreator {
  readonly relayUrl: string
  createPool(policy: Policy): Promise<Outcome<string>>
}

/**
 * The create-pool flow behind the screen: choose the witness (the relay's by
 * default), sign the genesis with it in the policy, and say which was chosen
 * so the screen can tell a creator whose pool has none.
 */
export async function createPoolWithWitness(
  wallet: PoolCreator,
  policy: Policy,
  options: ProbeOptions & { readonly pasted?: PublicKeyHex; readonly probe?: WitnessProbe } = {},
): Promise<Outcome<{ pool: string; witness: WitnessChoice }>> {
  const witness = await chooseWitness(wallet.relayUrl, options.pasted, options.probe, options)
  const created = await wallet.createPool(policyFor(policy, witness))
  return created.ok ? { ok: true, value: { pool: created.value, witness } } : created
}
