import { useEffect, useState } from 'preact/hooks'
import { disableWebPush, enableWebPush, pushWords, webPushState, type WebPushProblem, type WebPushState } from '../../notify/web-push.ts'
import type { Catalogue } from '../../strings/languages.ts'
import type { Wallet } from '../../wallet/wallet.ts'

/**
 * The relay wakes the closed app (Web Push): off until the member turns it on, after reading what
 * it costs in privacy. Loaded by NotificationSettings where the browser has Web Push, and given the
 * wallet and the language as props, so that this chunk shares no module with the first load but
 * preact's (a shared one would be split into a chunk of its own, which costs first-load bytes).
 */
export function WebPushSettings({ wallet, language }: { wallet: Wallet; language: Catalogue }) {
  const words = pushWords(language)
  const [state, setState] = useState<WebPushState | 'working' | undefined>(undefined)
  const [problem, setProblem] = useState<WebPushProblem | undefined>(undefined)
  useEffect(() => {
    void webPushState().then(setState)
  }, [])
  if (state === undefined || state === 'unsupported') return null
  const turnOn = async (): Promise<void> => {
    setState('working')
    setProblem(undefined)
    const result = await enableWebPush(wallet.poolIds(), language)
    if (!result.ok) setProblem(result.problem)
    setState(await webPushState())
  }
  const turnOff = async (): Promise<void> => {
    setState('working')
    await disableWebPush()
    setState(await webPushState())
  }
  return (
    <section aria-labelledby="web-push-title" data-testid="web-push">
      <h3 id="web-push-title">{words.title}</h3>
      <p class="hint">{words.intro}</p>
      {state === 'on' ? (
        <>
          <p role="status" data-testid="web-push-state">{words.on}</p>
          <button type="button" class="secondary" onClick={() => void turnOff()}>{words.disable}</button>
        </>
      ) : (
        <>
          {state === 'off' && !problem && <p role="status" data-testid="web-push-state">{words.off}</p>}
          <button type="button" class="secondary" data-testid="web-push-enable" disabled={state === 'working'} onClick={() => void turnOn()}>
            {state === 'working' ? words.enabling : words.enable}
          </button>
        </>
      )}
      {problem && <p role="alert" class="notice warn" data-testid="web-push-problem">{words.problems[problem]}</p>}
    </section>
  )
}
