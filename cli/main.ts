/**
 * The `heroes` command line. Every command returns an exit code; errors
 * the user can fix are one line on stderr that says what was expected and
 * what came. Secret keys are never printed except by `keygen`, whose whole
 * job is to make a key file.
 */
import {
  OFFLINE_ALLOWANCE_SECONDS_DEFAULT, OFFLINE_AMOUNT_MAX_DEFAULT, OFFLINE_COUNT_MAX_DEFAULT, RECOVERY_WAIT_SECONDS, WITNESSES_COUNT_MAX, generateSecretKey, publicKeyOf, toHex,
} from '../core/index.ts'
import { RuntimeError, UsageError, setCommandName } from './errors.ts'
import { admit, answer, close, freeze, invite, issue, join, payout, poolCreate, poolUpdate, requestPayment, tick, transfer } from './commands/entries.ts'
import { profileCommand } from './commands/profile.ts'
import { replayCommand } from './commands/replay.ts'
import { statementCommand } from './commands/statement.ts'
import { orderCommand, schedule } from './commands/orders.ts'
import { witnessCommand } from './commands/witness.ts'
import { deviceCommand } from './commands/devices.ts'
import { recoverCommand } from './commands/recovery.ts'
import { categoriesCommand, listingCommand, matchCommand, searchCommand } from './commands/market.ts'
import { fulfilCommand, gatewayCommand, hashlockCommand, payCommand, prepareCommand, routeCommand, trustCommand } from './commands/between-pools.ts'

