/**
 * The marketplace on the command line: heroes listing add | edit | withdraw,
 * heroes categories, heroes match, heroes search. Listings are entries like
 * any other (printed as one line, appended with >> LOG); match and search
 * read the pool's open listings as of --as-of and print JSON.
 */
import {
  AMOUNT_MAX, LISTING_KINDS, isHex, type CategoriesEntry, type EntryId, type ListingEntry, type ListingKind, type UnlistEntry,
} from '../../core/index.ts'
import { MarketIndex } from '../../core/market/search.ts'
import { matchesFor } from '../../core/market/match.ts'
import { integerFlag, parseFlags, publicKeyFlag, required, timeFlag } from '../args.ts'
import { emit, loadAuthor, type AuthorContext } from '../author.ts'
import { loadPool } from '../pool.ts'
import { UsageError } from '../errors.ts'

const common = { key: { type: 'string' }, log: { type: 'string' }, time: { type: 'string' }, pool: { type: 'string' } } as const
const fields = {
  kind: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, tags: { type: 'string' },
  category: { type: 'string' }, price: { type: 'string' }, expires: { type: 'string' },
} as const

/** heroes listing add | edit | withdraw */
export function listingCommand(argv: string[], now: number): number {
  const [sub, ...rest] = argv
  if (sub === 'add') return listingAdd(rest, now)
  if (sub === 'edit') return listingEdit(rest, now)
  if (sub === 'withdraw') return listingWithdraw(rest, now)
  throw new UsageError(`expected 'listing add', 'listing edit' or 'listing withdraw', got 'listing ${sub ?? ''}'`)
}

function kindFlag(value: string | undefined): ListingKind {
  const kind = required(value, 'kind')
  if (!(LISTING_KINDS as readonly string[]).includes(kind)) throw new UsageError(`expected --kind ${LISTING_KINDS.join(' or ')}, got ${JSON.stringify(kind)}`)
  return kind as ListingKind
}

/** `--tags a,b`: comma-separated, spaces around each trimmed, empty ones dropped. */
function tagsFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const tags = value.split(',').map((tag) => tag.trim().normalize('NFC')).filter((tag) => tag !== '')
  return tags.length === 0 ? undefined : [...new Set(tags)]
}

type ListingBody = Omit<ListingEntry, 'id' | 'sig' | 'v' | 'pool' | 'type' | 'author' | 'seq' | 'prev' | 'deps' | 'time'>

function body(values: Partial<Record<keyof typeof fields, string>>, now: number, base?: ListingBody): ListingBody {
  const kind = values.kind === undefined && base ? base.kind : kindFlag(values.kind)
  const title = (values.title ?? base?.title)
  const description = values.description ?? base?.description
  const tags = values.tags !== undefined ? tagsFlag(values.tags) : base?.tags
  const category = values.category ?? base?.category
  const price = values.price !== undefined ? integerFlag(values.price, 'price', 0, AMOUNT_MAX) : base?.price
  const expires = values.expires !== undefined ? timeFlag(values.expires, 'expires', now) : base?.expires
  return {
    kind, title: required(title, 'title').normalize('NFC'),
    ...(description ? { description: description.normalize('NFC') } : {}),
    ...(tags && tags.length > 0 ? { tags } : {}),
    ...(category ? { category: category.normalize('NFC') } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(expires !== undefined ? { expires } : {}),
  }
}

/** heroes listing add --key FILE --log LOG --kind offer|want --title T [--description D] [--tags a,b] [--category C] [--price N] [--expires T] [--time T] */
function listingAdd(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, ...fields })
  const listing = body(values, now)
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  return emit<ListingEntry>(context, 'listing', listing)
}

