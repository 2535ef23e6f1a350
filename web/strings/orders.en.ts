/**
 * Money over time, in English: repeating and scheduled payments, and the
 * demurrage a pool may charge. Functions take figures and names already
 * formatted and isolated by the screen.
 */
import { phrase } from './phrase.ts'
import { plural } from './plural.ts'

const n = (count: number, one: string, other: string): string => plural('en', count, { one, other })

export const ordersEn = {
  // The pay screen
  when: 'When',
  whenNow: 'Now',
  whenLater: 'On a later date',
  date: 'Date of the payment',
  repeat: 'Repeat',
  repeatNone: 'No, just once',
  repeatEvery: { day: 'Every day', week: 'Every week', fourWeeks: 'Every 4 weeks', month: 'Every 30 days' },
  times: 'How many times (leave empty: until you stop it)',
  timesProblem: 'Enter a whole number of payments, 1 or more, or leave it empty.',
  dateProblem: 'Choose a date from today on.',
  repeatHint: 'You sign once. The payee’s phone collects each payment when it falls due, even while yours is offline; each one is checked against your limits then. You can stop it at any time.',
  laterHint: 'The payee’s phone collects it on that date, checked against your limits then. You can cancel it until then.',
  confirmRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`Pay ${amount} to ${name} ${every}`,
  confirmLater: <P>(amount: P, name: P, date: string) => phrase<P>`Pay ${amount} to ${name} on ${date}`,
  set: <P>(amount: P, name: P) => phrase<P>`Set up: ${amount} to ${name}. Their phone collects each payment when it falls due.`,
  everyText: { day: 'every day', week: 'every week', fourWeeks: 'every 4 weeks', month: 'every 30 days' },
  everySeconds: (seconds: number) => (seconds % 86_400 === 0 ? `every ${n(seconds / 86_400, 'day', `${seconds / 86_400} days`)}` : `every ${n(seconds, 'second', `${seconds} seconds`)}`),
  timesText: (count: number) => `, ${n(count, 'once', `${count} times`)}`,

  // The pool screen's list
  title: 'Scheduled and repeating',
  empty: 'None.',
  outRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`You pay ${name} ${amount} ${every}`,
  inRepeat: <P>(amount: P, name: P, every: string) => phrase<P>`${name} pays you ${amount} ${every}`,
  outOnce: <P>(amount: P, name: P) => phrase<P>`You pay ${name} ${amount} once`,
  inOnce: <P>(amount: P, name: P) => phrase<P>`${name} pays you ${amount} once`,
  paidSoFar: (paid: number, count: number | null) => (count === null ? `${paid} paid so far` : `${paid} of ${count} paid`),
  /** Separates the parts of an order's state line ("Active · 1 of 3 paid · Next: …"). */
  separator: ' · ',
  next: (time: string) => `Next: ${time}`,
  status: { active: 'Active', revoked: 'Stopped', finished: 'Finished', ended: 'Ended' },
  stop: 'Stop',
  cancel: 'Cancel',
  stopConfirm: 'Stop this payment? No later payment will be made. This is signed and cannot be undone.',
  stopped: 'Stopped. No later payment will be made.',
  collectedHint: 'Your phone collects these payments when they fall due.',

  // Statement rows
  rowOrderOut: <P>(name: P) => phrase<P>`Repeating payment to ${name} set up`,
  rowOrderIn: <P>(name: P) => phrase<P>`${name} set up a repeating payment to you`,
  rowScheduledOut: <P>(name: P) => phrase<P>`Payment to ${name} scheduled`,
  rowScheduledIn: <P>(name: P) => phrase<P>`${name} scheduled a payment to you`,
  rowCollectOut: <P>(name: P) => phrase<P>`Paid to ${name} (repeating or scheduled)`,
  rowCollectIn: <P>(name: P) => phrase<P>`Received from ${name} (repeating or scheduled)`,
  rowDemurrage: 'Demurrage: the pool’s charge on holding money, paid to the commons',

  // The gatekeeper console and the pool screen
  demurrageCollected: <P>(amount: P) => phrase<P>`Collected by demurrage for the commons: ${amount}.`,
  demurragePolicy: <P>(rate: string, period: string, base: P) => phrase<P>`This pool charges demurrage: ${rate} of what you hold above ${base}, every ${period}. It goes to the commons.`,
  period: (seconds: number) =>
    seconds % 86_400 === 0 ? n(seconds / 86_400, 'day', `${seconds / 86_400} days`) : seconds % 3_600 === 0 ? n(seconds / 3_600, 'hour', `${seconds / 3_600} hours`) : n(seconds, 'second', `${seconds} seconds`),
  /** The pay screen's folded When/Repeat line while it says "now". */
  whenSummary: 'When: now',
  // Recurring requests (rent, dues): asked by the payee, accepted once by the payer
  requestRepeatHint: 'The payer accepts once. Your phone (or the pool’s relay) then collects each payment when it falls due, checked against the payer’s limits then.',
  requestRepeats: (every: string) => `Repeats ${every}`,
  acceptRequest: <P>(amount: P, name: P, every: string) => phrase<P>`Accept: pay ${amount} to ${name} ${every}`,
  acceptHint: 'You sign once. Each payment is collected when it falls due and checked against your limits then. You can stop it at any time under Scheduled and repeating.',
  acceptedFlash: 'Accepted. It is in your list of scheduled and repeating payments; you can stop it there.',
  stateAccepted: 'Accepted: paid each period as a repeating payment',
  acceptedByYou: 'You accepted it: each payment is in your list of scheduled and repeating payments.',
  // The gatekeeper console: setting demurrage
  demurrageTitle: 'Demurrage',
  demurrageIntro: 'A charge on holding money: each period, every member pays this share of what they hold above the free base to the commons. It counts from when you sign it.',
  demurrageRate: 'Rate per period, in percent',
  demurrageDays: 'Period, in days',
  demurrageBase: 'Free base: nothing is charged up to this balance (optional)',
  demurrageSave: 'Sign the demurrage rule',
  demurrageTurnOff: 'Turn demurrage off',
  demurrageSet: 'Signed: the pool charges demurrage from now on.',
  demurrageOff: 'Signed: the pool charges no demurrage from now on.',
  demurrageRateProblem: 'Enter a rate above 0 and below 100, for example 2 or 0.5.',
  demurrageDaysProblem: 'Enter a whole number of days, 1 or more (at most ten years).',
}

export type OrdersStrings = typeof ordersEn
