/**
 * Screens that the home screen and Pay do not need, loaded on first visit so
 * that they stay out of the app's first load (bench/app.ts counts that load;
 * it had grown past its 120 kB gzip budget on 2026-12-07): the gatekeeper's
 * console (invites, join requests, demurrage, charts), an opened link (invite,
 * pool, payment), creating a pool, and the backup. Each is its own chunk,
 * precached by the service worker like the others, so they open offline.
 */
import { useEffect, useState } from 'preact/hooks'
import type { ComponentType, FunctionComponent } from 'preact'
import { useStrings } from '../wallet-context.ts'

/** A component that shows `t.loading` until `load` resolves, then the loaded screen (kept for the next visit). */
function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>, what: string): FunctionComponent<P> {
  let loaded: ComponentType<P> | undefined
  return function LazyScreen(props: P) {
    const t = useStrings()
    const [Screen, setScreen] = useState<ComponentType<P> | undefined>(() => loaded)
    const [failed, setFailed] = useState(false)
    useEffect(() => {
      if (Screen) return
      load().then((component) => {
        loaded = component
        setScreen(() => component)
      }, () => setFailed(true))
    }, [])
    if (failed) return <p class="notice error" role="alert">{t.fatal(`${what} could not load`)}</p>
    return Screen ? <Screen {...props} /> : <p aria-busy="true">{t.loading}</p>
  }
}

export const LazyManageScreen = lazyScreen<{ pool: string }>(() => import('./ManageScreen.tsx').then((m) => m.ManageScreen), 'the pool’s console')
export const LazyLinkScreen = lazyScreen<{ link: string }>(() => import('./LinkScreen.tsx').then((m) => m.LinkScreen), 'the link’s screen')
export const LazyCreatePoolScreen = lazyScreen<object>(() => import('./CreatePoolScreen.tsx').then((m) => m.CreatePoolScreen), 'the new pool’s screen')
export const LazyBackupScreen = lazyScreen<object>(() => import('./BackupScreen.tsx').then((m) => m.BackupScreen), 'the backup screen')
