/**
 * Turning a line of text into an entry, or saying exactly why not.
 *
 * The decoder checks structure only: canonical bytes, known fields of the
 * right shape, and the id. It does not check the signature (verify.ts) nor
 * any rule that needs other entries (ledger.ts). It never throws.
 */
import { parseCanonical } from './canonical.ts'
import { isHex, utf8 } from './bytes.ts'
import { ENTRY_TYPES, LISTING_KINDS, POLICY_CHANGEABLE_KEYS, POOL_KINDS, type Entry, type EntryType } from './entry.ts'
import { entryIdOf } from './payload.ts'
import {
  AMOUNT_MAX, BALANCE_ABS_MAX, CATEGORIES_COUNT_MAX, DEMURRAGE_PERIOD_SECONDS_MAX, DEMURRAGE_PERIOD_SECONDS_MIN, DEMURRAGE_RATE_DEN_MAX, CATEGORY_CHARS_MAX, CHECKPOINT_BYTES_MAX, CHECKPOINT_HEADS_MAX, DEPS_COUNT_MAX, ENTRY_BYTES_MAX, FEE_BASIS_POINTS_MAX,
  FREEZE_REASON_CHARS_MAX, INVITE_TTL_SECONDS_MAX, LISTING_DESCRIPTION_CHARS_MAX, LISTING_TAG_CHARS_MAX, LISTING_TAGS_COUNT_MAX,
  LISTING_TITLE_CHARS_MAX, MEMO_CHARS_MAX, ORDER_COUNT_MAX, ORDER_EVERY_SECONDS_MAX, ORDER_EVERY_SECONDS_MIN, OFFLINE_ALLOWANCE_SECONDS_MAX, OFFLINE_COUNT_MAX_MAX,
  POOL_DECIMALS_MAX, POOL_NAME_CHARS_MAX, POOL_SYMBOL_CHARS_MAX, PROFILE_BIO_CHARS_MAX, PROFILE_INITIALS_CHARS_MAX, PROFILE_NAME_CHARS_MAX,
  PROFILE_PICTURE_CHARS_MAX, PROTOCOL_VERSION, RATE_LIMIT_SECONDS_MAX, HOUR_RATE_PART_MAX, PATH_HOPS_MAX, TRUST_HOURS_MAX,
  DEVICE_NAME_CHARS_MAX, RECOVERY_APPROVALS_MAX,
  TIME_MS_MAX, TIME_MS_MIN, WITNESSES_COUNT_MAX,
} from './limits.ts'

export type DecodeResult = { ok: true; entry: Entry } | { ok: false; reason: 'malformed'; detail: string }

const ENVELOPE_KEYS = ['v', 'id', 'pool', 'type', 'author', 'seq', 'prev', 'deps', 'time', 'sig'] as const

/** Body fields per type: [name, required]. Anything else makes the entry malformed. */
const BODY_KEYS: Record<EntryType, ReadonlyArray<readonly [string, boolean]>> = {
  pool: [['policy', true], ['nonce', true]],
  admit: [['member', true], ['minBalance', false], ['maxBalance', false], ['role', false]],
  freeze: [['member', true], ['reason', false]],
  issue: [['to', true], ['amount', true], ['memo', false], ['request', false]],
  transfer: [['to', true], ['amount', true], ['memo', false], ['request', false]],
  invite: [['invitee', true], ['minBalance', false], ['maxBalance', false]],
  join: [['invite', true], ['invitee', true], ['inviteSig', true]],
  request: [['amount', true], ['memo', false], ['from', false], ['everySeconds', false], ['count', false], ['until', false], ['start', false], ['coordinator', false]],
  accept: [['entry', true]],
  reject: [['entry', true], ['memo', false]],
  cancel: [['entry', true]],
  close: [],
  policy: [['policy', true]],
  checkpoint: [['heads', true]],
  payout: [['to', true], ['amount', true], ['memo', false]],
  listing: [['kind', true], ['title', true], ['description', false], ['tags', false], ['category', false], ['price', false], ['expires', false], ['edits', false]],
  unlist: [['listing', true]],
  categories: [['categories', true]],
  profile: [['name', true], ['bio', false], ['initials', false], ['picture', false]],
  tick: [],
  order: [['to', true], ['amount', true], ['everySeconds', false], ['count', false], ['until', false], ['start', false], ['memo', false], ['coordinator', false]],
  collect: [['order', true], ['period', true]],
  trust: [['peer', true], ['limitHours', true], ['gateway', true]],
  prepare: [['to', true], ['amount', true], ['condition', true], ['expires', true], ['path', false], ['memo', false]],
  fulfil: [['entry', true], ['preimage', true]],
  device: [['device', true], ['name', false], ['spendCap', false]],
  revoke: [['device', true], ['afterSeq', true], ['afterEntry', false]],
  recover: [['member', true]],
  approve: [['entry', true], ['key', true]],
}

const POLICY_KEYS = ['kind', 'name', 'symbol', 'decimals', 'minBalance', 'maxBalance', 'rateLimitSeconds']
const POLICY_OPTIONAL_KEYS = [
  'twoStep', 'feeBasisPoints', 'softMinBalance', 'softMaxBalance',
  'witnesses', 'offlineCountMax', 'offlineAmountMax', 'offlineAllowanceSeconds', 'inviteTtlSeconds',
  'demurrage', 'hourRate', 'recoveryApprovals',
]

