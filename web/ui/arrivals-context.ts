/** Arrivals (web/notify/arrivals.ts) for the screens that show them, and a hook that re-renders on their changes. */
import { createContext } from 'preact'
import { useContext, useEffect, useReducer } from 'preact/hooks'
import type { Arrivals } from '../notify/arrivals.ts'

export const ArrivalsContext = createContext<Arrivals | null>(null)

/** The arrivals, or null where none are provided (nothing is then marked or shown). */
export function useArrivals(): Arrivals | null {
  const arrivals = useContext(ArrivalsContext)
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  useEffect(() => arrivals?.subscribe(() => rerender(undefined)), [arrivals])
  return arrivals
}
