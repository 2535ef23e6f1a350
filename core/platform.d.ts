/**
 * The two platform APIs core relies on, present in every browser and in
 * Node. Declared here instead of pulling in the DOM or Node typings, so that
 * any other platform API used in core fails to compile.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean })
  decode(input?: Uint8Array): string
}