/** Decodes one entry line (without its trailing newline). */
export function decodeEntry(line: string): DecodeResult {
  if (typeof line !== 'string') return malformed(`expected a string, got ${typeof line}`)
  // Cheap bounds first, before parsing: only a checkpoint may be longer than ENTRY_BYTES_MAX.
  const bytes = line.length > ENTRY_BYTES_MAX / 3 ? utf8(line).length : line.length
  const checkpoint = bytes > ENTRY_BYTES_MAX && line.includes('"type":"checkpoint"')
  if (bytes > (checkpoint ? CHECKPOINT_BYTES_MAX : ENTRY_BYTES_MAX)) {
    return malformed(`expected at most ${checkpoint ? CHECKPOINT_BYTES_MAX : ENTRY_BYTES_MAX} bytes${checkpoint ? ' in a checkpoint' : ''}, got ${bytes}`)
  }
  const parsed = parseCanonical(line)
  if (!parsed.ok) return malformed(parsed.error)
  const value = parsed.value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return malformed('expected a JSON object')
  const record = value as Record<string, unknown>
  if (record.type !== 'checkpoint' && bytes > ENTRY_BYTES_MAX) {
    return malformed(`expected at most ${ENTRY_BYTES_MAX} bytes in a ${String(record.type)} entry, got ${bytes}`)
  }
  const problem = checkShape(record)
  if (problem) return malformed(problem)
  const id = entryIdOf(record)
  if (record.id !== id) return malformed(`expected id ${id} (SHA-256 of the payload), got ${String(record.id)}`)
  if (record.type === 'pool' && record.pool !== id) return malformed(`expected a genesis entry's pool to equal its id ${id}, got ${String(record.pool)}`)
  return { ok: true, entry: record as unknown as Entry }
}

function malformed(detail: string): DecodeResult {
  return { ok: false, reason: 'malformed', detail }
}

