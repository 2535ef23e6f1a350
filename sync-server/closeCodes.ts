/**
 * WebSocket close codes the relay uses when it cuts a client off. The reason
 * text names the limit and its value, so a client (or its operator) knows
 * what to change. 1009 is ws's own, for frames over maxPayload.
 */
export const CLOSE_CODES = {
  frameTooLarge: 1009,
  malformedMessage: 4400,
  messagesPerSecond: 4429,
  documentsPerConnection: 4430,
  documentBytes: 4413,
  diskFull: 4507,
  connections: 4503,
  /** The client kept repeating one sync message after the relay reset that sync (core/sync/stormBreaker.ts). */
  syncStorm: 4508,
} as const

export type CloseReason = keyof typeof CLOSE_CODES

/** Close reasons must fit 123 bytes; ours are short ASCII sentences. */
export function closeReasonText(reason: CloseReason, detail: string): string {
  return `${reason}: ${detail}`.slice(0, 123)
}
