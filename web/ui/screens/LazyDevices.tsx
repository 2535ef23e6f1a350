/**
 * The devices screens (Settings' device list, linking, recovery), loaded on
 * first use: they and their words in every language stay out of the app's
 * first load (bench/app.ts counts that load).
 *
 * They take the app's shared parts (fields, QR code, scanner, names, words)
 * from here, as `kit`, instead of importing them: the bundler moves a module
 * that the first load shares with a lazy chunk into a chunk of its own, and
 * each such split cost the first load about a kilobyte (measured 2026-12-07).
 */
import { useEffect, useState } from 'preact/hooks'
import type { FunctionComponent } from 'preact'
import { decodeLink } from '../../links/link-codec.ts'
import { language } from '../../strings/i18n.ts'
import { inserted } from '../../strings/phrase.ts'
import { CopyField } from '../components/CopyField.tsx'
import { Field } from '../components/Field.tsx'
import { Person } from '../components/Person.tsx'
import { QrImage } from '../components/QrImage.tsx'
import { QrScanner } from '../components/QrScanner.tsx'
import { Words } from '../components/Words.tsx'
import { timeOf, who } from '../format.ts'
import { hrefOf } from '../router.ts'
import { useStrings, useWallet } from '../wallet-context.ts'
import type { DevicesViewName } from './DevicesScreens.tsx'

export const kit = { CopyField, Field, Person, QrImage, QrScanner, Words, decodeLink, hrefOf, inserted, language, timeOf, useStrings, useWallet, who }
export type DevicesKit = typeof kit

type View = FunctionComponent<{ view: DevicesViewName; link?: string; kit: DevicesKit }>
let loaded: View | undefined

export function LazyDevices({ view, link }: { view: DevicesViewName; link?: string }) {
  const t = useStrings()
  const [Screen, setScreen] = useState<View | undefined>(() => loaded)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    if (Screen) return
    import('./DevicesScreens.tsx').then((module) => {
      loaded = module.DevicesView
      setScreen(() => module.DevicesView)
    }, () => setFailed(true))
  }, [])
  if (failed) return <p class="notice error" role="alert">{t.fatal('the devices screen could not load')}</p>
  return Screen ? <Screen view={view} kit={kit} {...(link !== undefined ? { link } : {})} /> : <p aria-busy="true">{t.loading}</p>
}
