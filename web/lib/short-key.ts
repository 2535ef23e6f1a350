/** A public key shown to people: short enough to compare aloud, long enough not to collide by chance in a pool. */
export function shortKey(publicKeyHex: string): string {
  return `${publicKeyHex.slice(0, 4)}·${publicKeyHex.slice(4, 8)}·${publicKeyHex.slice(-4)}`
}
