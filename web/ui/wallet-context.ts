/** The wallet for every screen, and a hook that re-renders a screen whenever the wallet changes. */
import { createContext } from 'preact'
import { useContext, useEffect, useReducer } from 'preact/hooks'
import type { Wallet } from '../wallet/wallet.ts'
import type { Strings } from '../strings/en.ts'
import { catalogue } from '../strings/i18n.ts'

export const WalletContext = createContext<Wallet | null>(null)

export function useWallet(): Wallet {
  const wallet = useContext(WalletContext)
  if (!wallet) throw new Error('expected a WalletContext provider above this screen, got none')
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  useEffect(() => wallet.subscribe(() => rerender(undefined)), [wallet])
  return wallet
}

/** The words of the page's language (strings/i18n.ts); the App re-renders every screen when it changes. */
export function useStrings(): Strings {
  return catalogue().strings
}
