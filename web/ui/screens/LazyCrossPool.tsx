/**
 * The screens between pools (issue 19), loaded on first visit: they, their
 * words and the wallet's cross-pool module stay out of the app's first load
 * (bench/app.ts counts that load).
 */
import { useEffect, useState } from 'preact/hooks'
import type { CrossPayload } from '../../links/link-payloads.ts'
import { useStrings } from '../wallet-context.ts'

type Screens = typeof import('./CrossPoolScreens.tsx')
let loaded: Screens | undefined

function useScreens(): { screens: Screens | undefined; failed: boolean } {
  const [screens, setScreens] = useState<Screens | undefined>(() => loaded)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    if (screens) return
    import('./CrossPoolScreens.tsx').then((module) => {
      loaded = module
      setScreens(() => module)
    }, () => setFailed(true))
  }, [])
  return { screens, failed }
}

export function LazyAcrossScreen({ pool }: { pool: string }) {
  const t = useStrings()
  const { screens, failed } = useScreens()
  if (failed) return <p class="notice error" role="alert">{t.fatal('this screen could not load')}</p>
  return screens ? <screens.AcrossScreen pool={pool} /> : <p aria-busy="true">{t.loading}</p>
}

export function LazyCrossPayScreen({ payload }: { payload: CrossPayload }) {
  const t = useStrings()
  const { screens, failed } = useScreens()
  if (failed) return <p class="notice error" role="alert">{t.fatal('this screen could not load')}</p>
  return screens ? <screens.CrossPayScreen payload={payload} /> : <p aria-busy="true">{t.loading}</p>
}