/** Returns a sentence describing the first problem, or undefined when the shape is right. */
function checkShape(r: Record<string, unknown>): string | undefined {
  if (r.v !== PROTOCOL_VERSION) return `expected v ${PROTOCOL_VERSION}, got ${show(r.v)}`
  if (!ENTRY_TYPES.includes(r.type as EntryType)) return `expected type one of ${ENTRY_TYPES.join('|')}, got ${show(r.type)}`
  const type = r.type as EntryType
  const body = BODY_KEYS[type]
  const allowed = new Set<string>([...ENVELOPE_KEYS, ...body.map(([key]) => key)])
  for (const key of Object.keys(r)) if (!allowed.has(key)) return `unexpected field ${show(key)} in a ${type} entry`
  for (const key of ENVELOPE_KEYS) if (!(key in r)) return `missing field ${key}`
  for (const [key, required] of body) if (required && !(key in r)) return `missing field ${key} in a ${type} entry`

  if (!isHex(r.id, 32)) return `expected id as 64 hex characters, got ${show(r.id)}`
  if (!isHex(r.pool, 32)) return `expected pool as 64 hex characters, got ${show(r.pool)}`
  if (!isHex(r.author, 32)) return `expected author as 64 hex characters (a public key), got ${show(r.author)}`
  if (!isHex(r.sig, 64)) return `expected sig as 128 hex characters, got ${show(r.sig)}`
  if (!isIntIn(r.seq, 1, Number.MAX_SAFE_INTEGER)) return `expected seq a whole number ≥ 1, got ${show(r.seq)}`
  if (r.seq === 1 ? r.prev !== null : !isHex(r.prev, 32)) {
    return r.seq === 1 ? `expected prev null at seq 1, got ${show(r.prev)}` : `expected prev as 64 hex characters at seq ${String(r.seq)}, got ${show(r.prev)}`
  }
  if (!isIntIn(r.time, TIME_MS_MIN, TIME_MS_MAX)) return `expected time in whole milliseconds since 1970, got ${show(r.time)}`
  const depsProblem = checkDeps(r.deps)
  if (depsProblem) return depsProblem

  switch (type) {
    case 'pool':
      if (r.seq !== 1) return `expected a genesis entry at seq 1, got ${show(r.seq)}`
      if ((r.deps as unknown[]).length !== 0) return 'expected a genesis entry without deps'
      if (!isHex(r.nonce, 16)) return `expected nonce as 32 hex characters, got ${show(r.nonce)}`
      return checkPolicy(r.policy)
    case 'admit':
      if (!isHex(r.member, 32)) return `expected member as a public key, got ${show(r.member)}`
      if (r.role !== undefined && r.role !== 'member' && r.role !== 'gatekeeper') return `expected role member|gatekeeper, got ${show(r.role)}`
      return checkMemberLimits(r)
    case 'freeze':
      if (!isHex(r.member, 32)) return `expected member as a public key, got ${show(r.member)}`
      return r.reason === undefined ? undefined : checkText('reason', r.reason, 0, FREEZE_REASON_CHARS_MAX)
    case 'issue':
    case 'transfer':
      if (!isHex(r.to, 32)) return `expected to as a public key, got ${show(r.to)}`
      if (type === 'transfer' && r.to === r.author) return 'expected a payee other than the payer'
      if (!isIntIn(r.amount, 1, AMOUNT_MAX)) return `expected amount a whole number from 1 to ${AMOUNT_MAX} (minor units), got ${show(r.amount)}`
      if (r.request !== undefined) {
        if (!isHex(r.request, 32)) return `expected request as an entry id, got ${show(r.request)}`
        if (!(r.deps as string[]).includes(r.request)) return 'expected the request among deps'
      }
      return r.memo === undefined ? undefined : checkText('memo', r.memo, 0, MEMO_CHARS_MAX)
    case 'request':
      if (!isIntIn(r.amount, 1, AMOUNT_MAX)) return `expected amount a whole number from 1 to ${AMOUNT_MAX} (minor units), got ${show(r.amount)}`
      if (r.from !== undefined && (!isHex(r.from, 32) || r.from === r.author)) return `expected from as the payer's public key (not the requester's), got ${show(r.from)}`
      return checkRecurring(r) ?? (r.memo === undefined ? undefined : checkText('memo', r.memo, 0, MEMO_CHARS_MAX))
    case 'accept':
    case 'reject':
    case 'cancel':
      if (!isHex(r.entry, 32)) return `expected entry as the id of the transfer or request it answers, got ${show(r.entry)}`
      if (!(r.deps as string[]).includes(r.entry)) return 'expected the answered entry among deps'
      return r.memo === undefined ? undefined : checkText('memo', r.memo, 0, MEMO_CHARS_MAX)
    case 'close':
      return undefined
    case 'invite':
      if (!isHex(r.invitee, 32)) return `expected invitee as a public key, got ${show(r.invitee)}`
      return checkMemberLimits(r)
    case 'join':
      if (r.seq !== 1) return `expected a join at seq 1 of a new member's chain, got ${show(r.seq)}`
      if (!isHex(r.invite, 32)) return `expected invite as an entry id, got ${show(r.invite)}`
      if (!(r.deps as string[]).includes(r.invite as string)) return 'expected the invite among deps'
      if (!isHex(r.invitee, 32)) return `expected invitee as a public key, got ${show(r.invitee)}`
      if (!isHex(r.inviteSig, 64)) return `expected inviteSig as 128 hex characters, got ${show(r.inviteSig)}`
      return undefined
    case 'policy':
      return checkPolicyChange(r.policy)
    case 'checkpoint':
      if ((r.deps as unknown[]).length !== 0) return 'expected a checkpoint without deps (it names what it covers in heads)'
      return checkIdList('heads', r.heads, CHECKPOINT_HEADS_MAX)
    case 'payout':
      if (!isHex(r.to, 32)) return `expected to as a public key, got ${show(r.to)}`
      if (!isIntIn(r.amount, 1, AMOUNT_MAX)) return `expected amount a whole number from 1 to ${AMOUNT_MAX} (minor units), got ${show(r.amount)}`
      return r.memo === undefined ? undefined : checkText('memo', r.memo, 0, MEMO_CHARS_MAX)
    case 'listing':
      return checkListing(r)
    case 'unlist':
      if (!isHex(r.listing, 32)) return `expected listing as the id of the listing withdrawn, got ${show(r.listing)}`
      if (!(r.deps as string[]).includes(r.listing as string)) return 'expected the listing withdrawn among deps'
      return undefined
    case 'categories':
      return checkNames('categories', r.categories, CATEGORIES_COUNT_MAX, CATEGORY_CHARS_MAX, 0)
    case 'profile':
      return checkProfile(r)
    case 'tick':
      return undefined
    case 'order':
      if (!isHex(r.to, 32) || r.to === r.author) return `expected to as the payee's public key (not the payer's), got ${show(r.to)}`
      if (!isIntIn(r.amount, 1, AMOUNT_MAX)) return `expected amount a whole number from 1 to ${AMOUNT_MAX} (minor units), got ${show(r.amount)}`
      if (r.everySeconds !== undefined && !isIntIn(r.everySeconds, ORDER_EVERY_SECONDS_MIN, ORDER_EVERY_SECONDS_MAX)) return `expected everySeconds from ${ORDER_EVERY_SECONDS_MIN} to ${ORDER_EVERY_SECONDS_MAX}, got ${show(r.everySeconds)}`
      if (r.count !== undefined && !isIntIn(r.count, 1, r.everySeconds === undefined ? 1 : ORDER_COUNT_MAX)) return `expected count from 1 to ${r.everySeconds === undefined ? '1 (a payment without everySeconds is made once)' : ORDER_COUNT_MAX}, got ${show(r.count)}`
      if (r.start !== undefined && !isIntIn(r.start, TIME_MS_MIN, TIME_MS_MAX)) return `expected start a time in ms since 1970, got ${show(r.start)}`
      if (r.until !== undefined && !isIntIn(r.until, (r.start as number | undefined) ?? (r.time as number), TIME_MS_MAX)) return `expected until a time in ms at or after the first payment, got ${show(r.until)}`
      if (r.coordinator !== undefined && (!isHex(r.coordinator, 32) || r.coordinator === r.author)) return `expected coordinator a public key other than the payer's, got ${show(r.coordinator)}`
      return r.memo === undefined ? undefined : checkText('memo', r.memo, 0, MEMO_CHARS_MAX)
    case 'collect':
      if (!isHex(r.order, 32)) return `expected order as the id of a standing order, got ${show(r.order)}`
      if (!(r.deps as string[]).includes(r.order as string)) return 'expected the order among deps'
      if (!isIntIn(r.period, 0, ORDER_COUNT_MAX - 1)) return `expected period a whole number from 0 to ${ORDER_COUNT_MAX - 1}, got ${show(r.period)}`
      return undefined
    case 'trust':
      if (!isHex(r.peer, 32) || r.peer === r.pool) return `expected peer as the id of another pool, got ${show(r.peer)}`
      if (!isIntIn(r.limitHours, 0, TRUST_HOURS_MAX)) return `expected limitHours a whole number from 0 to ${TRUST_HOURS_MAX}, got ${show(r.limitHours)}`
      if (!isHex(r.gateway, 32)) return `expected gateway as a public key, got ${show(r.gateway)}`
      return undefined
    case 'prepare':
      if (!isHex(r.to, 32) || r.to === r.author) return `expected to as the payee's public key (not the payer's), got ${show(r.to)}`
      if (!isIntIn(r.amount, 1, AMOUNT_MAX)) return `expected amount a whole number from 1 to ${AMOUNT_MAX} (minor units), got ${show(r.amount)}`
      if (!isHex(r.condition, 32)) return `expected condition as a SHA-256 (64 hex characters), got ${show(r.condition)}`
      if (!isIntIn(r.expires, (r.time as number) + 1, TIME_MS_MAX)) return `expected expires a time in ms after the prepare's own time ${String(r.time)}, got ${show(r.expires)}`
      if (r.path !== undefined) {
        const problem = checkPath(r.path, r.pool as string)
        if (problem) return problem
      }
      return r.memo === undefined ? undefined : checkText('memo', r.memo, 0, MEMO_CHARS_MAX)
    case 'fulfil':
      if (!isHex(r.entry, 32)) return `expected entry as the id of the prepare it fulfils, got ${show(r.entry)}`
      if (!(r.deps as string[]).includes(r.entry as string)) return 'expected the prepare among deps'
      if (!isHex(r.preimage, 32)) return `expected preimage as 32 bytes in hex (64 characters), got ${show(r.preimage)}`
      return undefined
    case 'device':
    case 'revoke':
      return checkDeviceFields(r)
    case 'recover':
      if (r.seq !== 1) return `expected a recovery request at seq 1 of the new key's chain, got ${show(r.seq)}`
      if (!isHex(r.member, 32) || r.member === r.author) return `expected member as the public key to recover (not the new key), got ${show(r.member)}`
      return undefined
    case 'approve':
      if (!isHex(r.entry, 32)) return `expected entry as the id of the recovery request approved, got ${show(r.entry)}`
      if (!(r.deps as string[]).includes(r.entry as string)) return 'expected the approved request among deps'
      if (!isHex(r.key, 32)) return `expected key as the request's new public key, got ${show(r.key)}`
      return undefined
  }
}

