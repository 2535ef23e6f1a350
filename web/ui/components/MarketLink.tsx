/**
 * The pool screen's way into the marketplace, with the digest: how many
 * matches are new since the last visit (counted on this device; nothing about
 * listings ever goes into a notification payload). The marketplace module
 * loads after the pool screen has shown, never in the first load.
 */
import { useEffect, useState } from 'preact/hooks'
import { catalogue } from '../../strings/i18n.ts'
import { hrefOf } from '../router.ts'
import { useWallet } from '../wallet-context.ts'

export function MarketLink({ pool }: { pool: string }) {
  const wallet = useWallet()
  const [fresh, setFresh] = useState(0)
  const version = wallet.version
  useEffect(() => {
    let live = true
    void wallet.marketplace().then(async (market) => {
      const count = market.matches(pool, await market.favourites.seen(pool)).filter((m) => m.fresh).length
      if (live) setFresh(count)
    })
    return () => {
      live = false
    }
  }, [pool, version])
  return (
    <a class="button secondary" href={hrefOf({ name: 'market', pool })} data-testid="market-button">
      {catalogue().marketLink.link}{fresh > 0 && <> <span class="badge" data-testid="market-digest">{catalogue().marketLink.newMatches(fresh)}</span></>}
    </a>
  )
}
