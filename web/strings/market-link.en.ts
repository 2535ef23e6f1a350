/** The marketplace link's words on the pool screen (in the first load, so kept apart from market.en.ts). */
import { plural } from './plural.ts'

export const marketLinkEn = {
  link: 'Marketplace',
  newMatches: (n: number) => plural('en', n, { one: '1 new match', other: `${n} new matches` }),
  /** The daily digest banner's way to the marketplace. */
  digestOpen: 'See them',
}
export type MarketLinkStrings = typeof marketLinkEn
