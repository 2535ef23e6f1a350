/**
 * A form filled in by another screen (a listing's "Request"): handed over in
 * memory, taken once by the screen it is for. The pay screen needs none of
 * this: it opens its saved draft, which the listing writes.
 */
export interface RequestPrefill {
  readonly pool: string
  readonly amount: string
  readonly memo: string
  readonly from: string
}

let pending: RequestPrefill | undefined

export function prefillRequest(prefill: RequestPrefill): void {
  pending = prefill
}

/** The prefill for this pool's request screen, once. */
export function takeRequestPrefill(pool: string): RequestPrefill | undefined {
  const taken = pending?.pool === pool ? pending : undefined
  pending = undefined
  return taken
}
