/**
 * The marketplace of one pool: this member's matches (what is new since the
 * last visit marked), search over every open listing (offline), posting a
 * listing, this member's own listings, and favourite members. From a listing,
 * Pay or Request opens that screen already filled in. Loaded on first visit
 * (LazyMarketScreen.tsx). Every text a member wrote is shown isolated (<bdi>).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { ListingKind, Policy } from '../../../core/index.ts'
import type { MarketListing } from '../../../core/market/search.ts'
import { formatAmount, parseAmount } from '../../lib/amount.ts'
import { marketEn } from '../../strings/market.en.ts'
import { catalogue } from '../../strings/i18n.ts'

/** The marketplace's words in the page's language (English's load with this screen). */
const marketWords = (): typeof marketEn => catalogue().market ?? marketEn
import type { Text } from '../../strings/phrase.ts'
import type { Marketplace, MarketMatch } from '../../wallet/marketplace.ts'
import type { ThreadRecord } from '../../wallet/contact.ts'
import { Words } from '../components/Words.tsx'
import { money, who } from '../format.ts'
import { prefillRequest } from '../prefill.ts'
import { refusalText } from '../refusal-text.ts'
import { hrefOf, navigate } from '../router.ts'
import { useStrings, useWallet } from '../wallet-context.ts'

const SHOWN_MAX = 50

