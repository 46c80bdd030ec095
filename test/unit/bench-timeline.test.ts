// The offered run's timeline (scripts/bench/timeline.ts): requests and instance ticks land in the
// window of their time, counters become per-window differences, GC pauses add up, and a window
// without requests shows as empty rather than as zero latency.
import type { InstanceTrace } from '../../emulator/trace'
import { formatTimeline, timeline } from '../../scripts/bench/timeline'

const FROM = 1_000_000

function instance(pid: number, perTick: { cpuMs: number; transactions: number }): InstanceTrace {
  // Ticks every 10 ms from 20 ms before FROM to 500 ms after; counters running from 100.
  const ticks = []
  let transactions = 100
  let lockWaits = 50
  for (let at = FROM - 20; at < FROM + 500; at += 10) {
    transactions += perTick.transactions
    lockWaits += at % 100 === 0 ? 1 : 0
    ticks.push({
      at,
      cpuMs: perTick.cpuMs,
      lateMs: at === FROM + 130 ? 42 : 1,
      transactions,
      lockWaits,
    })
  }
  return {
    pid,
    ticks,
    gc: [
      { at: FROM + 10, ms: 2.5, minor: true },
      { at: FROM + 20, ms: 1.5, minor: true },
      { at: FROM + 260, ms: 30, minor: false },
      { at: FROM + 900, ms: 99, minor: false }, // after the last window: left out
    ],
  }
}

test('windows gather the requests due in them and what each instance did meanwhile', () => {
  const samples = [
    // Window 0: 1..100 ms, sent up to 9.9 ms late.
    ...Array.from({ length: 100 }, (_, i) => ({ due: FROM + i, ms: i + 1, sentLate: i / 10 })),
    { due: FROM + 260, ms: 7 }, // window 1
    { due: FROM - 5, ms: 1_000 }, // before: left out
    { due: FROM + 750, ms: 1_000 }, // after: left out
  ]
  const rows = timeline(
    samples,
    [instance(1, { cpuMs: 5, transactions: 2 }), instance(2, { cpuMs: 10, transactions: 0 })],
    FROM,
    FROM + 750,
    250,
  )
  expect(rows.map((r) => r.atMs)).toEqual([0, 250, 500])
  expect(rows.map((r) => r.due)).toEqual([100, 1, 0])
  expect(rows[0]).toMatchObject({ p50: 50, p99: 99, max: 100, sentLate: 9.9 })
  expect(rows[1]).toMatchObject({ p50: 7, p99: 7, max: 7, sentLate: 0 })
  expect(Number.isNaN(rows[2]!.p50)).toBe(true)

  const [a, b] = rows[0]!.instances
  // 25 ticks of 5 ms CPU in 250 ms: 50 % of a core; 10 ms ticks: 100 %.
  expect(a!.cpuPct).toBeCloseTo(50)
  expect(b!.cpuPct).toBeCloseTo(100)
  // Differences of the running counters: 2 per tick, 25 ticks; one lock wait per 100 ms.
  expect(a!.transactions).toBe(50)
  expect(b!.transactions).toBe(0)
  expect(rows[0]!.instances.map((x) => x.lockWaits)).toEqual([3, 3])
  expect(a!.gcMs).toBeCloseTo(4)
  expect(a!.lateMs).toBe(42)
  expect(rows[1]!.instances[0]!.gcMs).toBe(30)
  expect(rows[1]!.instances[0]!.lateMs).toBe(1)
  // The ticks after 500 ms are there, but no window covers them beyond FROM + 750.
  expect(rows[2]!.instances[0]!.transactions).toBe(0)
})

test('the text table has a line per window and a column group per instance', () => {
  const rows = timeline(
    [{ due: FROM, ms: 3 }],
    [instance(7, { cpuMs: 1, transactions: 1 })],
    FROM,
    FROM + 500,
    250,
  )
  const lines = formatTimeline(rows).split('\n')
  expect(lines).toHaveLength(3)
  expect(lines[0]).toContain('max ms  sent late | inst 1: txns cpu % late ms gc ms waits')
  expect(lines[1]).toMatch(/^\s+0\s+1\s+3\.0\s+3\.0\s+3\.0\s+0\.0 \|\s+25\s+10\s+42\s+4\.0\s+3$/)
  expect(lines[2]).toMatch(/^\s+250\s+0\s+-\s+-\s+-\s+0\.0/)
})