/** A device certificate or revocation: another key than the author's, a visible name, a cap, a cutoff naming its entry. */
function checkDeviceFields(r: Record<string, unknown>): string | undefined {
  if (!isHex(r.device, 32)) return `expected device as a public key, got ${show(r.device)}`
  if (r.device === r.author) return 'expected a device key other than the signer\'s own'
  if (r.type === 'device') {
    if (r.name !== undefined) {
      const problem = checkText('name', r.name, 1, DEVICE_NAME_CHARS_MAX)
      if (problem) return problem
      const name = r.name as string
      if (name.trim() !== name || INVISIBLE_IN_NAMES.test(name)) return 'expected name without spaces around it or invisible marks'
    }
    if (r.spendCap !== undefined && !isIntIn(r.spendCap, 0, BALANCE_ABS_MAX)) return `expected spendCap a whole number from 0 to ${BALANCE_ABS_MAX} (minor units), got ${show(r.spendCap)}`
    return undefined
  }
  if (!isIntIn(r.afterSeq, 0, Number.MAX_SAFE_INTEGER)) return `expected afterSeq a whole number ≥ 0, got ${show(r.afterSeq)}`
  if (r.afterSeq === 0) return r.afterEntry === undefined ? undefined : 'expected no afterEntry with afterSeq 0'
  if (!isHex(r.afterEntry, 32)) return `expected afterEntry as the id of the device's entry at afterSeq, got ${show(r.afterEntry)}`
  if (!(r.deps as string[]).includes(r.afterEntry as string)) return 'expected afterEntry among deps'
  return undefined
}

const DEMURRAGE_KEYS = ['freeBase', 'periodSeconds', 'rateDen', 'rateNum']
const PATH_KEYS = ['amount', 'payee', 'pools']

