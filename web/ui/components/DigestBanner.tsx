import { useEffect, useReducer } from 'preact/hooks'
import type { MatchDigest } from '../../notify/match-digest.ts'
import { catalogue } from '../../strings/i18n.ts'
import { inserted } from '../../strings/phrase.ts'
import { poolName } from '../arrival-text.ts'
import { hrefOf } from '../router.ts'
import { useStrings, useWallet } from '../wallet-context.ts'
import { Words } from './Words.tsx'

/**
 * The marketplace's daily digest in the app ("3 new matches in Veg market"),
 * when no system notification told it. Only a count and the pool's name.
 * Gone when dismissed or when that pool's marketplace is open.
 */
export function DigestBanner({ digest, openMarket }: { digest: MatchDigest | undefined; openMarket: string | undefined }) {
  const t = useStrings()
  const wallet = useWallet()
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  useEffect(() => digest?.subscribe(() => rerender(undefined)), [digest])
  useEffect(() => {
    if (openMarket) digest?.dismiss(openMarket)
  }, [digest, openMarket])
  const due = digest?.shown().filter((d) => d.pool !== openMarket).at(-1)
  if (!digest || !due) return null
  const words = catalogue().marketLink
  return (
    <div class="notice ok arrival" role="status" data-testid="match-digest-banner">
      <p>
        <strong>{words.newMatches(due.count)}</strong> <span class="hint"><Words text={t.notify.inPool(inserted(poolName(wallet, due.pool)))} /></span>
      </p>
      <p class="row">
        <a class="button small" href={hrefOf({ name: 'market', pool: due.pool })} onClick={() => digest.dismiss(due.pool)}>{words.digestOpen}</a>
        <button type="button" class="small secondary" onClick={() => digest.dismiss(due.pool)}>{t.notify.dismiss}</button>
      </p>
    </div>
  )
}
