/**
 * Between pools (issue 19), in English: paying a member of another community,
 * asking to be paid from one, the payment's states, and a pool's trustlines.
 * Loaded with those screens, never in the first load. Functions take figures
 * and names already formatted and isolated by the screen.
 */
import { phrase } from './phrase.ts'
import { plural } from './plural.ts'

export const crossEn = {
  title: <P>(pool: P) => phrase<P>`${pool} and other communities`,
  back: 'Back to the pool',
  loadFailed: 'This part of the app could not load. Check the connection and open it again.',

  // Trustlines
  trustHeading: 'Communities this pool trusts',
  trustIntro: 'Members here may be paid from these communities, up to each limit. The gatekeeper sets a limit with “heroes trust”.',
  trustNone: 'This pool trusts no other community yet.',
  trustPool: 'Community',
  trustLimit: 'Limit',
  trustUsed: 'Used',
  trustHeld: 'On hold',
  trustAvailable: 'Still available',
  trustChange: 'Change',
  trustNewLimit: 'Limit in HOUR (0 ends the trust)',
  trustSign: 'Sign the new limit',
  trustSaved: 'Signed: the new limit holds from now on, on every phone.',
  trustLimitProblem: 'Enter a whole number of HOUR, 0 or more.',
  trustAddHeading: 'Trust another community',
  trustAddPool: 'Its pool id (64 characters, from its gatekeeper)',
  trustAddGateway: 'The gateway key that holds this pool’s side (not a member)',
  hours: (hours: number) => `${hours} HOUR`,
  rate: <P>(symbol: P, num: number, den: number) => phrase<P>`1 ${symbol} = ${den === 1 ? String(num) : `${num}/${den}`} HOUR`,
  noRate: 'This pool has no rate to HOUR yet, so it cannot pay or be paid across communities.',
  rateChangeHeading: 'Change the rate to HOUR',
  rateChangeIntro: 'The new rate counts from now on: payments already made keep the rate they had.',
  rateNew: 'One unit’s worth in HOUR: 1, or a fraction like 1/2',
  rateSign: 'Sign the new rate',
  rateSaved: 'Signed: the new rate holds from now on, on every phone.',
  rateProblem: 'Enter a whole number or a fraction of whole numbers, like 3 or 1/2.',

  // Asking to be paid
  askHeading: 'Ask to be paid from another community',
  askIntro: 'Make a link for someone in another community. Your phone keeps its secret and takes the payment by itself when it arrives.',
  askAmount: <P>(symbol: P) => phrase<P>`Amount to receive (${symbol})`,
  askName: 'Your name, shown to the payer',
  askMake: 'Make the link',
  askLink: 'Send this link, or show the code',
  askQr: 'Code of the payment request',
  askMade: 'Keep this app open or come back later: the payment is taken as soon as it reaches this pool.',

  // Paying
  payTitle: 'Pay someone in another community',
  payLoading: <P>(pool: P) => phrase<P>`Reading the rate and trust of ${pool} from the relay…`,
  payTo: <P>(name: P, pool: P) => phrase<P>`To ${name} in ${pool}`,
  payTheyGet: <P>(amount: P) => phrase<P>`They receive ${amount}`,
  payYouPay: <P>(amount: P) => phrase<P>`You pay ${amount}`,
  payRoute: 'Route',
  payHops: (hops: number) => plural('en', hops, { one: 'through 1 gateway', other: `through ${hops} gateways` }),
  payWait: 'If it has not arrived by then, your money comes back',
  waitMinutes: (minutes: number) => plural('en', minutes, { one: '1 minute', other: `${minutes} minutes` }),
  payConfirm: <P>(amount: P) => phrase<P>`Pay ${amount}`,
  paySigning: 'Signing…',
  paySent: 'Sent on its way. Each community’s witness dates every step.',
  payAgain: 'This request was paid from this phone already.',
  payOwn: 'This is your own request: send it to the payer.',

  // Why not
  problems: {
    'same-pool': 'This request is from your own pool: pay it with an ordinary payment.',
    'unknown-pool': 'Your phone does not know that community yet. Connect to the relay and try again.',
    none: 'No chain of trust leads from your pools to that community, so it cannot be paid from here.',
    'too-long': 'That community is more than 4 steps of trust away: it cannot be paid from here.',
    'not-enough-trust': 'The communities on the way do not trust each other for that much now. Ask for a smaller amount or try later.',
    overflow: 'That amount is too large to convert.',
    'not-member': 'You hold no pool you are a member of, so there is nothing to pay from.',
    'wait-too-short': 'That wait is too short for this route.',
    'pool-invalid': 'This request does not check out: the community it names is not what it claims. Ask for it again.',
  },

  // The payment's states
  paymentsHeading: 'Payments between communities',
  paymentsNone: 'None yet.',
  outLine: <P>(amount: P) => phrase<P>`You paid ${amount}`,
  inLine: <P>(amount: P) => phrase<P>`You received ${amount}`,
  states: {
    prepared: 'Prepared: on its way, your money is on hold',
    settled: 'Settled',
    expired: 'Expired: your money is coming back',
    refunded: 'Refunded: it did not arrive in time, and your money came back',
    refused: 'Refused on the way: your money came back',
  },
  statesIn: {
    prepared: 'Arriving',
    settled: 'Received',
    expired: 'Expired before it could be taken',
    refunded: 'Not received',
    refused: 'Not received',
  },
  expires: (time: string) => `Expires ${time} (witnessed time)`,
  witnessedAt: (time: string) => `Final at ${time} (witnessed time)`,
  hop: <P>(pool: P, state: string) => phrase<P>`${pool}: ${state}`,
  hopStates: { prepared: 'prepared', fulfilled: 'settled', cancelled: 'refunded', expired: 'expired', unknown: 'not seen yet' },
}

export type CrossStrings = typeof crossEn
