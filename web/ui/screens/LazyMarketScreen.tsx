/**
 * The marketplace screen, loaded on first visit: it and the search library
 * stay out of the app's first load (bench/app.ts counts that load).
 */
import { useEffect, useState } from 'preact/hooks'
import type { FunctionComponent } from 'preact'
import { useStrings } from '../wallet-context.ts'

type Screen = FunctionComponent<{ pool: string }>
let loaded: Screen | undefined

export function LazyMarketScreen({ pool }: { pool: string }) {
  const t = useStrings()
  const [Screen, setScreen] = useState<Screen | undefined>(() => loaded)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    if (Screen) return
    import('./MarketScreen.tsx').then((module) => {
      loaded = module.MarketScreen
      setScreen(() => module.MarketScreen)
    }, () => setFailed(true))
  }, [])
  if (failed) return <p class="notice error" role="alert">{t.fatal('the marketplace could not load')}</p>
  return Screen ? <Screen pool={pool} /> : <p aria-busy="true">{t.loading}</p>
}
