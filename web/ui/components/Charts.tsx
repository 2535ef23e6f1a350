/**
 * Three small pictures in plain SVG (no chart library: these cost ~1.5 kB gzip, a library 15–40):
 * a member's balance over time, and for a gatekeeper the pool's weekly volume with its active
 * members and the spread of balances. Each is an image with a sentence that says what it shows
 * (role="img", aria-label), so a screen reader gets the same facts as the eye.
 */
import type { Policy } from '../../../core/index.ts'
import { balanceSeries, balanceSpread, weeklyActivity, type Point } from '../../charts/series.ts'
import { language } from '../../strings/i18n.ts'
import type { PoolView } from '../../wallet/pool-view.ts'
import { money } from '../format.ts'
import { useStrings } from '../wallet-context.ts'

const W = 320
const H = 140
const PAD = { left: 8, right: 8, top: 16, bottom: 22 }
const WEEKS = 8
const BUCKETS = 6

const day = (ms: number, utc = false): string =>
  new Date(ms).toLocaleDateString(language(), { day: 'numeric', month: 'short', ...(utc ? { timeZone: 'UTC' } : {}) })

/** The member's balance after each payment, as a step line with the zero line dashed. */
export function BalanceChart({ view }: { view: PoolView }) {
  const t = useStrings()
  const points = balanceSeries(view.statement)
  if (points.length < 3) return null
  const policy = view.policy
  const balances = points.map((p) => p.balance)
  const low = Math.min(0, ...balances)
  const high = Math.max(0, ...balances)
  const first = points[0]!.time
  const last = points[points.length - 1]!.time
  const x = (p: Point, index: number): number =>
    PAD.left + (W - PAD.left - PAD.right) * (last > first ? (p.time - first) / (last - first) : index / (points.length - 1))
  const y = (balance: number): number => PAD.top + (H - PAD.top - PAD.bottom) * (high > low ? (high - balance) / (high - low) : 0.5)
  let path = ''
  points.forEach((p, index) => {
    const px = x(p, index).toFixed(1)
    path += index === 0 ? `M${px} ${y(p.balance).toFixed(1)}` : `H${px}V${y(p.balance).toFixed(1)}`
  })
  const summary = t.charts.balanceSummary(day(first), day(last), money(balances[balances.length - 1]!, policy), money(Math.min(...balances), policy), money(Math.max(...balances), policy))
  return (
    <figure class="chart" data-testid="balance-chart">
      <figcaption>{t.charts.balanceTitle}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line class="chart-zero" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
        <path class="chart-line" d={path} />
        <text class="chart-label" x={PAD.left} y={11}>{money(high, policy)}</text>
        <text class="chart-label" x={PAD.left} y={H - PAD.bottom + 14}>{day(first)}</text>
        <text class="chart-label" x={W - PAD.right} y={H - PAD.bottom + 14} text-anchor="end">{day(last)}</text>
        {low < 0 && <text class="chart-label" x={W - PAD.right} y={H - PAD.bottom - 4} text-anchor="end">{money(low, policy)}</text>}
      </svg>
    </figure>
  )
}

/** For a gatekeeper: what was paid each week, and above each bar how many members took part. */
export function ActivityChart({ view, now }: { view: PoolView; now: number }) {
  const t = useStrings()
  const weeks = weeklyActivity(view.movements, now, WEEKS)
  const top = Math.max(...weeks.map((w) => w.volume))
  if (top === 0) return null
  const policy = view.policy
  const slot = (W - PAD.left - PAD.right) / weeks.length
  const busiest = weeks.reduce((a, b) => (b.volume > a.volume ? b : a))
  const total = weeks.reduce((sum, w) => sum + w.volume, 0)
  const summary = t.charts.activitySummary(money(total, policy), WEEKS, day(busiest.start, true), Math.max(...weeks.map((w) => w.active)))
  return (
    <figure class="chart" data-testid="activity-chart">
      <figcaption>{t.charts.activityTitle(WEEKS)}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {weeks.map((week, index) => {
          const height = ((H - PAD.top - PAD.bottom) * week.volume) / top
          const left = PAD.left + index * slot
          return (
            <g key={week.start}>
              <rect class="chart-bar" x={left + 3} width={slot - 6} y={H - PAD.bottom - height} height={height} />
              {week.active > 0 && <text class="chart-label" x={left + slot / 2} y={H - PAD.bottom - height - 3} text-anchor="middle">{week.active}</text>}
              {index % 2 === 0 && <text class="chart-label" x={left + slot / 2} y={H - 6} text-anchor="middle">{day(week.start, true)}</text>}
            </g>
          )
        })}
      </svg>
      <p class="hint">{t.charts.activityLegend}</p>
    </figure>
  )
}

/** For a gatekeeper: how many members have a balance in each range, lowest range first. */
export function SpreadChart({ view }: { view: PoolView }) {
  const t = useStrings()
  const balances = view.members.map((m) => m.balance)
  const buckets = balanceSpread(balances, BUCKETS)
  if (buckets.length === 0) return null
  const policy: Policy | null = view.policy
  const top = Math.max(...buckets.map((b) => b.count))
  const slot = (W - PAD.left - PAD.right) / buckets.length
  const summary = t.charts.spreadSummary(balances.length, money(Math.min(...balances), policy), money(Math.max(...balances), policy))
  return (
    <figure class="chart" data-testid="spread-chart">
      <figcaption>{t.charts.spreadTitle}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {buckets.map((bucket, index) => {
          const height = ((H - PAD.top - PAD.bottom) * bucket.count) / top
          const left = PAD.left + index * slot
          return (
            <g key={bucket.low}>
              <rect class="chart-bar" x={left + 3} width={slot - 6} y={H - PAD.bottom - height} height={height} />
              {bucket.count > 0 && <text class="chart-label" x={left + slot / 2} y={H - PAD.bottom - height - 3} text-anchor="middle">{bucket.count}</text>}
            </g>
          )
        })}
        <text class="chart-label" x={PAD.left} y={H - 6}>{money(Math.min(...balances), policy)}</text>
        <text class="chart-label" x={W - PAD.right} y={H - 6} text-anchor="end">{money(Math.max(...balances), policy)}</text>
      </svg>
      <p class="hint">{t.charts.spreadLegend}</p>
    </figure>
  )
}
