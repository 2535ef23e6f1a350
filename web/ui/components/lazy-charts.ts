/**
 * The charts load on first use (a pool screen with payments, the console), not with the app:
 * the first load stays under its 120 kB budget and the balance is on screen before them.
 */
import { useEffect, useState } from 'preact/hooks'

type ChartsModule = typeof import('./Charts.tsx')

let loaded: ChartsModule | undefined
let loading: Promise<ChartsModule> | undefined

/** The charts module once loaded (undefined until then, and while `wanted` is false: nothing is fetched). */
export function useCharts(wanted: boolean): ChartsModule | undefined {
  const [charts, setCharts] = useState<ChartsModule | undefined>(loaded)
  useEffect(() => {
    if (!wanted || charts) return
    let live = true
    loading ??= import('./Charts.tsx').then((module) => (loaded = module))
    void loading.then((module) => {
      if (live) setCharts(module)
    })
    return () => {
      live = false
    }
  }, [wanted, charts])
  return charts
}