export const USAGE = `heroes: offline-first community currencies (signed entries, a deterministic validator, relays)

usage:
  heroes keygen
  heroes pool create --key FILE --type mutual-credit|issued --name NAME [--symbol S] [--decimals N]
                     [--min-balance N] [--max-balance N|none] [--rate-limit-seconds N] [--time T]
                     [--two-step] [--fee-basis-points N] [--soft-min-balance N] [--soft-max-balance N]
                     [--witness PUBKEY]... [--offline-count-max N] [--offline-amount-max N]
                     [--offline-allowance-seconds N] [--invite-ttl-seconds N] [--recovery-approvals N]
                     [--demurrage-rate NUM/DEN --demurrage-period-seconds N [--demurrage-free-base N]] [--hour-rate NUM/DEN]
  heroes pool update --key FILE --log LOG [--name NAME] [--symbol S] [--min-balance N] [--max-balance N|none]
                     [--rate-limit-seconds N] [--fee-basis-points N] [--soft-min-balance N] [--soft-max-balance N]
                     [--witness PUBKEY|none]... [--offline-count-max N] [--offline-amount-max N]
                     [--offline-allowance-seconds N] [--invite-ttl-seconds N] [--recovery-approvals N] [--time T] [--pool ID]
                     [--demurrage-rate NUM/DEN|none --demurrage-period-seconds N [--demurrage-free-base N]]
                     [--hour-rate NUM/DEN]
  heroes tick     --key FILE --log LOG [--time T] [--pool ID]
  heroes order create --key FILE --log LOG --to PUBKEY --amount N --every-seconds N [--count N] [--until T]
                     [--start T] [--memo TEXT] [--coordinator PUBKEY] [--time T] [--pool ID]
  heroes order revoke --key FILE --log LOG --entry ID [--time T] [--pool ID]
  heroes order run --key FILE --log LOG [--time T] [--pool ID]
  heroes schedule --key FILE --log LOG --to PUBKEY --amount N --at T [--memo TEXT] [--coordinator PUBKEY] [--time T] [--pool ID]
  heroes admit    --key FILE --log LOG --member PUBKEY [--min-balance N] [--max-balance N|none] [--role member|gatekeeper] [--time T] [--pool ID]
  heroes freeze   --key FILE --log LOG --member PUBKEY [--reason TEXT] [--time T] [--pool ID]
  heroes issue    --key FILE --log LOG --to PUBKEY --amount N [--memo TEXT] [--time T] [--pool ID]
  heroes issue    --key FILE --log LOG --request ID [--time T] [--pool ID]
  heroes transfer --key FILE --log LOG --to PUBKEY --amount N [--memo TEXT] [--time T] [--pool ID]
  heroes transfer --key FILE --log LOG --request ID [--time T] [--pool ID]
  heroes payout   --key FILE --log LOG --to PUBKEY --amount N [--memo TEXT] [--time T] [--pool ID]
  heroes request  --key FILE --log LOG --from PUBKEY --amount N [--memo TEXT] [--time T] [--pool ID]
                     [--every-seconds N [--count K] [--until T] [--start T] [--coordinator PUBKEY]]
  heroes accept|reject|cancel --key FILE --log LOG --entry ID [--time T] [--pool ID]
  heroes close    --key FILE --log LOG [--time T] [--pool ID]
  heroes profile  --key FILE --log LOG --name NAME [--bio TEXT] [--initials ABC] [--picture FILE.png|jpg|webp] [--time T] [--pool ID]
  heroes invite   --key FILE --log LOG --invite-key-out FILE [--min-balance N] [--max-balance N|none] [--time T] [--pool ID]
  heroes join     --key FILE --log LOG --invite ID --invite-key FILE [--time T] [--pool ID]
  heroes witness  --key FILE --log LOG [--time T] [--pool ID]
  heroes trust    --key FILE --log LOG --pool ID --limit-hours N --gateway PUBKEY [--time T]
  heroes route    --log LOG [--log LOG]... --from-pool ID --to-pool ID --amount N [--as-of T]
  heroes hashlock --preimage-out FILE
  heroes pay --path --key FILE --log LOG [--log LOG]... --to-pool ID --to PUBKEY --amount N --condition HEX
                     [--from-pool ID] [--expires-seconds N] [--memo TEXT] [--time T]
  heroes prepare  --key FILE --log LOG --to PUBKEY --amount N --condition HEX --expires T [--memo TEXT] [--time T] [--pool ID]
  heroes fulfil   --key FILE --log LOG --entry ID --preimage HEX|--preimage-file FILE [--time T] [--pool ID]
  heroes gateway forward|settle --key FILE --log LOG [--log LOG]... --entry ID [--time T]
  heroes gateway run --config FILE [--interval-seconds N] [--max-amount N] [--max-open N] [--stop-file FILE]
                     [--metrics-port N] [--poll] [--once [--time T]]
  heroes device add --key MEMBER_KEY --log LOG --device PUBKEY [--name TEXT] [--spend-cap N] [--time T] [--pool ID]
  heroes device revoke --key MEMBER_KEY --log LOG --device PUBKEY [--after-seq N] [--time T] [--pool ID]
  heroes recover request --key NEW_KEY --log LOG --member OLD_PUBKEY [--time T] [--pool ID]
  heroes recover approve --key GATEKEEPER_KEY --log LOG --entry ID [--time T] [--pool ID]
  heroes listing add --key FILE --log LOG --kind offer|want --title T [--description D] [--tags a,b] [--category C]
                     [--price N] [--expires T] [--time T] [--pool ID]
  heroes listing edit --key FILE --log LOG --entry ID [--kind K] [--title T] [--description D] [--tags a,b] [--category C]
                     [--price N] [--expires T] [--time T] [--pool ID]
  heroes listing withdraw --key FILE --log LOG --entry ID [--time T] [--pool ID]
  heroes categories --key FILE --log LOG [--category C]... [--time T] [--pool ID]
  heroes match LOG --member PUBKEY [--since T] [--as-of T] [--pool ID]
  heroes search LOG --q TEXT [--kind offer|want] [--category C] [--as-of T] [--pool ID]
  heroes replay LOG [--as-of T] [--pool ID]
  heroes statement LOG --member PUBKEY [--csv] [--from T] [--to T] [--counterparty PUBKEY] [--as-of T] [--pool ID]
  heroes statement LOG --all [--as-of T] [--pool ID]   (the whole pool as CSV, for the gatekeeper)
  heroes relay [--host 127.0.0.1] [--port N] [--data-dir DIR] [--peer URL]...
               [--witness-key FILE] [--checkpoint-interval-seconds N]   (default: DIR/witness-key.json, made once; 5 s)
               [--memory-budget-mb N]   (default 512: idle documents leave memory past it)
               [--storage postgres://USER@HOST:PORT/DB]   (documents in PostgreSQL, shared by several relays; default DIR)
  heroes sync --relay URL --log LOG [--timeout-seconds N]
  heroes start

Commands that make an entry print it as one JSON line and do not write LOG: append it with >> LOG.
Amounts and limits are whole numbers in the pool's minor unit. T is ISO-8601 with Z or an offset
(2026-11-22T10:00:00Z, 2026-11-22T11:00+01:00) or milliseconds since 1970 (default: now).
--witness repeats (at most ${WITNESSES_COUNT_MAX}), order kept: the first is the primary witness, whose checkpoints make
entries final. With a witness, pool create writes the offline limits out (by default ${OFFLINE_COUNT_MAX_DEFAULT} payments,
${OFFLINE_AMOUNT_MAX_DEFAULT} in all, ${OFFLINE_ALLOWANCE_SECONDS_DEFAULT} s). 'pool update' changes only the fields named (--witness none: no witness);
only the creator may change the witnesses. A payout pays a member out of the commons (the levies).
Demurrage: at each period boundary (counted from where the policy took effect) every balance above the
free base pays NUM/DEN of what is above it to the commons, rounded down, the remainder carried; it is
charged when an account is next touched, or by 'heroes tick' (a gatekeeper or a witness) for everyone.
The clock is witnessed time where a witness covered the entry. 'replay' prints "demurrageCollected", and
'statement' shows each charge as a line of type demurrage.
A standing order pays --amount to --to every --every-seconds from --start (default: its own time), at most
--count times and not after --until; 'order run' prints, one line each, the payments due by T that the key
may collect (as payee, or as the --coordinator the order names) and no collect in LOG stands for (a period
refused because the payer could not pay is offered again a day after that try); each period is paid at most
once, judged against the payer's limits when collected. 'schedule' is one payment at --at;
'heroes cancel --entry ID' (or 'order revoke') withdraws an order or a scheduled payment. 'replay' prints
"orders" with id, payer, payee, amount, everySeconds, paid and status (active, revoked, finished, or ended:
past its --until date, nothing more falls due).
A recurring request ('request --every-seconds N', rent or dues) asks for --amount every N seconds from
--start (default: when the payer accepts), at most --count times and not after --until; without --from,
any member may accept it, each once. The payer accepts it once ('heroes accept --entry ID'): that accept is a
standing order on the request's terms (its id is the order's, with "request" naming the request in
"orders"), collected by the requester or --coordinator with 'order run'; periods due before the accept are
not owed. Payer or requester ends it with 'heroes cancel --entry ACCEPT_ID'. 'replay' prints the request
with everySeconds, count, start, until, coordinator and "orders" (the accepts), status "accepted" once the
payer named accepted it.
'heroes witness' prints one checkpoint: what LOG holds that verifies and the key's last checkpoint
did not cover, at T.
Between pools: 'pool update --hour-rate NUM/DEN' says one whole unit of the pool is worth NUM/DEN HOUR;
converting rounds down, once, the same way everywhere. 'trust' prints a gatekeeper's trustline: this pool
trusts pool ID (--pool here names the trusted pool) up to N HOUR, and --gateway names the key holding this
pool's side, an account whose credit limit is the trust. 'route' prints {"route":[POOL_ID,...],
"sourceAmount":N,"targetAmount":N} for N minor units to arrive in --to-pool (at most 4 hops), from the
trustlines and rates in the logs given, or exits 1 with one line: none, too-long or not-enough-trust.
A path payment: the payee runs 'hashlock' (a secret preimage to FILE, its condition on stdout); the payer
runs 'pay --path' with that condition (the first prepare, in the payer's pool: the first --log or
--from-pool); each link's gateway runs 'gateway forward' with --entry the prepare in the pool before (the
next prepare, in the next pool, expiring 120 s earlier, refused when the amount no longer covers the rest
of the path at today's rates); the payee runs 'fulfil'; each gateway, from the payee's side back, runs
'gateway settle' with --entry the prepare that pays it (a fulfil with the revealed preimage, or a cancel
when the hop after it was cancelled). A fulfil counts when a witness covers it by the prepare's expiry;
after it the payer takes the hold back with 'heroes cancel --entry PREPARE'. 'replay' prints "trustlines"
and "prepares" with their status (prepared, fulfilled, cancelled, expired).
'gateway run' does a gateway's steps as a service: FILE is {"pools":[{"log","key","relay"}...]} (a log, the
gateway key held in that pool, and the relay to sync it with); it keeps one live connection per relay, which
pushes every new entry, and runs a round on each (and every --interval-seconds): it forwards witnessed
prepares that pay its keys, settles, and takes back its expired prepares, printing one JSON line an action
(--poll: a 'heroes sync' of each log every round instead).
--max-amount and --max-open limit what it signs; while --stop-file exists it forwards nothing new; SIGTERM
stops it; --metrics-port serves counters at /metrics on 127.0.0.1.
A listing is an offer or a want; it lives until --expires, or 90 days from when a witness first saw it;
'listing edit' restates it with the fields given changed; only its author edits or withdraws it. A listing's
--category must be on the list a gatekeeper signed with 'heroes categories'. 'match' pairs the member's
offers with others' wants and its wants with others' offers ({"matches":[{"mine","theirs","score"}]});
'search' finds open listings by words, prefixes and typos ({"results":[{"id","score"}]}); both best first,
ties broken by id, and --since keeps matches where either listing was posted or edited at or after T.
Devices: 'device add' certifies PUBKEY (made by 'heroes keygen' on the device) as a device of the member
key; the device then signs the ordinary commands with its own key (heroes transfer --key DEVICE_KEY …:
the CLI finds its certificate in LOG) and what it signs counts for the member: one balance, one set of
limits, one offline cap across all its keys; balances, limits and statements stay by member key.
--spend-cap N: the most the device may pay in all under this certificate. Only the member key governs,
certifies, closes or joins. 'device revoke' removes a device (signed by the member key or another of its
devices): its chain up to --after-seq N (default: the device's last entry LOG holds) stands, every other
entry of it is void (device-revoked) in any arrival order, unless a witness covered it first. Two devices
that remove each other are both removed; the member key certifies new ones. A device that signs two
entries at one seq is suspended; its member is not frozen. 'replay' prints, per member with devices,
"devices": [{"key","name","status","certificate"}] (status active, revoked or suspended; "spendCap" and
"spent" when capped).
Recovery, for a member who lost every device and the backup phrase: the new key signs 'recover request'
(its first entry), gatekeepers sign 'recover approve'. With --recovery-approvals of them (default 2, or 1
while the pool has one gatekeeper) the account moves whole to the new key (balance, role and limits, open
requests) and the old key is frozen; refused (recovery-blocked) while the old key or one of its devices
signed anything within ${RECOVERY_WAIT_SECONDS} s before. A recovery moves money, never creates it. The creator
recovers with its phrase only. 'replay' prints "recoveries": [{"id","member","key","approvals","needed",
"status"}] (status open or recovered, with "completedBy").
A command that reads LOG uses only the validly signed entries of one pool and names on stderr the lines
it ignored; when LOG holds several pools, --pool ID says which. 'heroes COMMAND --help' is this text.
`

