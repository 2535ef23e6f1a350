/** The marketplace link's words on the pool screen (in the first load, so kept apart from market.en.ts). */
import { plural } from './plural.ts'

export const marketLinkEn = {
  link: 'Marketplace',
  newMatches: (n: number) => plural('en', n, { one: '1 new match', other: `${n} new matches` }),
}
export type MarketLinkStrings = typeof marketLinkEn
