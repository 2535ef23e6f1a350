import { useStrings, useWallet } from '../wallet-context.ts'

/**
 * Why this device's key may not sign in the pool right now (a restored key
 * waiting for its own chain, or a head known to be stale or forked), said
 * before anyone fills a form. Renders nothing when it may sign.
 */
export function SigningBlocked({ pool }: { pool: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const blocked = wallet.signingBlocked(pool)
  if (!blocked) return null
  if (blocked.reason === 'needs-chain-head') {
    return (
      <p class="notice warn" role="note" data-testid="needs-chain-head">
        {t.pool.needsChainHead}
      </p>
    )
  }
  return (
    <p class="notice error" role="note" data-testid="signing-blocked">
      {t.wallet.problems[blocked.reason]}
    </p>
  )
}