type Command = (argv: string[], now: number) => number | Promise<number>

/** Commands that live in their own module are loaded only when used (the relay pulls in automerge). */
function lazy(load: () => Promise<{ run(argv: string[]): Promise<number> }>): Command {
  return async (argv) => {
    const { tolerateAutomergeTimeouts } = await import('../sync-server/unhandled.ts')
    tolerateAutomergeTimeouts()
    return (await load()).run(argv)
  }
}

const COMMANDS: Record<string, Command> = {
  keygen: (argv) => {
    if (argv.length > 0) throw new UsageError(`expected no arguments to keygen, got ${argv.join(' ')}`)
    const secretKey = generateSecretKey()
    process.stdout.write(JSON.stringify({ publicKey: publicKeyOf(secretKey), secretKey: toHex(secretKey) }) + '\n')
    return 0
  },
  pool: (argv, now) => {
    if (argv[0] === 'create') return poolCreate(argv.slice(1), now)
    if (argv[0] === 'update') return poolUpdate(argv.slice(1), now)
    throw new UsageError(`expected 'pool create' or 'pool update', got 'pool ${argv[0] ?? ''}'`)
  },
  admit,
  freeze,
  issue,
  transfer,
  payout,
  invite,
  join,
  request: requestPayment,
  accept: answer('accept'),
  reject: answer('reject'),
  cancel: answer('cancel'),
  close,
  profile: profileCommand,
  tick,
  order: orderCommand,
  schedule,
  witness: witnessCommand,
  device: deviceCommand,
  recover: recoverCommand,
  replay: replayCommand,
  listing: listingCommand,
  categories: categoriesCommand,
  match: matchCommand,
  search: searchCommand,
  statement: statementCommand,
  trust: trustCommand,
  route: routeCommand,
  hashlock: (argv) => hashlockCommand(argv),
  pay: payCommand,
  prepare: prepareCommand,
  fulfil: fulfilCommand,
  gateway: gatewayCommand,
  relay: lazy(() => import('./commands/relay.ts')),
  sync: lazy(() => import('./commands/sync.ts')),
  start: lazy(() => import('./commands/start.ts')),
}

export async function main(argv: string[], now: number = Date.now()): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help' || rest.includes('--help')) {
    process.stdout.write(USAGE)
    return name === undefined ? 2 : 0
  }
  const command = COMMANDS[name]
  if (!command) {
    process.stderr.write(`heroes: expected a command (${Object.keys(COMMANDS).join(', ')}), got ${JSON.stringify(name)}\n`)
    return 2
  }
  setCommandName(name)
  try {
    return await command(rest, now)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`heroes ${name}: ${error.message}\n`)
      return 2
    }
    if (error instanceof RuntimeError) {
      process.stderr.write(`heroes ${name}: ${error.message}\n`)
      return 1
    }
    // A bug, not the user's doing: one line, no stack trace (HEROES_DEBUG=1 shows it).
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`heroes ${name}: internal error: ${message.split('\n')[0]}\n`)
    if (process.env.HEROES_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`)
    return 1
  }
}