/** A prepare's `path`: 2 to PATH_HOPS_MAX + 1 distinct pools including this one, a payee and an amount. */
function checkPath(path: unknown, pool: string): string | undefined {
  if (path === null || typeof path !== 'object' || Array.isArray(path)) return `expected path as an object, got ${show(path)}`
  const r = path as Record<string, unknown>
  for (const key of Object.keys(r)) if (!PATH_KEYS.includes(key)) return `unexpected field ${show(key)} in path`
  for (const key of PATH_KEYS) if (!(key in r)) return `missing field path.${key}`
  const pools = r.pools
  if (!Array.isArray(pools) || pools.length < 2 || pools.length > PATH_HOPS_MAX + 1) return `expected path.pools as 2 to ${PATH_HOPS_MAX + 1} pool ids, got ${show(pools)}`
  for (let i = 0; i < pools.length; i++) {
    if (!isHex(pools[i], 32)) return `expected path.pools[${i}] as a pool id, got ${show(pools[i])}`
    if (pools.indexOf(pools[i]) !== i) return 'expected path.pools without repeats'
  }
  if (!pools.includes(pool)) return "expected the prepare's own pool among path.pools"
  if (!isHex(r.payee, 32)) return `expected path.payee as a public key, got ${show(r.payee)}`
  if (!isIntIn(r.amount, 1, AMOUNT_MAX)) return `expected path.amount a whole number from 1 to ${AMOUNT_MAX}, got ${show(r.amount)}`
  return undefined
}

const HOUR_RATE_KEYS = ['den', 'num']

/** `policy.hourRate`: {num, den}, both whole numbers from 1 to HOUR_RATE_PART_MAX. */
function checkHourRate(rate: unknown, prefix: string): string | undefined {
  if (rate === undefined) return undefined
  if (rate === null || typeof rate !== 'object' || Array.isArray(rate)) return `expected ${prefix}hourRate as {num, den}, got ${show(rate)}`
  const r = rate as Record<string, unknown>
  for (const key of Object.keys(r)) if (!HOUR_RATE_KEYS.includes(key)) return `unexpected field ${show(key)} in ${prefix}hourRate`
  if (!isIntIn(r.num, 1, HOUR_RATE_PART_MAX)) return `expected ${prefix}hourRate.num from 1 to ${HOUR_RATE_PART_MAX}, got ${show(r.num)}`
  if (!isIntIn(r.den, 1, HOUR_RATE_PART_MAX)) return `expected ${prefix}hourRate.den from 1 to ${HOUR_RATE_PART_MAX}, got ${show(r.den)}`
  return undefined
}

/** `policy.demurrage`: null (none) or all four fields, the rate a fraction strictly between 0 and 1. */
function checkDemurrage(d: unknown, prefix: string): string | undefined {
  if (d === undefined || d === null) return undefined
  if (typeof d !== 'object' || Array.isArray(d)) return `expected ${prefix}demurrage null or an object, got ${show(d)}`
  const r = d as Record<string, unknown>
  for (const key of Object.keys(r)) if (!DEMURRAGE_KEYS.includes(key)) return `unexpected field ${show(key)} in ${prefix}demurrage`
  for (const key of DEMURRAGE_KEYS) if (!(key in r)) return `missing field ${prefix}demurrage.${key}`
  if (!isIntIn(r.rateDen, 2, DEMURRAGE_RATE_DEN_MAX)) return `expected ${prefix}demurrage.rateDen from 2 to ${DEMURRAGE_RATE_DEN_MAX}, got ${show(r.rateDen)}`
  if (!isIntIn(r.rateNum, 1, (r.rateDen as number) - 1)) return `expected ${prefix}demurrage.rateNum from 1 to rateDen − 1, got ${show(r.rateNum)}`
  if (!isIntIn(r.periodSeconds, DEMURRAGE_PERIOD_SECONDS_MIN, DEMURRAGE_PERIOD_SECONDS_MAX)) return `expected ${prefix}demurrage.periodSeconds from ${DEMURRAGE_PERIOD_SECONDS_MIN} to ${DEMURRAGE_PERIOD_SECONDS_MAX}, got ${show(r.periodSeconds)}`
  if (!isIntIn(r.freeBase, 0, BALANCE_ABS_MAX)) return `expected ${prefix}demurrage.freeBase from 0 to ${BALANCE_ABS_MAX}, got ${show(r.freeBase)}`
  return undefined
}

/**
 * Marks that change how text around them is ordered or that show nothing (left-to-right and
 * right-to-left marks, the Arabic letter mark, zero-width space and no-break space, word
 * joiner and invisible operators): harmless in a memo, but in a name they let two people
 * look alike.
 */
const INVISIBLE_IN_NAMES = /[\u061c\u200b\u200e\u200f\u2060-\u2064\ufeff]/
const PICTURE = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/

