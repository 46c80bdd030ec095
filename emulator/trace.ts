// A gateway instance's timeline, for finding where a latency tail comes from (BENCH_TRACE in
// `npm run bench:submit`): every 10 ms the CPU the process used, how late the tick came (the
// longest the event loop was kept from it), and the store's counters so far (transactions
// committed, waits for another process's write lock); and each GC pause. Kept in memory for the
// last 30 s; off unless the instance is started with `trace`.
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'

/** The store's running counters a tick records (consecutive ticks differ by what happened). */
export interface TraceCounters {
  transactions: number
  lockWaits: number
}

/** One 10 ms tick: when (epoch ms), CPU used since the last tick (ms), how late it came (ms). */
export interface TraceTick extends TraceCounters {
  at: number
  cpuMs: number
  lateMs: number
}

/** One GC pause: when it started (epoch ms), how long (ms), minor (scavenge) or not. */
export interface TraceGc {
  at: number
  ms: number
  minor: boolean
}

export interface InstanceTrace {
  pid: number
  ticks: TraceTick[]
  gc: TraceGc[]
}

const TICK_MS = 10
/** 30 s of ticks. */
const KEEP_TICKS = 3_000
const KEEP_GC = 2_000
/** perf_hooks' kind of a scavenge (NODE_PERFORMANCE_GC_MINOR). */
const GC_MINOR = 1

export interface Tracer {
  /** What was recorded since `sinceMs` (epoch ms). */
  since(sinceMs: number): InstanceTrace
  stop(): void
}

/** Start recording this process's timeline; `counters` reads the store's running counters. */
export function startTrace(counters: () => TraceCounters): Tracer {
  const ticks: TraceTick[] = []
  const gc: TraceGc[] = []
  const origin = performance.timeOrigin
  let lastAt = performance.now()
  let lastCpu = process.cpuUsage()
  const timer = setInterval(() => {
    const now = performance.now()
    const cpu = process.cpuUsage()
    ticks.push({
      at: origin + now,
      cpuMs: (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000,
      lateMs: Math.max(0, now - lastAt - TICK_MS),
      ...counters(),
    })
    if (ticks.length > KEEP_TICKS) ticks.splice(0, ticks.length - KEEP_TICKS)
    lastAt = now
    lastCpu = cpu
  }, TICK_MS)
  timer.unref()
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>) {
      gc.push({ at: origin + e.startTime, ms: e.duration, minor: e.detail?.kind === GC_MINOR })
    }
    if (gc.length > KEEP_GC) gc.splice(0, gc.length - KEEP_GC)
  })
  observer.observe({ entryTypes: ['gc'] })
  return {
    since: (sinceMs) => ({
      pid: process.pid,
      ticks: ticks.filter((t) => t.at >= sinceMs),
      gc: gc.filter((g) => g.at >= sinceMs),
    }),
    stop() {
      clearInterval(timer)
      observer.disconnect()
    },
  }
}