/** heroes listing edit --entry ID [fields]: restates the listing, with the fields given changed. */
function listingEdit(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, ...fields, entry: { type: 'string' } })
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const id = openListing(context, values.entry)
  const current = context.ledger.listings()[id]!
  const base: ListingBody = {
    kind: current.kind, title: current.title, ...(current.description !== undefined ? { description: current.description } : {}),
    tags: current.tags, ...(current.category !== null ? { category: current.category } : {}), ...(current.price !== null ? { price: current.price } : {}),
  }
  return emit<ListingEntry>(context, 'listing', { ...body(values, now, base), edits: id }, [id])
}

/** heroes listing withdraw --key FILE --log LOG --entry ID [--time T] */
function listingWithdraw(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, entry: { type: 'string' } })
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  const id = openListing(context, values.entry)
  return emit<UnlistEntry>(context, 'unlist', { listing: id }, [id])
}

/** --entry names an open listing of the key's own (the validator would refuse anything else). */
function openListing(context: AuthorContext, value: string | undefined): EntryId {
  const id = required(value, 'entry')
  if (!isHex(id, 32)) throw new UsageError(`expected --entry a listing id (64 hex characters), got ${JSON.stringify(id)}`)
  const listing = context.ledger.listings()[id]
  if (!listing) throw new UsageError(`expected --entry an open listing of the pool in the log, got ${id}, which is not one (withdrawn, expired, or not a listing)`)
  if (listing.author !== context.key.publicKey) throw new UsageError(`expected --entry a listing of this key's, got one by ${listing.author}`)
  return id as EntryId
}

/** heroes categories --key FILE --log LOG --category C... : a gatekeeper signs the category list (none: an empty list). */
export function categoriesCommand(argv: string[], now: number): number {
  const { values } = parseFlags(argv, { ...common, category: { type: 'string', multiple: true } })
  const categories = [...new Set((values.category ?? []).map((c) => c.trim().normalize('NFC')).filter((c) => c !== ''))]
  const context = loadAuthor(required(values.key, 'key'), required(values.log, 'log'), values.time, now, values.pool)
  return emit<CategoriesEntry>(context, 'categories', { categories })
}

function oneLog(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`expected one LOG file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`)
  return positionals[0]!
}

/** heroes match LOG --member PUBKEY [--since T] [--as-of T]: {"matches":[{"mine","theirs","score"}]}, best first, ties by id. */
export function matchCommand(argv: string[], now: number): number {
  const { values, positionals } = parseFlags(argv, { member: { type: 'string' }, since: { type: 'string' }, 'as-of': { type: 'string' }, pool: { type: 'string' } }, true)
  const log = oneLog(positionals)
  const member = publicKeyFlag(values.member, 'member')
  const since = values.since === undefined ? undefined : timeFlag(values.since, 'since', now)
  const asOf = timeFlag(values['as-of'], 'as-of', now)
  const { ledger } = loadPool(log, values.pool, asOf)
  const matches = matchesFor(new MarketIndex(ledger.listings()), member, since === undefined ? {} : { since })
  process.stdout.write(JSON.stringify({ matches }) + '\n')
  return 0
}

/** heroes search LOG --q TEXT [--kind offer|want] [--category C] [--as-of T]: {"results":[{"id","score"}]}, best first, ties by id. */
export function searchCommand(argv: string[], now: number): number {
  const { values, positionals } = parseFlags(argv, { q: { type: 'string' }, kind: { type: 'string' }, category: { type: 'string' }, 'as-of': { type: 'string' }, pool: { type: 'string' } }, true)
  const log = oneLog(positionals)
  const q = values.q
  if (q === undefined) throw new UsageError('expected --q TEXT, got nothing')
  const kind = values.kind === undefined ? undefined : kindFlag(values.kind)
  const asOf = timeFlag(values['as-of'], 'as-of', now)
  const { ledger } = loadPool(log, values.pool, asOf)
  const results = new MarketIndex(ledger.listings()).search(q, { ...(kind ? { kind } : {}), ...(values.category !== undefined ? { category: values.category.normalize('NFC') } : {}) })
  process.stdout.write(JSON.stringify({ results }) + '\n')
  return 0
}