/** A profile: a trimmed visible name, an optional bio, initials and a small raster picture. */
function checkProfile(r: Record<string, unknown>): string | undefined {
  const nameProblem = checkText('name', r.name, 1, PROFILE_NAME_CHARS_MAX)
  if (nameProblem) return nameProblem
  const name = r.name as string
  if (name.trim() !== name || name.trim() === '') return 'expected name without spaces around it'
  if (INVISIBLE_IN_NAMES.test(name)) return 'expected name without invisible or direction marks'
  if (r.bio !== undefined) {
    const problem = checkText('bio', r.bio, 1, PROFILE_BIO_CHARS_MAX)
    if (problem) return problem
  }
  if (r.initials !== undefined) {
    const problem = checkText('initials', r.initials, 1, PROFILE_INITIALS_CHARS_MAX)
    if (problem) return problem
    if (/\s/.test(r.initials as string) || INVISIBLE_IN_NAMES.test(r.initials as string)) return 'expected initials without spaces or invisible marks'
  }
  if (r.picture !== undefined) {
    if (typeof r.picture !== 'string' || r.picture.length > PROFILE_PICTURE_CHARS_MAX) return `expected picture as a data URL of at most ${PROFILE_PICTURE_CHARS_MAX} characters`
    if (!PICTURE.test(r.picture)) return 'expected picture as data:image/png, jpeg or webp;base64'
  }
  return undefined
}

/** A listing's fields: what the rules need is checked in rules/listings.ts (the author, the category, expiry against time). */
function checkListing(r: Record<string, unknown>): string | undefined {
  if (!LISTING_KINDS.includes(r.kind as never)) return `expected kind one of ${LISTING_KINDS.join('|')}, got ${show(r.kind)}`
  const text = checkText('title', r.title, 1, LISTING_TITLE_CHARS_MAX)
    ?? (r.description === undefined ? undefined : checkText('description', r.description, 1, LISTING_DESCRIPTION_CHARS_MAX))
    ?? (r.category === undefined ? undefined : checkText('category', r.category, 1, CATEGORY_CHARS_MAX))
    ?? (r.tags === undefined ? undefined : checkNames('tags', r.tags, LISTING_TAGS_COUNT_MAX, LISTING_TAG_CHARS_MAX, 1))
  if (text) return text
  if ((r.title as string).trim() === '') return 'expected title with some text, got only spaces'
  if (r.price !== undefined && !isIntIn(r.price, 0, AMOUNT_MAX)) return `expected price a whole number from 0 to ${AMOUNT_MAX} (minor units), got ${show(r.price)}`
  if (r.expires !== undefined && !isIntIn(r.expires, (r.time as number) + 1, TIME_MS_MAX)) return `expected expires a time in ms after the listing's own time ${String(r.time)}, got ${show(r.expires)}`
  if (r.edits !== undefined) {
    if (!isHex(r.edits, 32)) return `expected edits as the id of the listing edited, got ${show(r.edits)}`
    if (!(r.deps as string[]).includes(r.edits as string)) return 'expected the listing edited among deps'
  }
  return undefined
}

/** A list of distinct texts (tags, categories), at least `min` and at most `max`, each 1 to `chars` long. */
function checkNames(name: string, list: unknown, max: number, chars: number, min: number): string | undefined {
  if (!Array.isArray(list)) return `expected ${name} as a list of texts, got ${show(list)}`
  if (list.length < min || list.length > max) return `expected ${min} to ${max} ${name}, got ${list.length}`
  for (let i = 0; i < list.length; i++) {
    const problem = checkText(`${name}[${i}]`, list[i], 1, chars)
    if (problem) return problem
    if ((list[i] as string).trim() === '') return `expected ${name}[${i}] with some text, got only spaces`
    if (list.indexOf(list[i]) !== i) return `expected ${name} without repeats, got ${show(list[i])} twice`
  }
  return undefined
}

/** A sorted list of distinct entry ids, at most `max` long. */
function checkIdList(name: string, ids: unknown, max: number): string | undefined {
  if (!Array.isArray(ids)) return `expected ${name} as a list of entry ids, got ${show(ids)}`
  if (ids.length > max) return `expected at most ${max} ${name}, got ${ids.length}`
  for (let i = 0; i < ids.length; i++) {
    if (!isHex(ids[i], 32)) return `expected ${name}[${i}] as 64 hex characters, got ${show(ids[i])}`
    if (i > 0 && !((ids[i - 1] as string) < (ids[i] as string))) return `expected ${name} sorted ascending without repeats`
  }
  return undefined
}

/** The fields added to policies by witnesses and offline risk; shared by the genesis and policy entries. */
function checkWitnessFields(p: Record<string, unknown>, prefix: string): string | undefined {
  if (p.witnesses !== undefined) {
    const w = p.witnesses
    if (!Array.isArray(w) || w.length > WITNESSES_COUNT_MAX) return `expected ${prefix}witnesses as a list of at most ${WITNESSES_COUNT_MAX} public keys, got ${show(w)}`
    for (let i = 0; i < w.length; i++) {
      if (!isHex(w[i], 32)) return `expected ${prefix}witnesses[${i}] as a public key, got ${show(w[i])}`
      if (w.indexOf(w[i]) !== i) return `expected ${prefix}witnesses without repeats, got ${show(w[i])} twice`
    }
  }
  if (p.offlineCountMax !== undefined && !isIntIn(p.offlineCountMax, 0, OFFLINE_COUNT_MAX_MAX)) return `expected ${prefix}offlineCountMax from 0 to ${OFFLINE_COUNT_MAX_MAX}, got ${show(p.offlineCountMax)}`
  if (p.offlineAmountMax !== undefined && !isIntIn(p.offlineAmountMax, 0, BALANCE_ABS_MAX)) return `expected ${prefix}offlineAmountMax from 0 to ${BALANCE_ABS_MAX}, got ${show(p.offlineAmountMax)}`
  if (p.offlineAllowanceSeconds !== undefined && !isIntIn(p.offlineAllowanceSeconds, 0, OFFLINE_ALLOWANCE_SECONDS_MAX)) return `expected ${prefix}offlineAllowanceSeconds from 0 to ${OFFLINE_ALLOWANCE_SECONDS_MAX}, got ${show(p.offlineAllowanceSeconds)}`
  if (p.inviteTtlSeconds !== undefined && !isIntIn(p.inviteTtlSeconds, 1, INVITE_TTL_SECONDS_MAX)) return `expected ${prefix}inviteTtlSeconds from 1 to ${INVITE_TTL_SECONDS_MAX}, got ${show(p.inviteTtlSeconds)}`
  if (p.recoveryApprovals !== undefined && !isIntIn(p.recoveryApprovals, 1, RECOVERY_APPROVALS_MAX)) return `expected ${prefix}recoveryApprovals from 1 to ${RECOVERY_APPROVALS_MAX}, got ${show(p.recoveryApprovals)}`
  return checkDemurrage(p.demurrage, prefix) ?? checkHourRate(p.hourRate, prefix)
}

