/**
 * Web Push's words in Settings and in the worker's notice (issue 15): kept apart from en.ts so
 * that they load with the Web Push settings (web/ui/components/WebPushSettings.tsx), where the
 * browser has Web Push, and never in the first load. The other languages carry theirs in their
 * catalogue (`Catalogue.push`), loaded with the language anyway.
 */
export const pushEn = {
  title: 'Wake the closed app (Web Push)',
  intro: 'Your relay can ask your browser’s push service (Google’s, Apple’s, Mozilla’s…) to wake Heroes when something arrives in one of your pools, even with the app closed. The message names the pool, nothing else: no amount, name or note. The relay learns that this browser follows these pools.',
  enable: 'Wake me through the relay',
  enabling: 'Turning it on…',
  on: 'Web Push is on for your pools on this phone.',
  disable: 'Turn Web Push off',
  off: 'Web Push is off.',
  problems: {
    denied: 'Web Push needs notifications, which this browser refuses for Heroes.',
    'no-relay': 'This relay does not offer Web Push.',
    'push-service': 'This browser could not reach its push service (no network, or a browser without one). Try again later.',
  },
  notice: 'Something new in your wallet. Open Heroes to see it.',
}
export type PushStrings = typeof pushEn