export function MarketScreen({ pool }: { pool: string }) {
  const wallet = useWallet()
  const t = useStrings()
  const m = marketWords()
  const view = wallet.pool(pool)
  const [market, setMarket] = useState<Marketplace | undefined>()
  /** The watermark of the previous visits: the matches shown then. Others are "new". */
  const [lastVisit, setLastVisit] = useState<ReadonlySet<string> | null>(null)
  /** The matches on screen now, remembered as seen when the screen closes. */
  const shown = useRef<string[]>([])
  const [favourites, setFavourites] = useState<string[]>([])
  const [q, setQ] = useState('')
  const [kind, setKind] = useState<ListingKind | ''>('')
  const [flash, setFlash] = useState<Text>('')
  const [threads, setThreads] = useState<ThreadRecord[]>([])
  /** The listing whose author is being written to. */
  const [contacting, setContacting] = useState<string | undefined>()
  const [refusal, setRefusal] = useState<Text>('')
  /** The id of this member's listing being edited. */
  const [editing, setEditing] = useState<string | undefined>()

  useEffect(() => {
    let live = true
    void wallet.marketplace().then(async (loaded) => {
      const seen = await loaded.favourites.seen(pool)
      const favs = await loaded.favourites.of(pool)
      if (!live) return
      setMarket(loaded)
      setLastVisit(seen)
      setFavourites(favs)
    })
    return () => {
      live = false
      // What this visit showed is not new on the next one.
      void wallet.marketplace().then((loaded) => loaded.favourites.markSeen(pool, shown.current))
    }
  }, [pool])

  // Messages: fetched on opening and every few seconds while the screen is open (sent ones that waited go too).
  useEffect(() => {
    if (!market) return
    let live = true
    const poll = async (): Promise<void> => {
      await market.contact.fetch(pool)
      const list = await market.contact.threads(pool)
      if (live) setThreads(list)
    }
    void poll()
    const timer = setInterval(() => void poll(), 3_000)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [market, pool])

  const version = wallet.version
  const ready = market !== undefined && lastVisit !== null
  const matches = useMemo(() => (ready ? market.matches(pool, lastVisit) : []), [ready, version, lastVisit])
  shown.current = matches.map((match) => match.pair)
  const results = useMemo(() => {
    if (!ready) return []
    const filter = kind ? { kind } : {}
    const found = q.trim() ? market.search(pool, q, filter) : market.listings(pool).filter((l) => !kind || l.kind === kind)
    return found.slice(0, SHOWN_MAX)
  }, [ready, version, q, kind])
  if (!view) return <p>{t.wallet.problems['unknown-pool']}</p>
  const policy = view.policy
  const mine = ready ? market.listings(pool, view.me) : []

  const toggleFavourite = async (key: string): Promise<void> => {
    if (!market) return
    await market.favourites.toggle(pool, key)
    setFavourites(await market.favourites.of(pool))
  }
  const pay = async (listing: MarketListing): Promise<void> => {
    await wallet.saveDraft({ pool, to: listing.author, amount: listing.price === null ? '' : formatAmount(listing.price, policy?.decimals ?? 0), memo: listing.title })
    navigate({ name: 'pay', pool })
  }
  const request = (listing: MarketListing): void => {
    prefillRequest({ pool, amount: listing.price === null ? '' : formatAmount(listing.price, policy?.decimals ?? 0), memo: listing.title, from: listing.author })
    navigate({ name: 'request', pool })
  }
  const withdraw = async (listing: MarketListing): Promise<void> => {
    if (!market) return
    const outcome = await market.withdraw(pool, listing.id)
    if (outcome.ok) setFlash(m.mine.withdrawn)
    else setRefusal(refusalText(t, outcome.refusal, policy, Date.now()))
  }
  const write = async (listing: MarketListing, text: string): Promise<void> => {
    if (!market) return
    const thread = await market.contact.write(pool, listing.id, listing.author, text)
    if (!thread) return
    setContacting(undefined)
    setFlash(thread.messages[0]?.queued ? m.contact.queued : m.contact.sent)
    setThreads(await market.contact.threads(pool))
  }
  const answer = async (thread: ThreadRecord, text: string): Promise<void> => {
    if (!market) return
    await market.contact.reply(pool, thread.id, text)
    setThreads(await market.contact.threads(pool))
  }
  const row = (listing: MarketListing) => (
    <>
      <ListingRow
        listing={listing} policy={policy} author={who(wallet, pool, listing.author)} mine={listing.author === view.me}
        favourite={favourites.includes(listing.author)} onFavourite={() => void toggleFavourite(listing.author)}
        onPay={() => void pay(listing)} onRequest={() => request(listing)} onContact={() => setContacting(listing.id)}
      />
      {contacting === listing.id && <TextForm label={m.contact.label} submit={m.contact.send} testid="contact" onSend={(text) => write(listing, text)} />}
    </>
  )
  const fresh = matches.filter((x) => x.fresh).length

  return (
    <section aria-labelledby="market-title" class="market">
      <p class="crumb">
        <a href={hrefOf({ name: 'pool', pool })}>← {m.back}</a>
      </p>
      <h1 id="market-title" data-testid="market-title">{m.title}</h1>
      {flash && <p class="notice" role="status" data-testid="market-flash"><Words text={flash} /></p>}
      {refusal && <p class="notice error" role="alert" data-testid="market-refusal"><Words text={refusal} /></p>}
      {!ready ? <p aria-busy="true">{t.loading}</p> : (
        <>
          <div class="card" data-testid="matches">
            <h2>{m.matches.heading} {fresh > 0 && <span class="badge" data-testid="fresh-count">{m.newMatches(fresh)}</span>}</h2>
            {matches.length === 0 ? <p class="hint">{m.matches.none}</p> : (
              <ul class="plain">
                {matches.map((match) => <MatchRow key={match.pair} match={match} market={market} pool={pool} row={row} />)}
              </ul>
            )}
          </div>

          <div class="card">
            <h2>{m.search.heading}</h2>
            <form role="search" onSubmit={(event) => event.preventDefault()}>
              <label>
                {m.search.label}
                <input type="search" value={q} onInput={(event) => setQ(event.currentTarget.value)} data-testid="market-search" dir="auto" />
              </label>
              <label>
                {m.post.kind}
                <select value={kind} onChange={(event) => setKind(event.currentTarget.value as ListingKind | '')} data-testid="market-kind">
                  <option value="">{m.search.all}</option>
                  <option value="offer">{m.kindsPlural.offer}</option>
                  <option value="want">{m.kindsPlural.want}</option>
                </select>
              </label>
            </form>
            <p class="hint">{m.search.hint}</p>
            {results.length === 0 ? <p class="hint">{m.search.none}</p> : <ul class="plain" data-testid="market-results">{results.map((l) => <li key={l.id}>{row(l)}</li>)}</ul>}
          </div>

          <PostForm pool={pool} market={market} policy={policy} categories={market.categories(pool)}
            onPosted={() => { setRefusal(''); setFlash(m.post.posted) }} onRefused={(text) => { setFlash(''); setRefusal(text) }} />

          <div class="card" data-testid="my-listings">
            <h2>{m.mine.heading}</h2>
            {mine.length === 0 ? <p class="hint">{m.mine.none}</p> : (
              <ul class="plain">
                {mine.map((l) => editing === l.id ? (
                  <li key={l.id}>
                    <PostForm pool={pool} market={market} policy={policy} categories={market.categories(pool)} editing={l}
                      onPosted={() => { setEditing(undefined); setRefusal(''); setFlash(m.mine.edited) }} onRefused={(text) => { setFlash(''); setRefusal(text) }}
                      onCancel={() => setEditing(undefined)} />
                  </li>
                ) : (
                  <li key={l.id} class="row" data-testid="my-listing">
                    <span><span class="tag">{m.kinds[l.kind]}</span> <bdi>{l.title}</bdi></span>
                    <span>
                      <button type="button" class="secondary small" onClick={() => setEditing(l.id)} data-testid="listing-edit">{m.mine.edit}</button>{' '}
                      <button type="button" class="secondary small" onClick={() => void withdraw(l)} data-testid="listing-withdraw">{m.mine.withdraw}</button>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div class="card" data-testid="threads">
            <h2>{m.contact.heading}</h2>
            {threads.length === 0 ? <p class="hint">{m.contact.none}</p> : (
              <ul class="plain">
                {threads.map((thread) => {
                  const listing = market.index(pool)?.listing(thread.listing as never)
                  const peer = thread.peerKey ? who(wallet, pool, thread.peerKey) : m.contact.anonymous
                  return (
                    <li key={thread.id} data-testid="thread">
                      <p class="hint">{m.contact.about} <bdi>{listing?.title ?? thread.listing.slice(0, 12)}</bdi> · {m.contact.withAuthor} <bdi data-testid="thread-peer">{peer}</bdi></p>
                      <ul class="plain">
                        {thread.messages.map((message, i) => (
                          <li key={i} data-testid="thread-message" data-queued={message.queued ? 'true' : 'false'}>
                            <strong>{message.mine ? m.contact.you : m.contact.them}:</strong> <bdi dir="auto">{message.text}</bdi>
                            {message.queued && <em> ({m.contact.queuedMark})</em>}
                          </li>
                        ))}
                      </ul>
                      <TextForm label={m.contact.replyLabel} submit={m.contact.reply} testid="thread-reply" onSend={(text) => answer(thread, text)} />
                    </li>
                  )
                })}
              </ul>
            )}
          </div>

          <Directory pool={pool} market={market} favourites={favourites} onFavourite={(key) => void toggleFavourite(key)} version={version} />

          <div class="card" data-testid="favourites">
            <h2>{m.favourites.heading}</h2>
            {favourites.length === 0 ? <p class="hint">{m.favourites.none}</p> : (
              <ul class="plain">{favourites.map((key) => <li key={key}><bdi>{who(wallet, pool, key)}</bdi></li>)}</ul>
            )}
          </div>
        </>
      )}
    </section>
  )
}

function MatchRow({ match, market, pool, row }: { match: MarketMatch; market: Marketplace; pool: string; row: (l: MarketListing) => preact.JSX.Element }) {
  const index = market.index(pool)
  const theirs = index?.listing(match.theirs)
  const mine = index?.listing(match.mine)
  if (!theirs || !mine) return null
  return (
    <li data-testid="match-row" data-fresh={match.fresh ? 'true' : 'false'}>
      {match.fresh && <span class="badge">{marketWords().matches.fresh}</span>} {row(theirs)}
      <p class="hint">{marketWords().matches.yours} <bdi>{mine.title}</bdi></p>
    </li>
  )
}

/** Members who chose to be listed, by fuzzy name and by category; a star keeps one close. */
function Directory({ pool, market, favourites, onFavourite, version }: { pool: string; market: Marketplace; favourites: readonly string[]; onFavourite: (key: string) => void; version: number }) {
  const m = marketWords()
  const [q, setQ] = useState('')
  const [category, setCategory] = useState('')
  const found = useMemo(() => market.directory(pool, q, category || undefined), [q, category, version])
  const categories = market.categories(pool)
  return (
    <div class="card" data-testid="directory">
      <h2>{m.directory.heading}</h2>
      <p class="hint">{m.directory.intro}</p>
      <label>{m.directory.label}<input type="search" value={q} dir="auto" onInput={(e) => setQ(e.currentTarget.value)} data-testid="directory-search" /></label>
      {categories.length > 0 && (
        <label>{m.post.category}
          <select value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">{m.directory.allCategories}</option>
            {categories.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
      )}
      {found.length === 0 ? <p class="hint">{m.directory.none}</p> : (
        <ul class="plain">
          {found.map((entry) => (
            <li key={entry.key} data-testid="directory-entry" class="row">
              <span><strong><bdi>{entry.name}</bdi></strong> · {m.directory.listings(entry.listings)}{entry.bio && <> · <bdi dir="auto">{entry.bio}</bdi></>}</span>
              <button type="button" class="secondary small" aria-pressed={favourites.includes(entry.key)} aria-label={favourites.includes(entry.key) ? m.listing.unfavourite : m.listing.favourite} onClick={() => onFavourite(entry.key)}>
                {favourites.includes(entry.key) ? '★' : '☆'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** A one-field form for a message; what was typed stays until it is sent. */
function TextForm({ label, submit, testid, onSend }: { label: string; submit: string; testid: string; onSend: (text: string) => Promise<void> }) {
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const send = async (event: Event): Promise<void> => {
    event.preventDefault()
    if (!text.trim()) return
    setSending(true)
    await onSend(text)
    setSending(false)
    setText('')
  }
  return (
    <form onSubmit={(event) => void send(event)}>
      <label>{label}<textarea value={text} maxLength={1000} dir="auto" onInput={(e) => setText(e.currentTarget.value)} data-testid={`${testid}-text`} /></label>
      <button type="submit" class="small" disabled={sending} data-testid={`${testid}-send`}>{submit}</button>
    </form>
  )
}

function ListingRow(props: {
  listing: MarketListing; policy: Policy | null; author: string; mine: boolean; favourite: boolean
  onFavourite: () => void; onPay: () => void; onRequest: () => void; onContact: () => void
}) {
  const { listing, policy, author, mine, favourite } = props
  const m = marketWords()
  return (
    <div class="listing" data-testid="listing-row" data-listing={listing.id}>
      <p>
        <span class="tag">{m.kinds[listing.kind]}</span> <strong><bdi data-testid="listing-title">{listing.title}</bdi></strong>
        {listing.price !== null && <> · {m.listing.price(money(listing.price, policy))}</>}
        {' '}· {m.listing.by} <bdi>{author}</bdi>
        {listing.category !== null && <> · <bdi>{listing.category}</bdi></>}
      </p>
      {listing.description !== undefined && <p class="hint" dir="auto">{listing.description}</p>}
      {listing.tags.length > 0 && <p class="hint">{listing.tags.map((tag) => <span class="tag" key={tag}><bdi>{tag}</bdi></span>)}</p>}
      {!mine && (
        <p class="row">
          <button type="button" class="secondary small" aria-pressed={favourite} aria-label={favourite ? m.listing.unfavourite : m.listing.favourite} onClick={props.onFavourite} data-testid="listing-favourite">
            {favourite ? '★' : '☆'}
          </button>
          {listing.kind === 'offer'
            ? <button type="button" class="small" onClick={props.onPay} data-testid="listing-pay">{m.listing.pay}</button>
            : <button type="button" class="small" onClick={props.onRequest} data-testid="listing-request">{m.listing.request}</button>}
          <button type="button" class="secondary small" onClick={props.onContact} data-testid="listing-contact">{m.contact.button}</button>
        </p>
      )}
    </div>
  )
}

/**
 * Posting a listing, or (with `editing`) restating one of this member's with changes: the form
 * starts from the listing as it stands, and the entry signed is the edit the CLI's `listing edit`
 * signs (the whole listing again, `edits` naming the listing, which keeps its id).
 */
function PostForm(props: {
  pool: string; market: Marketplace; policy: Policy | null; categories: readonly string[]; onPosted: () => void; onRefused: (text: Text) => void
  editing?: MarketListing; onCancel?: () => void
}) {
  const t = useStrings()
  const m = marketWords()
  const decimals = props.policy?.decimals ?? 0
  const was = props.editing
  const [kind, setKind] = useState<ListingKind>(was?.kind ?? 'offer')
  const [title, setTitle] = useState(was?.title ?? '')
  const [description, setDescription] = useState(was?.description ?? '')
  const [tags, setTags] = useState(was ? was.tags.join(', ') : '')
  const [category, setCategory] = useState(was?.category ?? '')
  const [price, setPrice] = useState(was && was.price !== null ? formatAmount(was.price, decimals) : '')
  const [problem, setProblem] = useState('')
  const [signing, setSigning] = useState(false)
  const name = was ? `kind-${was.id.slice(0, 8)}` : 'kind'
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault()
    if (!title.trim()) return setProblem(m.post.titleMissing)
    const parsed = price.trim() ? parseAmount(price, decimals) : undefined
    if (parsed && !parsed.ok) return setProblem(t.pay.amountProblem[parsed.problem])
    setProblem('')
    setSigning(true)
    const outcome = await props.market.post(props.pool, { kind, title, description, tags, category, price: parsed?.ok ? parsed.minorUnits : undefined }, was?.id)
    setSigning(false)
    if (!outcome.ok) return props.onRefused(refusalText(t, outcome.refusal, props.policy, Date.now()))
    // Posted: the form is emptied; a refusal above keeps what was typed.
    setTitle('')
    setDescription('')
    setTags('')
    setPrice('')
    props.onPosted()
  }
  return (
    <form class="card" onSubmit={(event) => void submit(event)} data-testid={was ? 'listing-edit-form' : 'listing-form'}>
      <h2>{was ? m.post.editHeading : m.post.heading}</h2>
      <fieldset>
        <legend>{m.post.kind}</legend>
        <label><input type="radio" name={name} checked={kind === 'offer'} onChange={() => setKind('offer')} data-testid="listing-kind-offer" /> {m.post.offer}</label>
        <label><input type="radio" name={name} checked={kind === 'want'} onChange={() => setKind('want')} data-testid="listing-kind-want" /> {m.post.want}</label>
      </fieldset>
      <label>{m.post.title}<input value={title} maxLength={80} dir="auto" onInput={(e) => setTitle(e.currentTarget.value)} data-testid="listing-title-input" /></label>
      <label>{m.post.description}<textarea value={description} maxLength={1000} dir="auto" onInput={(e) => setDescription(e.currentTarget.value)} /></label>
      <label>{m.post.tags}<input value={tags} dir="auto" onInput={(e) => setTags(e.currentTarget.value)} data-testid="listing-tags-input" /></label>
      {props.categories.length > 0 && (
        <label>{m.post.category}
          <select value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">{m.post.noCategory}</option>
            {props.categories.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
      )}
      <label>{m.post.price}<input value={price} inputMode="decimal" onInput={(e) => setPrice(e.currentTarget.value)} data-testid="listing-price-input" /></label>
      {problem && <p class="notice error" role="alert">{problem}</p>}
      {was ? (
        <p class="row">
          <button type="submit" disabled={signing} data-testid="listing-save">{m.post.save}</button>
          <button type="button" class="secondary" onClick={props.onCancel}>{m.post.cancel}</button>
        </p>
      ) : <button type="submit" disabled={signing} data-testid="listing-post">{m.post.submit}</button>}
    </form>
  )
}