/** A policy entry's change: only changeable fields, at least one, each of the right shape. */
function checkPolicyChange(policy: unknown): string | undefined {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) return 'expected policy as an object'
  const p = policy as Record<string, unknown>
  const keys = Object.keys(p)
  if (keys.length === 0) return 'expected a policy change naming at least one field'
  for (const key of keys) if (!(POLICY_CHANGEABLE_KEYS as readonly string[]).includes(key)) return `unexpected field ${show(key)} in a policy change (only ${POLICY_CHANGEABLE_KEYS.join(', ')} may change)`
  if (p.name !== undefined) {
    const problem = checkText('policy.name', p.name, 1, POOL_NAME_CHARS_MAX)
    if (problem) return problem
  }
  if (p.symbol !== undefined) {
    const problem = checkText('policy.symbol', p.symbol, 1, POOL_SYMBOL_CHARS_MAX)
    if (problem) return problem
  }
  if (p.minBalance !== undefined && !isIntIn(p.minBalance, -BALANCE_ABS_MAX, 0)) return `expected policy.minBalance a whole number from ${-BALANCE_ABS_MAX} to 0, got ${show(p.minBalance)}`
  if (p.maxBalance !== undefined && p.maxBalance !== null && !isIntIn(p.maxBalance, 1, BALANCE_ABS_MAX)) return `expected policy.maxBalance null or a whole number from 1 to ${BALANCE_ABS_MAX}, got ${show(p.maxBalance)}`
  if (p.rateLimitSeconds !== undefined && !isIntIn(p.rateLimitSeconds, 0, RATE_LIMIT_SECONDS_MAX)) return `expected policy.rateLimitSeconds from 0 to ${RATE_LIMIT_SECONDS_MAX}, got ${show(p.rateLimitSeconds)}`
  if (p.feeBasisPoints !== undefined && !isIntIn(p.feeBasisPoints, 0, FEE_BASIS_POINTS_MAX)) return `expected policy.feeBasisPoints from 0 to ${FEE_BASIS_POINTS_MAX}, got ${show(p.feeBasisPoints)}`
  if (p.softMinBalance !== undefined && !isIntIn(p.softMinBalance, -BALANCE_ABS_MAX, 0)) return `expected policy.softMinBalance from ${-BALANCE_ABS_MAX} to 0, got ${show(p.softMinBalance)}`
  if (p.softMaxBalance !== undefined && !isIntIn(p.softMaxBalance, 1, BALANCE_ABS_MAX)) return `expected policy.softMaxBalance from 1 to ${BALANCE_ABS_MAX}, got ${show(p.softMaxBalance)}`
  return checkWitnessFields(p, 'policy.')
}

function checkDeps(deps: unknown): string | undefined {
  if (!Array.isArray(deps)) return `expected deps as a list of entry ids, got ${show(deps)}`
  if (deps.length > DEPS_COUNT_MAX) return `expected at most ${DEPS_COUNT_MAX} deps, got ${deps.length}`
  for (let i = 0; i < deps.length; i++) {
    if (!isHex(deps[i], 32)) return `expected deps[${i}] as 64 hex characters, got ${show(deps[i])}`
    if (i > 0 && !((deps[i - 1] as string) < (deps[i] as string))) return 'expected deps sorted ascending without repeats'
  }
  return undefined
}

