/** The marketplace link's words on the pool screen (in the first load, so kept apart from market.en.ts). */
export const marketLinkEn = {
  link: 'Marketplace',
  newMatches: (n: number) => (n === 1 ? '1 new match' : `${n} new matches`),
}
