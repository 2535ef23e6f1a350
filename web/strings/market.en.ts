/**
 * The marketplace's words, in English (loaded with the marketplace screen).
 * Functions take figures already formatted; someone else's text is passed
 * isolated by the screen.
 */
import type { ListingKind, RejectionReason } from '../../core/index.ts'
import { marketLinkEn } from './market-link.en.ts'
import { plural } from './plural.ts'

export const marketEn = {
  title: 'Marketplace',
  back: 'Back to the pool',
  newMatches: marketLinkEn.newMatches,
  kinds: { offer: 'Offer', want: 'Want' } satisfies Record<ListingKind, string>,
  kindsPlural: { offer: 'Offers', want: 'Wants' } satisfies Record<ListingKind, string>,
  post: {
    heading: 'Post a listing',
    kind: 'I',
    offer: 'offer',
    want: 'want',
    title: 'Title',
    description: 'Description (optional)',
    tags: 'Tags, separated by commas (optional)',
    category: 'Category',
    noCategory: 'None',
    price: 'Price (optional)',
    submit: 'Post',
    posted: 'Posted: every member’s phone will find it, offline too.',
    titleMissing: 'Give it a title.',
    editHeading: 'Edit your listing',
    save: 'Save changes',
    cancel: 'Cancel',
  },
  search: {
    heading: 'Search',
    label: 'Search listings',
    all: 'Offers and wants',
    none: 'Nothing found.',
    hint: 'Works offline. Accents, case and small typos do not matter.',
  },
  matches: {
    heading: 'Your matches',
    none: 'No matches yet. Post what you offer or want and the app pairs it with others’.',
    fresh: 'new',
    yours: 'Yours:',
    seen: 'Mark all as seen',
  },
  mine: { heading: 'Your listings', none: 'You have no open listings.', withdraw: 'Withdraw', withdrawn: 'Withdrawn.', edit: 'Edit', edited: 'Saved: every member’s phone will show the new version.' },
  listing: {
    price: (amount: string) => `Price: ${amount}`,
    by: 'by',
    pay: 'Pay',
    request: 'Request',
    favourite: 'Add the author to favourites',
    unfavourite: 'Remove the author from favourites',
  },
  contact: {
    button: 'Contact',
    label: 'Your message (the author will not see who you are unless you say so)',
    send: 'Send',
    sent: 'Sent, end to end encrypted.',
    queued: 'Kept on this phone: it will be sent when you are online.',
    heading: 'Messages',
    none: 'No messages. Contact the author of a listing; the relay carries only what it cannot read.',
    about: 'About:',
    withAuthor: 'With',
    anonymous: 'A member (not named)',
    you: 'You',
    them: 'Them',
    queuedMark: 'queued, not sent yet',
    replyLabel: 'Answer',
    reply: 'Send answer',
  },
  directory: {
    heading: 'Directory',
    intro: 'Members who signed a name in this pool.',
    label: 'Find a member',
    allCategories: 'Any category',
    none: 'Nobody found.',
    listings: (n: number) => plural('en', n, { one: '1 listing', other: `${n} listings` }),
  },
  favourites: { heading: 'Favourites', none: 'Star the author of a listing to keep them here. Favourites stay on this device and in your backup.' },
  refusals: {} as Partial<Record<RejectionReason, string>>,
}
export type MarketStrings = typeof marketEn