function checkPolicy(policy: unknown): string | undefined {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) return 'expected policy as an object'
  const p = policy as Record<string, unknown>
  for (const key of Object.keys(p)) if (!POLICY_KEYS.includes(key) && !POLICY_OPTIONAL_KEYS.includes(key)) return `unexpected field ${show(key)} in policy`
  for (const key of POLICY_KEYS) if (!(key in p)) return `missing field policy.${key}`
  if (!POOL_KINDS.includes(p.kind as never)) return `expected policy.kind one of ${POOL_KINDS.join('|')}, got ${show(p.kind)}`
  const textProblem = checkText('policy.name', p.name, 1, POOL_NAME_CHARS_MAX) ?? checkText('policy.symbol', p.symbol, 1, POOL_SYMBOL_CHARS_MAX)
  if (textProblem) return textProblem
  if (!isIntIn(p.decimals, 0, POOL_DECIMALS_MAX)) return `expected policy.decimals from 0 to ${POOL_DECIMALS_MAX}, got ${show(p.decimals)}`
  if (!isIntIn(p.rateLimitSeconds, 0, RATE_LIMIT_SECONDS_MAX)) return `expected policy.rateLimitSeconds from 0 to ${RATE_LIMIT_SECONDS_MAX}, got ${show(p.rateLimitSeconds)}`
  if (p.kind === 'issued' && p.minBalance !== 0) return `expected policy.minBalance 0 in an issued pool, got ${show(p.minBalance)}`
  if (!isIntIn(p.minBalance, -BALANCE_ABS_MAX, 0)) return `expected policy.minBalance a whole number from ${-BALANCE_ABS_MAX} to 0, got ${show(p.minBalance)}`
  if (p.maxBalance !== null && !isIntIn(p.maxBalance, 1, BALANCE_ABS_MAX)) return `expected policy.maxBalance null or a whole number from 1 to ${BALANCE_ABS_MAX}, got ${show(p.maxBalance)}`
  if (p.twoStep !== undefined && p.twoStep !== true) return `expected policy.twoStep true or absent, got ${show(p.twoStep)}`
  if (p.feeBasisPoints !== undefined && !isIntIn(p.feeBasisPoints, 1, FEE_BASIS_POINTS_MAX)) return `expected policy.feeBasisPoints from 1 to ${FEE_BASIS_POINTS_MAX} or absent, got ${show(p.feeBasisPoints)}`
  if (p.softMinBalance !== undefined && !isIntIn(p.softMinBalance, p.minBalance as number, 0)) return `expected policy.softMinBalance from policy.minBalance to 0, got ${show(p.softMinBalance)}`
  if (p.softMaxBalance !== undefined && !isIntIn(p.softMaxBalance, 1, p.maxBalance === null ? BALANCE_ABS_MAX : (p.maxBalance as number))) return `expected policy.softMaxBalance from 1 to policy.maxBalance, got ${show(p.softMaxBalance)}`
  return checkWitnessFields(p, 'policy.')
}

/** A recurring request's schedule (rules/recurring.ts): the order's bounds; without everySeconds, none of it. */
function checkRecurring(r: Record<string, unknown>): string | undefined {
  if (r.everySeconds === undefined) {
    for (const key of ['count', 'until', 'start', 'coordinator']) if (r[key] !== undefined) return `expected ${key} only on a recurring request (with everySeconds)`
    return undefined
  }
  if (!isIntIn(r.everySeconds, ORDER_EVERY_SECONDS_MIN, ORDER_EVERY_SECONDS_MAX)) return `expected everySeconds from ${ORDER_EVERY_SECONDS_MIN} to ${ORDER_EVERY_SECONDS_MAX}, got ${show(r.everySeconds)}`
  if (r.count !== undefined && !isIntIn(r.count, 1, ORDER_COUNT_MAX)) return `expected count from 1 to ${ORDER_COUNT_MAX}, got ${show(r.count)}`
  if (r.start !== undefined && !isIntIn(r.start, TIME_MS_MIN, TIME_MS_MAX)) return `expected start a time in ms since 1970, got ${show(r.start)}`
  if (r.until !== undefined && !isIntIn(r.until, (r.start as number | undefined) ?? (r.time as number), TIME_MS_MAX)) return `expected until a time in ms at or after the first payment, got ${show(r.until)}`
  if (r.coordinator !== undefined && (!isHex(r.coordinator, 32) || r.coordinator === r.author)) return `expected coordinator a public key other than the requester's, got ${show(r.coordinator)}`
  return undefined
}

function checkMemberLimits(r: Record<string, unknown>): string | undefined {
  if (r.minBalance !== undefined && !isIntIn(r.minBalance, -BALANCE_ABS_MAX, 0)) return `expected minBalance a whole number from ${-BALANCE_ABS_MAX} to 0, got ${show(r.minBalance)}`
  if (r.maxBalance !== undefined && r.maxBalance !== null && !isIntIn(r.maxBalance, 1, BALANCE_ABS_MAX)) return `expected maxBalance null or a whole number from 1 to ${BALANCE_ABS_MAX}, got ${show(r.maxBalance)}`
  return undefined
}

/**
 * C0 and C1 controls, and bidirectional overrides and isolates (which let a memo show text in
 * another order than it is stored), and UTF-16 halves without their other half (lone surrogates,
 * which are no character at all and encode differently from one runtime to the next).
 */
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

function checkText(name: string, value: unknown, minChars: number, maxChars: number): string | undefined {
  if (typeof value !== 'string') return `expected ${name} as text, got ${show(value)}`
  if (value.length < minChars || value.length > maxChars) return `expected ${name} of ${minChars} to ${maxChars} characters, got ${value.length}`
  if (FORBIDDEN_CHARS.test(value)) return `expected ${name} without control, direction-override or lone surrogate characters`
  return undefined
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? JSON.stringify(value) ?? String(value) : String(value)
  return text.length > 80 ? text.slice(0, 77) + '…' : text
}
