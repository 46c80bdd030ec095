// The offered run's timeline (BENCH_TRACE=1): latency of the requests due in each window beside
// what each gateway instance did in it — CPU, the longest the event loop was held up, GC pauses,
// waits for the other instance's write lock. A tail that sits in a few windows with long stalls
// or GC is the server's; one spread evenly with the instances near a full core is the machine's.
import type { InstanceTrace } from '../../emulator/trace'
import { percentile } from './stats'

export interface TimelineRow {
  /** Window start, ms from `from`. */
  atMs: number
  /** Requests due in the window (successful ones). */
  due: number
  p50: number
  p99: number
  max: number
  /** The latest the load generator sent a request of the window, ms after it was due. */
  sentLate: number
  instances: Array<{
    /** CPU used in the window, % of one core. */
    cpuPct: number
    /** Longest delay of a 10 ms tick (the event loop busy or the process not running), ms. */
    lateMs: number
    /** GC pauses that started in the window, ms in all. */
    gcMs: number
    /** Transactions the instance committed in the window. */
    transactions: number
    lockWaits: number
  }>
}

/** Rows of `windowMs` from `from` to `to` (epoch ms). */
export function timeline(
  samples: ReadonlyArray<{ due: number; ms: number; sentLate?: number }>,
  traces: readonly InstanceTrace[],
  from: number,
  to: number,
  windowMs: number,
): TimelineRow[] {
  const count = Math.max(0, Math.ceil((to - from) / windowMs))
  const slot = (at: number) => Math.floor((at - from) / windowMs)
  const latencies: number[][] = Array.from({ length: count }, () => [])
  const sentLate: number[] = Array.from({ length: count }, () => 0)
  for (const { due, ms, sentLate: late = 0 } of samples) {
    const i = slot(due)
    if (i < 0 || i >= count) continue
    latencies[i]!.push(ms)
    sentLate[i] = Math.max(sentLate[i]!, late)
  }
  const perInstance = traces.map((trace) => {
    const rows = Array.from({ length: count }, () => ({
      cpuPct: 0,
      lateMs: 0,
      gcMs: 0,
      transactions: 0,
      lockWaits: 0,
    }))
    let prev: InstanceTrace['ticks'][number] | undefined
    for (const tick of trace.ticks) {
      const i = slot(tick.at)
      const before = prev
      prev = tick
      if (i < 0 || i >= count) continue
      const row = rows[i]!
      row.cpuPct += (tick.cpuMs / windowMs) * 100
      row.lateMs = Math.max(row.lateMs, tick.lateMs)
      if (!before) continue
      row.transactions += tick.transactions - before.transactions
      row.lockWaits += tick.lockWaits - before.lockWaits
    }
    for (const pause of trace.gc) {
      const i = slot(pause.at)
      if (i >= 0 && i < count) rows[i]!.gcMs += pause.ms
    }
    return rows
  })
  return latencies.map((ms, i) => {
    const sorted = ms.sort((a, b) => a - b)
    return {
      atMs: i * windowMs,
      due: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
      sentLate: sentLate[i]!,
      instances: perInstance.map((rows) => rows[i]!),
    }
  })
}

/** The rows as a text table, one line per window. */
export function formatTimeline(rows: readonly TimelineRow[]): string {
  const n = rows[0]?.instances.length ?? 0
  const head =
    'window ms  due   p50 ms   p99 ms   max ms  sent late' +
    Array.from({ length: n }, (_, k) => ` | inst ${k + 1}: txns cpu % late ms gc ms waits`).join('')
  const lines = rows.map((r) => {
    const f = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(1)).padStart(8)
    const inst = r.instances
      .map(
        (x) =>
          ` | ${' '.repeat(7)}${String(x.transactions).padStart(5)} ${x.cpuPct.toFixed(0).padStart(5)}` +
          ` ${x.lateMs.toFixed(0).padStart(7)}` +
          ` ${x.gcMs.toFixed(1).padStart(5)} ${String(x.lockWaits).padStart(5)}`,
      )
      .join('')
    return (
      `${String(r.atMs).padStart(9)} ${String(r.due).padStart(4)} ${f(r.p50)} ${f(r.p99)} ` +
      `${f(r.max)} ${f(r.sentLate).padStart(10)}${inst}`
    )
  })
  return [head, ...lines].join('\n')
}
